# De Gouden Poort backend. `make run` sets everything up and serves; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: help install setup run test lint bench clean

help:
	@echo "make run    set up (venv, install, migrate, taxonomy, demo, index) and serve on :8000"
	@echo "make test   ruff, import-linter contracts and pytest"
	@echo "make bench  the benchmarks in bench/ (slow)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

setup: install
	$(BIN)/flask db upgrade
	$(BIN)/flask taxonomy import
	$(BIN)/flask demo load
	$(BIN)/flask index build

run: setup
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/search.py
	$(BIN)/python bench/catalogue_import.py
	PYTHONPATH=. $(BIN)/python bench/quality.py
	PYTHONPATH=. $(BIN)/python bench/matching.py --sizes 10000,100000

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
