# investledger — developer and CI entry points (GNU make).
# `make` alone prints the targets; `make test PYTEST_ARGS='-k ledger -x'` passes options to pytest.

PYTHON ?= python3
VENV   := .venv
PORT   ?= 8000
HOST   ?= 127.0.0.1
PYTEST_ARGS ?=
# `make test` spreads the tests over this many processes (pytest-xdist): one per core, at most
# four, as each PostgreSQL test holds a few connections; 0 runs them all in one process.
PYTEST_WORKERS ?= auto
# Projection to rebuild (`make rebuild NAME=project_ledger`); empty rebuilds them all.
NAME ?=

BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help install run test lint bench worker rebuild clean

help: ## Show this list of targets
	@echo "investledger make targets (variables: PYTHON=$(PYTHON) HOST=$(HOST) PORT=$(PORT)):"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The venv is (re)installed whenever pyproject.toml is newer than the stamp.
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the project with the dev extras

run: $(VENV)/.installed ## Serve the API in demo mode on HOST:PORT (default 127.0.0.1:8000)
	$(BIN)/investledger serve --host $(HOST) --port $(PORT) --demo

test: $(VENV)/.installed ## Run the test suite (options via PYTEST_ARGS=...)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --maxprocesses=4 $(PYTEST_ARGS)

lint: $(VENV)/.installed ## Run ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/mypy domain application projections api

bench: $(VENV)/.installed ## Run the benchmarks (tests/bench.py)
	$(BIN)/python -m tests.bench

worker: $(VENV)/.installed ## Follow the event store and keep projections up to date
	$(BIN)/investledger projections follow

rebuild: $(VENV)/.installed ## Rebuild projections from the events (NAME=... for just one)
	$(BIN)/investledger projections rebuild $(NAME)

clean: ## Remove var/ and caches (keeps .venv)
	rm -rf var .pytest_cache .mypy_cache .ruff_cache build dist
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
