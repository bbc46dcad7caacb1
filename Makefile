# What people type. Each target installs what it needs, from the lock files, into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE   := node_modules/.installed
# JAX=0.11 runs the posts' blocks and the snippets' tests on another JAX series, in its own
# environment (.venv-jax0.11): the lock, with JAX swapped for that series' newest release.
JAX    ?=
# make bench measures PyTorch too (requirements-peers.lock); PEERS=0 leaves it out.
PEERS  ?= 1
LINTED := snippets engine lab hooks tools tests
# Each snippet module's tests, found by its name: tests/test_<module>.py.
SNIPPET_TESTS := $(wildcard $(patsubst snippets/%.py,tests/test_%.py,$(wildcard snippets/*.py)))

# Material 9.7+ prints a notice about MkDocs 2.0 on every run; see README, "Dependencies".
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test audit post outputs bench lock clean tools help

help:  ## List the targets
	@grep -hE '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

serve: $(STAMP) $(NODE)  ## Serve the site at http://127.0.0.1:8000; reload on every edit
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP) $(NODE)  ## Draw the posts' pictures, run what changed, build the site into site/
	$(BIN)/python -m lab.figures docs/figures
	$(BIN)/mkdocs build --strict

ifeq ($(JAX),)
# POST=docs/posts/x.md: that post's blocks and its snippets' tests only.
test: $(STAMP) $(if $(POST),,tools $(NODE))  ## Lint, then run every test (POST=... for one post)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(if $(POST),,$(BIN)/zizmor --offline --persona=pedantic --quiet .github/workflows)
	$(BIN)/pytest $(if $(POST),--post $(POST)) $(PYTEST_ARGS)
else
test: .venv-jax$(JAX)/.installed  ## make test JAX=0.11: the posts and snippets on that JAX
	.venv-jax$(JAX)/bin/pytest docs/posts $(SNIPPET_TESTS) $(PYTEST_ARGS)
endif

audit: $(STAMP) tools $(NODE)  ## Lighthouse on every page of the built site
	$(BIN)/python -m tools.audit

post: $(STAMP)  ## Start a draft post: make post SLUG=my-post TITLE="My post"
	$(BIN)/python -m tools.new_post "$(SLUG)" "$(TITLE)"

outputs: $(STAMP)  ## Run every post's blocks and rewrite what they show; review with git diff
	$(if $(JAX),.venv-jax$(JAX),$(VENV))/bin/python -m engine.outputs $(POST)

bench: $(STAMP) $(if $(filter 1,$(PEERS)),$(VENV)/.installed-peers)  ## Time every variant over independent runs
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python -m lab docs/results $(if $(ONLY),--only $(ONLY))

lock: $(STAMP)  ## Re-resolve every dependency, newest first, with hashes, into the lock files
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --upgrade \
	  --python-version 3.13 --custom-compile-command "make lock" -o requirements.lock
	echo torch | $(BIN)/uv pip compile - --constraint requirements.lock --generate-hashes \
	  --upgrade --python-version 3.13 --python-platform x86_64-manylinux_2_28 \
	  --custom-compile-command "make lock" -o requirements-peers.lock

clean:
	rm -rf $(VENV) .venv-jax* node_modules site test-artifacts .pytest_cache .ruff_cache .cache

tools:  ## Chromium and npm, installed when missing (as root; otherwise it says how)
	.ci/install-tools

# Python 3.13, as .python-version asks; then the lock, checked by hash, only when it changed.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' || { echo \
	  "make needs Python 3.13 as python3 (found $$($(PYTHON) --version)): 'pyenv install 3.13'" \
	  "or 'uv python install 3.13', or run make PYTHON=/path/to/python3.13" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	# The engine, the lab, the hooks and the tools import each other from the project root.
	echo "$(CURDIR)" > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/jax-tested.pth"
	touch $@

# PyTorch from PyPI is its CUDA build (about 4 GB with its CUDA libraries); it runs on a CPU too.
$(VENV)/.installed-peers: requirements-peers.lock $(STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-peers.lock
	touch $@

.venv-jax$(JAX)/.installed: $(STAMP)
	$(BIN)/uv venv --quiet --allow-existing --python $(BIN)/python .venv-jax$(JAX)
	$(BIN)/uv pip install --quiet --python .venv-jax$(JAX)/bin/python --require-hashes \
	  --no-deps -r requirements.lock
	$(BIN)/uv pip install --quiet --python .venv-jax$(JAX)/bin/python "jax==$(JAX).*" "jaxlib==$(JAX).*"
	$(BIN)/uv pip install --quiet --python .venv-jax$(JAX)/bin/python --no-deps -e .
	echo "$(CURDIR)" > "$$(.venv-jax$(JAX)/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/jax-tested.pth"
	touch $@

$(NODE): package-lock.json | tools
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
