"""`make outputs`: run every post's blocks here, and rewrite what the posts show or keep, in place.

In the run the pages show (the CPU, the lock's JAX), the output under a block becomes what it
prints; another run's output that used to be the shown one is kept for each run the page still
claims (engine/claims.py). In any other run (a GPU, `make outputs JAX=0.11`), the shown output
is never touched: the run's own output is kept unshown, joined to a kept output on the same
backend that prints the same, and dropped where it prints what the page shows. So a diff made on
the newest JAX passes there and on the lock's. Timings are never rewritten (make bench measures
them), and an output included from a results file is refused.
"""

import argparse
import sys

from engine.blocks import Block, Kept, Run, kept_lines, shown_lines
from engine.claims import claimed, shows
from engine.config import ROOT, PostError, where
from engine.post import Post, posts, read
from engine.runs import record
from engine.verify import printed


def new_outputs(
    block: Block, text: str, run: Run, claims: list[Run]
) -> tuple[str | None, list[Kept]]:
    """The shown output and the kept ones that make ``block`` expect ``text`` in ``run`` and
    leave what it expects in every other run it is checked on as it was.
    """
    shown, kept = block.shown, [Kept(k.backend, list(k.series), k.text, 0, 0) for k in block.kept]
    if shows(run):
        for other in claims:  # runs that expect the old shown output keep it
            if shown is not None and shown != text and block.expected(other) == shown:
                keep(kept, other, shown)
        shown = text or None  # a block that prints nothing shows no output
    elif text != (block.expected(run) or ""):  # printing nothing is expecting no output
        keep(kept, run, None if (text or None) == shown else text)
    return shown, [k for k in kept if k.series and k.text != shown]


def keep(kept: list[Kept], run: Run, text: str | None) -> None:
    """Make ``run`` expect ``text`` (None: the shown output) among the kept outputs."""
    for entry in kept:
        if entry.covers(run):
            entry.series.remove(run.series)
    if text is None:
        return
    same = next((k for k in kept if k.backend == run.backend and k.text == text), None)
    if same:
        same.series.append(run.series)
    else:
        kept.append(Kept(run.backend, [run.series], text, 0, 0))


def region(block: Block, shown: str | None, kept: list[Kept]) -> list[str]:
    """The lines under a block's closing fence: its shown output, then the kept ones."""
    title = block.output_title or (f"Output (raises {block.raises})" if block.raises else "Output")
    lines = shown_lines(shown, title, block.indent) if shown is not None else []
    for entry in kept:
        lines += kept_lines(entry.backend, sorted(entry.series), entry.text, block.indent)
    return lines


def update(post: Post, run_of: object = record) -> int:
    """Run the post, rewrite what its blocks show and keep; return how many blocks changed."""
    result = run_of(post)
    claims = claimed(post)
    edits = []
    for block in post.blocks:
        if not block.runner or "output_timings" in block.marks:
            continue
        outcome = result.outcomes[block.index]
        if outcome.error:
            raise PostError(f"{block.where}: the block failed, so its output cannot be "
                            f"recorded:\n{outcome.error}")  # fmt: skip
        shown, kept = new_outputs(block, printed(outcome), result.run, claims)
        if shown == block.shown and [(k.backend, sorted(k.series), k.text) for k in kept] == [
            (k.backend, sorted(k.series), k.text) for k in block.kept
        ]:
            continue
        lines = block.post.post_lines
        first, last = lines[block.close] + 1, lines[block.end]
        if any(
            o.file != where(post.path, root=post.root)
            for o in post.expanded.origins[block.close + 1 : block.end + 1]
        ):
            raise PostError(
                f"{block.where}: its output is included from a file; make bench writes it"
            )
        edits.append((first, last, region(block, shown, kept)))
    text = post.path.read_text(encoding="utf-8").splitlines()
    for first, last, new in sorted(edits, reverse=True):  # bottom up: line numbers stay true
        text[first - 1 : last] = new
    if edits:
        post.path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return len(edits)


def main() -> None:
    """Update every post (drafts too), or those named; say what changed."""
    parser = argparse.ArgumentParser(prog="make outputs", description=__doc__)
    parser.add_argument("posts", nargs="*", help="default: every post")
    chosen = [read(path) for path in parser.parse_args().posts] or posts(drafts=True)
    try:
        for post in chosen:
            changed = update(post)
            print(f"{post.path.relative_to(ROOT)}: {changed} block(s) rewritten")
    except PostError as problem:
        sys.exit(f"make outputs: {problem}")


if __name__ == "__main__":
    main()
