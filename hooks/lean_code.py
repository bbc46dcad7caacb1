"""A Markdown extension: highlighted code with far fewer elements, drawn exactly the same.

Pygments wraps every token in a span. On the first post that was 2,700 elements, three in four
of the page, and a phone spent hundreds of milliseconds styling them. Two kinds of span change
nothing a reader sees: plain names (``n``) and whitespace (``w``), which Material colours as
ordinary code text, and a run of spans of the same class, which can be one span. This removes
the first and joins the second; the text, and so what the copy button copies, is unchanged.

It is a Markdown extension rather than a MkDocs hook so that it moves with mkdocs.yml to any
renderer that runs Python-Markdown extensions.
"""

import re

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

CODE = re.compile(r"(<code[^>]*>)(.*?)(</code>)", re.DOTALL)
PLAIN = re.compile(r'<span class="[nw]">([^<]*)</span>')
RUN = re.compile(r'<span class="([\w ]+)">[^<]*</span>(?:<span class="\1">[^<]*</span>)+')
TEXT = re.compile(r">([^<]*)</span>")


def joined(run: re.Match) -> str:
    """One span holding the text of a run of spans of the same class."""
    return f'<span class="{run[1]}">{"".join(TEXT.findall(run[0]))}</span>'


def lean(html: str) -> str:
    """Return ``html`` with its code's plain spans removed and same-class runs joined."""

    def inside(code: re.Match) -> str:
        return code[1] + RUN.sub(joined, PLAIN.sub(r"\1", code[2])) + code[3]

    return CODE.sub(inside, html)


class LeanCode(Postprocessor):
    """Runs last, once the highlighted blocks are back in the page."""

    def run(self, text: str) -> str:
        """Lean every code element of the page."""
        return lean(text)


class LeanCodeExtension(Extension):
    """Register the postprocessor after Python-Markdown restores raw HTML (priority 30)."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Add the postprocessor."""
        md.postprocessors.register(LeanCode(md), "lean_code", 5)


def makeExtension(**kwargs: object) -> LeanCodeExtension:
    """Let Markdown load this module by name."""
    return LeanCodeExtension(**kwargs)
