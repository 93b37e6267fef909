# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install screenshots bench clean

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

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .demo .pytest_cache
