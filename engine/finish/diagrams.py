"""Mermaid diagrams, drawn as SVG when the site is built: a page carries the finished picture, in
the light palette and the dark, and a reader's browser loads no diagram library.

Material would fetch Mermaid from a CDN to draw ``<pre class="mermaid">`` in the browser; this
step draws each one beforehand with Mermaid from npm in headless Chromium (the browser the tests
use), keeps the drawing under a key of its source (engine/store.py), and puts it in its place.
A diagram says what it shows to readers who cannot see it (``accTitle:``), or the build fails.
"""

import html as markup
import json
import re
from pathlib import Path

from engine.config import CHROMIUM, CHROMIUM_FLAGS, ROOT, PostError
from engine.store import Store, digest

MERMAID = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
DIAGRAM = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.S)
THEMES = {"light": "default", "dark": "dark"}
STORE = Store("diagrams")
DRAW = """async ([id, code, theme]) => {
  mermaid.initialize({ startOnLoad: false, theme, securityLevel: "strict",
                       fontFamily: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                       themeVariables: { fontSize: "22px" } });  // legible when a phone shrinks it
  return (await mermaid.render(id, code)).svg; }"""


def drawn(code: str, page: str) -> dict[str, str]:
    """The diagram's SVG in each palette: kept, or drawn now."""
    version = json.loads((MERMAID.parents[1] / "package.json").read_text())["version"]
    key = digest(code, version, DRAW)  # the drawing follows the code, Mermaid and its settings
    if kept := STORE.get(key):
        return kept
    if not MERMAID.exists():
        raise PostError(f"{page}: its diagram needs Mermaid from npm: `make` installs it (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        tab = browser.new_page()
        tab.add_script_tag(path=str(MERMAID))
        svgs = {
            p: tab.evaluate(DRAW, [f"diagram-{key[:8]}-{p}", code, t]) for p, t in THEMES.items()
        }
        browser.close()
    if "<title" not in svgs["light"]:
        raise PostError(f"{page}: a diagram needs accTitle: (what it shows, for screen readers)")
    STORE.put(key, svgs)
    return svgs


def step(html: str, page: str, site: Path) -> str:
    def replace(match: re.Match) -> str:
        svgs = drawn(markup.unescape(match[1]), page)
        return (
            '<figure class="diagram">'
            + "".join(f'<div class="diagram-{p}">{svg}</div>' for p, svg in svgs.items())
            + "</figure>"
        )

    return DIAGRAM.sub(replace, html)
