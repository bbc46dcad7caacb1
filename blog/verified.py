"""What verified each post, as its page says it: which blocks ran, where, for how long, which did
not and why, with which JAX, on which backend, and when.

Every runnable block runs in the test suite, which checks its output. The python blocks also run
in the post's notebook when the site is built (blog/notebooks.py), and their times come from
that run's own record (nbclient writes each cell's start and reply into the notebook), stored
with it under its inputs' key. The date is the day of the newest commit that touched the post,
what it shows, or the lock (blog/history.py). So a page changes only when its inputs change.
"""

import datetime
import importlib.metadata
from dataclasses import dataclass

import nbformat

from blog import notebooks
from blog.blocks import Block
from blog.history import last_changed
from blog.post import Post


@dataclass
class BlockRun:
    """One block of a post, and what became of it."""

    block: Block
    seconds: float | None  # its cell's time in the notebook run; None if it has none

    @property
    def reason(self) -> str | None:
        """Why the block never runs, for a block marked norun."""
        mark = self.block.mark("norun")
        return (mark.kwargs.get("reason") or mark.args[0]) if mark else None


def seconds(cell: nbformat.NotebookNode) -> float | None:
    """How long a notebook cell ran, from nbclient's record: its input sent to its reply."""
    execution = cell.get("metadata", {}).get("execution", {})
    started, replied = execution.get("iopub.execute_input"), execution.get("shell.execute_reply")
    if not (started and replied):
        return None
    when = [datetime.datetime.fromisoformat(stamp) for stamp in (started, replied)]
    return (when[1] - when[0]).total_seconds()


def runs(post: Post) -> list[BlockRun]:
    """Each block of the post, with its time in the post's executed notebook, if it has one."""
    executed = notebooks.OUT / f"{post.slug}.ipynb"
    timed = {}
    if executed.exists():
        cells = nbformat.read(executed, as_version=4).cells
        code = notebooks.code_of(post)
        timed = dict(zip((b.fence for b in code), map(seconds, cells[-len(code) :]), strict=True))
    return [BlockRun(block, timed.get(block.fence)) for block in post.blocks]


def verified_on(post: Post) -> datetime.date | None:
    """The day of the newest commit to the post, what it shows, or the lock; None if unknown."""
    return last_changed([*post.sources, post.root / "requirements.lock"], post.root)


def note(post: Post, backend: str) -> str:
    """The admonition that ends the post: what ran, where, how long, and what did not."""
    every = runs(post)
    ran = [run for run in every if run.block.runner]
    timed = [run.seconds for run in ran if run.seconds is not None]
    skipped = [run for run in every if run.reason]
    jax, jaxlib = (importlib.metadata.version(name) for name in ("jax", "jaxlib"))
    said = [f"The test suite, which must pass before this site is published, runs the "
            f"{count(ran, 'code block')} of this page and checks each one's output, with JAX "
            f"{jax} and jaxlib {jaxlib} on the {backend} backend."]  # fmt: skip
    if timed:
        said.append(f"The {count(timed, 'python block')} also ran in [its notebook]"
                    f"(../notebooks/{post.slug}.ipynb) when the site was built, in "
                    f"{sum(timed):.1f} s ([every block's time](../runs.md)).")  # fmt: skip
    for run in skipped:
        said.append(f"The {run.block.language} block at line {run.block.line} is shown, "
                    f"never run: {run.reason.rstrip('.')}.")  # fmt: skip
    if day := verified_on(post):
        said.append(f"Its text, code and packages last changed on {day}.")
    return '\n\n!!! success "Verified"\n    ' + " ".join(said) + "\n"


def count(items: list, what: str) -> str:
    return f"{len(items)} {what}{'' if len(items) == 1 else 's'}"


def table(every_post: list[Post]) -> str:
    """A Markdown table of every timed block of every post, slowest first."""
    rows = [(run.seconds, post, run.block) for post in every_post for run in runs(post)
            if run.seconds is not None]  # fmt: skip
    lines = ["| time | post | block |", "| ---: | --- | --- |"]
    for took, post, block in sorted(rows, key=lambda row: -row[0]):
        title = block.attributes.get("title", block.language)
        where = f"line {block.line} of {post.path.name}"
        page = post.path.relative_to(post.root / "docs").as_posix()  # from docs/runs.md
        lines.append(f"| {took:.2f} s | [{post.title}]({page}) | `{title}` ({where}) |")
    return "\n".join(lines)
