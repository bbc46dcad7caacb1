"""What every built page must keep true, read from the HTML alone: the same bytes give the same
verdict on any machine, busy or not.

- Budgets that are counts: the bytes a first visit transfers, gzipped as served; the elements in
  the document; the rules in its stylesheets; code lines wrapped in elements Pygments did not
  write (line spans make Material restyle once per block).
- No unrendered Markdown outside code: a literal ``=== "``, ``!!!``, a code fence or ``{{``.
- A post's prose (outside code, block titles and its "How this was checked" box) names no file
  path, commit hash, test or machine, and no sentence runs past 40 words.
"""

import functools
import gzip
import html as markup
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import tinycss2


@dataclass(frozen=True)
class Budget:
    limit: int
    unit: str
    why: str


BUDGETS = {
    "bytes": Budget(450_000, "bytes", "a first visit on a slow 4G connection"),
    "elements": Budget(6_000, "elements", "style and layout work grow with the document"),
    "style_rules": Budget(2_000, "rules", "each restyle matches every element against them"),
    "wrapped_code_lines": Budget(0, "elements", "line wrappers make Material restyle per block"),
}
STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"')
SCRIPT = re.compile(r'<script[^>]+src="([^"]+)"')
EAGER_IMAGE = re.compile(r'<img(?![^>]*loading="lazy")[^>]+src="([^"]+)"')
SEARCH = ["search/search_index.json"]  # every page's search fetches it at load
KATEX_FONTS = ["KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2"]  # every formula's


@functools.cache  # every page links the same stylesheets and scripts
def gzipped(path: Path) -> int:
    data = path.read_bytes()
    return (
        len(gzip.compress(data))
        if path.suffix in {".html", ".css", ".js", ".json", ".svg"}
        else len(data)
    )


def linked(html: str, page: Path, site: Path, pattern: re.Pattern) -> list[Path]:
    """The site's files a page links with ``pattern`` (nothing off the site: there is none)."""
    found = []
    for url in pattern.findall(html):
        path = urlsplit(url).path
        if path and not urlsplit(url).scheme:
            found.append(
                (site / path.lstrip("/"))
                if path.startswith("/")
                else (page.parent / path).resolve()
            )
    return [p for p in found if p.is_file()]


@functools.cache
def style_rules(css: str) -> int:
    """Rules in a stylesheet, those inside @media and the like included."""
    count = 0
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            count += 1
        elif rule.type == "at-rule" and rule.content is not None:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            count += 1 + sum(1 for r in inner if r.type == "qualified-rule")
    return count


def counts(page: Path, site: Path) -> dict[str, int]:
    """A page's numbers for each budget."""
    html = page.read_text(encoding="utf-8")
    sheets = linked(html, page, site, STYLESHEET)
    fetched = [
        page,
        *sheets,
        *linked(html, page, site, SCRIPT),
        *linked(html, page, site, EAGER_IMAGE),
    ]
    fetched += [site / name for name in SEARCH if (site / name).exists()]
    if 'class="katex"' in html:
        fetched += [site / "assets/katex/fonts" / font for font in KATEX_FONTS]
    code = re.findall(r"<pre[^>]*>\s*<code[^>]*>(.*?)</code>", html, re.S)
    return {
        "bytes": sum(gzipped(path) for path in dict.fromkeys(fetched)),
        "elements": len(re.findall(r"<[a-zA-Z][\w-]*", html)),
        "style_rules": sum(style_rules(sheet.read_text(encoding="utf-8")) for sheet in sheets),
        "wrapped_code_lines": sum(len(re.findall(r"<\w+(?![^>]*\bclass=)[\s>]", c)) for c in code),
    }


def over_budget(numbers: dict[str, int]) -> list[str]:
    return [f"{name} {numbers[name]:,} > {budget.limit:,} {budget.unit} ({budget.why})"
            for name, budget in BUDGETS.items() if numbers[name] > budget.limit]  # fmt: skip


# --- what a reader reads ----------------------------------------------------------------------

HIDDEN = re.compile(r"(?s)<(script|style|pre|code|textarea|svg|math)\b[^>]*>.*?</\1>")
DRAWN = re.compile(r"(?s)<(script|style|pre|textarea|svg|math)\b[^>]*>.*?</\1>")
RAW_MARKDOWN = re.compile(r'(?m)===\s+"|^\s*!!!\s+\w|```|\{\{')


def text_of(html: str, hidden: re.Pattern = HIDDEN) -> str:
    """A fragment's text, outside code (``hidden``), as a reader reads it."""
    return markup.unescape(re.sub(r"<[^>]+>", " ", hidden.sub(" ", html)))


def unrendered(html: str) -> list[str]:
    """Each line of the page that shows Markdown syntax a renderer should have consumed."""
    return [line.strip() for line in text_of(html).splitlines() if RAW_MARKDOWN.search(line)]


def prose(html: str) -> list[str]:
    """A post's paragraphs and list items, outside code, block titles and its checked box."""
    article = html.split('<article class="md-content__inner', 1)[-1].split("</article>", 1)[0]
    article = re.sub(r"(?s)<details[^>]*>\s*<summary>How this was checked</summary>.*", "", article)
    article = re.sub(r'(?s)<span class="filename">.*?</span>', " ", article)
    article = re.sub(r'(?s)<sup id="fnref:.*?</sup>', "", article)  # a footnote's number
    found = re.findall(r"(?s)<(?:p|li)\b[^>]*>(.*?)</(?:p|li)>", article)
    found = [re.sub(r"(?s)<code>(.*?)</code>", r"`\1`", p) for p in found]  # inline code is read
    return [" ".join(text_of(p, DRAWN).split()) for p in found]


NOT_IN_PROSE = {
    "a file path": r"\b(?:[\w.-]+/)+[\w.-]+\.(?:py|json|md|txt|log|cc|yml|toml|lock|ipynb)\b",
    "a commit hash": r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b",
    "a test": r"\btest_\w+|\btests/",
    "a machine string": r"\b(?:AMD|Intel|EPYC|Xeon|Ryzen)\b|\(\d+ cores\)",
}
MAX_WORDS = 40


def prose_problems(html: str) -> list[str]:
    """What a post's prose says that belongs in its box, and its sentences that run too long."""
    found = []
    for text in prose(html):
        for what, pattern in NOT_IN_PROSE.items():
            found += [
                f"{what} in the prose: {m[0]!r} in {text[:60]!r}"
                for m in re.finditer(pattern, text)
            ]
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z`\"(\[])", text):
            if len(sentence.split()) > MAX_WORDS:
                found.append(f"a sentence of {len(sentence.split())} words: {sentence[:80]!r}...")
    return found
