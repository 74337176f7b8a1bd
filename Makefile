# CSI Casebook: `make run` to try it, `make test` to check it. Needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
# axe-core for the browser tests' accessibility checks; without npm those checks skip.
NPM := $(shell command -v npm 2>/dev/null)
NODE_STAMP := node_modules/.installed
FIXTURES := $(sort $(wildcard fixtures/*.json))
SEEDS ?= ../shared/seeds
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install node run migrate fixtures verify test lint messages superuser clean

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
