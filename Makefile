# Forgeline — the two commands of the Quick start are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first interpreter that runs and is Python 3.12 or newer: python3.13, python3.12, python3, then any
# 3.12+ that pyenv installed (its shims fail unless PYENV_VERSION is set, so each candidate is run).
ifeq ($(origin PYTHON), undefined)
PYTHON := $(shell for c in python3.13 python3.12 python3 \
	$$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    $$c -c 'import sys; print(sys.executable)'; break; fi; done)
endif

.PHONY: help run test lint check-deploy system-deps clean worker totp fuzz-api

help:
	@echo "make run    — the demo on http://$(HOST):$(PORT) (SQLite, serverless broker, Celery worker + beat)"
	@echo "make test   — the whole test suite (set DATABASE_URL / REDIS_URL for PostgreSQL / Redis)"
	@echo "make lint   — ruff"
	@echo "make totp   — the demo manager's and administrator's current two-factor code"
	@echo "make fuzz-api — a longer schemathesis run over the API (FUZZ_API_EXAMPLES=100 per operation and token)"

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Forgeline needs Python 3.12 or newer (Django 6). Install one, e.g. 'apt-get install python3.12'" \
	       "or 'pyenv install 3.12', then run make again."; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet ".[dev]"
	@touch $@

# Debian packages the suite needs: Chromium for browser journeys, Pango/HarfBuzz for WeasyPrint, and a Chinese
# font for the PDFs of factory contacts who read the portal in Chinese (DejaVu covers Vietnamese).
SYSTEM_PACKAGES := chromium fonts-dejavu-core fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing Debian packages: $$missing — run: sudo apt-get install $$missing"; exit 1; fi; \
	fi

run: $(VENV)/.installed
	@DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py migrate --noinput -v0
	@DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py seed_demo
	@echo ""
	@echo "  Forgeline is starting on http://$(HOST):$(PORT)/   (Ctrl-C stops the web server, worker and beat)"
	@echo "  Demo logins (password: forgeline-demo):"
	@echo "    buyer@forgeline.example      procurement"
	@echo "    qc@forgeline.example         quality"
	@echo "    manager@forgeline.example    manager         } second factor: authenticator-app key"
	@echo "    admin@forgeline.example      administrator   } FORGELINEDEMO234FORGELINEDEMO234, or 'make totp'"
	@echo "    factory@brightway.example    supplier portal (Shenzhen Brightway Electronics)"
	@echo ""
	@export DJANGO_SETTINGS_MODULE=config.settings.local; \
	trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT INT TERM; \
	$(VENV)/bin/celery -A config worker --beat --pool=solo --loglevel=WARNING \
	  --schedule=var/celerybeat-schedule & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The demo manager's and administrator's current two-factor code (their authenticator-app key is public).
totp: $(VENV)/.installed
	@DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py demo_totp

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A config worker --beat --pool=solo --loglevel=INFO --schedule=var/celerybeat-schedule

test: $(VENV)/.installed system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# The schemathesis run of tests/test_api_schema_fuzz.py with many more fuzzed examples than `make test` gives it
# (5), on whichever database DATABASE_URL names (SQLite by default); about five CPU-minutes at 100.
FUZZ_API_EXAMPLES ?= 100
fuzz-api: $(VENV)/.installed
	FUZZ_API_EXAMPLES=$(FUZZ_API_EXAMPLES) $(PY) -m pytest -p no:cacheprovider tests/test_api_schema_fuzz.py $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Production settings with real-looking values for what a server must set (config/checks.py refuses localhost
# links, the development sender and email that goes nowhere); your own values win when they are in the environment.
check-deploy: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9)} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-forgeline.example.com} \
	FORGELINE_BASE_URL=$${FORGELINE_BASE_URL:-https://forgeline.example.com} \
	DJANGO_DEFAULT_FROM_EMAIL=$${DJANGO_DEFAULT_FROM_EMAIL:-forgeline@example.com} \
	EMAIL_URL=$${EMAIL_URL:-smtp+tls://forgeline.example.com:587} \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache

# The benchmark (bench/README.md): make bench SIZE=S, or SIZE=M (2,000 suppliers, 1M deliveries; ~5 min to generate
# once). It needs PostgreSQL on 127.0.0.1 (DATABASE_URL, default postgres://postgres@127.0.0.1:5432) and builds its
# own database there, forgeline_bench_s or forgeline_bench_m.
SIZE ?= S
.PHONY: bench
bench: $(VENV)/.installed
	$(PY) bench/run.py --size $(SIZE) $(BENCH_ARGS)
