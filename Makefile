# The two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test venv services migrate clean help

help:
	@echo "make run   provision everything, then serve the API (Swagger UI at /api/docs)"
	@echo "make test  provision everything, then run the whole test suite"

# The virtualenv is rebuilt only when the pinned requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		echo "installing python3-venv with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv >/dev/null && \
		rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

services: venv
	@bash scripts/provision-services.sh

migrate: services
	$(BIN)/flask --app wsgi db upgrade

run: migrate
	@$(BIN)/python -c 'from settings import Config as c; print(f"\nConduit API:  http://{c.HOST}:{c.PORT}/api\nSwagger UI:   http://{c.HOST}:{c.PORT}/api/docs\n")'
	exec $(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

test: services
	@bash scripts/provision-test-servers.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
