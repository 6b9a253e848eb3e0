# kg: one command to set up and run, one to test.
#   make run    create .venv, install pinned dependencies (Python and the npm Cypher linter),
#               build the graph from examples/issues into an embedded store of its own
#               (.kg-examples, not your default store), print a summary and who attended what
#   make test   the test suite (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LINT   := scripts/cypher-lint/node_modules/.installed
EXAMPLES_HOME := $(CURDIR)/.kg-examples

.PHONY: run test setup lint bench clean

run: setup
	@echo "Building examples/issues into a store of their own ($(EXAMPLES_HOME)); your default store is left alone."
	KG_HOME=$(EXAMPLES_HOME) $(BIN)/kg build examples/issues --example-query
	@echo "Look around it with: KG_HOME=$(EXAMPLES_HOME) $(BIN)/kg stats   (or kg person, kg query …)"

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
	rm -rf $(VENV) scripts/cypher-lint/node_modules .pytest_cache $(EXAMPLES_HOME)
