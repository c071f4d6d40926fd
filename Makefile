# Cairn: `make demo` serves a demo district on http://127.0.0.1:$(PORT); `make test` runs every test.
# Both create .venv with the machine's python3 on first use and install into it only when pyproject.toml
# changes (stamp files in .venv record what was installed).

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
PYTEST_ARGS ?=
LINT_PATHS := src tests benchmarks

BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.DEFAULT_GOAL := help
.PHONY: help venv install install-dev demo test lint messages clean

help:
	@echo "make demo   set up the demo district (SQLite) and serve it on http://127.0.0.1:$(PORT) (PORT=...)"
	@echo "make test   run the whole test suite (PYTEST_ARGS='-k ...' to pass pytest options)"
	@echo "make lint   ruff, mypy (src/cairn) and import-linter (the engine stays free of Django)"
	@echo "make messages  update and compile the Spanish catalog src/cairn/locale (needs gettext)"
	@echo "make clean  remove .venv, caches, build outputs, test databases and test artifacts"

venv: $(BIN)/python

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(STAMP_RUN)
install-dev: $(STAMP_DEV)

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e .
	touch $@

# The dev install includes the runtime one, so it satisfies `make demo` too.
$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e '.[dev]'
	touch $(STAMP_RUN) $@

demo: $(STAMP_RUN)
	$(BIN)/cairn demo --port $(PORT)

test: $(STAMP_DEV)
	$(BIN)/pytest $(PYTEST_ARGS)

# Updates the Spanish catalog from the marked strings and compiles it (needs gettext: msgfmt, xgettext).
# The catalog is src/cairn/locale (LOCALE_PATHS); dot-folders such as .venv are skipped by Django itself.
MESSAGES_IGNORE := --ignore tests --ignore benchmarks --ignore node_modules --ignore var --ignore build \
	--ignore dist --ignore test-artifacts --ignore docs
messages: $(STAMP_RUN)
	$(BIN)/cairn manage makemessages -l es --no-obsolete $(MESSAGES_IGNORE)
	$(BIN)/cairn manage compilemessages -l es --ignore '.*' --ignore var --ignore node_modules

lint: $(STAMP_DEV)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy src/cairn
	$(BIN)/lint-imports

# Leaves var/ (the demo database and the generated secret key) alone, apart from the test data under it.
clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .import_linter_cache test-artifacts var/test
	find . -name __pycache__ -type d -not -path './.git/*' -prune -exec rm -rf {} +
