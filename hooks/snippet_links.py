"""MkDocs hook: a code block titled with a snippet file links to that very file.

The site serves each snippets/*.py, and the licence, next to the pages, as the page was built
from them. A reader who wants more than the block takes the whole module in one click. The
served modules leave out the lines that only tooling reads: section markers, isort splits.
"""

import re
from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[1]
TITLE = re.compile(r'<span class="filename">(snippets/\w+\.py)((?: \(continued\))?)</span>')
TOOLING_LINE = re.compile(r"^\s*# (--8<-- \[(start|end):[\w-]+\]|isort: split)\s*$")


def for_readers(source: str) -> str:
    """Return a snippet module without the comment lines that only tools read."""
    return "".join(
        line for line in source.splitlines(keepends=True) if not TOOLING_LINE.match(line)
    )


def on_files(files, config):
    """Publish the snippet modules and the licence that lets readers reuse them."""
    for path in sorted((ROOT / "snippets").glob("*.py")):
        content = for_readers(path.read_text(encoding="utf-8"))
        files.append(File.generated(config, f"snippets/{path.name}", content=content))
    files.append(File.generated(config, "LICENSE", abs_src_path=str(ROOT / "LICENSE")))
    return files


def on_page_content(html, page, config, files):
    """Turn each block title that names a snippet file into a link to it."""

    def link(match: re.Match) -> str:
        href = get_relative_url(match[1], page.url)
        return f'<span class="filename"><a href="{href}">{match[1]}</a>{match[2]}</span>'

    return TITLE.sub(link, html)
