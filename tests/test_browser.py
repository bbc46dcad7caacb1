"""The built site in a real browser: Debian's Chromium, driven by Playwright, on loopback.

Every page loads with no console error, no request off the local server and no CSP violation;
copy buttons copy; search finds; the palette toggle persists; axe-core finds nothing serious in
either palette; every page keeps within its budgets (tests/page_budgets.py). Each page is loaded
once for all of that, by one of a few browsers working side by side; searches share one page.
Screenshots land in test-artifacts/screenshots/ for a person to look at.
"""

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from queue import Empty, Queue

import pytest
from PIL import Image
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, Request, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from blog.post import posts
from blog.project import BUILD_TIMEOUT_S, ROOT
from tests import page_budgets
from tests.chromium import CHROMIUM, FLAGS
from tests.reuse import observed

POSTS = posts()
POST_URLS = [post.url for post in POSTS]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SCREEN_SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PICTURED = ["", *POST_URLS]  # the home page and every post
VISITORS = min(os.cpu_count() or 1, 4)  # browsers visiting pages side by side: one per core
# The first test that needs the visits pays for all of them: its time limit grows with the blog.
# A post is two pages (itself and its notebook); the blog adds its own (home, archives, tags).
SECONDS_A_PAGE = 15
VISITING = pytest.mark.timeout(BUILD_TIMEOUT_S + SECONDS_A_PAGE * (2 * len(POSTS) + 30))
# The palette toggle changes colours and nothing else, so in the dark palette axe runs the rules
# that judge colour (those it runs by default); every other rule's verdict is the light run's.
COLOUR_RULES = ("color-contrast", "link-in-text-block")
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


# Loads every image now, lazy ones included, and resolves when each has loaded or failed.
EVERY_IMAGE = """() => Promise.all([...document.images].map((image) => {
  image.loading = "eager";
  return image.complete ? null : new Promise((done) => { image.onload = image.onerror = done; });
}))"""


def open_page(browser: Browser, url: str, **context) -> Page:
    """Open ``url`` in a fresh context (a first visit)."""
    page = browser.new_context(**context).new_page()
    page.goto(url)
    return page


def site_pages(site: Path) -> list[str]:
    """Every page of the built site, as a path under the server: derived, never listed."""
    pages = []
    for page in sorted(site.rglob("*.html")):
        if 'http-equiv="refresh"' in page.read_text(encoding="utf-8"):
            continue  # a redirect stub
        path = page.relative_to(site).as_posix()
        pages.append(path.removesuffix("index.html"))
    return pages


def visit_every_page(server: str, site: Path) -> dict[str, dict]:
    """Visit every page once, as a reader in the light palette who then switches to dark.

    Returns, per page, what went wrong as it loaded (console errors, requests off the site, CSP
    violations), its budgets' numbers, what axe-core found serious in each palette, and on a
    post, the copy buttons that copied something other than their block. The page's own CSP
    stays on: axe and the style below arrive through the DevTools protocol, which it does not
    govern. Pages are shared among one reader per core, each visiting one page at a time.
    """
    axe = AXE.read_text(encoding="utf-8")
    pages = site_pages(site)
    queue = Queue()
    for path in pages:
        queue.put(path)

    def visitor() -> dict[str, dict]:
        found = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            reader = Reader(browser, server)
            while True:
                try:
                    path = queue.get_nowait()
                except Empty:
                    break
                found[path] = visit(reader, path, axe)
            browser.close()
        return found

    with ThreadPoolExecutor(max_workers=VISITORS) as pool:
        done = [pool.submit(visitor) for _ in range(VISITORS)]
        found = {path: what for future in done for path, what in future.result().items()}
    return {path: found[path] for path in pages}


def nothing_wrong(visits: dict[str, dict]) -> bool:
    """Tell whether a pass over every page found no problem at all (only such a pass is kept)."""
    return not any(
        found["load"] or found["light"] or found["dark"] or found.get("copy")
        or page_budgets.over_budget(found["budgets"])
        for found in visits.values()
    )  # fmt: skip


def screenshots_there(visits: dict[str, dict]) -> bool:
    """Tell whether the screenshots a kept pass took are still on disk."""
    return all(Path(p).exists() for found in visits.values() for p in found.get("screenshots", []))


@pytest.fixture(scope="module")
def visits(server, site, site_bytes) -> dict[str, dict]:
    """Every page's visit: made now, or kept from a pass over the same bytes (tests/reuse.py)."""
    return observed("visits", site_bytes, lambda: visit_every_page(server, site),
                    all_well=nothing_wrong, still_true=screenshots_there)  # fmt: skip


class Reader:
    """One tab that loads page after page as a first-time reader would: the HTTP cache off,
    the site's storage cleared before each load. It stays on the site's origin, so its pages
    share one renderer, and the CPU slowdown set through its DevTools session follows each
    load; console errors, requests off the site and CSP violations are collected per page.
    """

    def __init__(self, browser: Browser, server: str) -> None:
        clipboard = ["clipboard-read", "clipboard-write"]
        context = browser.new_context(
            color_scheme="light", viewport=SCREEN_SIZES["desktop"], permissions=clipboard
        )
        self.page, self.server, self.problems = context.new_page(), server, []
        self.devtools = context.new_cdp_session(self.page)
        self.devtools.send("Network.enable")
        self.devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.page.add_init_script(WATCH_CSP)
        self.page.add_init_script(page_budgets.LONG_TASKS)
        self.page.on("console", self.on_console)
        self.page.on("request", self.on_request)
        # An empty page of the origin, answered here: the first load starts in its renderer.
        blank, empty = server + "__calibration__", '<title>-</title><link rel="icon" href="data:,">'
        self.page.route(blank, lambda route: route.fulfill(body=empty, content_type="text/html"))
        self.page.goto(blank)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location['url']})")

    def on_request(self, request: Request) -> None:
        if not request.url.startswith(self.server):
            self.problems.append(f"request off the site: {request.url}")

    def load_on_a_phone(self, path: str, fresh: bool = False) -> dict[str, float]:
        """Load a page on a CPU slowed to a phone's, as a first visit; return its numbers. The
        page is left loaded, at full speed, for what follows."""
        self.page.evaluate("localStorage.clear(); sessionStorage.clear()")  # the palette too
        benchmark_index = page_budgets.slow_to_a_phone(self.page, self.devtools, fresh)
        self.page.goto(self.server + path)  # as far as its load event
        self.page.evaluate(page_budgets.QUIET)
        numbers = page_budgets.measure(self.page, benchmark_index)
        page_budgets.full_speed(self.devtools)
        return numbers


def visit(reader: Reader, path: str, axe: str) -> dict[str, list]:
    """Load one page on a phone's CPU and measure it against its budgets (again, if its
    blocking time crossed), check that it loaded cleanly, then run axe in the light palette and
    the dark at full speed."""
    reader.problems = []
    runs = [reader.load_on_a_phone(path)]
    while page_budgets.another_look(runs):
        runs.append(reader.load_on_a_phone(path, fresh=True))
    page = reader.page
    page.evaluate(EVERY_IMAGE)  # lazy images too must load cleanly
    found = {"load": reader.problems + page.evaluate("window.__csp"),
             "budgets": page_budgets.median(runs)}  # fmt: skip
    page.evaluate(SETTLE)
    page.evaluate(axe)
    found["light"] = serious_axe_findings(page)
    if path in PICTURED:
        found["screenshots"] = [str(p) for p in take_screenshots(page, path)]
    page.locator("form[data-md-component=palette] label:visible").first.click()  # as a reader
    page.locator("body[data-md-color-scheme=slate]").wait_for()
    found["dark"] = serious_axe_findings(page, COLOUR_RULES)
    if path in POST_URLS:
        found["copy"] = copies_unlike_their_blocks(page)
    return found


def copies_unlike_their_blocks(page: Page) -> list[str]:
    """Click every code block's copy button, as a reader would; describe each copy that is not
    the block as shown (a page with no block at all is one such problem)."""
    blocks = page.locator("div.highlight")
    wrong = [] if blocks.count() else ["no code block on the page"]
    for i in range(blocks.count()):
        block = blocks.nth(i)
        block.hover()  # in view, Material gives the block its button (content.lazy): every one
        block.locator("button[data-md-type=copy]").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        shown = block.locator("pre > code").text_content()  # inner_text drops blank lines
        if copied.strip() != shown.strip():
            wrong.append(f"block {i + 1}: copied {copied[:60]!r}, shows {shown[:60]!r}")
    return wrong


def take_screenshots(page: Page, path: str) -> list[Path]:
    """Picture the settled page as a desktop and a phone show it (the home page whole), for a
    person to look at; the page is left at the desktop's size."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    taken = []
    for name, size in SCREEN_SIZES.items():
        page.set_viewport_size(size)
        taken.append(screenshot_of(path, name))
        page.screenshot(path=str(taken[-1]), full_page=path == "")
    page.set_viewport_size(SCREEN_SIZES["desktop"])
    return taken


def screenshot_of(path: str, screen: str) -> Path:
    """Where the screenshot of a page on one screen size lands."""
    return SCREENSHOTS / f"{(path.strip('/').replace('/', '-') or 'home')}-{screen}.png"


def serious_axe_findings(page: Page, rules: tuple[str, ...] = ()) -> list[str]:
    """Run axe-core over the page as it is drawn now (every rule, or only ``rules``); describe
    each serious or critical finding."""
    # Only the violations are written up (the passes' details cost a third).
    only = f", runOnly: {{type: 'rule', values: {list(rules)}}}" if rules else ""
    violations = page.evaluate(
        f"axe.run({{resultTypes: ['violations']{only}}}).then(r => r.violations)"
    )
    return [f"{v['id']} ({v['impact']}): {v['help']}, at {v['nodes'][0]['target']}"
            for v in violations if v["impact"] in ("serious", "critical")]  # fmt: skip


@VISITING
def test_every_page_loads_cleanly(visits):
    assert {path: found["load"] for path, found in visits.items() if found["load"]} == {}


@VISITING
def test_every_page_keeps_within_its_budgets(visits):
    over = {path: page_budgets.over_budget(found["budgets"]) for path, found in visits.items()}
    page_budgets.write_summary({path: found["budgets"] for path, found in visits.items()})
    assert {path: problems for path, problems in over.items() if problems} == {}


@VISITING
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problem_on_any_page(visits, scheme):
    assert {path: found[scheme] for path, found in visits.items() if found[scheme]} == {}


@VISITING
@pytest.mark.parametrize("url", POST_URLS)
def test_copy_buttons_copy_the_block_as_shown(visits, url):
    assert visits[url]["copy"] == []


@pytest.fixture(scope="module")
def searches(server, browser, site_bytes) -> dict[str, list[str]]:
    """Each post's title typed into the home page's search box: the page titles listed."""

    def search_every_title() -> dict[str, list[str]]:
        page = open_page(browser, server)
        box = page.locator("input.md-search__input")
        box.click()
        listed = {post.url: titles_listed_for(box, post.title) for post in POSTS}
        page.context.close()
        return listed

    def every_title_found(listed: dict[str, list[str]]) -> bool:
        return all(post.title in listed[post.url] for post in POSTS)

    return observed("searches", site_bytes, search_every_title, all_well=every_title_found)


def titles_listed_for(box: Locator, title: str) -> list[str]:
    """Type ``title`` key by key, as a reader does; return the page titles the search lists
    once ``title`` is among them, or, if it never comes, those listed when the wait ends."""
    box.fill("")
    box.press_sequentially(title, delay=20)
    with contextlib.suppress(PlaywrightTimeout):  # the test says what was listed instead
        box.page.wait_for_function(FIND_TITLE, arg=title, polling=250, timeout=30_000)
    return [text.strip() for text in box.page.locator(RESULT_TITLES).all_text_contents()]


@pytest.mark.parametrize("post", POSTS, ids=POST_URLS)
def test_search_finds_each_post_by_its_title(searches, post):
    listed = searches[post.url]
    assert post.title in listed, f"searching {post.title!r} listed {listed}, not the post itself"


# Each result's page title is its <h1> (its sections are <h2>). The search worker answers every
# keystroke, so the list may still show the results for a shorter query: wait until the full
# title is listed. Material lists ten results, and ten more each time the list is scrolled to its
# bottom; titles that begin one another rank alike ("Scale test 6" and 60 to 69 in `make scale`),
# so a post's own title may lie further down, where a reader scrolling the list finds it.
RESULT_TITLES = ".md-search-result__item h1"
FIND_TITLE = f"""(title) => {{
  const titles = [...document.querySelectorAll("{RESULT_TITLES}")];
  if (titles.some((h1) => h1.textContent.trim() === title)) return true;
  // Material loads more when the list is scrolled to its bottom: a scroll that ends there.
  // Already there (an earlier search left it so), step back up first, to scroll down next time.
  const list = document.querySelector(".md-search__scrollwrap");
  const atBottom = list && list.scrollTop + list.clientHeight >= list.scrollHeight - 1;
  if (list) list.scrollTop = atBottom ? list.scrollTop - 40 : list.scrollHeight;
  return false; }}"""

# The palette a reader sees: on arrival (light), after the toggle, and after a reload.
TOGGLED_AND_KEPT = ["default", "slate", "slate"]


@pytest.fixture(scope="module")
def palettes(server, browser, site_bytes) -> list[str]:
    """The first post's palette on arrival, after the toggle, and after a reload."""

    def toggle_and_reload() -> list[str]:
        page = open_page(browser, server + POST_URLS[0], color_scheme="light")
        scheme = "document.body.getAttribute('data-md-color-scheme')"
        seen = [page.evaluate(scheme)]
        page.locator("form[data-md-component=palette] label:visible").first.click()
        seen.append(page.evaluate(scheme))
        page.reload()
        seen.append(page.evaluate(scheme))
        page.context.close()
        return seen

    return observed("palettes", site_bytes, toggle_and_reload,
                    all_well=lambda seen: seen == TOGGLED_AND_KEPT)  # fmt: skip


def test_the_palette_toggle_switches_and_persists(palettes):
    assert palettes == TOGGLED_AND_KEPT


@VISITING
def test_screenshots_for_a_person_to_look_at(visits):
    pictures = [screenshot_of(path, screen) for path in PICTURED for screen in SCREEN_SIZES]
    taken = sorted(Path(p) for path in PICTURED for p in visits[path]["screenshots"])
    assert taken == sorted(pictures)
    blank = [p.name for p in pictures if looks_blank(p)]
    assert blank == [], f"these show (almost) one colour, not a page: {blank}"
    for picture in pictures:
        screen = picture.stem.rsplit("-", 1)[1]
        assert Image.open(picture).width == SCREEN_SIZES[screen]["width"], picture.name


def looks_blank(picture: Path) -> bool:
    """One shade covers 95% of the picture or more: a page drawn with nothing on it, which a
    page with a header, a title and text never is (about 60 to 80% here)."""
    shades = Image.open(picture).convert("L").histogram()
    return max(shades) >= 0.95 * sum(shades)
