"""Verify a page's blocks, one way for every tool: the tests (blog/pytest_plugin.py), `make
serve` (hooks/serve_check.py) and `make outputs` (blog/outputs.py) read a page and judge a
block here.

A post is read through blog/post.py, so its front matter is checked wherever it is read; any
other page under docs/ is read as it is. A block that runs must print what the page shows for
this run (blog/run.py); a block marked norun must still parse, since readers copy it.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from blog.blocks import Block, chains, read_blocks
from blog.includes import expand
from blog.outcomes import cached_run
from blog.post import Post, is_post
from blog.project import PostError
from blog.run import BlockFailure, Outcome, check_output, run_on


def blocks_of(page: Path) -> list[Block]:
    """The blocks of a page under docs/: a post's with its front matter checked."""
    return Post.read(page).blocks if is_post(page) else read_blocks(expand(page))


def check(block: Block, outcome: Outcome | None) -> None:
    """Raise BlockFailure unless the block did what the page promises."""
    if block.runner is None:
        compile_only(block)
    else:
        check_output(block, outcome, run_on())


def compile_only(block: Block) -> None:
    """A block marked norun still has to be valid code: it is shown to be copied."""
    if block.language in {"python", "py"}:
        try:
            compile(block.code, block.where, "exec")
        except SyntaxError as err:
            raise BlockFailure(f"{block.where}: a norun block does not parse: {err}") from None


def problems(blocks: list[Block]) -> dict[int, str]:
    """Run (or reuse) every chain of a page's blocks; map each failing block's index to what
    is wrong with it.
    """
    groups = chains(blocks)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        done = [outcomes for outcomes, _ in pool.map(cached_run, groups)]
    ran = {id(block): outcome for chain, outcomes in zip(groups, done, strict=True)
           for block, outcome in zip(chain, outcomes, strict=True)}  # fmt: skip
    found = {}
    for index, block in enumerate(blocks):
        try:
            check(block, ran.get(id(block)))
        except (BlockFailure, PostError) as failure:
            found[index] = str(failure)
    return found
