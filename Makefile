# One entry point for set-up and checks. `make demo` runs the main job, `make test` the whole suite.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV ?= .venv
BIN := $(VENV)/bin
# Two workers, one per core, each with its own emulator; a file's tests stay on one worker (their fixtures).
# The 25 slowest tests are listed, so the suite's time is watched where it goes.
PYTEST_ARGS ?= -n 2 --dist loadfile --durations=25

.PHONY: help venv demo test lint ruff ansible-lint typecheck sanity units integration changelog bench bench-quick clean

help:
	@echo "make demo   - run the demo migration against the local emulator (builds .venv first)"
	@echo "make test   - the whole suite: ruff, ansible-lint, mypy, ansible-test sanity, changelog lint, pytest, bench-quick"
	@echo "make lint | typecheck | sanity | units | integration | changelog - one part of it"
	@echo "make bench  - export/import/rerun against the throttled emulator at 1,000, 10,000, 50,000 users (long)"
	@echo "make bench-quick - the same at 1,000 and 10,000 users, AWS rates x 50, once each (CI, in make test)"

venv:
	@scripts/venv.sh

demo: venv
	@scripts/demo.sh

# The benchmark runs last and alone: its ratios are timings, which two cores shared with pytest would distort.
test: venv lint typecheck sanity changelog
	@scripts/collection-path.sh >/dev/null
	$(BIN)/pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory bench-quick

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

# The benchmark (docs/benchmarks.md): scenarios through the real playbooks against the emulator throttled at
# AWS's rates x BENCH_FACTOR; prints a table and the targets, writes JSON and a PNG to benchmarks/results/.
# It exits non-zero only for a target in the enforced set (bench.py's DEFAULT_ENFORCED, or BENCH_ENFORCE)
# that misses by more than the 5% margin: on two shared cores a run's times vary by a few percent
# (module start-up, the emulator's own CPU), so a ratio within 5% of its limit is noise, not a regression;
# the "== 0" targets (failed items, rerun writes) take no margin.
BENCH_FACTOR ?= 50
BENCH_ENFORCE ?= default
bench: venv
	$(BIN)/python benchmarks/bench.py --users 1000,10000,50000 --factor $(BENCH_FACTOR) --repeat 3 --repeat-large 1 \
		--enforce $(BENCH_ENFORCE) --margin 0.05

# CI: a high factor keeps it to minutes; one repetition; the naive export runs on 1,000 users and is
# extrapolated to 10,000 (labelled so in the table). Deterministic enough: the emulator's buckets and the
# client's pacing are exact, so only timing noise varies, which the margin absorbs. x50, not higher: at
# x100 (400 calls/s) the emulator and the module together need more than two cores, and the ratios then
# measure the machine, not the collection (docs/benchmarks.md).
bench-quick: venv
	$(BIN)/python benchmarks/bench.py --users 1000,10000 --factor 50 --repeat 1 --naive-sample 1000 \
		--enforce $(BENCH_ENFORCE) --margin 0.05

clean:
	rm -rf .build tests/output .pytest_cache .ruff_cache
