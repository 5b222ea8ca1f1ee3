# The two commands the README starts with: `make demo` and `make test`.
# Both set everything up first, in a virtualenv inside the checkout.

PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
WORKSPACE ?= accord-demo

.PHONY: setup demo test lint typecheck unit bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The streaming engine compiled with mypyc (accord/financing/native.py);
# rebuilt whenever a source it is built from changes.
NATIVE_SOURCES = $(addprefix accord/financing/,stream.py typologies.py features.py ledger.py native.py native_build.py) accord/errors.py

$(BIN)/.native: $(BIN)/.installed $(NATIVE_SOURCES)
	$(BIN)/python -m accord.financing.native_build
	touch $@

setup: $(BIN)/.installed $(BIN)/.native

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
