# halfyear: run `make` to list the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check
CHROMIUM ?= /usr/bin/chromium
REGION ?= erqi
PERIOD ?= 2019H1
# Where the locked wheels are kept (filled from the registry on first use; OFFLINE=1 never
# downloads: copy a filled folder from a machine that ran `make wheelhouse`).
WHEELHOUSE ?= .wheelhouse
OFFLINE ?=
LAB_ARGS ?=
# pytest processes of `make test` (pytest-xdist; the tests of one file stay in one process)
TEST_JOBS ?= 2

# One lock per group (requirements/lock.py): a report needs only the runtime.
LOCK_RUNTIME := requirements/runtime.lock
LOCK_LAB     := requirements/lab.lock
LOCK_CLUSTER := requirements/cluster.lock
LOCK_PDF     := requirements/pdf.lock
LOCK_DEV     := requirements/dev.lock
LOCKS        := $(LOCK_RUNTIME) $(LOCK_LAB) $(LOCK_CLUSTER) $(LOCK_PDF) $(LOCK_DEV)

# Stamps of what is installed in .venv
RUNTIME := $(VENV)/.runtime
LAB     := $(VENV)/.lab
PDF     := $(VENV)/.pdf
DEV     := $(VENV)/.dev

# What data/processed is made from: the raw files (and their folder, so that a removed file
# counts), the reference tables, the cleaning code and the runtime lock.
PROCESSED  := data/processed/manifest.json
# (the package's shared top-level modules and the data stage; a test checks that this covers
# every module the clean step imports)
CLEAN_CODE := $(wildcard analysis/*.py) $(wildcard analysis/data/*.py)
CLEAN_INPUTS := data/raw $(wildcard data/raw/*) analysis/reference \
                $(wildcard analysis/reference/*) $(CLEAN_CODE) $(LOCK_RUNTIME)

.PHONY: help env pdf-deps browser data report reports backtest test lint lab bench lock wheelhouse \
        check-offline clean distclean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# $(call install,LOCK FILES): install locked wheels into .venv from the wheelhouse, first
# downloading into it the wheels it lacks (never with OFFLINE=1).
define install
	@$(PIP) install --quiet --no-index --find-links $(WHEELHOUSE) --require-hashes --no-deps \
	  $(foreach f,$(1),-r $(f)) 2> /dev/null || { \
	  if [ -n "$(OFFLINE)" ]; then \
	    echo "OFFLINE=1 and $(WHEELHOUSE) lacks wheels of $(1): run 'make wheelhouse' on a" \
	      "machine that reaches the registry and copy $(WHEELHOUSE) here"; exit 1; fi; \
	  echo "downloading the wheels of $(1) into $(WHEELHOUSE)"; \
	  $(PIP) download --quiet --quiet --only-binary :all: --require-hashes --no-deps \
	    -d $(WHEELHOUSE) $(foreach f,$(1),-r $(f)) && \
	  $(PIP) install --quiet --no-index --find-links $(WHEELHOUSE) --require-hashes --no-deps \
	    $(foreach f,$(1),-r $(f)); }
endef

$(RUNTIME): $(LOCK_RUNTIME) pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "halfyear needs Python >= 3.11; $(PYTHON) is $$($(PYTHON) --version)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(call install,$(LOCK_RUNTIME))
	$(PIP) install --quiet --no-index --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (halfyear)" > /dev/null
	@touch $@

$(LAB): $(RUNTIME) $(LOCK_LAB)
	$(call install,$(LOCK_LAB))
	@touch $@

$(PDF): $(RUNTIME) $(LOCK_PDF)
	$(call install,$(LOCK_PDF))
	@touch $@

$(DEV): $(RUNTIME) $(LOCK_CLUSTER) $(LOCK_PDF) $(LOCK_DEV)
	$(call install,$(LOCK_CLUSTER) $(LOCK_PDF) $(LOCK_DEV))
	@touch $@

env: $(RUNTIME) $(LAB) $(PDF) $(DEV) ## create .venv with everything (runtime, lab, cluster, pdf, dev locks)

pdf-deps: $(PDF) browser ## install what `halfyear report --pdf` needs (Playwright from pdf.lock, Chromium)

wheelhouse: ## download the wheels of every lock into WHEELHOUSE (for offline installs)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) download --quiet --quiet --only-binary :all: --require-hashes --no-deps \
	  -d $(WHEELHOUSE) $(foreach f,$(LOCKS),-r $(f))
	@echo "$(WHEELHOUSE): $$(ls $(WHEELHOUSE) | wc -l) wheels"

check-offline: env ## prove that the locks install from WHEELHOUSE alone (no index, no pip config) and the runtime lock alone writes a report
	@set -e; dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	$(PYTHON) -m venv "$$dir/venv"; \
	mkdir -p "$$dir/src/data"; cp -r pyproject.toml README.md analysis notebooks "$$dir/src"; \
	cp -r data/raw "$$dir/src/data"; \
	run="env -i PATH=$$dir/venv/bin:/usr/bin:/bin HOME=$$dir PIP_CONFIG_FILE=/dev/null"; \
	pip="$$run $$dir/venv/bin/python -m pip --disable-pip-version-check --quiet"; \
	locks="--no-index --find-links $(abspath $(WHEELHOUSE)) --require-hashes --no-deps"; \
	$$pip install $$locks -r $(LOCK_RUNTIME); \
	$$pip install --no-index --no-deps --no-build-isolation -e "$$dir/src" > /dev/null; \
	$$run python -m ipykernel install --sys-prefix --name python3 > /dev/null; \
	(cd "$$dir/src" && $$run halfyear clean > /dev/null && $$run halfyear report --lang zh > /dev/null); \
	ls "$$dir/src/reports/$(REGION)_$(PERIOD)_zh.html" > /dev/null; \
	echo "check-offline: $(LOCK_RUNTIME) installed from $(WHEELHOUSE) with --no-index, and it writes a report"; \
	$$pip install $$locks -r $(LOCK_RUNTIME) -r $(LOCK_LAB) -r $(LOCK_CLUSTER) -r $(LOCK_PDF) -r $(LOCK_DEV); \
	(cd "$$dir" && $$run python -c 'import jupyterlab, distributed, pytest, xdist, hypothesis, playwright'); \
	echo "check-offline: every lock installed from $(WHEELHOUSE) with --no-index"

$(PROCESSED): $(CLEAN_INPUTS) | $(RUNTIME)
	$(BIN)/halfyear clean

data: $(PROCESSED) ## clean data/raw into data/processed when an input changed (prints the reconciliation)

browser: ## install Debian's chromium for the browser test when it is missing
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
	    echo "installing Debian's chromium for the browser test (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; \
	  else \
	    echo "The browser test needs Chromium at $(CHROMIUM): run 'sudo apt-get install chromium'," \
	      "or set CHROMIUM=/path/to/chromium"; exit 1; \
	  fi; }

report: $(RUNTIME) data ## run the pipeline and write the default report (erqi 2019H1, zh and en) to reports/
	$(BIN)/halfyear report --region $(REGION) --period $(PERIOD) --lang zh --lang en

reports: $(RUNTIME) data ## run every report of the default grid in parallel, skipping those up to date (BATCH="--force ...")
	$(BIN)/halfyear batch $(BATCH)

backtest: $(RUNTIME) data ## backtest the projections of every real series with 4+ years, pooled per indicator (minutes)
	$(BIN)/halfyear backtest --pooled --min-folds 4 $(BACKTEST)

bench: $(DEV) data ## time the batch against a papermill loop and a plain script, and the library at scale (minutes)
	$(BIN)/python -m benchmarks.bench $(BENCH)

test: $(DEV) data browser ## run every test: lint, unit, doctests, notebook runs, browser check (TEST_JOBS=1: serial)
	$(BIN)/ruff check analysis tests notebooks benchmarks requirements
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest $(if $(filter-out 1,$(TEST_JOBS)),-n $(TEST_JOBS) --dist loadfile)

lint: $(DEV) ## ruff on the library, the tests and the notebooks
	$(BIN)/ruff check analysis tests notebooks benchmarks requirements
	$(BIN)/ruff format --check analysis tests

lab: $(LAB) data ## open JupyterLab on notebooks/ (as root too); LAB_ARGS="--port 8890 --no-browser"
	$(BIN)/jupyter lab notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

lock: $(RUNTIME) ## re-resolve requirements/*.lock from pyproject.toml (needs uv and the registry; maintainers)
	$(PIP) install --quiet uv && $(BIN)/python requirements/lock.py --uv $(BIN)/uv

clean: ## remove generated data and reports
	rm -rf data/processed/* data/processed/.generations data/processed/.lock reports/* reports/.cache && touch data/processed/.gitkeep reports/.gitkeep

distclean: clean ## also remove the virtual environment and the wheelhouse
	rm -rf $(VENV) $(WHEELHOUSE)
