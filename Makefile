# CareAtlas: the doors in. `make run` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PROVIDERS ?= 2000
# The issue's scale is 1,000,000 (about 7 minutes to seed and index); make bench BENCH_PROVIDERS=1000000
BENCH_PROVIDERS ?= 100000

.PHONY: run test lint format bench serve install clean messages lock audit cluster

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"

# Every package, direct or not, comes from requirements.lock at a pinned version whose hash
# must match (make lock writes it from pyproject.toml); the project itself is added on top.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Re-resolve the lock after editing pyproject.toml's pins (uv only resolves; pip installs).
lock:
	$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --user uv
	$(PYTHON) -m uv pip compile pyproject.toml --group dev --generate-hashes --universal \
		--python-version 3.11 --quiet -o requirements.lock

# Known vulnerabilities in the locked packages (asks the PyPI advisory database).
audit: install
	$(BIN)/python -m pip install --quiet pip-audit
	$(BIN)/pip-audit --strict --require-hashes --disable-pip -r requirements.lock

# Front-end packages (Leaflet for maps, axe-core for accessibility tests). Without npm the
# site still runs (every page works without JavaScript); browser tests then skip locally.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && touch node_modules/.installed; \
	else \
		echo "npm not found: skipping front-end packages (maps and browser tests need them)"; \
	fi

install: $(STAMP) node_modules/.installed

run: install
	CAREATLAS_ENV=development $(BIN)/python manage.py migrate --noinput
	CAREATLAS_ENV=development $(BIN)/python manage.py load_content
	CAREATLAS_ENV=development $(BIN)/python manage.py seed_demo_providers --count $(DEMO_PROVIDERS) --seed 1 --demo-offices 3
	@# The task worker (sends email) runs beside the web server; Ctrl-C stops both, and if the
	@# server stops on its own the trap stops the worker. No autoreload for the worker: a
	@# reloader's child would outlive `kill`; restart `make run` after changing a task.
	@CAREATLAS_ENV=development $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	CAREATLAS_ENV=development $(BIN)/python manage.py runserver $(HOST):$(PORT)

# pytest-xdist workers ("auto": one per core), each handed whole files so that a module's
# fixtures are built once; PYTEST_MARKS picks tests by marker (.ci/run, docs/testing.md).
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(if $(PYTEST_MARKS),-m "$(PYTEST_MARKS)") $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	CAREATLAS_ENV=test $(BIN)/python manage.py makemigrations --check --dry-run
	@# User-facing text marked for translation; every string translated, none fuzzy,
	@# placeholders kept, .po current with the code, .mo compiled.
	CAREATLAS_ENV=test $(BIN)/python manage.py check_translatable
	CAREATLAS_ENV=test $(BIN)/python manage.py catalogue check

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/search.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/providers.py --count $(BENCH_PROVIDERS)
	$(BIN)/python bench/api.py --count $(BENCH_PROVIDERS)
	$(BIN)/python bench/accuracy.py --count $(BENCH_PROVIDERS)
	$(BIN)/python bench/utilization.py --providers $(BENCH_PROVIDERS)
	$(BIN)/python bench/imports.py --rows $(BENCH_PROVIDERS)
	$(BIN)/python bench/reviews.py --count $(BENCH_PROVIDERS)

# Several servers on this machine (nginx, two gunicorn app servers, a PostgreSQL primary and
# streaming replica, Redis; Debian packages, run as root), loaded through an app-server kill
# and a replica stop. It creates and removes its own clusters: the ones at 5432/6379 are left
# alone. CLUSTER_ARGS="--seconds 20 --providers 300" is the short form.
CLUSTER_ARGS ?= --seconds 180 --providers 2000
cluster: install
	$(BIN)/python bench/cluster.py $(CLUSTER_ARGS)

# Production-style server: gunicorn with whitenoise serving collected static files.
serve: install
	$(BIN)/python -m careatlas.core.ports $(HOST) $(PORT) --wait 30
	CAREATLAS_ENV=production $(BIN)/python manage.py collectstatic --noinput -v0
	CAREATLAS_ENV=production $(BIN)/gunicorn careatlas.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

# Regenerate locale/es from the code and compile it (needs GNU gettext). The compiled .mo is
# committed, so a clone without gettext still shows Spanish. Then translate what is new:
# `manage.py catalogue todo` lists it, `manage.py catalogue fill FILE.json` puts it in.
messages: install
	CAREATLAS_ENV=test $(BIN)/python manage.py catalogue update

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
