# One entry point for set-up and checks. `make demo` runs the main job, `make test` the whole suite.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: help venv demo test lint ruff ansible-lint sanity units integration changelog clean

help:
	@echo "make demo   - run the demo migration against the local emulator (builds .venv first)"
	@echo "make test   - the whole suite: ruff, ansible-lint, ansible-test sanity, changelog lint, pytest"
	@echo "make lint | sanity | units | integration | changelog - one part of it"

venv:
	@scripts/venv.sh

demo: venv
	@scripts/demo.sh

test: venv lint sanity changelog
	@scripts/collection-path.sh >/dev/null
	$(BIN)/pytest $(PYTEST_ARGS)

lint: ruff ansible-lint

ruff: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

ansible-lint: venv
	ANSIBLE_COLLECTIONS_PATH="$$(scripts/collection-path.sh)" PATH="$(abspath $(BIN)):$$PATH" $(BIN)/ansible-lint --offline --profile production

sanity: venv
	scripts/ansible-test.sh sanity

changelog: venv
	$(BIN)/antsibull-changelog lint

units: venv
	$(BIN)/pytest tests/unit emulator/tests $(PYTEST_ARGS)

integration: venv
	$(BIN)/pytest tests/integration $(PYTEST_ARGS)

clean:
	rm -rf .build tests/output .pytest_cache .ruff_cache
