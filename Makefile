# The project's entry points. Every target sets up its own virtual environment, so that
# a fresh clone needs only `make run` or `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint format types bench clean postgres chromium nginx

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sharewise

test: $(STAMP) postgres chromium nginx
	$(BIN)/python -m pytest -n 2 -q

# The storage suite also runs on PostgreSQL; this installs the server if it can.
postgres:
	@sh scripts/ensure-postgres

# The HTML report is rendered in Debian's Chromium (never a downloaded browser).
chromium:
	@sh scripts/ensure-chromium

# The browser test signs in through the documented reverse proxy: Debian's nginx.
nginx:
	@sh scripts/ensure-nginx

format: $(STAMP)
	$(BIN)/ruff format sharewise tests bench decision_trees/england

lint: $(STAMP)
	$(BIN)/ruff format --check sharewise tests bench decision_trees/england
	$(BIN)/ruff check sharewise tests bench decision_trees/england

types: $(STAMP)
	$(BIN)/mypy sharewise

check: lint types test

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
