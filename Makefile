# Puente: `make run` serves the web chat, `make test` runs the tests. Needs Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench check-content clean browser-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/puente db upgrade
	$(BIN)/puente content check
	$(BIN)/puente nlu train
	$(BIN)/puente serve

test: $(DEV_STAMP) browser-deps
	$(BIN)/pytest

# Browser tests drive Debian's chromium through Playwright (no downloaded browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not found: browser tests will be skipped (install Debian's chromium)"; fi; }

lint: $(DEV_STAMP)
	$(BIN)/ruff check bot nlu tests bench
	$(BIN)/mypy

# Benchmarks (figures printed and written to bench/results/). PostgreSQL too when
# PUENTE_TEST_DATABASE_URL names a server (a private schema / a database "bench" is used).
bench: $(DEV_STAMP)
	$(BIN)/puente nlu train >/dev/null
	$(BIN)/python bench/nlu.py
	$(BIN)/python bench/coldstart.py
	env -u PUENTE_TEST_DATABASE_URL $(BIN)/python bench/engine.py
	if [ -n "$$PUENTE_TEST_DATABASE_URL" ]; then $(BIN)/python bench/engine.py; fi
	$(BIN)/python bench/webhook.py --backend sqlite
	if [ -n "$$PUENTE_TEST_DATABASE_URL" ]; then $(BIN)/python bench/webhook.py --backend postgresql; fi
	$(BIN)/python bench/load.py --runs 3
	if [ -n "$$PUENTE_TEST_DATABASE_URL" ]; then $(BIN)/python bench/load.py --backends postgresql --answer after --requests 6000 --runs 3; fi

check-content: $(STAMP)
	$(BIN)/puente content check

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
