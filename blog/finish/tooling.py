"""The harness's markers (``<!-- pytest.mark... -->``) and the outputs a post keeps for other
runs (``<!-- output on gpu: ... -->``) say nothing to a reader: they leave every page.
"""

import re
from pathlib import Path

from blog.blocks import RUN_NAME

MARKER = re.compile(r"^[ \t]*<!--[-\s]*pytest[.-].*?-->[ \t]*\n", re.MULTILINE)
KEPT_OUTPUT = re.compile(rf"^<!-- output on (?:{RUN_NAME}):\n.*?^-->[ \t]*\n", re.M | re.S)


def step(html: str, page: str, site: Path) -> str:
    return KEPT_OUTPUT.sub("", MARKER.sub("", html))
