# kg: one command to set up and run, one to test.
#   make run    create .venv, install pinned dependencies (Python and the npm Cypher linter),
#               build the graph from examples/issues into an embedded store of its own
#               (.kg-examples, not your default store), print a summary and who attended what
#   make explore  the explorer (kg serve) on the examples' store: http://127.0.0.1:8000/
#   make test   the test suite (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LINT   := scripts/cypher-lint/node_modules/.installed
VENDOR := scripts/explorer/node_modules/.installed
EXAMPLES_HOME := $(CURDIR)/.kg-examples

.PHONY: run explore test setup lint bench clean

run: setup
	@echo "Building examples/issues into a store of their own ($(EXAMPLES_HOME)); your default store is left alone."
	KG_HOME=$(EXAMPLES_HOME) $(BIN)/kg build examples/issues --example-query
	@echo "Look around it with: KG_HOME=$(EXAMPLES_HOME) $(BIN)/kg stats   (or kg person, kg query …)"
	@echo "Explore it in a browser: make explore   (kg serve on http://127.0.0.1:8000/)"

explore: setup
	KG_HOME=$(EXAMPLES_HOME) $(BIN)/kg serve --port $(or $(PORT),8000)

test: setup
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check kg tests scripts

setup: $(STAMP) $(LINT) $(VENDOR)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(LINT): scripts/cypher-lint/package.json scripts/cypher-lint/package-lock.json
	cd scripts/cypher-lint && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# the explorer's scripts, from npm: kg/serve/static/vendor ships copies (scripts/explorer/build.sh);
# installed here so that a test can check the copies are npm's
$(VENDOR): scripts/explorer/package.json scripts/explorer/package-lock.json
	cd scripts/explorer && npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: setup
	$(BIN)/ruff check kg tests scripts

bench: setup
	$(BIN)/python scripts/bench_extract.py
	$(BIN)/python scripts/bench_ingest.py
	$(BIN)/python scripts/bench_ner.py
	$(BIN)/python scripts/bench_load.py
	$(BIN)/python scripts/bench_growth.py
	$(BIN)/python scripts/bench_cli.py

clean:
	-KG_HOME=$(EXAMPLES_HOME) $(BIN)/kg store stop
	rm -rf $(VENV) scripts/cypher-lint/node_modules scripts/explorer/node_modules .pytest_cache $(EXAMPLES_HOME)
