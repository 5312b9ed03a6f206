# Co-responsibility portal. `make run` serves the demo; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app portal
PORTAL_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
CATALOGS := portal/translations

.PHONY: run install install-test translations messages lint-imports test test-postgres fuzz e2e bench bench-data bench-pages bench-throughput bench-opendata backup clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-app
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed-app translations

install-test: $(VENV)/.installed-test translations

## Compile the .po catalogs into the .mo files the portal reads (they are not committed).
translations: $(VENV)/.installed-app
	$(BIN)/pybabel -q compile -d $(CATALOGS)

## Extract the strings to translate and merge them into the catalogs (after changing texts).
messages: $(VENV)/.installed-app
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.* node_modules' -o messages.pot --no-location --sort-output .
	$(BIN)/pybabel -q update -i messages.pot -d $(CATALOGS) --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python -m portal.core.english_catalog $(CATALOGS)/en/LC_MESSAGES/messages.po

## Set up, migrate, load the demo on first run, and serve on http://127.0.0.1:$(PORT)
run: install
	PORTAL_ENVIRONMENT=development $(FLASK) db upgrade
	PORTAL_ENVIRONMENT=development $(FLASK) demo --if-empty
	@echo "Demo accounts: see README (password: tegucigalpa-demo-2026)."
	PORTAL_ENVIRONMENT=development $(FLASK) run --host 127.0.0.1 --port $(PORT)

## The architecture contract (imports run one way; layers in pyproject.toml)
lint-imports: install-test
	$(BIN)/lint-imports --no-cache

## The architecture contract, then the whole suite on SQLite
test: lint-imports
	PORTAL_TEST_DB=sqlite $(BIN)/pytest tests --ignore=tests/e2e -q

## The same suite on PostgreSQL (PORTAL_TEST_DATABASE_URL)
test-postgres: install-test
	PORTAL_TEST_DB=postgresql PORTAL_TEST_DATABASE_URL=$(PORTAL_TEST_DATABASE_URL) $(BIN)/pytest tests --ignore=tests/e2e -q

## The fuzz suite at length on SQLite (PORTAL_TEST_DB=postgresql for PostgreSQL); PORTAL_FUZZ_EXAMPLES sets examples per form
fuzz: install-test
	PORTAL_FUZZ=long PORTAL_TEST_DB=$${PORTAL_TEST_DB:-sqlite} PORTAL_TEST_DATABASE_URL=$(PORTAL_TEST_DATABASE_URL) $(BIN)/pytest tests/fuzz -q -p no:logging

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

## Browser tests (Debian chromium, Playwright, axe-core, Nu HTML checker)
e2e: install-test node_modules/.installed
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || { echo "chromium is missing: apt-get install -y chromium"; exit 1; }
	CHROMIUM_REQUIRED=1 $(BIN)/pytest tests/e2e -q

## Concurrency benchmark: 16 clients posting progress updates for 30 s under gunicorn (see bench/README.md)
bench: install-test
	$(BIN)/python bench/concurrent_updates.py

## Public pages at scale (see bench/README.md): BENCH_DB is a SQLite path or a PostgreSQL URL (emptied by bench-data!)
BENCH_DB ?= /tmp/portal-bench/big.sqlite3
BENCH_SCALE ?= 1

## Fill BENCH_DB with the generated data set (BENCH_SCALE=0.01 for a quick one)
bench-data: install-test
	$(BIN)/python bench/generate.py $(BENCH_DB) --scale $(BENCH_SCALE)

## Server time, SQL statements and HTML size of every public page, without and with the page cache
bench-pages: install-test
	$(BIN)/python bench/public_pages.py $(BENCH_DB) --cache off
	$(BIN)/python bench/public_pages.py $(BENCH_DB) --cache on

## Requests/s of the home and a country page beside a hello route, gunicorn 2 workers, wrk 16 connections
bench-throughput: install-test
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
	$(BIN)/python bench/throughput.py $(BENCH_DB) --cache on
	$(BIN)/python bench/throughput.py $(BENCH_DB) --cache off

## The API's first and deep page, and the full CSV/XLSX/IATI exports: time and memory growth
bench-opendata: install-test
	$(BIN)/python bench/opendata.py $(BENCH_DB)

## One archive (database, uploads, manifest) in instance/backups; the oldest beyond BACKUP_KEEP are deleted
backup: install
	$(FLASK) backup

clean:
	rm -rf $(VENV) node_modules .pytest_cache
