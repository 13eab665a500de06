# kinerja — front door. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCENARIO ?= params/baseline.yaml
EXPORT ?= data/examples/penilaian_perilaku_sintetis.csv
NAME ?= scullen2005

.PHONY: help setup browser run test test-fast rules calibrate robustness example estimate bench validate clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the package with its dev tools

browser: ## Install Debian's chromium for the browser tests when it is missing (Playwright drives it)
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  echo "installing Debian's chromium for the browser tests"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends chromium fonts-dejavu-core >/dev/null; }

run: setup ## Set up and run the main job on SCENARIO (default params/baseline.yaml)
	$(BIN)/kinerja run $(SCENARIO)

test: setup browser ## Set up and run the whole test suite (rule cases and browser tests included)
	$(BIN)/python -m pytest -n 2 -q

test-fast: setup ## Run the tests not marked slow
	$(BIN)/python -m pytest -n 2 -q -m "not slow"

rules: setup ## Run the shipped rule cases (regulation worked examples)
	$(BIN)/kinerja test-rules tests/rules/*.yaml

calibrate: setup ## Print the calibration table for SCENARIO
	$(BIN)/kinerja calibrate $(SCENARIO)

robustness: setup ## Re-check every regional claim at 20 other seeds and rewrite the shipped table
	$(BIN)/python -m simulate.regions.robustness

example: setup ## Re-make the synthetic appraisal export in data/examples/ (for kinerja estimate)
	$(BIN)/python -m simulate.estimate.example

estimate: setup ## Estimate rater effects from EXPORT (default: the shipped synthetic export)
	$(BIN)/kinerja estimate $(EXPORT)

.PHONY: classic
classic: setup ## Run a classic simulation and print its table: NAME=scullen2005 (martell1996, stack_ranking, ..._id)
	$(BIN)/kinerja classic $(NAME)

validate: setup ## Validate every scenario file under params/
	@for f in $$(find params -name '*.yaml' | sort); do $(BIN)/kinerja validate $$f || exit 1; done

bench: setup ## Run the benchmarks and print their figures (speed, memory)
	$(BIN)/python benchmarks/run.py

clean: ## Remove the virtual environment and caches (never reports/)
	rm -rf $(VENV) .pytest_cache .hypothesis build dist
