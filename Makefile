# One entry point for set-up and checks. `make demo` runs the main job, `make test` the whole suite.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV ?= .venv
BIN := $(VENV)/bin
# Two workers, one per core, each with its own emulator; a file's tests stay on one worker (their fixtures).
# The 25 slowest tests are listed, so the suite's time is watched where it goes.
PYTEST_ARGS ?= -n 2 --dist loadfile --durations=25

.PHONY: help venv demo test lint ruff ansible-lint typecheck sanity units integration changelog clean

help:
	@echo "make demo   - run the demo migration against the local emulator (builds .venv first)"
	@echo "make test   - the whole suite: ruff, ansible-lint, mypy, ansible-test sanity, changelog lint, pytest"
	@echo "make lint | typecheck | sanity | units | integration | changelog - one part of it"

venv:
	@scripts/venv.sh

demo: venv
	@scripts/demo.sh

test: venv lint typecheck sanity changelog
	@scripts/collection-path.sh >/dev/null
	$(BIN)/pytest $(PYTEST_ARGS)

lint: ruff ansible-lint

ruff: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

ansible-lint: venv
	ANSIBLE_COLLECTIONS_PATH="$$(scripts/collection-path.sh)" PATH="$(abspath $(BIN)):$$PATH" $(BIN)/ansible-lint --offline --profile production

# mypy over plugins/ and the emulator (settings in pyproject.toml); the collection is imported by
# its ansible_collections.ccaas.connect name, through the link collection-path.sh keeps.
typecheck: venv
	@scripts/collection-path.sh >/dev/null
	$(BIN)/mypy

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
