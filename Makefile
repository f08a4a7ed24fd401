# The two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

# Redocly's CLI: no telemetry, no update check.
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true

.PHONY: run test test-fast lint fresh-check fuzz venv services migrate node-tools test-servers browser openapi postman lint-openapi sdk bench bench-growth bench-instructions bench-tools soak clean help

help:
	@echo "make run           provision everything, then serve the API (Swagger UI at /api/docs)"
	@echo "make test          provision everything, then make lint and the whole test suite"
	@echo "make test-fast     the tests that start no server, browser or npm tool of their own (marked slow), on 2 workers"
	@echo "make lint          ruff and mypy over api/, schemas/, settings/, bench/ and tests/"
	@echo "make fuzz          schemathesis against a live server, both modes, FUZZ_EXAMPLES (100) per operation"
	@echo "make fresh-check   the two commands above on a fresh Debian 12 chroot (root; minutes)"
	@echo "make openapi       export the OpenAPI document to openapi/openapi.json (commit it)"
	@echo "make postman       build openapi/conduit.postman_collection.json from it (commit it)"
	@echo "make lint-openapi  lint openapi/openapi.json with Redocly"
	@echo "make sdk           generate the Python and TypeScript clients into build/sdk/"
	@echo "make bench         provision, then load the API and its ceilings with wrk (docs/performance.md)"
	@echo "make bench-growth  list_anon, list_tag and feed at 1,000 and at 100,000 articles; deep pages by offset and cursor"
	@echo "make bench-instructions  instructions per read request, service and ceiling (callgrind; after make bench)"
	@echo "make soak          mixed read/write load on gunicorn for SOAK_SECONDS (180): errors, p99, RSS, leaks"

# The virtualenv is rebuilt only when the pinned requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		echo "installing python3-venv with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv >/dev/null && \
		rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

# The npm tools of package.json (Redocly's linter, the TypeScript SDK generator and tsc, the
# Postman converter and newman), reinstalled only when the lock file changes; node and npm are
# installed with apt-get where missing.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node-tools:
	@bash scripts/provision-node.sh
	@$(MAKE) --no-print-directory node_modules/.installed

# The programs the throwaway servers of the outage and scale-out tests run.
test-servers:
	@bash scripts/provision-test-servers.sh

# Debian's Chromium, for the browser test of Swagger UI.
browser:
	@bash scripts/provision-browser.sh

# The committed document is built with fixed settings (api.openapi.documentation_app), so it
# does not depend on this machine's environment; tests fail when it is stale.
openapi: venv
	$(BIN)/flask --app 'api.openapi:documentation_app()' openapi write --format=json openapi/openapi.json

# The Postman collection, made from the committed document; tests fail when it is stale.
postman: venv node-tools
	$(BIN)/python scripts/postman_collection.py

lint-openapi: node-tools
	node_modules/.bin/redocly lint --config openapi/redocly.yaml openapi/openapi.json

sdk: venv node-tools
	bash scripts/generate-sdk.sh python build/sdk/python
	bash scripts/generate-sdk.sh typescript build/sdk/typescript

services: venv
	@bash scripts/provision-services.sh

migrate: services
	$(BIN)/flask --app wsgi db upgrade

run: migrate
	@$(BIN)/python -c 'from settings import Config as c; print(f"\nConduit API:  http://{c.HOST}:{c.PORT}/api\nSwagger UI:   http://{c.HOST}:{c.PORT}/api/docs\n")'
	exec $(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

test: lint services node-tools browser test-servers
	$(BIN)/python -m pytest $(PYTEST_ARGS)

LINTED := api schemas settings bench tests

lint: venv
	$(BIN)/ruff check $(LINTED)
	$(BIN)/mypy

# Everything but the tests marked slow, which start servers, a browser or the npm tools of their own.
test-fast: services
	$(BIN)/python -m pytest -m "not slow" -n 2 $(PYTEST_ARGS)

# `make run` then `make test` on a fresh Debian 12 (debootstrap minbase) in a chroot, against this
# machine's MariaDB and Redis: what a new user meets. Not part of `make test`: it takes minutes.
fresh-check:
	bash scripts/fresh-check.sh

# The longer schemathesis run (tests/contract/test_fuzz.py runs a short one): gunicorn on its own
# throwaway database and Redis prefix, anonymous and authenticated, FUZZ_EXAMPLES per operation.
FUZZ_EXAMPLES ?= 100
fuzz: services
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m tests.support.fuzzing

# The benchmark: its own database and Redis prefix, never the data of `make run`.
$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

bench-tools: $(VENV)/.bench-installed
	@command -v wrk >/dev/null || { echo "installing wrk with apt-get"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; }

bench: services bench-tools
	$(BIN)/python -m bench $(BENCH_ARGS)

bench-growth: services bench-tools
	$(BIN)/python -m bench --growth $(BENCH_ARGS)

# Instructions per request under callgrind, on the request files and data of the last `make bench`.
bench-instructions: services bench-tools
	@command -v valgrind >/dev/null || { echo "installing valgrind with apt-get"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq valgrind >/dev/null; }
	$(BIN)/python -m bench.instructions $(BENCH_ARGS)

# The soak: its own throwaway database and Redis prefix, dropped at the end (docs/performance.md).
SOAK_SECONDS ?= 180
soak: services
	$(BIN)/python -m bench.soak --duration $(SOAK_SECONDS) $(SOAK_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache node_modules build
