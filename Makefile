# CSI Casebook: `make run` to try it, `make test` to check it. Needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
# axe-core for the browser tests' accessibility checks; without npm those checks skip.
NPM := $(shell command -v npm 2>/dev/null)
NODE_STAMP := node_modules/.installed
# plotly.js-locales ships CommonJS only; `make vendor` wraps zh-cn.js so that it registers itself.
PLOTLY_DIR := static/vendor/plotly
LOCALE_HEAD := // plotly.js-locales %s zh-cn.js, wrapped by `make vendor` to register with Plotly.\n(function () {\nvar module = {exports: {}};\n
LOCALE_TAIL := if (window.Plotly) window.Plotly.register(module.exports);\nelse (window.PlotlyLocales = window.PlotlyLocales || []).push(module.exports);\n})();\n
FIXTURES := $(sort $(wildcard fixtures/*.json))
SEEDS ?= ../shared/seeds
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install node vendor run migrate fixtures verify test lint messages superuser clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CSI Casebook needs Python 3.11 or newer; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

node: $(if $(NPM),$(NODE_STAMP))

$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

# Refresh the committed plotly.js files in static/vendor/plotly after a version bump in package.json.
vendor: $(NODE_STAMP)
	mkdir -p $(PLOTLY_DIR)
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js $(PLOTLY_DIR)/
	cp node_modules/plotly.js-basic-dist-min/LICENSE $(PLOTLY_DIR)/LICENSE-plotly.js-basic-dist-min.txt
	cp node_modules/plotly.js-locales/LICENSE $(PLOTLY_DIR)/LICENSE-plotly.js-locales.txt
	{ printf '$(LOCALE_HEAD)' "$$(node -p 'require("plotly.js-locales/package.json").version')"; \
	  cat node_modules/plotly.js-locales/zh-cn.js; printf '$(LOCALE_TAIL)'; } > $(PLOTLY_DIR)/plotly-locale-zh-cn.js

# Local development: debug on, SQLite in the project folder unless DATABASE_URL is set.
run: export DJANGO_DEBUG ?= 1
run: fixtures
	$(MANAGE) runserver $(HOST):$(PORT)

migrate: export DJANGO_DEBUG ?= 1
migrate: install
	$(MANAGE) migrate --no-input

fixtures: export DJANGO_DEBUG ?= 1
fixtures: migrate
	$(MANAGE) loaddata $(FIXTURES)

# Check every figure against the source documents (SEEDS=folder to use another copy).
verify: export DJANGO_DEBUG ?= 1
verify: fixtures
	$(MANAGE) verify_sources $(SEEDS)

superuser: export DJANGO_DEBUG ?= 1
superuser: migrate
	$(MANAGE) createsuperuser

# Tests run with debug off, as production does; the key below exists only for them.
test: export DJANGO_SECRET_KEY ?= insecure-key-for-the-test-suite-only
# The browser tests' live server answers from threads; closing each request's connection lets
# PostgreSQL drop the test database at the end.
test: export DATABASE_CONN_MAX_AGE ?= 0
test: install node
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Needs GNU gettext; the compiled .mo files are committed so that users do not need it.
messages: export DJANGO_DEBUG ?= 1
messages: install
	$(MANAGE) makemessages --locale zh_Hans --no-obsolete --add-location file --ignore ".venv/*" --ignore "node_modules/*" --ignore "tests/*"
	$(MANAGE) compilemessages --locale zh_Hans

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
