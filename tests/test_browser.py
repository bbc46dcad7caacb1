"""The built site in a real browser: Debian's Chromium, driven by Playwright, on loopback.

Each page is visited once, as a first-time reader on a phone: it must load with no console error,
no request off the site and no CSP violation; on a CPU slowed to a mid-tier phone's, its main
thread may block for at most BLOCKING_MS; it sets up no code block beyond the first screen; at
390 px no table, output or identifier spills or breaks, and no chart's text is drawn under 11 px;
axe-core finds nothing serious in the light palette, nor after the reader's toggle to dark; and
a post's copy buttons copy their blocks. What a browser saw of a site's bytes is kept (engine/
store.py) only when it found nothing wrong. Screenshots land in test-artifacts/screenshots/.
"""

import functools
import json
import statistics
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from engine.config import CHROMIUM, CHROMIUM_FLAGS, ROOT
from engine.post import posts
from engine.store import Store, count, digest

POST_URLS = [post.url for post in posts()]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
BLOCKING_MS = 1_000  # Lighthouse's total blocking time on a mid-tier phone
PHONE_INDEX = 650  # that phone, in Lighthouse's benchmark index (its throttling docs: 125-800)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
START = """window.__csp = []; window.__longTasks = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
new PerformanceObserver((l) => { for (const t of l.getEntries()) window.__longTasks.push(t.duration); })
  .observe({type: "longtask", buffered: true});"""
IDLE = """() => new Promise((done) => { const look = () => requestIdleCallback(
  (idle) => idle.timeRemaining() > 40 ? done() : look()); look(); })"""
# At 390 px: what spills sideways or breaks mid-word, chart text drawn too small, and anything that
# makes the page itself wider than the screen (outside a box that scrolls on its own).
PHONE_LAYOUT = """async () => {
  const found = [];
  for (const table of document.querySelectorAll("article table"))
    if (table.scrollWidth > table.parentElement.clientWidth + 1) found.push(`a table ${table.scrollWidth} px wide`);
  for (const out of document.querySelectorAll(".language-text pre > code"))
    if ([out, out.parentElement].some((e) => e.scrollWidth > e.clientWidth + 1))
      found.push(`an output that scrolls: ${out.textContent.slice(0, 40)}`);
  for (const code of document.querySelectorAll("article :is(p, li, td) > code"))
    if (code.getClientRects().length > 1 && !/\\s/.test(code.textContent)) found.push(`${code.textContent} broken across lines`);
  for (const img of document.querySelectorAll("article img[src*='.svg']")) {
    img.loading = "eager"; await img.decode().catch(() => {});
    if (!img.offsetWidth) continue;
    const svg = new DOMParser().parseFromString(await (await fetch(img.src)).text(), "image/svg+xml").documentElement;
    const sizes = [...svg.querySelectorAll("text, [style*='font']")].map((t) => parseFloat(
      (t.getAttribute("style") || "").match(/font[^;]*?([\\d.]+)px/)?.[1] || t.getAttribute("font-size") || 99));
    const drawn = Math.min(...sizes, 99) * img.offsetWidth / svg.viewBox.baseVal.width;
    if (drawn < 11) found.push(`chart text ${drawn.toFixed(1)} px: ${img.getAttribute("src")}`);
  }
  const scrolls = (e) => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
    if (getComputedStyle(p).overflowX !== "visible") return true; return false; };
  const past = [...document.querySelectorAll("article *")].find((e) => e.getBoundingClientRect().right > screen.width + 1 && !scrolls(e));
  if (past) found.push(`a page wider than the screen, past its edge: ${past.tagName.toLowerCase()}.${past.classList[0] || ""}`);
  return found; }"""
SET_UP_AT_LOAD = """() => { const blocks = [...document.querySelectorAll("div.highlight")];
  return blocks.filter((b) => b.querySelector("button[data-md-type=copy]")
    && b.getBoundingClientRect().top > innerHeight).length; }"""


@functools.cache
def benchmark_index_source() -> str:
    """Lighthouse's own benchmark-index function (npm), as JavaScript source."""
    script = ("import('lighthouse/core/lib/page-functions.js').then((m) => "
              "console.log(m.pageFunctions.computeBenchmarkIndex.toString()))")  # fmt: skip
    return subprocess.run(["node", "--input-type=module", "-e", script], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=60).stdout  # fmt: skip


class Reader:
    """One tab that loads page after page as a first visit: cache off, storage cleared."""

    def __init__(self, browser, server: str) -> None:
        context = browser.new_context(
            viewport=PHONE, color_scheme="light", permissions=["clipboard-read", "clipboard-write"]
        )
        self.page, self.server, self.problems = context.new_page(), server, []
        self.devtools = context.new_cdp_session(self.page)
        self.devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.page.add_init_script(START)
        self.page.on(
            "console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}")
        )
        self.page.on(
            "request",
            lambda r: r.url.startswith(server) or self.problems.append(f"off the site: {r.url}"),
        )
        self.page.goto(server + "404.html")

    def blocking_ms(self, path: str) -> float:
        """Load the page on a CPU slowed to the phone's, calibrated just before; return the
        main thread's blocking time, as Lighthouse counts it."""
        self.page.evaluate("localStorage.clear(); sessionStorage.clear()")
        index = self.page.evaluate(f"({benchmark_index_source()})()")
        self.devtools.send(
            "Emulation.setCPUThrottlingRate", {"rate": max(1.0, index / PHONE_INDEX)}
        )
        self.page.goto(self.server + path)
        self.page.evaluate(IDLE)
        self.devtools.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        scale = min(1.0, index / PHONE_INDEX)  # a host slower than the phone ran unslowed
        return sum(max(0.0, t * scale - 50) for t in self.page.evaluate("window.__longTasks"))


def visit(reader: Reader, path: str, axe: str) -> dict:
    """Everything a browser sees of one page; empty lists where all is well."""
    reader.problems = []
    blocking = [reader.blocking_ms(path)]
    while len(blocking) < 3 and max(blocking) > BLOCKING_MS:  # a burst of other work: look again
        blocking.append(reader.blocking_ms(path))
    page = reader.page
    found = {
        "load": reader.problems + page.evaluate("window.__csp"),
        "phone": page.evaluate(PHONE_LAYOUT),
    }
    found["budgets"] = []
    if statistics.median(blocking) > BLOCKING_MS:
        found["budgets"].append(f"blocking {statistics.median(blocking):.0f} ms > {BLOCKING_MS} ms")
    if set_up := page.evaluate(SET_UP_AT_LOAD):
        found["budgets"].append(f"{set_up} code blocks set up at load past the first screen")
    page.set_viewport_size(DESKTOP)
    found["light"] = axe_findings(page, axe)  # at rest, from the top
    if path in ["", *POST_URLS]:
        screenshots(page, path)
        found["copy"] = copies_unlike_their_blocks(page) if path else []
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.locator("body[data-md-color-scheme=slate]").wait_for()
    found["dark"] = axe_findings(page, axe, ["color-contrast", "link-in-text-block"])
    page.set_viewport_size(PHONE)
    return found


def axe_findings(page: Page, axe: str, rules: list[str] | None = None) -> list[str]:
    page.evaluate(
        "() => { const s = new CSSStyleSheet(); s.replaceSync('* { content-visibility: visible !important; transition: none !important }'); document.adoptedStyleSheets = [s]; scrollTo(0, 0); }"
    )
    page.evaluate(axe)
    only = f", runOnly: {{type: 'rule', values: {json.dumps(rules)}}}" if rules else ""
    violations = page.evaluate(
        f"axe.run({{resultTypes: ['violations']{only}}}).then(r => r.violations)"
    )
    return [f"{v['id']} ({v['impact']}): {v['help']}, at {v['nodes'][0]['target']}"
            for v in violations if v["impact"] in ("serious", "critical")]  # fmt: skip


# A block in a closed <details> or in a tab not selected is first shown, as a reader would.
SHOW_BLOCK = """b => { const d = b.closest("details"); if (d) d.open = true;
  const t = b.closest(".tabbed-block"); if (t) t.closest(".tabbed-set")
    .querySelector(":scope > .tabbed-labels").children[[...t.parentElement.children].indexOf(t)].click(); }"""


def copies_unlike_their_blocks(page: Page) -> list[str]:
    blocks, wrong = page.locator("div.highlight"), []
    for i in range(blocks.count()):
        blocks.nth(i).evaluate(SHOW_BLOCK)
        blocks.nth(i).hover()  # in view, Material gives the block its button
        blocks.nth(i).locator("button[data-md-type=copy]").click()
        copied, shown = (
            page.evaluate("navigator.clipboard.readText()"),
            blocks.nth(i).locator("pre > code").text_content(),
        )
        if copied.strip() != shown.strip():
            wrong.append(f"block {i + 1} copied {copied[:50]!r}")
    return wrong


def screenshots(page: Page, path: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(
            path=SCREENSHOTS / f"{path.strip('/').replace('/', '-') or 'home'}-{name}.png"
        )
    page.set_viewport_size(DESKTOP)


@pytest.fixture(scope="module")
def chromium():
    """One browser for every test here."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run .ci/install-tools (a browser test is never skipped)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def visits(site, server, chromium) -> dict[str, dict]:
    """Every page's visit, or a kept one of the same bytes that found nothing wrong."""
    files = [p for p in sorted(site.rglob("*.html")) if 'http-equiv="refresh"' not in p.read_text()]
    paths = [p.relative_to(site).as_posix().removesuffix("index.html") for p in files]
    every = sorted(p for p in site.rglob("*") if p.is_file() and not p.name.startswith("feed_"))
    # (the feeds date themselves)
    key = digest(
        Path(__file__).read_bytes(),
        *(str(p.relative_to(site)).encode() + p.read_bytes() for p in every),
    )
    kept = Store("browser")
    count("browser", reused=(found := kept.get(key)) is not None)
    if found is None:
        axe, reader = AXE.read_text(encoding="utf-8"), Reader(chromium, server)
        found = {path: visit(reader, path, axe) for path in paths}
        if not any(v for page in found.values() for v in page.values()):
            kept.put(key, found)
    return found


@pytest.mark.parametrize("check", ["load", "budgets", "phone", "light", "dark", "copy"])
def test_every_page_in_a_browser(visits, check):
    assert {path: found[check] for path, found in visits.items() if found.get(check)} == {}


BROKEN = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'"><title>broken</title>
<link rel="stylesheet" href="https://cdn.example.org/x.css"></head><body><main><h1>Broken</h1>
<img src="a.svg"><script>console.error("planted")</script>{blocks}</main></body></html>"""
BLOCK = '<div class="highlight"><pre><code>x = 1</code><button data-md-type="copy"></button></pre></div>'


def test_a_visit_finds_each_planted_fault(tmp_path, chromium):
    """An inline script the CSP does not allow, a stylesheet off the site, an image without alt
    text, and code blocks set up at load below the first screen: each is named."""
    from tests.static_host import serving

    (tmp_path / "index.html").write_text(BROKEN.format(blocks=(BLOCK + "<p>text</p>" * 40) * 5))
    (tmp_path / "a.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'
    )
    with serving(tmp_path) as url:
        reader = Reader(chromium, url)
        reader.page.route("https://cdn.example.org/**", lambda route: route.abort())
        page = reader.page
        reader.problems = []
        reader.blocking_ms("")
        load = reader.problems + page.evaluate("window.__csp")
        set_up, axe = page.evaluate(SET_UP_AT_LOAD), axe_findings(page, AXE.read_text())
        page.context.close()
    assert any("off the site: https://cdn.example.org/x.css" in p for p in load), load
    assert any(p.startswith("script-src") for p in load), load
    assert set_up > 0 and any(a.startswith("image-alt") for a in axe), (set_up, axe)


PLANTED = """<!doctype html><html><head><meta charset="utf-8"><title>planted</title></head><body>
<article><table><tr>{cells}</tr></table>
<div class="language-text highlight"><pre><code style="white-space: pre">{long}</code></pre></div>
<p style="width: 200px"><code style="word-break: break-all">{identifier}</code></p><img src="chart.svg" width="358"></article></body></html>"""
CHART = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 400"><text style="font-size: 10px">x</text></svg>'


def test_the_phone_layout_check_finds_each_planted_violation(tmp_path, chromium):
    """A wide table, an output that scrolls, an identifier broken mid-word, tiny chart text, and
    the page made wider than the screen."""
    from tests.static_host import serving

    cells = "".join(f"<td>column_number_{i}</td>" for i in range(7))
    page = PLANTED.format(cells=cells, long="x" * 300, identifier="a_very_long_identifier" * 4)
    (tmp_path / "index.html").write_text(page)
    (tmp_path / "chart.svg").write_text(CHART)
    with serving(tmp_path) as url:
        tab = chromium.new_page(viewport=PHONE)
        tab.goto(url)
        found = tab.evaluate(PHONE_LAYOUT)
        tab.close()
    assert [f.split()[0] + " " + f.split()[1] for f in found] == [
        "a table",
        "an output",
        f"{'a_very_long_identifier' * 4} broken",
        "chart text",
        "a page",
    ], found
