# The two commands the README starts with: `make demo` and `make test`.
# Both set everything up first, in a virtualenv inside the checkout.

PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
WORKSPACE ?= accord-demo

.PHONY: setup native demo test lint typecheck unit bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The streaming engine compiled with mypyc (accord/financing/native.py);
# rebuilt whenever a source it is built from is newer than the build.
native: $(BIN)/.installed
	$(BIN)/python -m accord.financing.native_build --if-stale

setup: $(BIN)/.installed native

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
