"""Fixes that axe-core asks for and no setting of Material provides.

- Material marks the search panel role="dialog" without naming it (aria-dialog-name). Naming
  it here beats copying Material's template to change one tag.
- A code block that scrolls sideways must be reachable by keyboard (scrollable-region-focusable).
  On notebook pages each cell's code gets tabindex="0". In a post, Material's script gives one to
  a block that scrolls, but only once the block nears the screen (extra.css lets the browser
  skip blocks off screen), so here every block with a line wider than a phone shows gets it.
"""

import html as markup
import re
from pathlib import Path

UNNAMED_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED_DIALOG = UNNAMED_DIALOG.replace(">", ' aria-label="Search">')


NOTEBOOK_CODE = '<div class="highlight-ipynb'
FOCUSABLE_CODE = '<div tabindex="0" class="highlight-ipynb'
CODE_BLOCK = re.compile(r"(<pre><span></span><code)(>.*?</code></pre>)", re.DOTALL)
PHONE_COLUMNS = 40  # characters of code a 390 px wide phone shows in a post's column


def too_wide_for_a_phone(code: str) -> bool:
    text = markup.unescape(re.sub(r"<[^>]+>", "", code))
    return max(map(len, text.splitlines() or [""])) > PHONE_COLUMNS


def focusable_if_wide(block: re.Match) -> str:
    opening, rest = block[1], block[2]
    return f'{opening} tabindex="0"{rest}' if too_wide_for_a_phone(rest[1:]) else block[0]


def step(html: str, page: str, site: Path) -> str:
    """Name the dialog on every page; let keyboards reach notebook code that scrolls."""
    html = html.replace(UNNAMED_DIALOG, NAMED_DIALOG)
    if page.startswith("notebooks/"):
        return html.replace(NOTEBOOK_CODE, FOCUSABLE_CODE)
    return CODE_BLOCK.sub(focusable_if_wide, html)
