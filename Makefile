# GoalDesk — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install demo serve worker test test-fast test-browser check messages bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s "$$(printf '\t')"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pybabel compile --use-fuzzy -D django -d src/goaldesk/locale --statistics 2>/dev/null || true
	@touch $(STAMP)

# The compiled catalogues, made again only from a changed .po (two suites started at once
# then never write the same file).
MO := $(patsubst %.po,%.mo,$(wildcard src/goaldesk/locale/*/LC_MESSAGES/django.po))

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -D django -i $< -o $@

install: $(STAMP) $(MO)  ## create the virtual environment and install GoalDesk with its dev tools

demo: install  ## build the demo organisation on SQLite and serve it on http://127.0.0.1:8000
	$(BIN)/goaldesk demo --port $(PORT)

serve: install  ## serve with gunicorn (production settings from the environment)
	$(BIN)/goaldesk serve --port $(PORT)

worker: install  ## run background jobs
	$(BIN)/goaldesk worker

test: install  ## run the whole test suite (SQLite, or GOALDESK_DATABASE_URL)
	$(BIN)/pytest -q

test-fast: install  ## the suite without the browser tests
	$(BIN)/pytest -q -m "not browser"

check: install  ## lint, format check, types, migrations up to date, deploy check
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/goaldesk
	GOALDESK_DATA_DIR=$$(mktemp -d) $(BIN)/goaldesk manage makemigrations --check --dry-run
	GOALDESK_DATA_DIR=$$(mktemp -d) GOALDESK_SECURE=1 GOALDESK_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(BIN)/goaldesk manage check --deploy --fail-level WARNING

messages: install  ## extract strings into the .po files of de, fa and ar
	cd src/goaldesk && ../../$(BIN)/goaldesk manage makemessages -l de -l fa -l ar --no-obsolete --add-location file
	$(BIN)/pybabel compile -D django -d src/goaldesk/locale --statistics

bench: install  ## run the benchmarks (see README: Benchmarks)
	$(BIN)/python bench/kpis.py
	$(BIN)/python bench/import.py

clean:  ## remove the virtual environment and local data
	rm -rf $(VENV) var
