"""The harness's markers (``<!-- pytest.mark... -->``) and the outputs a post keeps for other
runs (``<!-- output on gpu: ... -->``) say nothing to a reader: they leave every page, whichever
builder wrote it (the grammar is blog/blocks.py's).
"""

from pathlib import Path

from blog.blocks import without_tooling


def step(html: str, page: str, site: Path) -> str:
    return without_tooling(html)
