# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test stress check install screenshots bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# A fresh demo repository each time, so its relative times read "just now", "2 hours ago", ...
demo: $(STAMP)
	rm -rf .demo
	$(BIN)/gimlet-tui demo .demo/acme-gitops >/dev/null
	$(BIN)/gimlet-tui --repo .demo/acme-gitops --env staging --app api

test: $(STAMP)
	scripts/test-servers.sh
	$(BIN)/python -m pytest -q

# The reliability loops of tests/test_reliability.py (kill -9 and Ctrl-C at random moments, concurrent
# rollbacks and commits, an edit during a slow push) run STRESS_RUNS times each; make test runs them 3 times.
STRESS_RUNS ?= 200
stress: $(STAMP)
	scripts/test-servers.sh
	rm -f stress-report.jsonl
	GIMLET_TUI_STRESS_RUNS=$(STRESS_RUNS) GIMLET_TUI_STRESS_REPORT=stress-report.jsonl \
		$(BIN)/python -m pytest -q tests/test_reliability.py
	cat stress-report.jsonl

# Lint and types: ruff (lint and format) and mypy (strict on the core), as configured in pyproject.toml.
check: $(STAMP)
	$(BIN)/ruff check gimlet_tui tests scripts bench
	$(BIN)/ruff format --check gimlet_tui tests scripts bench
	$(BIN)/mypy

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py
	$(BIN)/python scripts/browser_screenshot.py

# The benchmark (not part of make test): 10,000 and 100,000 commits; BENCH_HUGE=1 adds 1,000,000
# (generated once into bench/.cache, about 1 GB). Writes bench/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .demo .pytest_cache
