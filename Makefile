# Lead Factory: the README's two commands (demo, test) and the day-to-day ones. Every target that
# does work calls the `lead-factory` command; `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SIZE ?= 10000
SEED ?= 42
# pytest workers: the end-to-end tests build several warehouses; two run at once on two cores.
WORKERS ?= 2

.PHONY: help install demo test test-fast unit lint build docs docs-serve train benchmark clean

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

## install: create .venv and install the project with its development tools
install: $(STAMP)

## demo: the main job on the embedded DuckDB with generated demo data (SIZE=10000 SEED=42)
demo: $(STAMP)
	$(BIN)/lead-factory demo --size $(SIZE) --seed $(SEED)

## test: everything: lint, then the whole pytest suite (unit tests and end-to-end builds)
test: lint
	$(BIN)/pytest -n $(WORKERS) --dist loadgroup

## test-fast: lint and the tests that need no warehouse, side by side (under a minute)
test-fast: $(STAMP)
	@$(MAKE) --no-print-directory -j 2 --output-sync=target lint unit

## unit: the tests that need no warehouse (no dbt build)
unit: $(STAMP)
	$(BIN)/pytest -m "not e2e"

## lint: ruff (lint and format), sqlfluff over the SQL, mypy over the Python
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint --processes 2 models analyses
	$(BIN)/mypy

## build: dbt build against the warehouse (after landing)
build: $(STAMP)
	$(BIN)/lead-factory build

## docs: generate the docs site and check that everything is documented
docs: $(STAMP)
	$(BIN)/lead-factory docs

## docs-serve: generate and serve the docs site on http://localhost:8080
docs-serve: $(STAMP)
	$(BIN)/lead-factory docs --serve --port 8080

## train: re-train the person-matching model on the demo warehouse (after make demo)
train: $(STAMP)
	$(BIN)/lead-factory train --truth data/demo/truth

## benchmark: time, peak memory and matching accuracy at 10k, 100k and 1M generated leads
benchmark: $(STAMP)
	$(BIN)/lead-factory benchmark

## clean: remove dbt's artifacts, logs and the local data (warehouse, demo data)
clean:
	rm -rf target logs data .pytest_cache .mypy_cache
