"""A notebook page links one small, cached stylesheet instead of 590 kB inline.

mkdocs-jupyter writes JupyterLab's whole stylesheet into every notebook page as <style>
elements: about 590 kB, parsed again on every visit and matched against every element. Most of
it styles JupyterLab's own interface, which a static page never shows, and 88 kB are icons
declared under `.jupyter-wrapper :root`, a selector that matches nothing. This hook keeps the
rules that can match the page (every class a selector requires is on it), writes them to
assets/notebooks/<hash>.css and links that file at the end of <head>, where the cascade keeps
the order the inline styles had. Notebooks with the same classes share the file, a browser
caches it, and the CSP allows it as 'self'. One <style> that mkdocs-jupyter appends holds the
repr of a Python list, not CSS: it styles nothing, and is dropped. So is JupyterLab's colour for
selected text: a `::selection` rule under the wrapper makes the browser style a selection for
every element each time the page is restyled, a third of that work on a notebook page, and
Material starts by restyling the page several times. Selected text looks as on every other page.
"""

import functools
import hashlib
import re
from itertools import pairwise
from pathlib import Path

import tinycss2
from tinycss2.ast import Node

from blog.finish.pages import is_notebook, relative_url

STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)
CLASS_ATTRIBUTE = re.compile(r'\sclass="([^"]*)"')
NOT_CSS = re.compile(r"\s*\['")  # mkdocs-jupyter's repr of a list of stylesheets
GROUPING_RULES = {"media", "supports", "layer", "container"}


def classes_on(html: str) -> set[str]:
    """Return every class name that the page's elements carry."""
    return {name for value in CLASS_ATTRIBUTE.findall(html) for name in value.split()}


def selectors(prelude: list[Node]) -> list[list[Node]]:
    """Split a rule's selector list at its top-level commas."""
    found: list[list[Node]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            found.append([])
        else:
            found[-1].append(token)
    return found


def selects_text(selector: list[Node]) -> bool:
    """Tell whether a selector styles selected text (::selection, ::-moz-selection)."""
    return any(
        mark.type == "literal" and mark.value == ":" and name.type == "ident"
        and name.lower_value in ("selection", "-moz-selection")
        for mark, name in pairwise(selector)
    )  # fmt: skip


def can_match(selector: list[Node], classes: set[str]) -> bool:
    """Tell whether a selector may match the page.

    It cannot when it requires a class the page lacks, or puts :root below another element.
    Classes inside :not(), :is() and the like are not required, so they are not looked at.
    """
    tokens = [token for token in selector if token.type != "whitespace"]
    for position, (mark, name) in enumerate(pairwise(tokens)):
        if mark.type != "literal" or name.type != "ident":
            continue
        if mark.value == "." and name.value not in classes:
            return False
        if mark.value == ":" and name.lower_value == "root" and position > 0:
            return False
    return True


def trimmed(rules: list[Node], classes: set[str]) -> str:
    """Return the rules that may match the page, serialized, in their original order."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            matching = [s for s in selectors(rule.prelude)
                        if can_match(s, classes) and not selects_text(s)]  # fmt: skip
            if matching:
                head = ",".join(tinycss2.serialize(s).strip() for s in matching)
                kept.append(head + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPING_RULES and rule.content:
            inner = trimmed(parse(rule.content), classes)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword != "charset":  # one, at the top
            kept.append(tinycss2.serialize([rule]))
    return "".join(kept)


def parse(css: str | list[Node]) -> list[Node]:
    """Parse a stylesheet, or a grouping rule's body, into rules; comments left out."""
    return tinycss2.parse_rule_list(css, skip_comments=True, skip_whitespace=True)


@functools.lru_cache(maxsize=16)
def parsed_once(css: str) -> list[Node]:
    """Parse one of mkdocs-jupyter's <style> elements once per build, not once per notebook.

    Every notebook page carries the same ones, and parsing them is most of this hook's time
    (0.4 s a page here); keeping the rules that match a page takes a tenth of that.
    """
    return parse(css)


@functools.lru_cache(maxsize=64)
def trimmed_once(css: str, classes: frozenset[str]) -> str:
    """Trim one <style> element for one set of classes once per build: notebooks whose pages
    carry the same classes (most do) get the same rules, and trimming is 0.07 s a page.
    """
    return trimmed(parsed_once(css), set(classes))


def stylesheet_of(html: str) -> tuple[str, str]:
    """Return the page without its <style> elements, and their rules that may match it."""
    styles = [css for css in STYLE_ELEMENT.findall(html) if not NOT_CSS.match(css)]
    page = STYLE_ELEMENT.sub("", html)
    classes = frozenset(classes_on(page))
    css = '@charset "UTF-8";\n' + "\n".join(trimmed_once(s, classes) for s in styles)
    return page, css


def step(html: str, page: str, site: Path) -> str:
    """On a notebook page: write its stylesheet under the site, and link it from <head>."""
    if not (is_notebook(page) and STYLE_ELEMENT.search(html)):
        return html  # another page, or one finished before
    html, css = stylesheet_of(html)
    name = f"assets/notebooks/{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(css, encoding="utf-8")
    link = f'<link rel="stylesheet" href="{relative_url(name, page)}">\n'
    return html.replace("</head>", link + "</head>", 1)
