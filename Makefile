# The front door. Every target creates .venv and installs what it needs on first use.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DEMO_DB := state/demo.db

.PHONY: help run demo test lint format bench clean

help:
	@echo "make test    lint + the whole test suite (offline)"
	@echo "make demo    crawl the bundled offline snapshot into $(DEMO_DB) and draft a bulletin"
	@echo "make run     one live crawl pass into state/crawler.db"
	@echo "make bench   speed ratios against baselines measured in the same process"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/crawler run

demo: $(STAMP)
	$(BIN)/python -m crawler.demo --db $(DEMO_DB)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP) lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
