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

# Installs come only from the hashed locks (requirements*.lock, every package pinned with
# its hash, transitive ones too), generated from the readable requirements*.txt by `make lock`.
# INSTALLER=uv (default: uv from PyPI, pinned in requirements-uv.lock) or INSTALLER=pip.
INSTALLER ?= uv
# The oldest Python the locks resolve for (pymdown-extensions 13.1 needs 3.11.5).
LOCK_PYTHON := 3.11.5
# Test workers for pytest-xdist (`make test PYTEST_WORKERS=0` runs in one process).
PYTEST_WORKERS ?= auto

ifeq ($(INSTALLER),uv)
# uv needs no pip in the venv: skipping ensurepip saves about 3 s of a fresh setup.
VENV_FLAGS := --without-pip
INSTALL_DEPS := $(BIN)/uv
INSTALL := $(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes --no-build -r
else ifeq ($(INSTALLER),pip)
VENV_FLAGS :=
INSTALL_DEPS := $(BIN)/pip
INSTALL := $(BIN)/python -m pip install --quiet --require-hashes --no-deps --only-binary :all: -r
else
$(error INSTALLER is uv or pip, not '$(INSTALLER)')
endif
PIP_INSTALL_HASHED := install --quiet --require-hashes --no-deps --only-binary :all: -r

UV_COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version $(LOCK_PYTHON) \
	--generate-hashes --custom-compile-command "make lock"

$(BIN)/python:
	@$(PYTHON) scripts/check_python.py
	$(PYTHON) -m venv $(VENV_FLAGS) $(VENV) || { echo "Could not create $(VENV): on Debian or Ubuntu install python3-venv (sudo apt-get install python3-venv)." >&2; exit 1; }

# pip inside the venv (INSTALLER=pip, or a venv made without it).
$(BIN)/pip: | $(BIN)/python
	$(BIN)/python -m ensurepip --default-pip >/dev/null

# uv from PyPI (requirements-uv.lock), installed by the system's pip when it has one
# (pip >= 22.3 installs into another interpreter with --python), else by the venv's own.
$(BIN)/uv: requirements-uv.lock | $(BIN)/python
	if $(PYTHON) -m pip --python $(BIN)/python --version >/dev/null 2>&1; then \
		$(PYTHON) -m pip --python $(BIN)/python $(PIP_INSTALL_HASHED) requirements-uv.lock; \
	else \
		$(MAKE) --no-print-directory $(BIN)/pip VENV=$(VENV); \
		$(BIN)/python -m pip $(PIP_INSTALL_HASHED) requirements-uv.lock; \
	fi
	@touch $@

$(VENV)/.site-installed: requirements.lock | $(BIN)/python $(INSTALL_DEPS)
	$(INSTALL) requirements.lock
	@touch $@

$(VENV)/.dev-installed: requirements-dev.lock | $(BIN)/python $(INSTALL_DEPS)
	$(INSTALL) requirements-dev.lock
	@touch $@ $(VENV)/.site-installed

.PHONY: venv
venv: $(VENV)/.site-installed ## Create .venv with the site requirements, from the hashed lock

.PHONY: site
site: wordlists $(VENV)/.site-installed lint-data ## Strict build into site/, with the PDF and the offline zip inside it
	@$(BIN)/python scripts/check_system.py
	ENABLE_PDF_EXPORT=1 $(BIN)/mkdocs build --strict --site-dir site
	$(BIN)/python scripts/build_offline.py --zip site/downloads/ivig-guide-offline.zip
	@echo "Site: site/index.html   PDF: site/pdf/ivig-guide.pdf   Offline: site/downloads/ivig-guide-offline.zip"

.PHONY: serve
serve: wordlists $(VENV)/.site-installed lint-data ## Preview on http://127.0.0.1:8000/ with live reload (no PDF)
	SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

.PHONY: offline
offline: wordlists $(VENV)/.site-installed lint-data ## Only the copy that works from file://, zipped into site/downloads/
	@$(BIN)/python scripts/check_system.py
	$(BIN)/python scripts/build_offline.py

.PHONY: chromium
chromium: ## Make sure Debian's chromium is there for the browser tests (installs it as root or with sudo -n)
	@bash scripts/ensure-chromium.sh

.PHONY: wordlists
wordlists: ## Make sure the lint's Hunspell word lists (en-med, en-us) are there (as root or with sudo -n)
	@bash scripts/ensure-wordlists.sh

.PHONY: lint-data
lint-data: wordlists $(VENV)/.site-installed ## Build the lint's word set and parsed rules into the venv once (no lint run then builds them)
	@$(BIN)/python scripts/build_lint_data.py

.PHONY: test
test: chromium wordlists $(VENV)/.dev-installed lint-data ## Run ruff, the workflow checks and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(BIN)/python scripts/check_system.py
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest --numprocesses $(PYTEST_WORKERS) --dist loadgroup

.PHONY: lock
lock: $(BIN)/uv ## Regenerate the hashed locks from requirements*.txt (PyPI only; keeps other pins)
	$(UV_COMPILE) $(LOCK_FLAGS) requirements-dev.txt -o requirements-dev.lock
	$(UV_COMPILE) $(LOCK_FLAGS) -c requirements-dev.lock requirements.txt -o requirements.lock
	$(UV_COMPILE) $(LOCK_FLAGS) requirements-uv.txt -o requirements-uv.lock

.PHONY: lock-upgrade
lock-upgrade: ## Like `make lock`, and move every unpinned (transitive) package to its newest release
	$(MAKE) lock LOCK_FLAGS=--upgrade

.PHONY: lint
lint: wordlists $(VENV)/.dev-installed lint-data ## Run the project's own checkers on the real content
	$(BIN)/python hooks/checkers.py

.PHONY: bench
bench: $(VENV)/.dev-installed ## Run the benchmarks in bench/ and print the ratios
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

.PHONY: clean
clean: ## Remove the built site and caches (keeps .venv)
	rm -rf site site-offline dist .pytest_cache .ruff_cache test-artifacts

.PHONY: help
help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-13s %s\n", $$1, $$2}'
