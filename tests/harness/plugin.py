"""pytest collects every Markdown file under docs/ as a post, and every block in it as a test."""

import os
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from tests.harness.blocks import Block, chains, read_blocks
from tests.harness.execute import BlockFailure, Outcome, backend, check_output, run_chain
from tests.harness.expand import ROOT, PostError, check_front_matter, expand

DOCS = ROOT / "docs"
# Chains run as subprocesses; these threads only wait on them, one per core.
RUNNER = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("codeblock_timeout", "seconds one chain of blocks may run", default="240")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the selected blocks now, in the background, so they run beside other tests."""
    posts = dict.fromkeys(item.parent for item in session.items if isinstance(item, BlockItem))
    for post in posts:
        post.start([item.block for item in session.items if item.parent is post])


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".md" and file_path.is_relative_to(DOCS):
        return PostFile.from_parent(parent, path=file_path)
    return None


class PostFile(pytest.File):
    """One post: its blocks become items; its chains start once collection is done."""

    def collect(self):
        if self.path.is_relative_to(DOCS / "posts"):
            check_front_matter(self.path)
        self.blocks = read_blocks(expand(self.path))
        self.pending: dict[int, tuple[Future, int]] = {}
        for block in self.blocks:
            yield BlockItem.from_parent(self, name=f"line {block.line}", block=block)

    def start(self, selected: list[Block]) -> None:
        """Run each chain that holds a selected block, each in its own interpreter."""
        wanted = {id(b) for b in selected}
        timeout = float(self.config.getini("codeblock_timeout"))
        for chain in chains(self.blocks):
            if any(id(b) in wanted for b in chain):
                future = RUNNER.submit(run_chain, chain, timeout)
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
            self.add_marker(mark)

    def runtest(self) -> None:
        block = self.block
        if block.runner is None:
            compile_only(block)
            return
        check_output(block, self.parent.outcome(block), backend())

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


def compile_only(block: Block) -> None:
    """A block marked norun still has to be valid code: it is shown to be copied."""
    if block.language in {"python", "py"}:
        try:
            compile(block.code, block.where, "exec")
        except SyntaxError as err:
            raise BlockFailure(f"{block.where}: a norun block does not parse: {err}") from None
