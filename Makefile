# PALS Desk: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Tests and checks need a key, but never a real one; `make run` writes a random key to .env instead.
TEST_ENV := DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-not-a-secret-only-for-tests}

.PHONY: run test check lint format deps serve demo-data clean bench

run: deps .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	$(PY) manage.py runserver $(HOST):$(PORT)

test: deps
	$(TEST_ENV) $(BIN)/pytest -n auto $(PYTEST_ARGS)

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		DJANGO_ALLOWED_HOSTS=pals.example.nhs.uk $(PY) manage.py check --deploy --fail-level WARNING

check: lint test

format: deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

deps: $(VENV)/.installed node_modules/.installed build/static/palsdesk/palsdesk.css

$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "PALS Desk needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/palsdesk/palsdesk.css: assets/scss/palsdesk.scss node_modules/.installed
	mkdir -p build/static/palsdesk
	npm run --silent build:css

.env:
	@printf '# Written by `make run` for local use only. Every variable is described in .env.example.\nDJANGO_DEBUG=true\nDJANGO_SECRET_KEY=%s\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Wrote .env with a new random DJANGO_SECRET_KEY and DJANGO_DEBUG=true."

clean:
	rm -rf $(VENV) node_modules build .pytest_cache .ruff_cache

# Times the working-day calendar against a day-by-day loop and prints a Markdown table (docs/performance.md).
# A benchmark, not a test: it never fails a build on a slow machine.
.PHONY: bench-calendar
bench-calendar: $(VENV)/.installed
	$(PY) bench/working_days.py

# The scale benchmark (docs/performance.md): a fresh PostgreSQL database of SIZE generated cases, served by gunicorn
# and measured over HTTP; it writes its table into docs/performance.md. REUSE=1 measures an existing one again.
SIZE ?= 100000
BENCH_ARGS ?=
bench: $(VENV)/.installed
	$(PY) bench/scale.py --size $(SIZE) $(if $(REUSE),--reuse) $(BENCH_ARGS)
