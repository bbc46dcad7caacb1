"""pytest collects every Markdown page under docs/ and every block in it as a test.

Each post runs once, in the background, as soon as collection ends (engine/runs.py), so the posts
run beside the other tests; each block's test then judges its part of that run. A post's run is
reused while nothing it depends on changed, and the summary says how many ran.
``--post docs/posts/x.md`` (``make test POST=...``) collects one post and the tests of what it
shows: ``tests/test_<module>.py`` for each snippet module, ``tests/test_lab_<module>.py`` for each
lab module whose results it cites, so an author checks one post in seconds.
"""

import gc
import json
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from engine import runs, store
from engine.blocks import read_blocks
from engine.claims import record_pass
from engine.config import BUILD_TIMEOUT_S, ROOT, PostError
from engine.includes import expand
from engine.post import is_post, read
from engine.verify import BlockFailure, check, problems

DOCS = ROOT / "docs"
RUNNER = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)  # they wait on child processes


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--post", type=Path, help="one post's blocks and the tests of what it shows")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """No test may outlast a site build; no JAX process the tests start may take a whole GPU."""
    if getattr(config.option, "timeout", None) is None:
        config.option.timeout = BUILD_TIMEOUT_S
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    # The tests' own compiled programs are kept between runs (JAX's cache, keyed on the program,
    # its version and the backend): a warm run skips XLA's compiler, never a test.
    os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", str(ROOT / ".cache" / "jax"))
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
    # Last of all, after pytest's own collection for unraisable exceptions: Python's collections
    # at exit would walk every object JAX made (0.4 s) to free memory the exit frees anyway.
    config.add_cleanup(gc.freeze)


def pytest_collection(session: pytest.Session) -> bool | None:
    """With --post, collect that post's tests alone."""
    if post := session.config.getoption("post"):
        try:
            session.perform_collect(tests_for(post))
        except (OSError, PostError) as problem:
            raise pytest.UsageError(f"--post {post}: {problem}") from None
        return True
    return None


def tests_for(path: Path) -> list[str]:
    """The post's snippet and lab tests, then the post: its run is checked meanwhile."""
    if not is_post(path):
        raise PostError("not a post: posts are docs/posts/*.md")
    post = read(path)
    files = dict.fromkeys(o.file for o in post.expanded.origins)  # what it shows
    modules = [Path(f).stem for f in files if f.startswith("snippets/") and f.endswith(".py")]
    for backend, name in post.cited_results:
        results = json.loads((DOCS / "results" / backend / f"{name}.json").read_text("utf-8"))
        modules.append(f"lab_{results['benchmark']}")
    tests = (ROOT / "tests" / f"test_{module}.py" for module in dict.fromkeys(modules))
    return [str(t) for t in tests if t.exists()] + [str(path)]


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".md" and file_path.is_relative_to(DOCS):
        return PageFile.from_parent(parent, path=file_path)
    return None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start every post that has a selected block, now, in the background."""
    for page in dict.fromkeys(i.parent for i in session.items if isinstance(i, BlockItem)):
        page.start()


def pytest_terminal_summary(terminalreporter) -> None:
    for line in store.summary():
        terminalreporter.write_line(line)


class PageFile(pytest.File):
    """A page: its blocks become items, judged against the post's one run."""

    def collect(self):
        self.post = read(self.path) if is_post(self.path) else None
        if self.post:
            _ = self.post.cites  # a cited number that is not printed fails here, naming its line
        blocks = self.post.blocks if self.post else read_blocks(expand(self.path))
        for block in blocks if not self.post else []:
            if block.runner:
                raise PostError(f"{block.where}: only a post's blocks run; mark this one "
                                '<!-- pytest.mark.norun(reason="...") -->')  # fmt: skip
        self.run: Future | None = None
        for block in blocks:
            yield BlockItem.from_parent(self, name=f"line {block.line}", block=block)

    def start(self) -> None:
        if self.post and any(b.runner for b in self.post.blocks):
            self.run = RUNNER.submit(runs.record, self.post)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, PostError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class BlockItem(pytest.Item):
    """A block as a reader sees it, judged against what its post's run did."""

    def __init__(self, *, block, **kwargs) -> None:
        super().__init__(**kwargs)
        self.block = block

    def runtest(self) -> None:
        record = self.parent.run.result() if self.block.runner else None
        check(self.block, record)
        post = self.parent.post
        if (
            record
            and self.block is [b for b in post.blocks if b.runner][-1]
            and not problems(post, record)  # every block passed: this run may be claimed
        ):
            record_pass(post, record)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, BlockFailure | PostError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, self.block.line - 1, f"{self.block.where} ({self.block.language})"
