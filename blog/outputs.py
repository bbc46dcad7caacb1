"""`make outputs`: run every post's blocks, and rewrite the outputs the posts show, in place.

This is how the blog moves to a new JAX: bump the lock, run `make outputs`, read `git diff`.
Each post is edited where its outputs are written: the shown output under a block, or, in a
run unlike the one a block's shown output was printed in, the unshown copy kept for that run
(``<!-- output on gpu: ... -->``, ``<!-- output on jax 0.11: ... -->``), marking the block with
what it shows. An unmarked block's new difference is put down to JAX when this JAX is not the
series the lock pins (the pages are built with that one), else to the backend.
An output included from docs/results/ is refused: `make bench` writes those.
"""

import argparse
import functools
import re
import sys
from pathlib import Path

from blog.blocks import Block, kept_output, mark_line, shown_output
from blog.outcomes import cached_run
from blog.post import Post, posts
from blog.project import ROOT, PostError, where
from blog.run import run_on


@functools.cache
def built_with() -> str:
    """The JAX series the pages are built with, the lock's, as a post names it: "jax 0.10"."""
    pinned = re.search(r"^jax==(\d+\.\d+)\.", (ROOT / "requirements.lock").read_text(), re.M)
    return f"jax {pinned[1]}"


def shown_and_kept(block: Block, on: tuple[str, str]) -> tuple[str, str]:
    """What the page shows the block's output on, and the name a run ``on`` keeps it under."""
    if block.shown_on:
        return block.shown_on, block.kept_under(on)
    backend, series = on
    if series != built_with():
        return built_with(), series
    return "cpu", backend  # posts show what the CPU prints


def edits_for(block: Block, printed: str, on: tuple[str, str]) -> list[tuple[int, int, list[str]]]:
    """The post lines to replace, (first, last, new lines), so the block shows ``printed``."""
    post, lines = block.post, block.post.lines
    code_end, *output = block.fences[1:]
    body = printed.splitlines()
    shown_on, key = shown_and_kept(block, on)
    if key != shown_on and block.expected_output is not None:  # keep this one unshown
        unshown = kept_output(key, body)
        marked = [] if block.shown_on else [(block.line, block.line - 1, [mark_line(shown_on)])]
        if key in block.other_outputs:
            start = lines.index(unshown[0], code_end)
            end = lines.index("-->", start)
            return [*marked, (post.post_lines[start], post.post_lines[end], unshown)]
        at = post.post_lines[output[1]]
        return [*marked, (at + 1, at, unshown)]  # an insertion after the shown output
    if block.expected_output is None:
        at = post.post_lines[code_end]
        return [(at + 1, at, shown_output(body))]
    start, end = output[:2]
    if any(origin.file != where(post.path) for origin in post.origins[start + 1 : end]):
        raise PostError(
            f"{block.where}: its output is included from a results file; make bench writes it"
        )
    return [(post.post_lines[start] + 1, post.post_lines[end] - 1, body)]


def needs_edit(block: Block, printed: str, on: tuple[str, str]) -> bool:
    """Tell whether the post shows (or keeps) something else than ``printed`` for ``on``."""
    if block.mark("output_timings"):
        return False  # timings come from make bench, never from this run
    expected = block.output_for(on)
    return expected != printed and not (expected is None and not printed)


def update(post: Post, on: tuple[str, str]) -> int:
    """Run the post's blocks and rewrite what they show; return how many blocks changed."""
    edits = []
    for chain in post.chains:
        outcomes, _ = cached_run(chain, reuse=True)
        for block, outcome in zip(chain, outcomes, strict=True):
            if outcome.error:
                raise PostError(f"{block.where}: the block failed, so its output cannot be "
                                f"recorded:\n{outcome.error}")  # fmt: skip
            if needs_edit(block, outcome.stdout, on):
                edits += edits_for(block, outcome.stdout, on)
    lines = post.path.read_text(encoding="utf-8").splitlines()
    for first, last, new in sorted(edits, reverse=True):  # bottom up: line numbers stay true
        lines[first - 1 : last] = new
    if edits:
        post.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(edits)


def main() -> None:
    """Update every post (drafts too), or the ones named; say what changed."""
    parser = argparse.ArgumentParser(prog="make outputs", description=__doc__)
    parser.add_argument("posts", nargs="*", type=Path, help="default: every post")
    chosen = [Post.read(path) for path in parser.parse_args().posts] or posts(drafts=True)
    on = run_on()
    try:
        for post in chosen:
            changed = update(post, on)
            print(f"{post.path.relative_to(ROOT)}: {changed} output(s) rewritten on "
                  + " with ".join(on))  # fmt: skip
    except PostError as problem:
        sys.exit(f"make outputs: {problem}")


if __name__ == "__main__":
    main()
