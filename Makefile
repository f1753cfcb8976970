# Quick start: `make run` (serve the demo) and `make test` (whole suite, SQLite then PostgreSQL).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: install install-dev run serve test test-sqlite test-postgres bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e .
	@touch $@

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

run: install
	$(BIN)/getpower migrate --noinput
	$(BIN)/getpower calendar sync
	$(BIN)/getpower policy load
	$(BIN)/getpower collectstatic --noinput -v 0
	$(BIN)/getpower demo load
	$(BIN)/getpower bootstrap
	$(BIN)/getpower runserver $(HOST):$(PORT)

test: install-dev test-sqlite test-postgres

test-sqlite: install-dev
	@echo "== suite on SQLite =="
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# The PostgreSQL pass is skipped only when no server answers, and says so.
test-postgres: install-dev
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== suite on PostgreSQL ($(PG_URL)) =="; \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 $(PYTEST_ARGS); \
	else \
		echo "== PostgreSQL pass SKIPPED: no server answers at $(PG_URL) =="; \
	fi

bench: install-dev
	$(BIN)/python bench/deadlines.py

clean:
	rm -rf $(VENV) var build .pytest_cache .hypothesis
