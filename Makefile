# Quick start: `make run` (serve the demo) and `make test` (whole suite, SQLite then PostgreSQL).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: install install-dev browser system-deps run serve lint test test-sqlite test-postgres bench bench-api bench-indicators clean locale

install: $(VENV)/.installed $(CHART_JS) $(SWAGGER_UI)

# Chart.js from the npm registry, served as a static file (no CDN at run time).
CHART_JS_VERSION = 4.4.7
CHART_JS = outages/static/outages/vendor/chart.umd.js
$(CHART_JS):
	@mkdir -p $(dir $@) build/npm
	cd build/npm && npm pack --silent chart.js@$(CHART_JS_VERSION) >/dev/null
	tar -xzf build/npm/chart.js-$(CHART_JS_VERSION).tgz -C build/npm package/dist/chart.umd.js package/LICENSE.md
	cp build/npm/package/dist/chart.umd.js $@
	cp build/npm/package/LICENSE.md $(dir $@)chart.js-LICENSE.md

# Swagger UI for /api/v1/docs, the same way: a static file of ours, so the docs work offline.
SWAGGER_UI_VERSION = 5.17.14
SWAGGER_UI_DIR = core/static/core/vendor/swagger-ui
SWAGGER_UI = $(SWAGGER_UI_DIR)/swagger-ui-bundle.js
$(SWAGGER_UI):
	@mkdir -p $(SWAGGER_UI_DIR) build/npm
	cd build/npm && npm pack --silent swagger-ui-dist@$(SWAGGER_UI_VERSION) >/dev/null
	tar -xzf build/npm/swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz -C build/npm \
		package/swagger-ui-bundle.js package/swagger-ui.css package/LICENSE
	cp build/npm/package/swagger-ui.css build/npm/package/swagger-ui-bundle.js $(SWAGGER_UI_DIR)/
	cp build/npm/package/LICENSE $(SWAGGER_UI_DIR)/swagger-ui-LICENSE

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e .
	@touch $@

install-dev: $(VENV)/.installed-dev $(CHART_JS) $(SWAGGER_UI)

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

# The demo is plain http on the loopback address (GETPOWER_HTTPS=0); keys are generated into
# var/local-keys.json on the first run. `serve` also runs the task consumer (periodic sweeps).
run: export GETPOWER_HTTPS ?= 0
run: install system-deps
	$(BIN)/getpower migrate --noinput
	$(BIN)/getpower collectstatic --noinput -v 0
	$(BIN)/getpower demo load
	$(BIN)/getpower bootstrap --host http://$(HOST):$(PORT)
	$(BIN)/getpower serve --host $(HOST) --port $(PORT)

# Browser tests drive Debian's chromium through Playwright (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# Contract and invoice PDFs: WeasyPrint needs Pango, and Chinese text needs a CJK font.
# poppler-utils: pdftoppm renders report pages to PNG, to look at them (monitoring/tests/test_report_pages.py).
system-deps:
	@(dpkg -s libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null 2>&1 && fc-list :lang=zh | grep -q .) || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
		fonts-noto-cjk poppler-utils >/dev/null)

lint: install-dev
	$(BIN)/ruff check .

test: install-dev browser system-deps lint test-sqlite test-postgres

test-sqlite: install-dev browser system-deps
	@echo "== suite on SQLite =="
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# The PostgreSQL pass is skipped only when no server answers, and says so.
test-postgres: install-dev browser system-deps
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== suite on PostgreSQL ($(PG_URL)) =="; \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS); \
	else \
		echo "== PostgreSQL pass SKIPPED: no server answers at $(PG_URL) =="; \
	fi

bench: install-dev
	$(BIN)/python bench/deadlines.py

# Monthly indicators for a year from the database vs pandas groupby (issue 13): N=1000000 for the full run.
bench-indicators: install-dev
	$(BIN)/python bench/indicators.py --applications $(or $(N),20000)

# The API under `getpower serve` (4 workers) vs a bare Django JSON view, on PostgreSQL
# (a database of its own, dropped and re-created: BENCH_DATABASE_URL).
bench-api: install-dev
	$(BIN)/python bench/api.py

clean:
	rm -rf $(VENV) var build .pytest_cache .hypothesis

# Our own Chinese for messages Django's catalogue lacks (locale/); the compiled .mo is committed.
locale:
	msgfmt -o locale/zh_Hans/LC_MESSAGES/django.mo locale/zh_Hans/LC_MESSAGES/django.po
