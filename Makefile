# 军休服务助手 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CI ?=
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
## pytest-xdist workers per database run: each has its own SQLite file, or its own PostgreSQL
## database (<name>_gw0, <name>_gw1 …), its own Redis key prefix and its own loopback ports.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -p no:cacheprovider -n $(PYTEST_WORKERS) --dist worksteal

## Python may write its bytecode caches (some shells set PYTHONDONTWRITEBYTECODE): without them
## every pytest worker re-does the assertion rewriting of ~150 test modules (~3.5 s a worker a
## run) and every server subprocess compiles again. __pycache__/ is in .gitignore.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install run test test-sqlite test-pg test-miniprogram lint format bench browser-deps screenshots clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## make run: fresh clone → migrated SQLite under var/, demo data, bot index, server on :8000
## (another port: PORT=8100 make run)
run: install
	@mkdir -p var
	$(BIN)/junxiu migrate
	$(BIN)/junxiu demo
	@if [ -d bot ] && [ -f bot/__main__.py ]; then $(BIN)/python -m bot build --out var/bot_index.pkl; fi
	$(BIN)/junxiu serve

## Debian's Chromium for the console tests (Playwright drives it; no browser download)
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) \
	      || { echo "chromium could not be installed"; [ "$(CI)" != "true" ] || exit 1; }; \
	  else echo "chromium missing: install Debian's chromium to run the console tests"; fi; \
	fi

## make screenshots: every mini-program page and state, from the demo server's recorded answers,
## at WeChat's standard and largest font → var/screens/<font>/<page>-<state>.png, sheet-<font>.png
screenshots: install browser-deps
	cd miniprogram_stub && npm ci --no-audit --no-fund --loglevel=error
	PYTHONPATH=$(CURDIR) $(BIN)/python -m tests.miniprogram.screens

## the habits: ruff (lint, complexity ≤ 12), the formatting, mypy at 0 errors (pyproject.toml)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make test: lint, the suite on SQLite + in-process cache, then on PostgreSQL + Redis
## (when TEST_DATABASE_URL/TEST_REDIS_URL are set, and always under CI=true).
test: install browser-deps
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-miniprogram
	$(MAKE) --no-print-directory test-sqlite
	@if [ "$(CI)" = "true" ] || [ -n "$$TEST_DATABASE_URL" ]; then \
	  $(MAKE) --no-print-directory test-pg; \
	else echo "(PostgreSQL + Redis run skipped: set TEST_DATABASE_URL and TEST_REDIS_URL, or CI=true)"; fi

## the mini-program's pages in WeChat's simulator (jest + miniprogram-simulate), from the lock file
test-miniprogram:
	@if command -v node >/dev/null 2>&1; then \
	  cd miniprogram_stub && npm ci --no-audit --no-fund --loglevel=error && npx jest --ci; \
	else echo "node missing: the mini-program tests need Node 18+"; [ "$(CI)" != "true" ] || exit 1; fi

test-sqlite: install
	env -u TEST_DATABASE_URL -u TEST_REDIS_URL $(PYTEST)

## Only the tests that reach the database or the cache, and not the browser tests: those run once,
## in the SQLite run (tests/conftest.py says why).
test-pg: install
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-$(PG_URL)} TEST_REDIS_URL=$${TEST_REDIS_URL:-$(REDIS_TEST_URL)} \
	  JUNXIU_SERVICE_TESTS_ONLY=1 $(PYTEST)

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
