# Lead Factory: the two commands of the README, and the day-to-day ones.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SIZE ?= 10000
SEED ?= 42
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: demo test install train benchmark lint build docs docs-serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## demo: the main job on the embedded DuckDB with generated demo data
demo: $(STAMP)
	$(BIN)/python scripts/run_demo.py --size $(SIZE) --seed $(SEED)

## test: the whole test suite (lint, unit tests, end-to-end builds against the planted truth)
test: $(STAMP)
	$(BIN)/pytest

## train: re-train the person-matching model on the demo warehouse (run make demo first)
train: $(STAMP)
	$(BIN)/python scripts/train_person_model.py --truth data/demo/truth

## benchmark: time, memory and matching accuracy at 10k, 100k and 1M generated leads
benchmark: $(STAMP)
	$(BIN)/python scripts/benchmark.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint models analyses

build: $(STAMP)
	$(BIN)/dbt build

docs: $(STAMP)
	$(BIN)/dbt docs generate

clean:
	rm -rf target logs data .pytest_cache

docs-serve: $(STAMP)
	$(BIN)/dbt docs serve --port 8080
