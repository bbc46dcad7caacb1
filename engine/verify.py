"""Judge a post's blocks against what its run did, one way for every tool: the tests
(engine/pytest_plugin.py), `make serve`'s flags (hooks/site.py) and `make outputs`.

A block that runs must print what the page shows for this run (or keeps for it, unshown), and
raise only what it says it raises; a timing's words must match, its numbers may not. A block
marked norun must still parse, since readers copy it.
"""

import difflib
import re

from engine.blocks import SHOWN_OUTPUT, Block, Run, kept_lines
from engine.claims import shows
from engine.config import PostError, locked_jax, where
from engine.post import Post
from engine.runs import Outcome, Record


class BlockFailure(Exception):
    """A block raised, hung, or printed something other than what the page shows for it."""


def printed(outcome: Outcome) -> str:
    """What a reader's terminal shows: what the block printed, then what it raised."""
    return outcome.stdout + (outcome.raised or "")


def check(block: Block, record: Record | None) -> None:
    """Raise BlockFailure unless the block did what the page promises in this run."""
    if block.runner is None:
        if block.language in ("python", "py"):
            try:
                compile(block.code, block.where, "exec")
            except SyntaxError as err:
                raise BlockFailure(f"{block.where}: a norun block does not parse: {err}") from None
        return
    outcome = record.outcomes[block.index]
    if outcome.error:
        raise BlockFailure(f"{block.where}: the block failed\n\n{outcome.error}")
    if block.raises and not outcome.raised:
        raise BlockFailure(f"{block.where}: it should raise {block.raises}, and raised nothing")
    check_output(block, printed(outcome), record.run)


def check_output(block: Block, text: str, run: Run) -> None:
    """Fail unless ``text`` is what the page shows, or keeps, for ``run``."""
    kept = next((k for k in block.kept if k.covers(run)), None)
    if kept and shows(run):
        raise PostError(f"{block.where}: an output is kept for {run}, the run the page shows")
    expected = block.expected(run)
    if expected is None:
        if text:
            raise BlockFailure(
                f"{block.where}: the block prints output the page does not show; "
                f"add it under the block (make outputs does):\n{SHOWN_OUTPUT}\n{text}"
            )
        return
    if same(block, expected, text):
        return
    at = block.post.post_lines[kept.first if kept else block.output[0] + 1]
    what = f"the output kept for {kept.backend} with jax {', '.join(kept.series)}" if kept else (
        "the output shown under it")  # fmt: skip
    diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                        "on the page", "printed now"))  # fmt: skip
    hint = "" if kept or shows(run) else (
        f"\nThe page shows what the CPU prints with jax {locked_jax()}; if this run ({run}) "
        "rightly prints otherwise, keep its output with make outputs:\n"
        + "\n".join(kept_lines(run.backend, [run.series], text)))  # fmt: skip
    raise BlockFailure(
        f"{where(block.post.path, at, block.post.root)}: {what} (the block at line {block.line}) "
        f"differs:\n{diff}{hint}"
    )


def same(block: Block, expected: str, text: str) -> bool:
    """Compare as the block asks: timings by their words, some outputs ignoring whitespace."""
    if "output_timings" in block.marks:
        return words(expected) == words(text)
    if block.ignore_whitespace:
        return re.sub(r"\s+", "", expected) == re.sub(r"\s+", "", text)
    return expected == text


def words(text: str) -> str:
    """The text with every number replaced by #: what a timing's output must keep."""
    return " ".join(re.sub(r"\d[\d,]*(?:\.\d+)?", "#", text).split())


def problems(post: Post, record: Record) -> dict[int, str]:
    """Each failing block's index, and what is wrong with it."""
    found = {}
    for block in post.blocks:
        try:
            check(block, record)
        except (BlockFailure, PostError) as failure:
            found[block.index] = str(failure)
    return found
