"""The built site: strict build, the post, links and anchors, no tooling on any page, the feed."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from tests.project import ROOT, copy_project, mkdocs_build

POST_URL = "2025/05/26/jax-is-amazing/"


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


def test_the_post_is_published_with_its_verified_note(site):
    html = (site / POST_URL / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="jax-is-amazing">JAX is amazing' in html
    assert "Every code block on this page ran, and its output was checked, with JAX" in html
    assert "Measured on" in html  # the machine behind the timing


def test_the_home_page_lists_the_post_with_its_excerpt(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert POST_URL in html
    assert "I filed JAX under" in html
    assert "It feels like NumPy" not in html  # the excerpt stops at <!-- more -->


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


def test_the_feed_parses_and_lists_the_post_with_its_date(site):
    feed = feedparser.parse((site / "feed_rss_created.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.image.href.endswith("/assets/images/favicon.png")
    [entry] = [e for e in feed.entries if e.title == "JAX is amazing"]
    assert entry.link.endswith(POST_URL)
    assert tuple(entry.published_parsed[:3]) == (2025, 5, 26)


def test_the_second_post_is_published_and_in_the_feed(site):
    html = (site / "2025/06/09/jax-on-many-devices/index.html").read_text(encoding="utf-8")
    assert "float32[1000@data]" in html
    feed = feedparser.parse((site / "feed_rss_created.xml").read_bytes())
    [entry] = [e for e in feed.entries if e.title == "One line, eight devices"]
    assert tuple(entry.published_parsed[:3]) == (2025, 6, 9)


def test_the_sitemap_lists_the_post(site):
    assert POST_URL in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_a_draft_appears_nowhere(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "posts" / "unfinished.md").write_text(
        "---\ndate:\n  created: 2026-01-02\ndraft: true\n---\n\n# Zyzzyva draft\n\nNot ready.\n"
    )
    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    leaked = [
        f for f in (tmp_path / "site").rglob("*") if f.is_file() and b"Zyzzyva" in f.read_bytes()
    ]
    assert not leaked, f"the draft shows in {leaked}"


def test_a_missing_section_fails_the_build_naming_the_post(tmp_path):
    project = copy_project(tmp_path / "project")
    post = project / "docs" / "posts" / "jax-is-amazing.md"
    post.write_text(post.read_text().replace("regression.py:loss", "regression.py:lost"))
    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode != 0
    assert "Snippet section 'lost' could not be located" in built.stderr
    assert "posts/jax-is-amazing.md" in built.stderr


def test_a_dead_anchor_fails_the_strict_build(tmp_path):
    project = copy_project(tmp_path / "project")
    post = project / "docs" / "posts" / "jax-is-amazing.md"
    post.write_text(
        post.read_text().replace("(#how-far-from-the-answer-are-100-steps)", "(#no-such-heading)")
    )
    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode != 0
    assert "no-such-heading" in built.stderr


def test_the_post_shows_the_benchmark_figures_of_the_results_file(site):
    from hooks.macros import Bench

    html = (site / POST_URL / "index.html").read_text(encoding="utf-8")
    cpu = Bench("cpu")
    for figure in (cpu.ratio("eager_seed", "jit_best"), cpu.time("jit_best"), cpu.time("floor")):
        assert figure in html
    assert cpu.machine in html
    assert 'src="../../../../results/cpu/bench-light.svg#only-light"' in html


def test_no_template_syntax_reaches_any_page(site):
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        assert "{{" not in html and "{%" not in html, page.relative_to(site)


def test_block_titles_link_to_the_snippet_files_the_site_serves(site):
    html = (site / POST_URL / "index.html").read_text(encoding="utf-8")
    links = set(
        re.findall(r'<span class="filename"><a href="([^"]+)">(snippets/\w+\.py)</a>', html)
    )
    assert {name for _, name in links} == {
        "snippets/regression.py", "snippets/jit.py", "snippets/bench.py", "snippets/devices.py",
        "snippets/figures.py",
    }  # fmt: skip
    for href, name in links:
        served = (site / POST_URL / href).resolve().read_text(encoding="utf-8")
        assert "--8<--" not in served and "isort: split" not in served, name
        kept = [line for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
                if "--8<--" not in line and "isort: split" not in line]  # fmt: skip
        assert served.splitlines() == kept, name
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


def test_a_post_is_shared_as_an_article_with_its_own_description(site):
    html = (site / POST_URL / "index.html").read_text(encoding="utf-8")
    post = (ROOT / "docs" / "posts" / "jax-is-amazing.md").read_text(encoding="utf-8")
    description = " ".join(post.split("description: >-\n", 1)[1].split("\n---", 1)[0].split())
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:description" content="{description}">' in html


def test_every_page_carries_a_policy_that_allows_only_itself(site):
    from hooks.csp import INLINE_SCRIPT, sha256

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


@pytest.mark.parametrize(
    ("slug", "printed"),
    [("jax-is-amazing", "speedup:"), ("jax-on-many-devices", "w is P() on 8 devices")],
)
def test_each_post_links_to_its_notebook_executed_at_build_time(site, slug, printed):
    import nbformat

    post = next(site.glob(f"2025/*/*/{slug}/index.html")).read_text(encoding="utf-8")
    assert f'href="../../../../notebooks/{slug}/"' in post
    notebook_page = (site / "notebooks" / slug / "index.html").read_text(encoding="utf-8")
    assert printed in notebook_page  # an output: the notebook ran when the site was built
    download = nbformat.read(site / "notebooks" / slug / f"{slug}.ipynb", as_version=4)
    assert len(download.cells) > 3 and download.metadata.kernelspec.language == "python"


def test_a_snippet_edit_changes_the_notebook_page(tmp_path):
    project = copy_project(tmp_path / "project")
    module = project / "snippets" / "sharding.py"
    module.write_text(module.read_text().replace('print("w is",', 'print("w lives as",'))
    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / "notebooks" / "jax-on-many-devices" / "index.html").read_text()
    assert "w lives as P() on 8 devices" in page


def test_search_indexes_the_posts_but_not_their_notebooks(site):
    import json

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "2025/05/26/jax-is-amazing/" in locations
    assert not [loc for loc in locations if loc.startswith("notebooks/")]
