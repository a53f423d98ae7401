# The IVIG guide: one task runner, the same targets locally and in CI.
# `make help` lists the targets (from the ## comments).

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Material 9.8 prints an end-of-life notice on every build; it is known and tracked.
export NO_MKDOCS_2_WARNING := 1

$(BIN)/python:
	@$(PYTHON) scripts/check_python.py
	$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): on Debian or Ubuntu install python3-venv (sudo apt-get install python3-venv)." >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.site-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.site-installed

.PHONY: venv
venv: $(VENV)/.site-installed ## Create .venv with the pinned runtime requirements

.PHONY: site
site: $(VENV)/.site-installed ## Strict build into site/, with the PDF and the offline zip inside it
	@$(BIN)/python scripts/check_system.py
	ENABLE_PDF_EXPORT=1 $(BIN)/mkdocs build --strict --site-dir site
	$(BIN)/python scripts/build_offline.py --zip site/downloads/ivig-guide-offline.zip
	@echo "Site: site/index.html   PDF: site/pdf/ivig-guide.pdf   Offline: site/downloads/ivig-guide-offline.zip"

.PHONY: serve
serve: $(VENV)/.site-installed ## Preview on http://127.0.0.1:8000/ with live reload (no PDF)
	SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

.PHONY: offline
offline: $(VENV)/.site-installed ## Only the copy that works from file://, zipped into site/downloads/
	@$(BIN)/python scripts/check_system.py
	$(BIN)/python scripts/build_offline.py

.PHONY: chromium
chromium: ## Make sure Debian's chromium is there for the browser tests (installs it as root or with sudo -n)
	@bash scripts/ensure-chromium.sh

.PHONY: test
test: chromium $(VENV)/.dev-installed ## Run ruff, the workflow checks and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(BIN)/python scripts/check_system.py
	$(BIN)/python -m pytest

.PHONY: lint
lint: $(VENV)/.dev-installed ## Run the project's own checkers on the real content
	$(BIN)/python hooks/doi_check.py
	$(BIN)/python hooks/medical_terms.py docs

.PHONY: bench
bench: $(VENV)/.dev-installed ## Run the benchmarks in bench/ and print the ratios
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

.PHONY: clean
clean: ## Remove the built site and caches (keeps .venv)
	rm -rf site site-offline dist .pytest_cache .ruff_cache test-artifacts

.PHONY: help
help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'
