"""What mkdocs-jupyter writes that a static page should not carry.

- Its MathJax loader, on every page: on a notebook page it fetches MathJax from a CDN, which this
  site never asks of a reader. The posts' notebooks hold no math (engine/notebook.py).
- JupyterLab's whole stylesheet, about 590 kB inline in each notebook page, parsed on every visit
  and matched against every element, though most of it styles JupyterLab's own interface. A
  notebook page links instead one file of the rules that can match it (each class a selector
  requires is on the page), in the order the inline styles had, which a browser caches and the
  CSP allows as 'self'. Dropped too: a <style> holding the repr of a Python list, and the
  ``::selection`` colours, which make the browser restyle a selection for every element at
  each of Material's restyles at start.
"""

import hashlib
import posixpath
import re
from itertools import pairwise
from pathlib import Path

import tinycss2
from tinycss2.ast import Node

from engine.store import Store, digest

MATHJAX_LOADER = re.compile(r"\s*<script data-mkdocs-jupyter-mathjax=.*?</script>", re.S)
STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)
NOT_CSS = re.compile(r"\s*\['")  # mkdocs-jupyter's repr of a list of stylesheets
GROUPING = {"media", "supports", "layer", "container"}
STORE = Store("notebook-css")


def kept(selector: list[Node], classes: frozenset[str]) -> bool:
    """Tell whether a selector may match the page and styles no selected text.

    It cannot match if it requires a class the page lacks or puts :root below another element;
    classes inside :not() and the like are not required, so they are not looked at.
    """
    tokens = [token for token in selector if token.type != "whitespace"]
    for position, (mark, name) in enumerate(pairwise(tokens)):
        if mark.type == "literal" and name.type == "ident":
            if mark.value == "." and name.value not in classes:
                return False
            root = name.lower_value == "root" and position > 0
            if mark.value == ":" and (root or "selection" in name.lower_value):
                return False
    return True


def trimmed(rules: list[Node], classes: frozenset[str]) -> str:
    """The rules that may match the page, serialized in their order."""
    found = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors: list[list[Node]] = [[]]
            for token in rule.prelude:  # split the selector list at its top-level commas
                if token == ",":
                    selectors.append([])
                else:
                    selectors[-1].append(token)
            matching = [tinycss2.serialize(s).strip() for s in selectors if kept(s, classes)]
            if matching:
                found.append(",".join(matching) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPING and rule.content:
            if inner := trimmed(parse(rule.content), classes):
                found.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword != "charset":
            found.append(tinycss2.serialize([rule]))
    return "".join(found)


def parse(css: str | list[Node]) -> list[Node]:
    return tinycss2.parse_rule_list(css, skip_comments=True, skip_whitespace=True)


def trimmed_once(css: str, classes: frozenset[str]) -> str:
    """Every notebook page carries the same styles, and most the same classes: trim each once,
    and keep it (engine/store.py) under a key of the styles, the classes and this code.
    """
    key = digest(Path(__file__).read_bytes(), css, *sorted(classes))
    if (kept := STORE.get(key)) is None:
        STORE.put(key, kept := trimmed(parse(css), classes))
    return kept


def step(html: str, page: str, site: Path) -> str:
    """On every page, no MathJax loader; on a notebook page, its styles in a linked file."""
    html = MATHJAX_LOADER.sub("", html)
    if not (page.startswith("notebooks/") and STYLE_ELEMENT.search(html)):
        return html  # another page, or one finished before
    styles = [css for css in STYLE_ELEMENT.findall(html) if not NOT_CSS.match(css)]
    html = STYLE_ELEMENT.sub("", html)
    classes = frozenset(n for v in re.findall(r'\sclass="([^"]*)"', html) for n in v.split())
    css = '@charset "UTF-8";\n' + "\n".join(trimmed_once(s, classes) for s in styles)
    name = f"assets/notebooks/{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    (site / name).parent.mkdir(parents=True, exist_ok=True)
    (site / name).write_text(css, encoding="utf-8")
    link = f'<link rel="stylesheet" href="{posixpath.relpath(name, posixpath.dirname(page))}">\n'
    return html.replace("</head>", link + "</head>", 1)
