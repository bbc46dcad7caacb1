"""The built site: strict build, the post, links and anchors, no tooling on any page, the feed."""

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from blog.includes import for_readers
from blog.post import Post, posts
from blog.project import ROOT, plugin_options
from tests.project import DEAD_ANCHOR, DRAFT_WORD, copy_project, mkdocs_build

POSTS = posts()
EACH_POST = pytest.mark.parametrize("post", POSTS, ids=[p.slug for p in POSTS])
FEED_LENGTH = plugin_options("rss").get("length", 20)  # the newest 20: mkdocs-rss-plugin's default


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class LinksAndIds(HTMLParser):
    """Collects every id on a page and every local link (href, src) it makes."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            value = attributes.get(name)
            if value and not urlsplit(value).scheme and not value.startswith("//"):
                self.links.append(value)


def parse(page: Path) -> LinksAndIds:
    parser = LinksAndIds()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def text_of(page: Path) -> str:
    return unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


@EACH_POST
def test_each_post_says_what_ran_what_did_not_and_why(site, post):
    html = (site / post.url / "index.html").read_text(encoding="utf-8")
    assert f">{post.title}" in html
    text = text_of(site / post.url / "index.html")
    ran = [block for block in post.blocks if block.runner]
    assert f"runs the {len(ran)} code block" in text
    timed = [block for block in ran if block.runner == "python"]
    assert re.search(rf"The {len(timed)} python blocks? also ran in its notebook .* in \d", text)
    for block in post.blocks:
        if reason := block.mark("norun") and block.mark("norun").kwargs["reason"]:
            assert f"at line {block.line} is shown, never run: {reason.rstrip('.')}" in text


def test_the_run_times_page_lists_every_timed_block_slowest_first(site):
    text = text_of(site / "runs" / "index.html")
    times = [float(t) for t in re.findall(r"^\s*(\d+\.\d\d) s\s*$", text, re.MULTILINE)]
    python = [b for post in POSTS for b in post.blocks if b.runner == "python"]
    assert len(times) == len(python) and times == sorted(times, reverse=True), times
    for post in POSTS:
        assert f"of {post.path.name})" in text


@EACH_POST
def test_the_home_page_lists_each_post(site, post):
    """On the home page, or on the later pages the blog adds past ten posts (page/2/, ...)."""
    pages = [site / "index.html", *sorted(site.glob("page/*/index.html"))]
    assert any(post.url in page.read_text(encoding="utf-8") for page in pages)


def test_no_block_is_nested_in_a_paragraph(site):
    """A marker line dropped from under a fence once left two fences touching: Markdown then
    wrapped the block in <p>, which HTML does not allow around a <div>."""
    for page in pages(site):
        assert "<p><div" not in page.read_text(encoding="utf-8"), page.relative_to(site)


def test_no_tooling_marker_reaches_any_page(site):
    leaks = ("--8<--", "--8&lt;--", "pytest-codeblocks", "pytest.mark", "[start:", "[end:")
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        found = [leak for leak in leaks if leak in html]
        assert not found, f"{page.relative_to(site)} shows {found}"


def test_every_internal_link_and_anchor_resolves(site):
    parsed = {page: parse(page) for page in pages(site)}
    broken = []
    for page, found in parsed.items():
        for link in found.links:
            url = urlsplit(link)
            base = site if url.path.startswith("/") else page.parent  # 404.html links from the root
            target = (base / unquote(url.path).lstrip("/")).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(url.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    assert not broken, "\n".join(broken)


def in_the_feed(post: Post) -> bool | None:
    """Tell whether the feed must list a post: it holds the newest posts, as many as its length.

    None when the post shares its date with the oldest post the feed has room for: then either.
    """
    dates = sorted((p.date for p in POSTS), reverse=True)
    if len(dates) <= FEED_LENGTH or post.date > dates[FEED_LENGTH - 1]:
        return True
    return None if post.date == dates[FEED_LENGTH - 1] else False


@EACH_POST
def test_the_feed_parses_and_lists_each_post_with_its_date(site, post):
    feed = feedparser.parse((site / "feed_rss_created.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.image.href.endswith("/assets/images/favicon.png")
    assert len(feed.entries) == min(len(POSTS), FEED_LENGTH)
    entries = [e for e in feed.entries if e.title == post.title]
    expected = in_the_feed(post)
    assert len(entries) <= 1 if expected is None else len(entries) == int(expected)
    for entry in entries:
        assert entry.link.endswith(post.url)
        assert tuple(entry.published_parsed[:3]) == post.date.timetuple()[:3]


@EACH_POST
def test_the_page_and_the_updated_feed_show_when_the_post_last_changed(site, post):
    """The updated date comes from history (blog/history.py); none is shown if it cannot say."""
    page = (site / post.url / "index.html").read_text(encoding="utf-8")
    feed = feedparser.parse((site / "feed_rss_updated.xml").read_bytes())
    entries = [e for e in feed.entries if e.title == post.title]
    if post.updated is None:
        assert page.count("<time datetime=") == 1, "only the publication date"
        return
    assert f'<time datetime="{post.updated.isoformat()} 00:00:00+00:00"' in page
    for entry in entries:
        assert tuple(entry.published_parsed[:3]) == post.updated.timetuple()[:3]


@EACH_POST
def test_the_sitemap_lists_each_post(site, post):
    assert post.url in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_a_draft_appears_nowhere(planted):
    assert planted.problems_besides_the_dead_anchor() == []
    files = [f for f in planted.site.rglob("*") if f.is_file()]
    leaked = [f for f in files if DRAFT_WORD.encode() in f.read_bytes()]
    assert not leaked, f"the draft shows in {leaked}"


def test_a_missing_section_fails_the_build_naming_the_post(tmp_path):
    project = copy_project(tmp_path / "project")
    post = project / POSTS[0].path.relative_to(ROOT)
    text = post.read_text()
    include = re.search(r'--8<-- "(snippets/\w+\.py):([\w-]+)"', text)
    post.write_text(text.replace(include[0], f'--8<-- "{include[1]}:no-such-section"', 1))
    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode != 0
    assert "Snippet section 'no-such-section' could not be located" in built.stderr
    assert str(post.relative_to(project / "docs")) in built.stderr


def test_a_dead_anchor_fails_the_strict_build(planted):
    assert planted.built.returncode != 0
    assert DEAD_ANCHOR in planted.built.stderr


def test_the_first_post_shows_the_figures_of_its_results_files(site):
    from lab.results import Results

    [post] = [p for p in POSTS if p.slug == "jax-is-amazing"]
    html = (site / post.url / "index.html").read_text(encoding="utf-8")
    cpu = Results("cpu", "bench")
    for figure in (cpu.ratio("numpy_loop", "jit_fori"), cpu.time("jit_best"), cpu.time("floor")):
        assert figure in html
    assert cpu.machine in html
    assert 'src="../../../../results/cpu/bench-light.svg#only-light"' in html


def test_no_template_syntax_reaches_any_page(site):
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        assert "{{" not in html and "{%" not in html, page.relative_to(site)


TOOL_DIRECTIVE = re.compile(r"#\s*(fmt:|noqa|type:\s*ignore|isort:|pragma)")


@EACH_POST
def test_no_block_shows_a_tool_directive(post):
    """What readers copy carries no formatter or linter comment: those stay outside sections."""
    for block in post.blocks:
        for number, line in enumerate(block.code.splitlines(), 1):
            assert not TOOL_DIRECTIVE.search(line), f"{block.origin(number)}: {line.strip()}"


@EACH_POST
def test_block_titles_link_to_the_snippet_files_the_site_serves(site, post):
    html = (site / post.url / "index.html").read_text(encoding="utf-8")
    links = set(
        re.findall(r'<span class="filename"><a href="([^"]+)">(snippets/\w+\.py)</a>', html)
    )
    titled = {b.attributes["title"].split()[0] for b in post.blocks if "title" in b.attributes}
    assert {name for _, name in links} == {t for t in titled if t.startswith("snippets/")}
    for href, name in links:
        served = (site / post.url / href).resolve().read_text(encoding="utf-8")
        assert served == for_readers((ROOT / name).read_text(encoding="utf-8")), name
        assert "--8<--" not in served and "isort: split" not in served, name
    assert (site / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()


def test_every_page_has_a_description_and_open_graph_tags(site):
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue  # a redirect stub
        tags = ['name="description"', 'property="og:title"', 'property="og:description"',
                'property="og:type"', 'rel="icon"']  # fmt: skip
        if page.name != "404.html":  # the one page with no address of its own
            tags.append('property="og:url"')
        for tag in tags:
            assert tag in html, f"{page.relative_to(site)} lacks {tag}"


@EACH_POST
def test_a_post_is_shared_as_an_article_with_its_own_description(site, post):
    html = (site / post.url / "index.html").read_text(encoding="utf-8")
    description = " ".join(str(post.meta["description"]).split())
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:description" content="{description}">' in html


def test_every_page_carries_a_policy_that_allows_only_itself(site):
    from blog.finish.csp import INLINE_SCRIPT, sha256

    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue
        found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert found, f"{page.relative_to(site)} has no policy"
        assert found.start() < html.index("<script"), "the policy must come before any script"
        policy = found[1]
        assert "http" not in policy and "*" not in policy, policy  # no other host, no wildcard
        for script in INLINE_SCRIPT.findall(html):
            assert sha256(script) in policy, (
                f"{page.relative_to(site)}: an inline script is blocked"
            )


@EACH_POST
def test_each_post_links_to_its_notebook_executed_at_build_time(site, post):
    import nbformat

    html = (site / post.url / "index.html").read_text(encoding="utf-8")
    assert f'href="../../../../notebooks/{post.slug}/"' in html
    notebook_page = (site / "notebooks" / post.slug / "index.html").read_text(encoding="utf-8")
    printed = [b.expected_output for b in post.blocks if b.runner == "python"]
    first = next(line for output in printed if output for line in output.splitlines() if line)
    assert first in unescape(notebook_page)  # an output: the notebook ran when the site was built
    download = nbformat.read(site / "notebooks" / post.slug / f"{post.slug}.ipynb", as_version=4)
    assert download.metadata.kernelspec.language == "python"
    code = [b.code.rstrip("\n") for b in post.blocks if b.runner == "python"]
    assert [cell.source for cell in download.cells[-len(code) :]] == code  # after what it carries


def test_a_snippet_edit_changes_the_notebook(tmp_path):
    """A notebook runs again when its bytes change: an edit to a snippet must change them."""
    from blog.notebooks import notebook_of

    post = POSTS[0]
    project = copy_project(tmp_path / "project")
    module = project / post.snippet_files[-1].relative_to(ROOT)  # maybe only imported
    module.write_text(module.read_text() + "\n# an edit that changes no output\n")
    copied = Post.read(project / post.path.relative_to(ROOT))
    edited = notebook_of(copied, post.url).metadata.snippets_sha256
    assert edited != notebook_of(post, post.url).metadata.snippets_sha256


def test_search_indexes_the_posts_but_not_their_notebooks(site):
    import json

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {post.url for post in POSTS} <= locations
    assert not [loc for loc in locations if loc.startswith("notebooks/")]


class ProseText(HTMLParser):
    """A page's text outside code, scripts and pictures, and each table cell's text."""

    HIDDEN = ("code", "pre", "script", "style", "svg")

    def __init__(self) -> None:
        super().__init__()
        self.hidden, self.in_cell, self.text, self.cells = 0, False, [], []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.hidden += tag in self.HIDDEN
        if tag == "td":
            self.in_cell, self.cells = True, [*self.cells, ""]

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in self.HIDDEN
        self.in_cell = self.in_cell and tag != "td"

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)
            if self.in_cell:
                self.cells[-1] += data


SCIENTIFIC = r"\d(?:\.\d+)?[eE][+-]?\d+"
TIME_OR_RATIO = re.compile(SCIENTIFIC + r"\s*(?:s|ms|µs|us|ns|×|x)\b|" + SCIENTIFIC + r"\s*×")


def test_no_time_or_ratio_reads_in_scientific_notation_on_any_page(site):
    """Results render as prose reads (5,390×, 81.4 µs); a typed tolerance such as 1e-5 may stay."""
    for page in pages(site):
        text = ProseText()
        text.feed(page.read_text(encoding="utf-8"))
        prose = " ".join(text.text)
        found = TIME_OR_RATIO.findall(prose)
        found += [c for c in text.cells if re.fullmatch(r"\s*" + SCIENTIFIC + r"\S*\s*", c)]
        assert not found, f"{page.relative_to(site)}: {found}"


TYPED_FIGURE = re.compile(r"\d[\d,.]*\s*(?:×|x\b|times\b|ns\b|µs\b|us\b|ms\b|s\b|seconds?\b)")


@EACH_POST
def test_no_title_or_description_types_a_timing_or_ratio(post):
    """Macros cannot reach the front matter, so a figure there would never follow make bench."""
    for field in ("title", "description"):
        typed = TYPED_FIGURE.findall(
            str(post.meta.get(field) or (post.title if field == "title" else ""))
        )
        assert not typed, (
            f"{post.path}: the {field} types {typed}: say it in words, cite it in the text"
        )
