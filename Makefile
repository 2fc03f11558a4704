# halfyear: run `make` to list the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
REGION ?= erqi
PERIOD ?= 2019H1

.PHONY: help env browser data report test lint lab clean distclean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "halfyear needs Python >= 3.11; $(PYTHON) is $$($(PYTHON) --version)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (halfyear)" > /dev/null
	@touch $@

env: $(STAMP) ## create .venv from requirements.lock (done by the other targets when needed)

browser: ## install Debian's chromium for the browser test when it is missing
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
	    echo "installing Debian's chromium for the browser test (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; \
	  else \
	    echo "The browser test needs Chromium at $(CHROMIUM): run 'sudo apt-get install chromium'," \
	      "or set CHROMIUM=/path/to/chromium"; exit 1; \
	  fi; }

data: $(STAMP) ## clean data/raw into data/processed (prints the reconciliation)
	$(BIN)/halfyear clean

report: data ## run the pipeline and write the default report (erqi 2019H1, zh and en) to reports/
	$(BIN)/halfyear report --region $(REGION) --period $(PERIOD) --lang zh --lang en

.PHONY: reports bench backtest
reports: data ## run every report of the default grid in parallel, skipping those up to date (BATCH="--force ...")
	$(BIN)/halfyear batch $(BATCH)

backtest: data ## backtest the projections of every real series with 4+ years, pooled per indicator (minutes)
	$(BIN)/halfyear backtest --pooled --min-folds 4 $(BACKTEST)

bench: data ## time the batch against a papermill loop and a plain script, and the library at scale (minutes)
	$(BIN)/python -m benchmarks.bench $(BENCH)

test: data browser ## run every test: lint, unit, doctests, notebook runs, browser check
	$(BIN)/ruff check analysis tests notebooks
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

lint: $(STAMP) ## ruff on the library, the tests and the notebooks
	$(BIN)/ruff check analysis tests notebooks
	$(BIN)/ruff format --check analysis tests

lab: data ## open JupyterLab on notebooks/, ready to run them on their defaults
	$(BIN)/jupyter lab notebooks

lock: ## re-resolve requirements.lock from pyproject.toml (needs uv; maintainers only)
	$(BIN)/python -m pip install --quiet uv && $(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes -o requirements.lock

clean: ## remove generated data and reports
	rm -rf data/processed/* reports/* reports/.cache && touch data/processed/.gitkeep reports/.gitkeep

distclean: clean ## also remove the virtual environment
	rm -rf $(VENV)
