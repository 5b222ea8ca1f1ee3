# The two commands the README starts with: `make demo` and `make test`.
# Both set everything up first, in a virtualenv inside the checkout.

PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
WORKSPACE ?= accord-demo

.PHONY: setup native video demo test lint typecheck unit bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The streaming engine compiled with mypyc (accord/financing/native.py);
# rebuilt whenever a source it is built from is newer than the build.
native: $(BIN)/.installed
	$(BIN)/python -m accord.financing.native_build --if-stale

# Video hashing (vPDQ) where FFmpeg's development libraries are present;
# without them setup goes on and video files are not hashed (vPDQ files
# and video banks still work).
FFMPEG_LIBS = libavcodec libavformat libavdevice libavfilter libswscale libswresample libavutil

$(BIN)/.video: $(BIN)/.installed
	@if pkg-config --exists $(FFMPEG_LIBS) 2>/dev/null; then \
		($(BIN)/python -m pip install --quiet -e ".[video]" && touch $@) \
			|| echo "note: vpdq did not build; video files will not be hashed"; \
	else \
		echo "note: FFmpeg development libraries not found; video hashing (vpdq) not installed"; \
	fi

video: $(BIN)/.video

setup: $(BIN)/.installed native video

demo: setup
	$(BIN)/accord --workspace $(WORKSPACE) demo

lint: setup
	$(BIN)/ruff check accord tests benchmarks
	$(BIN)/ruff format --check accord tests benchmarks

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) $(WORKSPACE) .mypy_cache .pytest_cache .ruff_cache
	rm -f accord/financing/*.so
