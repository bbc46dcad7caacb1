"""MkDocs hook: a code block titled with a snippet file links to that very file.

The site serves each snippets/*.py, and the licence, next to the pages, as the page was built
from them. A reader who wants more than the block takes the whole module in one click. The
served modules leave out the lines that only tooling reads: section markers, isort splits.
"""

import re

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from blog.includes import for_readers
from blog.project import ROOT

TITLE = re.compile(r'<span class="filename">(snippets/\w+\.py)((?: \(continued\))?)</span>')


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
