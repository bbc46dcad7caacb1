# The only commands a newcomer needs. Each installs what it needs, from requirements.lock, into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# PyTorch, measured by `make bench` only. Its CPU build is not on PyPI: TORCH_WHEELS is a folder
# that holds it (ours: /opt/wheels). PEERS=0 skips PyTorch; the results then say why.
PEERS        ?= 1
TORCH_WHEELS ?= /opt/wheels
PEERS_STAMP  := $(VENV)/.installed-peers
# axe-core and Lighthouse, from npm, for the browser tests' accessibility and speed checks.
NODE_STAMP   := node_modules/.installed
# Some machines pin OpenBLAS to an older kernel, which would slow the NumPy peers; not when timing.
BENCH_ENV    := env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE

# Material 9.7+ prints a notice about MkDocs 2.0 on every run; we know (see README, "Deploy").
export NO_MKDOCS_2_WARNING := 1

LINTED := snippets blog lab tests hooks tools

.PHONY: serve build test audit post outputs bench scale lock clean browser-tools

serve: $(STAMP)  ## Serve the site at http://127.0.0.1:8000, reloading on edits to docs/ and snippets/
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)  ## Draw the posts' pictures, then build the static site into site/
	$(BIN)/python -m lab.figures docs/figures
	$(BIN)/mkdocs build --strict

# POST=docs/posts/x.md runs that post's blocks, its snippet modules' tests and its lab modules'
# tests alone: no browser test, so no browser tools or npm are installed for it.
test: $(STAMP) $(if $(POST),,browser-tools $(NODE_STAMP))  ## Lint, then run every test: snippets, posts, site, browser
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/zizmor --offline --persona=pedantic --quiet .github/workflows
	$(if $(POST),tests="$$($(BIN)/python -m tools.post_tests $(POST))" &&) \
	  $(BIN)/pytest $(if $(POST),$$tests) $(PYTEST_ARGS)

# `make test` audits the heaviest page of each kind with Lighthouse; this audits every page.
audit: $(STAMP) browser-tools $(NODE_STAMP)  ## Lighthouse on every page: each scores 0.95+ on a phone
	$(BIN)/pytest tests/test_lighthouse.py --lighthouse-every-page $(PYTEST_ARGS)

post: $(STAMP)  ## Start a draft post: make post SLUG=my-post TITLE="My post" [KIND=measured]
	$(BIN)/python -m tools.new_post "$(SLUG)" "$(TITLE)" $(if $(KIND),--kind $(KIND))

outputs: $(STAMP)  ## Re-run every post's blocks and rewrite the outputs they show; review with git diff
	$(BIN)/python -m blog.outputs $(POST)

# ONLY=<module> runs one benchmark (python -m lab --list names them), in the same environment.
bench: $(STAMP) $(if $(filter 1,$(PEERS)),$(PEERS_STAMP))  ## Run every benchmark in lab/ (or ONLY=<module>); rewrite docs/results/
	$(BENCH_ENV) $(BIN)/python -m lab docs/results $(if $(ONLY),--only $(ONLY))

scale: $(STAMP) browser-tools $(NODE_STAMP)  ## Time the full tests and the build with 1, 10, 30 and 100 more posts
	$(BIN)/python -m lab.scale

lock: $(STAMP)  ## Re-resolve every dependency, with hashes, into requirements*.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
	  --custom-compile-command "make lock" -o requirements.lock
	echo "torch==2.13.0" | $(BIN)/uv pip compile - --constraint requirements.lock \
	  --find-links $(TORCH_WHEELS) --generate-hashes --python-version 3.11 \
	  --custom-compile-command "make lock" -o requirements-peers.lock

clean:
	rm -rf $(VENV) node_modules site test-artifacts .pytest_cache .ruff_cache .cache

browser-tools:  ## Chromium and npm for the browser tests (installed when missing, if we are root)
	.ci/install-tools

# Installs from the lock only when the lock (or the package metadata) changed since the last install.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	# The engine (blog/), the lab and the hooks import each other from the project root.
	echo "$(CURDIR)" > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/jax-tested-project.pth"
	touch $@

$(PEERS_STAMP): requirements-peers.lock $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
	  --find-links $(TORCH_WHEELS) -r requirements-peers.lock
	touch $@

$(NODE_STAMP): package-lock.json | browser-tools
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
