# Tempo developer loop. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY_VERSION ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TEMPO := $(VENV)/bin/tempo
NPM := npm --prefix frontend
PORT ?= 8000
E2E_PORT ?= 8765

.PHONY: fuzz help install run test test-backend test-frontend lint typecheck fmt schema schema-check migrate e2e bench build-frontend clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/.installed: backend/pyproject.toml
	test -x $(PY) || $(PY_VERSION) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e 'backend[embedded,dev]'
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed frontend/node_modules/.installed ## Install Python and npm dependencies

build-frontend: frontend/node_modules/.installed ## Build the SPA into frontend/dist
	$(NPM) run build

run: install build-frontend ## Start everything on one URL (embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL are set)
	cd backend && ../$(TEMPO) up --port $(PORT)

test: install schema-check test-backend test-frontend ## All tests (real PostgreSQL and Redis: configured, else local, else embedded)

test-backend: $(VENV)/.installed
	cd backend && ../$(PY) -m pytest

test-frontend: frontend/node_modules/.installed
	$(NPM) run test

lint: install ## ruff, the import contract (lint-imports), biome
	cd backend && ../$(VENV)/bin/ruff check . && ../$(VENV)/bin/ruff format --check . && ../$(VENV)/bin/lint-imports
	$(NPM) run lint

typecheck: install ## mypy + tsc
	cd backend && ../$(VENV)/bin/mypy app
	$(NPM) run typecheck

fmt: install ## Format Python and TypeScript
	cd backend && ../$(VENV)/bin/ruff check --fix . && ../$(VENV)/bin/ruff format .
	$(NPM) run format

fuzz: $(VENV)/.installed ## Longer schemathesis run over every operation (FUZZ_EXAMPLES per operation, FUZZ_SEED to vary)
	cd backend && TEMPO_LOG_LEVEL=WARNING FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-60} FUZZ_SEED=$${FUZZ_SEED:-1205} ../$(PY) -m pytest -s -q tests/core/test_fuzz_openapi.py

schema: $(VENV)/.installed frontend/node_modules/.installed ## Write openapi/openapi.json + schema.graphql and regenerate the TS client
	cd backend && ../$(PY) -m app.schema_export
	$(NPM) run gen:api

schema-check: $(VENV)/.installed
	cd backend && ../$(PY) -m app.schema_export --check

migrate: $(VENV)/.installed ## Apply migrations to DATABASE_URL
	cd backend && ../$(TEMPO) migrate

e2e: install build-frontend ## Playwright in real Chromium against `tempo up` with demo data
	./scripts/e2e.sh $(E2E_PORT)

bench: install ## Benchmarks; results go to BENCHMARKS.md
	cd backend && ../$(PY) -m bench.run

clean: ## Remove build output and local data (.data/)
	rm -rf frontend/dist .data
