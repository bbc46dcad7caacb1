"""pytest collects every Markdown file under docs/ as a page, and every block in it as a test.

Each chain of blocks runs once collection is done, in the background, in a fresh interpreter;
locally a chain whose key is unchanged reuses its last clean outcome (blog/outcomes.py), and
the summary says how many ran and how many were reused.
"""

import os
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from blog import cache
from blog.blocks import Block, chains
from blog.outcomes import cached_run
from blog.project import BUILD_TIMEOUT_S, ROOT, PostError
from blog.run import BlockFailure, Outcome
from blog.verify import blocks_of, check

DOCS = ROOT / "docs"
# Chains run as subprocesses; these threads only wait on them, one per core.
RUNNER = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """No test may outlast a site build; no process the tests start may take a whole GPU."""
    if getattr(config.option, "timeout", None) is None:
        config.option.timeout = BUILD_TIMEOUT_S  # pytest-timeout's limit, unless given
    # Every JAX process would otherwise reserve 75% of a GPU's memory at its first use, and
    # the second to start (a chain, a test's subprocess) would find no device at all.
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    # Compiled programs are kept on disk between runs (JAX's own cache, keyed on the program,
    # the JAX version and the backend), so a warm run skips XLA's compiler, never the tests.
    os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", str(cache.folder("jax")))
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the selected blocks now, in the background, so they run beside other tests."""
    pages = dict.fromkeys(item.parent for item in session.items if isinstance(item, BlockItem))
    for page in pages:
        page.start([item.block for item in session.items if item.parent is page])


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".md" and file_path.is_relative_to(DOCS):
        return PageFile.from_parent(parent, path=file_path)
    return None


def pytest_terminal_summary(terminalreporter) -> None:
    """Say, for each store the run used, how many results ran and how many were reused."""
    for line in cache.summary():
        terminalreporter.write_line(line)


def run_and_count(chain: list[Block]) -> list[Outcome]:
    """Run one chain (or reuse it), and count which it was."""
    outcomes, reused = cached_run(chain, reuse=cache.reuse_allowed())  # the post's time limit
    cache.count("blocks", reused)
    return outcomes


class PageFile(pytest.File):
    """One page: its blocks become items; its chains start once collection is done."""

    def collect(self):
        blocks = blocks_of(self.path)
        self.blocks = blocks
        self.pending: dict[int, tuple[Future, int]] = {}
        for block in blocks:
            yield BlockItem.from_parent(self, name=f"line {block.line}", block=block)

    def start(self, selected: list[Block]) -> None:
        """Run each chain that holds a selected block, each in its own interpreter."""
        wanted = {id(b) for b in selected}
        for chain in chains(self.blocks):
            if any(id(b) in wanted for b in chain):
                future = RUNNER.submit(run_and_count, chain)
                for position, member in enumerate(chain):
                    self.pending[id(member)] = (future, position)

    def outcome(self, block: Block) -> Outcome:
        """What ``block`` did, once its chain has run."""
        future, position = self.pending[id(block)]
        return future.result()[position]

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, PostError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class BlockItem(pytest.Item):
    """A block as a reader sees it: run (with the blocks it continues), then output compared."""

    def __init__(self, *, block: Block, **kwargs) -> None:
        super().__init__(**kwargs)
        self.block = block
        for mark in block.marks:
            self.add_marker(getattr(pytest.mark, mark.name)(*mark.args, **mark.kwargs))

    def runtest(self) -> None:
        block = self.block
        check(block, self.parent.outcome(block) if block.runner else None)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, BlockFailure | PostError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return (
            self.path,
            self.block.line - 1,
            f"{self.block.where} ({self.block.language})",
        )
