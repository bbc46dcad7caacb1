r"""Math, drawn by KaTeX when the site is built: a page carries finished HTML and MathML, and a
reader's browser runs no script for it.

pymdownx.arithmatex leaves ``\(...\)`` and ``\[...\]`` in marked elements; this step hands every
formula of a page to KaTeX (npm, package-lock.json) in one node process, and links KaTeX's
stylesheet and fonts (woff2, which every browser the site supports reads), served by the site.
A formula KaTeX cannot read fails the build, naming the page and the formula.
"""

import html as markup
import json
import posixpath
import re
import shutil
import subprocess
from pathlib import Path

from engine.config import ROOT, PostError

KATEX = ROOT / "node_modules" / "katex" / "dist"
FORMULA = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
ASSETS = "assets/katex"
RENDER = """const katex = require(process.argv[1]); let input = "";
process.stdin.on("data", (d) => (input += d)).on("end", () => {
  const out = JSON.parse(input).map(([tex, display]) => {
    try { return katex.renderToString(tex, { displayMode: display, throwOnError: true }); }
    catch (e) { return { error: `${e.message}: ${tex}` }; } });
  process.stdout.write(JSON.stringify(out)); });"""


def render(formulas: list[tuple[str, bool]], page: str) -> list[str]:
    """Each formula as KaTeX draws it."""
    if not KATEX.is_dir():
        raise PostError(f"{page}: its math needs KaTeX from npm: `make` installs it (npm ci)")
    node = ["node", "-e", RENDER, str(KATEX / "katex.js")]
    done = subprocess.run(
        node, input=json.dumps(formulas), capture_output=True, text=True, check=True
    )
    drawn = json.loads(done.stdout)
    for item in drawn:
        if isinstance(item, dict):
            raise PostError(f"{page}: KaTeX cannot draw a formula: {item['error']}")
    return drawn


def stylesheet(site: Path) -> None:
    """KaTeX's stylesheet and its woff2 fonts, under the site, once."""
    target = site / ASSETS
    if (target / "katex.min.css").exists():
        return
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    css = (KATEX / "katex.min.css").read_text(encoding="utf-8")
    css = re.sub(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)', "", css)
    (target / "katex.min.css").write_text(css, encoding="utf-8")
    for font in (KATEX / "fonts").glob("*.woff2"):
        shutil.copyfile(font, target / "fonts" / font.name)


def step(html: str, page: str, site: Path) -> str:
    found = list(FORMULA.finditer(html))
    if not found:
        return html
    formulas = [(markup.unescape(m[2]).strip()[2:-2], m[1] == "div") for m in found]
    drawn = iter(render(formulas, page))
    html = FORMULA.sub(lambda m: f'<{m[1]} class="math">{next(drawn)}</{m[1]}>', html)
    stylesheet(site)
    href = posixpath.relpath(f"{ASSETS}/katex.min.css", posixpath.dirname(page))
    return html.replace("</head>", f'<link rel="stylesheet" href="{href}">\n</head>', 1)
