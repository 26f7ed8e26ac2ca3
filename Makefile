# asyncfit: every set-up step lives here, so a fresh clone needs only `make serve` or `make test`.
# Targets are idempotent: re-running them after a change rebuilds what changed and nothing else.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
# Site generator for `make build` / `make serve`: mkdocs (default) or zensical (docs/building.md).
ENGINE ?= mkdocs
ZVENV  := .venv-zensical
ZBIN   := $(ZVENV)/bin

PY_STAMP   := $(VENV)/.installed
ZPY_STAMP  := $(ZVENV)/.installed
NODE_STAMP := node_modules/.installed
VENDOR_STAMP := docs/vendor/.stamp

.PHONY: serve build test lint bench bench-quality chromium clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(PY_STAMP): requirements.txt pyproject.toml tools/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e . -e tools
	touch $@

# Zensical gets its own venv: the same pinned requirements plus the engine (requirements-zensical.txt).
$(ZPY_STAMP): requirements.txt requirements-zensical.txt pyproject.toml tools/pyproject.toml
	$(PYTHON) -m venv $(ZVENV)
	$(ZBIN)/pip install --quiet --disable-pip-version-check -r requirements-zensical.txt
	$(ZBIN)/pip install --quiet --disable-pip-version-check --no-deps -e . -e tools
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Self-hosted front-end files (Pyodide, editor, the wizard's wheel and decision table) in docs/vendor/ (git-ignored).
$(VENDOR_STAMP): $(PY_STAMP) $(NODE_STAMP) tools/vendor.py tools/precompile_stdlib.mjs docs/assets/runner/worker.js tools/asyncfit_docs/wizard_table.py $(shell find wizard snippets/patterns -name '*.py' -o -name '*.toml' -o -name '*.json' 2>/dev/null)
	$(BIN)/python tools/vendor.py
	touch $@

ifeq ($(ENGINE),mkdocs)
build: $(VENDOR_STAMP)  ## build the site into site/ (strict; ENGINE=zensical for Zensical)
	$(BIN)/mkdocs build --strict
	$(BIN)/python -m asyncfit_docs.browser_share site

serve: $(VENDOR_STAMP)  ## build and serve the site on http://127.0.0.1:8000 (ENGINE=zensical for Zensical)
	$(BIN)/mkdocs serve --strict --dev-addr $(HOST)
else ifeq ($(ENGINE),zensical)
# --clean drops Zensical's build cache (.cache/), so every build-time example runs again, as with MkDocs.
build: $(VENDOR_STAMP) $(ZPY_STAMP)
	$(ZBIN)/zensical build --strict --clean
	$(ZBIN)/python -m asyncfit_docs.browser_share site

# `zensical serve` has no strict mode (it says so); `make build ENGINE=zensical` is the strict check.
serve: $(VENDOR_STAMP) $(ZPY_STAMP)
	$(ZBIN)/zensical serve --dev-addr $(HOST)
else
$(error ENGINE must be mkdocs or zensical, not '$(ENGINE)')
endif

chromium:  ## make sure a Chromium for the browser tests exists (Debian package when none is found)
	@$(BIN)/python tools/find_chromium.py >/dev/null 2>&1 || { \
	  echo "No Chromium found: installing Debian's chromium package"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@$(BIN)/python tools/find_chromium.py

lint: $(PY_STAMP)  ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Two worker processes (pytest-xdist): a browser test often waits (on a page, a worker, a timer) while the other
# core idles, so two at a time finish sooner on these 2-core machines. The builds are shared (tests/conftest.py).
# --durations lists the slowest tests at the end: the whole run must stay under 30 minutes here.
TEST_WORKERS ?= 2

test: $(VENDOR_STAMP) $(ZPY_STAMP) chromium lint  ## install everything the tests need and run them all
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --durations=15

bench: $(VENDOR_STAMP) chromium  ## runnable examples vs the previous release (BASELINE=<git rev>) and markdown-exec, loopback and throttled: table + docs/performance-results.json
	$(BIN)/python tools/bench_runner.py $(if $(BASELINE),--baseline $(BASELINE)) $(if $(REPEAT),--repeat $(REPEAT))

bench-quality: $(VENDOR_STAMP) chromium  ## build time, page bytes, Lighthouse scores: table + docs/quality-results.json
	$(BIN)/python tools/bench_quality.py

clean:  ## remove build output (keeps the venv and node_modules)
	rm -rf site docs/vendor build dist .pytest_cache
