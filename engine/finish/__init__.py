"""The finishing step: what every built page must carry, done over the built site, in order.

A builder writes the pages; then each step below rewrites every HTML file, in this order. The
order is written here, not implied by a list of hooks: the Content-Security-Policy comes last,
because it allows by hash exactly the inline code a page ends with. MkDocs runs it after every
build (hooks/site.py); ``python -m engine.finish SITE`` runs it over any built site.
"""

import sys
from pathlib import Path

from engine.blocks import without_tooling
from engine.finish import accessibility, csp, diagrams, math, notebook_pages

STEPS = [
    lambda html, page, site: without_tooling(html),  # harness markers and kept outputs out
    math.step,  # formulas drawn by KaTeX, its stylesheet linked where there are any
    diagrams.step,  # Mermaid diagrams drawn as SVG, light and dark
    accessibility.step,  # what axe-core asks for and Material's templates lack
    notebook_pages.step,  # what mkdocs-jupyter writes that a static page should not carry
    csp.step,  # last: it hashes the inline code the steps above leave
]


def finish(site: Path) -> int:
    """Run every step over every HTML page of ``site``; return how many pages were finished."""
    pages = sorted(site.rglob("*.html"))
    for path in pages:
        html = path.read_text(encoding="utf-8")
        page = path.relative_to(site).as_posix()
        for step in STEPS:
            html = step(html, page, site)
        path.write_text(html, encoding="utf-8")
    return len(pages)


def main() -> None:
    """``python -m engine.finish SITE``."""
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    print(f"finished {finish(site)} pages of {site}")
