# The only commands a newcomer needs. Each installs what it needs, from requirements.lock, into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Material 9.7+ prints a notice about MkDocs 2.0 on every run; we know (see README, "Deploy").
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test bench lock clean

serve: $(STAMP)  ## Serve the site at http://127.0.0.1:8000, reloading on edits to docs/ and snippets/
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)  ## Build the static site into site/
	$(BIN)/mkdocs build --strict

test: $(STAMP)  ## Lint, then run every test: snippets, every block of every post, the built site
	$(BIN)/ruff check snippets tests hooks
	$(BIN)/ruff format --check snippets tests hooks
	$(BIN)/zizmor --offline --persona=pedantic --quiet .github/workflows
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP)  ## Re-measure the timings the posts show and rewrite results/
	$(BIN)/python -m snippets.jit --record results

lock: $(STAMP)  ## Re-resolve every dependency, with hashes, into requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
	  --custom-compile-command "make lock" -o requirements.lock

clean:
	rm -rf $(VENV) site .pytest_cache .ruff_cache

# Installs from the lock only when the lock (or the package metadata) changed since the last install.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@
