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
TEST_WORKERS ?= auto

.PHONY: install node vendor run serve collectstatic migrate fixtures verify test lint lighthouse bench messages superuser backup restore release clean

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
vendor: install $(NODE_STAMP)
	mkdir -p $(PLOTLY_DIR)
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js $(PLOTLY_DIR)/
	cp node_modules/plotly.js-basic-dist-min/LICENSE $(PLOTLY_DIR)/LICENSE-plotly.js-basic-dist-min.txt
	cp node_modules/plotly.js-locales/LICENSE $(PLOTLY_DIR)/LICENSE-plotly.js-locales.txt
	{ printf '$(LOCALE_HEAD)' "$$(node -p 'require("plotly.js-locales/package.json").version')"; \
	  cat node_modules/plotly.js-locales/zh-cn.js; printf '$(LOCALE_TAIL)'; } > $(PLOTLY_DIR)/plotly-locale-zh-cn.js
	$(BIN)/python -m csrsite.vendor > $(PLOTLY_DIR)/plotly.css

# Local development: debug on, SQLite in the project folder unless DATABASE_URL is set.
run: export DJANGO_DEBUG ?= 1
run: fixtures
	$(MANAGE) runserver $(HOST):$(PORT)

# The production stack on this machine: debug off, hashed and compressed static files served by
# WhiteNoise, gunicorn with gunicorn.conf.py. Needs DJANGO_SECRET_KEY (and DATABASE_URL for
# PostgreSQL); plain http here, so the https redirect is off unless asked for.
serve: export DJANGO_SECURE_SSL_REDIRECT ?= 0
serve: export GUNICORN_BIND ?= $(HOST):$(PORT)
serve: install
	@test -n "$$DJANGO_SECRET_KEY" || { echo 'make serve needs DJANGO_SECRET_KEY, e.g. export DJANGO_SECRET_KEY="$$(python3 -c "import secrets; print(secrets.token_urlsafe(50))")"'; exit 1; }
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(MANAGE) migrate --no-input
	$(BIN)/gunicorn -c gunicorn.conf.py

migrate: export DJANGO_DEBUG ?= 1
migrate: install
	$(MANAGE) migrate --no-input

fixtures: export DJANGO_DEBUG ?= 1
fixtures: migrate
	$(MANAGE) load_curated $(FIXTURES)

# Check every figure against the source documents (SEEDS=folder to use another copy).
verify: export DJANGO_DEBUG ?= 1
verify: fixtures
	$(MANAGE) verify_sources $(SEEDS)

# A backup of the database to backups/ (or FILE=path.json.gz); see `manage.py backup --help`.
backup: export DJANGO_DEBUG ?= 1
backup: install
	$(MANAGE) backup $(if $(FILE),--output "$(FILE)")

# Load a backup into a new, empty database: make restore FILE=backups/casebook-….json.gz
restore: export DJANGO_DEBUG ?= 1
restore: install
	@test -n "$(FILE)" || { echo 'Name the backup: make restore FILE=backups/casebook-YYYYmmdd-HHMMSS.json.gz' >&2; exit 2; }
	$(MANAGE) migrate --no-input
	$(MANAGE) restore "$(FILE)"

# A data release of the public data in releases/VERSION/ (see `manage.py release --help`):
# make release VERSION=1.1.0 NOTES="What it brings."
release: export DJANGO_DEBUG ?= 1
release: install
	@test -n "$(VERSION)" || { echo 'Name the version: make release VERSION=1.2.0' >&2; exit 2; }
	$(MANAGE) release "$(VERSION)" $(if $(NOTES),--notes "$(NOTES)") $(if $(NOTES_ZH),--notes-zh "$(NOTES_ZH)")

# `make superuser NAME=li`: the account, then its two-factor set-up opened for its first sign-in.
NAME ?= admin
superuser: export DJANGO_DEBUG ?= 1
superuser: migrate
	$(MANAGE) createsuperuser --username "$(NAME)"
	$(MANAGE) reset_two_factor "$(NAME)"

# Tests run with debug off, as production does; the key below exists only for them.
test: export DJANGO_SECRET_KEY ?= insecure-key-for-the-test-suite-only
# The browser tests' live server answers from threads; closing each request's connection lets
# PostgreSQL drop the test database at the end.
test: export DATABASE_CONN_MAX_AGE ?= 0
# The test client and live server speak plain http; the redirect itself is tested on its own.
test: export DJANGO_SECURE_SSL_REDIRECT ?= 0
# One worker per core; a module's tests stay on one worker, so its data is loaded once.
# PYTEST_ARGS passes more options, e.g. PYTEST_ARGS='-m "not browser"'.
test: install node
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --durations=20 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Lighthouse (mobile) on the production stack with the curated data: home, case list, a case,
# compare and the index; fails below performance 95, 100 elsewhere, or CLS 0.1 (bench/lighthouse.py).
# Needs PostgreSQL, Redis, Chromium and npm, which installs Lighthouse into .lighthouse/.
lighthouse: install
	$(BIN)/python bench/lighthouse.py

# Speed on the production stack, per page and API endpoint, with the curated data (1x) and with
# 10,000 cases (10k, grown by bench/synthetic.py): queries, cold and loaded latency against the
# framework's floor, memory, and Datasette at 1x. `make bench SIZES=1x` for one size. Results
# in bench/results/; needs PostgreSQL, Redis and wrk (else Python threads) (bench/run.py).
bench: install
	$(BIN)/python bench/run.py $(if $(SIZES),--size $(SIZES))

# Needs GNU gettext; the compiled .mo files are committed so that users do not need it.
messages: export DJANGO_DEBUG ?= 1
messages: install
	$(MANAGE) makemessages --locale zh_Hans --no-obsolete --add-location file --ignore ".venv/*" --ignore "node_modules/*" --ignore "tests/*"
	$(MANAGE) compilemessages --locale zh_Hans

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
