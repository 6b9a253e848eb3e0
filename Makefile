# kg: one command to set up and run, one to test.
#   make run    create .venv, install pinned dependencies (Python and the npm Cypher linter),
#               build the graph from examples/issues into the embedded store, print a summary
#               and who attended what
#   make test   the test suite (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LINT   := scripts/cypher-lint/node_modules/.installed

.PHONY: run test setup lint bench clean

run: setup
	$(BIN)/kg build examples/issues --example-query

test: setup
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check kg tests scripts

setup: $(STAMP) $(LINT)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(LINT): scripts/cypher-lint/package.json scripts/cypher-lint/package-lock.json
	cd scripts/cypher-lint && npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: setup
	$(BIN)/ruff check kg tests scripts

bench: setup
	$(BIN)/python scripts/bench_extract.py
	$(BIN)/python scripts/bench_ingest.py
	$(BIN)/python scripts/bench_ner.py
	$(BIN)/python scripts/bench_load.py
	$(BIN)/python scripts/bench_growth.py

clean:
	rm -rf $(VENV) scripts/cypher-lint/node_modules .pytest_cache
