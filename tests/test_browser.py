"""The built site in a real browser: Debian's Chromium, driven by Playwright, on loopback.

Every page loads with no console error, no request off the local server and no CSP violation;
copy buttons copy; search finds; the palette toggle persists; axe-core finds nothing serious in
either palette. Each page is loaded once for the clean load and both palettes' axe runs.
Screenshots land in test-artifacts/screenshots/ for a person to look at.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from blog.post import posts
from blog.project import ROOT
from tests.chromium import CHROMIUM, FLAGS

POSTS = posts()
POST_URLS = [post.url for post in POSTS]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WATCH_CSP = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI}`));"""
# Everything drawn, at rest, from the top: axe judges what a reader sees once the page settles.
# Content off screen is skipped until it nears the screen (extra.css), and axe cannot judge the
# contrast of what is not drawn; a button caught mid-fade (the back-to-top one, as the page
# scrolls) has a contrast no reader sees for long.
SETTLE = """() => { const sheet = new CSSStyleSheet();
  sheet.replaceSync(`* { content-visibility: visible !important }
    *, ::before, ::after { transition: none !important; animation: none !important }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  window.scrollTo(0, 0); }"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run .ci/install-tools (never a skip)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


def open_page(browser: Browser, url: str, **context) -> tuple[Page, list[str]]:
    """Open ``url`` in a fresh context; collect console errors and off-site requests."""
    page = browser.new_context(**context).new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)  # fmt: skip
    origin = url.split("/", 3)[:3]
    page.on("request", lambda r: problems.append(f"request off the site: {r.url}")
            if r.url.split("/", 3)[:3] != origin else None)  # fmt: skip
    page.add_init_script(WATCH_CSP)
    page.goto(url)
    return page, problems


def site_pages(site: Path) -> list[str]:
    """Every page of the built site, as a path under the server: derived, never listed."""
    pages = []
    for page in sorted(site.rglob("*.html")):
        if 'http-equiv="refresh"' in page.read_text(encoding="utf-8"):
            continue  # a redirect stub
        path = page.relative_to(site).as_posix()
        pages.append(path.removesuffix("index.html"))
    return pages


@pytest.fixture(scope="module")
def visits(server, browser, site) -> dict[str, dict[str, list[str]]]:
    """Visit every page once, as a reader in the light palette who then switches to dark.

    Returns, per page, what went wrong as it loaded (console errors, requests off the site, CSP
    violations) and what axe-core found serious in each palette. The page's own CSP stays on:
    axe and the style below arrive through the DevTools protocol, which it does not govern.
    """
    axe = AXE.read_text(encoding="utf-8")
    return {path: visit(browser, server + path, axe) for path in site_pages(site)}


def visit(browser: Browser, url: str, axe: str) -> dict[str, list[str]]:
    """Load one page cleanly or say why not, then run axe in the light palette and the dark."""
    page, problems = open_page(browser, url, color_scheme="light")
    page.mouse.wheel(0, 20_000)  # lazy images load, and must load cleanly too
    page.wait_for_load_state("networkidle")
    found = {"load": problems + page.evaluate("window.__csp")}
    page.evaluate(SETTLE)
    page.evaluate(axe)
    found["light"] = serious_axe_findings(page)
    page.locator("form[data-md-component=palette] label:visible").first.click()  # as a reader
    page.locator("body[data-md-color-scheme=slate]").wait_for()
    found["dark"] = serious_axe_findings(page)
    page.context.close()
    return found


def serious_axe_findings(page: Page) -> list[str]:
    """Run axe-core over the page as it is drawn now; describe each serious or critical rule."""
    # Every rule runs; only the violations are written up (the passes' details cost a third).
    violations = page.evaluate("axe.run({resultTypes: ['violations']}).then(r => r.violations)")
    return [f"{v['id']} ({v['impact']}): {v['help']}, at {v['nodes'][0]['target']}"
            for v in violations if v["impact"] in ("serious", "critical")]  # fmt: skip


def test_every_page_loads_cleanly(request, reuse):
    if reuse.passed_before():
        return  # the same site passed this check before (tests/reuse.py)
    visits = request.getfixturevalue("visits")
    assert {path: found["load"] for path, found in visits.items() if found["load"]} == {}
    reuse.record()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problem_on_any_page(request, scheme, reuse):
    if reuse.passed_before():
        return  # the same site passed this check before (tests/reuse.py)
    visits = request.getfixturevalue("visits")
    assert {path: found[scheme] for path, found in visits.items() if found[scheme]} == {}
    reuse.record()


@pytest.mark.parametrize("url", POST_URLS)
def test_copy_buttons_copy_the_block_as_shown(server, browser, url, reuse):
    if reuse.passed_before():
        return  # the same site passed this check before (tests/reuse.py)
    page, _ = open_page(browser, server + url, permissions=["clipboard-read", "clipboard-write"])
    blocks = page.locator("div.highlight")
    assert blocks.count() >= 1
    for i in range(blocks.count()):
        block = blocks.nth(i)
        block.hover()  # in view, Material gives the block its button (content.lazy): every one
        block.locator("button[data-md-type=copy]").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        shown = block.locator("pre > code").text_content()  # inner_text drops blank lines
        assert copied.strip() == shown.strip()
    reuse.record()


@pytest.mark.parametrize("post", POSTS, ids=POST_URLS)
def test_search_finds_each_post_by_its_title(server, browser, post, reuse):
    if reuse.passed_before():
        return  # the same site passed this check before (tests/reuse.py)
    page, _ = open_page(browser, server)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(post.title, delay=20)  # key by key, as a reader types
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    assert post.title in titles_found(page, post.title)
    reuse.record()


def titles_found(page: Page, title: str) -> list[str]:
    """Return the titles of the search results, scrolling down them until ``title`` shows.

    Material shows ten results, then more as the list scrolls. Titles that begin one another
    rank alike ("Scale test 2" and "Scale test 20" to 29, in `make scale`), so a post's own
    title may be past the first ten, where a reader scrolling the list finds it.
    """
    results = page.locator(".md-search-result__item")
    while True:
        titles = [text.splitlines()[0].strip() for text in results.all_inner_texts()]
        if title in titles:
            return titles
        shown = results.count()
        results.last.scroll_into_view_if_needed()
        try:
            results.nth(shown).wait_for(timeout=2_000)
        except PlaywrightTimeout:
            return titles  # the end of the list


def test_the_palette_toggle_switches_and_persists(server, browser, reuse):
    if reuse.passed_before():
        return  # the same site passed this check before (tests/reuse.py)
    page, _ = open_page(browser, server + POST_URLS[0], color_scheme="light")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate(scheme) == "slate"
    page.reload()
    assert page.evaluate(scheme) == "slate"
    reuse.record()


@pytest.mark.parametrize(("name", "size"), [("desktop", (1280, 800)), ("phone", (390, 844))])
@pytest.mark.parametrize("path", ["", *POST_URLS])
def test_screenshots_for_a_person_to_look_at(server, browser, path, name, size, reuse):
    target = SCREENSHOTS / f"{(path.strip('/').replace('/', '-') or 'home')}-{name}.png"
    if reuse.passed_before(still_there=target.exists()):
        return  # the same site, so the same picture, is already there (tests/reuse.py)
    page, _ = open_page(browser, server + path, viewport={"width": size[0], "height": size[1]})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=path == "")
    assert target.stat().st_size > 10_000  # a rendered page, not a blank one
    reuse.record()
