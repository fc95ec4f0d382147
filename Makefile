# Two commands for a fresh machine with Python 3.11+, git and make:
#   make demo   set everything up, generate a demo dataset, run the attribution
#   make test   set everything up and run the tests
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9

.PHONY: setup demo test lint bench clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

setup: $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --locked --all-extras --compile-bytecode --python $(VENV)/bin/python --quiet

demo: setup
	$(VENV)/bin/partnercredit demo

test: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/python -m pytest -n auto --dist loadfile

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

bench: setup
	$(VENV)/bin/python -m benchmarks.run

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache
