"""The built site: every page, derived from the posts and the build, never listed by hand."""

import base64
import functools
import os
import re
import subprocess
import sys
import tempfile
import venv
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from engine import runs
from engine.config import ROOT
from engine.notebook import notebook_of
from engine.post import posts, read
from engine.reader_env import distributions, top_level
from engine.store import Store, count, digest
from tests import page_checks
from tests.planting import DRAFT_WORD, build, plant_root

POSTS = posts()
EACH_POST = pytest.mark.parametrize("post", POSTS, ids=[p.slug for p in POSTS])


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def html_of(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@EACH_POST
def test_each_post_says_what_ran_and_what_never_runs_and_why(site, post):
    text = page_checks.text_of(html_of(site, post.url))
    ran = [block for block in post.blocks if block.runner]
    assert f"the {len(ran)} code block" in text and "How this was checked" in text
    for block in post.blocks:
        if block.reason:
            assert f"shown and never run: {block.reason}" in " ".join(text.split())


def test_no_page_shows_unrendered_markdown(site):
    found = {
        p.relative_to(site).as_posix(): page_checks.unrendered(p.read_text()) for p in pages(site)
    }
    assert {page: lines for page, lines in found.items() if lines} == {}


def test_unrendered_markdown_is_found_on_a_planted_page(planted):
    found = page_checks.unrendered((planted.site / "raw" / "index.html").read_text())
    assert [line[:8] for line in found] == ["A macro ", "!!! note", '=== "a t', "```pytho"], found


def test_no_harness_marker_reaches_any_page(site):
    leaks = ("--8<--", "--8&lt;--", "pytest-codeblocks", "pytest.mark", "[start:", "output on cpu")
    found = {
        p.relative_to(site).as_posix(): [x for x in leaks if x in p.read_text()]
        for p in pages(site)
    }
    assert {page: shown for page, shown in found.items() if shown} == {}


class LinksAndIds(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.ids.add(attributes.get("id"))
        for name in ("href", "src"):
            value = attributes.get(name) or ""
            if value and not urlsplit(value).scheme and not value.startswith("//"):
                self.links.append(value)


def test_every_internal_link_and_anchor_resolves(site):
    parsed = {}
    for page in pages(site):
        parsed[page] = LinksAndIds()
        parsed[page].feed(page.read_text(encoding="utf-8"))
    broken = []
    for page, found in parsed.items():
        for link in found.links:
            url = urlsplit(link)
            target = (
                (site if url.path.startswith("/") else page.parent) / unquote(url.path).lstrip("/")
            ).resolve()
            target = target / "index.html" if target.is_dir() else target if url.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif (
                url.fragment
                and target in parsed
                and unquote(url.fragment) not in parsed[target].ids
            ):
                broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    assert broken == []


def test_a_dead_anchor_fails_the_strict_build(tmp_path):
    root = plant_root(tmp_path)
    (root / "docs" / "index.md").write_text("# Home\n\n[A dead link](#no-such-heading)\n")
    with pytest.raises(AssertionError, match="no-such-heading"):
        build(root, tmp_path / "site")


@functools.cache
def feed_of(site: Path) -> feedparser.FeedParserDict:
    return feedparser.parse((site / "feed_rss_created.xml").read_bytes())


@EACH_POST
def test_the_feed_lists_each_post_with_its_date(site, post):
    feed = feed_of(site)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.image.href.endswith("/assets/images/favicon.png")
    (entry,) = [e for e in feed.entries if e.title == post.title]
    assert entry.link.endswith(post.url)
    assert tuple(entry.published_parsed[:3]) == post.date.timetuple()[:3]


@EACH_POST
def test_each_notebook_served_is_the_one_the_engine_ran(site, post):
    if not any(block.runner == "python" for block in post.blocks):
        pytest.skip(f"{post.slug} has no python block, so no notebook")
    served = site / "notebooks" / post.slug / f"{post.slug}.ipynb"
    url = "http://127.0.0.1:8000/" + post.url  # the site_url of a local build
    assert served.read_text(encoding="utf-8") == notebook_of(post, runs.record(post), url)
    assert f'<a href="{post.slug}.ipynb" download>' in html_of(site, f"notebooks/{post.slug}")


def test_drafts_never_reach_a_page(planted):
    assert [
        p for p in planted.site.rglob("*") if p.is_file() and DRAFT_WORD.encode() in p.read_bytes()
    ] == []


def test_every_page_keeps_within_its_budgets(site):
    over = {
        p.relative_to(site).as_posix(): page_checks.over_budget(page_checks.counts(p, site))
        for p in pages(site)
    }
    assert {page: problems for page, problems in over.items() if problems} == {}


def test_the_budgets_name_the_page_with_line_spans_or_a_heavy_stylesheet(tmp_path):
    random = (base64.urlsafe_b64encode(os.urandom(300)).decode() for _ in range(2_500))
    rules = (f".r{name} {{ color: red }}\n" for name in random)
    (tmp_path / "heavy.css").write_text("".join(rules))  # 1 MB that gzip cannot shrink much
    page = tmp_path / "index.html"
    page.write_text(
        '<link rel="stylesheet" href="heavy.css">'
        "<pre><code><span>a</span>\n<span>b</span></code></pre>"
    )
    problems = page_checks.over_budget(page_checks.counts(page, tmp_path))
    assert [p.split()[0] for p in problems] == ["bytes", "style_rules", "wrapped_code_lines"], (
        problems
    )


@EACH_POST
def test_a_posts_prose_keeps_its_evidence_in_its_box_and_its_sentences_short(site, post):
    assert page_checks.prose_problems(html_of(site, post.url)) == []


@pytest.mark.parametrize(("planted", "clean"), [
    ("It ran on AMD EPYC 7B13 (2 cores).", "It ran on a small machine."),
    ("See tests/test_jit.py for the check.", "The tests check it."),
    ("Measured at commit 47370d0 of the project.", "Measured last week."),
    ("The source, jax/_src/pjit.py, says so.", "JAX's source says so."),
    ("It goes on " + "and on " * 20 + "until it is too long.", "It goes on. It ends."),
])  # fmt: skip
def test_the_prose_check_fails_on_a_planted_violation(planted, clean):
    html = '<article class="md-content__inner md-typeset"><p>{}</p></article>'
    assert page_checks.prose_problems(html.format(planted)) and not page_checks.prose_problems(
        html.format(clean)
    )


def test_every_authoring_feature_renders_on_a_built_page(planted):
    html = (planted.site / "2026/01/05/every-feature-planted/index.html").read_text()
    assert html.count('class="tabbed-block"') == 2, "content tabs, each holding a block"
    assert html.count('class="katex"') == 2 and "arithmatex" not in html, "math drawn by KaTeX"
    assert html.count("<svg") >= 2 and 'class="diagram"' in html, "the diagram, light and dark"
    assert 'class="md-annotation' in html or "annotate" in html, "a code annotation"
    assert 'class="grid cards"' in html and 'class="footnote"' in html
    assert "Output (raises ZeroDivisionError)" in html and "The total was 6," in html
    assert (
        "assets/katex/katex.min.css" in html
        and (planted.site / "snippets/data/planted.csv").exists()
    )


def test_the_scaffolds_new_post_runs_clean_and_its_test_passes(planted):
    post = read(planted.root / "docs" / "posts" / "first-steps.md", planted.root)
    from engine.verify import problems

    assert problems(post, runs.record(post)) == {}
    test, module = planted.root / "tests" / "test_first_steps.py", planted.root / "snippets"
    lint = [sys.executable, "-m", "ruff", "check", "--config", str(ROOT / "snippets" / "ruff.toml")]
    subprocess.run(
        [*lint, str(module / "first_steps.py")], check=True, capture_output=True, cwd=ROOT
    )
    code = (
        f"import runpy; ns = runpy.run_path({str(test)!r}); "
        "[f() for n, f in ns.items() if n.startswith('test_')]"
    )
    subprocess.run(
        [sys.executable, "-c", code], cwd=planted.root, check=True, capture_output=True, timeout=120
    )


def test_the_shown_install_command_installs_a_package_whose_every_module_runs(site, server):
    """The command as the built page shows it, in a fresh environment that has jax and numpy;
    kept (engine/store.py) while the wheel, the command and the environment are the same."""
    shown = " ".join(page_checks.text_of(html_of(site, "about"), re.compile("(?!)")).split())
    (command,) = set(re.findall(r"pip install \S+\.whl", shown))
    wheel = site / "downloads" / command.rsplit("/", 1)[1]
    key = digest(command, wheel.read_bytes(), *sorted(distributions()), sys.version)
    kept = Store("install")
    count("install", reused=kept.get(key) is not None)
    if kept.get(key) is None:
        failed = install_and_run_every_module(command.replace("http://127.0.0.1:8000/", server))
        assert failed == {}
        kept.put(key, failed)


def install_and_run_every_module(command: str) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "fresh"
        venv.create(fresh, with_pip=True)
        packages = next((fresh / "lib").glob("python*/site-packages"))
        here = Path(sys.prefix).joinpath(packages.relative_to(fresh))
        for entry in {e for dist in distributions().values() for e in top_level(dist)}:
            if (here / entry).exists():
                (packages / entry).symlink_to(here / entry)
        python = str(fresh / "bin" / "python")
        subprocess.run(
            [python, "-m", *command.split()], check=True, capture_output=True, cwd=folder
        )
        modules = sorted(p.stem for p in (ROOT / "snippets").glob("[!_]*.py"))

        def run(module: str) -> subprocess.CompletedProcess:
            command = [python, "-m", f"snippets.{module}"]
            return subprocess.run(command, capture_output=True, text=True, cwd=folder, timeout=300)

        with ThreadPoolExecutor() as pool:
            done = dict(zip(modules, pool.map(run, modules), strict=True))
    return {m: d.stderr[-500:] for m, d in done.items() if d.returncode}
