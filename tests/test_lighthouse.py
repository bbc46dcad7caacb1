"""Lighthouse on a phone's terms: each kind of page scores 0.95 or more in all four categories.

Lighthouse is an instrument here, not a unit test of every page: every page is already held to
budgets that no host's speed can move (tests/page_budgets.py, in the browser pass). Lighthouse
(npm, pinned in package-lock.json) adds what only it judges, on the heaviest page of each kind
(the most bytes as served): the home page, the posts (YYYY/MM/DD/<slug>/) and the notebook pages
(notebooks/<slug>/), all found in the built site, never in a list. `make audit` audits every
page. A first visit may transfer no more than 450 kB, as served.

It drives the browser tests' Chromium with its default mobile preset and simulated throttling,
against the built site served as GitHub Pages serves it (gzip), with the CPU slowdown
calibrated to this host's benchmark index at the time of each page (tests/lighthouse_pages.mjs),
so a busy host is slowed less. Performance is judged only on runs during which the rest of the
machine was quiet (QUIET_OTHER_CORES); when every run met a busy host, the page's performance
is reported as not judged, its speed having been judged by the page budgets. A page that falls
short runs twice more and is judged on the median of three; a failure names the benchmark index
and the slowdown that applied.

All pages run in one Lighthouse process and one Chromium. Locally, a page whose bytes are
unchanged since it last passed (the page and every file it loaded) reuses that result from
.cache/lighthouse/; with CI=true every audit runs. Reports land in test-artifacts/lighthouse/.
"""

import gzip
import hashlib
import json
import math
import shutil
import statistics
import subprocess
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from blog import cache
from blog.post import posts
from blog.project import BUILD_TIMEOUT_S, ROOT
from tests.chromium import CHROMIUM, FLAGS
from tests.page_budgets import BUDGETS, PHONE_INDEX, median

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse"
BATCH = Path(__file__).with_name("lighthouse_pages.mjs")  # many pages, one process
REPORTS = ROOT / "test-artifacts" / "lighthouse"
CACHE = cache.folder("lighthouse")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
BAR = 0.95
# A run is judged for performance when the rest of the machine kept no more than this many cores
# busy, on average, while Lighthouse loaded the page (Linux's CPU accounting, /proc). The tests'
# own server counts as other work: up to half a core in quiet runs here; two busy loops beside
# the tests count for more than one.
QUIET_OTHER_CORES = 0.75
WEIGHT_BUDGET = BUDGETS["bytes"].limit  # what a first visit transfers (gzipped), all it loads
KINDS = ("home", "post", "notebook")


def pages_of(every_post: list) -> list[tuple[str, str]]:
    """Return (kind, path) for the home page, and each post and its notebook page: what a post
    is, and where it is served, blog/post.py says."""
    return [("home", ""), *(("post", post.url) for post in every_post),
            *(("notebook", f"notebooks/{post.slug}/") for post in every_post)]  # fmt: skip


def heaviest_of_each_kind(site: Path, pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return one page per kind, the one with the most bytes as served (gzipped): where a
    slowdown shows first. Every page of a kind loads the same theme, so its own HTML decides."""
    heaviest: dict[str, tuple[int, str]] = {}
    for kind, path in pages:
        size = len(gzip.compress((site / path / "index.html").read_bytes()))
        if kind not in heaviest or size > heaviest[kind][0]:
            heaviest[kind] = (size, path)
    return [(kind, path) for kind, (_, path) in heaviest.items()]


def numbers_of(report: dict) -> dict[str, float]:
    """Return what a page is judged on (four scores, its weight) and what explains them."""
    audits = report["audits"]
    # A category that could not be scored has no score: that counts as zero.
    scores = {name: report["categories"][name]["score"] or 0.0 for name in CATEGORIES}
    return scores | {
        "weight": measured(audits, "total-byte-weight"),
        "fcp": measured(audits, "first-contentful-paint"),
        "lcp": measured(audits, "largest-contentful-paint"),
        "tbt": measured(audits, "total-blocking-time"),
        "elements": measured(audits, "dom-size"),
        "benchmark_index": report["environment"]["benchmarkIndex"],
        "slowdown": report["configSettings"]["throttling"]["cpuSlowdownMultiplier"],
        "other_cores": report["host"]["otherCores"],  # other work on the host during the load
    }


def measured(audits: dict, name: str) -> float:
    """An audit's value; NaN when the audit itself failed (a busy host can make one time out),
    so the run is judged on what it did measure and the failure message says what it did not."""
    return audits[name].get("numericValue", math.nan)


def shortfalls(numbers: dict[str, float]) -> list[str]:
    """Say what keeps a page below the bar: each category under 0.95, and weight over budget.

    Performance counts only where it was judged: a run during which other work kept more than
    QUIET_OTHER_CORES busy met a busy host, which cannot stand for a phone however its slowdown
    was calibrated.
    """
    judged = [name for name in CATEGORIES if numbers[name] is not None]
    found = [f"{name} {numbers[name]:.2f} < {BAR}" for name in judged if numbers[name] < BAR]
    if not numbers["weight"] <= WEIGHT_BUDGET:  # unmeasured (NaN) is not within
        found.append(f"first visit {numbers['weight'] / 1000:.0f} kB > {WEIGHT_BUDGET // 1000} kB")
    return found


def explained(numbers: dict[str, float]) -> str:
    """The measurements behind a performance score, and the host's speed, for a failure."""
    host = (f"benchmark index {numbers['benchmark_index']:.0f}, CPU work scaled"
            f" {numbers['slowdown']:.2f}x to a phone's {PHONE_INDEX}")  # fmt: skip
    return (f"TBT {numbers['tbt']:.0f} ms, FCP {numbers['fcp'] / 1000:.1f} s, "
            f"LCP {numbers['lcp'] / 1000:.1f} s, {numbers['elements']:.0f} elements, "
            f"{numbers['weight'] / 1000:.0f} kB; {host}")  # fmt: skip


def run_lighthouse(runs: list[tuple[str, Path]]) -> list[dict]:
    """Audit each (url, base) in one Lighthouse process; write base.report.{json,html}."""
    command = [
        "node", str(BATCH), str(CHROMIUM), " ".join(["--headless=new", *FLAGS]),
        ",".join(CATEGORIES), str(PHONE_INDEX), *(f"{url}={base}" for url, base in runs),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120 * len(runs))
    assert done.returncode == 0, f"Lighthouse failed:\n{done.stderr[-3000:]}"
    return [json.loads(Path(f"{base}.report.json").read_text(encoding="utf-8"))
            | {"host": json.loads(Path(f"{base}.host.json").read_text(encoding="utf-8"))}
            for _, base in runs]  # fmt: skip


def files_loaded(report: dict, base_url: str) -> list[str]:
    """Return the site's files that a page loaded, from the report's network requests."""
    names = set()
    for request in report["audits"]["network-requests"]["details"]["items"]:
        if request["url"].startswith(base_url):
            path = urlsplit(request["url"]).path.lstrip("/")
            names.add(path + "index.html" if path == "" or path.endswith("/") else path)
    return sorted(names)


def fingerprint(site: Path, files: list[str]) -> str:
    """Hash the bytes of these site files, and the Lighthouse version that judged them."""
    version = json.loads((LIGHTHOUSE / "package.json").read_text(encoding="utf-8"))["version"]
    digest = hashlib.sha256(version.encode())
    for name in files:
        path = site / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-"))
    return digest.hexdigest()


def reused(name: str, site: Path) -> dict[str, float] | None:
    """Return a page's last passing numbers if none of its bytes changed since (never in CI)."""
    entry = CACHE / f"{name}.json"
    cached = json.loads(entry.read_text(encoding="utf-8")) if entry.is_file() else None
    if not (
        cache.reuse_allowed()
        and cached
        and cached["fingerprint"] == fingerprint(site, cached["files"])
    ):
        cache.count("lighthouse", reused=False)
        return None
    cache.count("lighthouse", reused=True)
    for suffix in (".report.html", ".report.json"):  # the reader's copy, as if it had run
        shutil.copy(CACHE / (name + suffix), REPORTS / (name + suffix))
    return cached["numbers"]


def remember(name: str, site: Path, numbers: dict[str, float], files: list[str]) -> None:
    """Keep a passing page's numbers and reports, keyed on the bytes it loaded."""
    CACHE.mkdir(parents=True, exist_ok=True)
    for suffix in (".report.html", ".report.json"):
        shutil.copy(REPORTS / (name + suffix), CACHE / (name + suffix))
    entry = {"fingerprint": fingerprint(site, files), "files": files, "numbers": numbers}
    (CACHE / f"{name}.json").write_text(json.dumps(entry, indent=1), encoding="utf-8")


def name_of(path: str) -> str:
    """A page's name for its reports: its path with dashes, or "home"."""
    return path.strip("/").replace("/", "-") or "home"


def audit(paths: list[str], base_url: str, site: Path, scratch: Path) -> dict[str, tuple]:
    """Judge pages: for each, its numbers and how they were had (reused, one run, median of 3)."""
    judged = {path: (numbers, "reused") for path in paths
              if (numbers := reused(name_of(path), site)) is not None}  # fmt: skip
    to_run = [path for path in paths if path not in judged]
    reports: dict[str, list[dict]] = {path: [] for path in to_run}
    for attempt in (1, 2, 3):
        # Every page runs once; a page that falls short (a busy moment?) runs twice more.
        if attempt > 1:
            to_run = [path for path in to_run if shortfalls(numbers_of(reports[path][0]))]
        runs = [(base_url + path, scratch / f"{name_of(path)}-{attempt}") for path in to_run]
        for path, report in zip(to_run, run_lighthouse(runs) if runs else [], strict=True):
            reports[path].append(report)
    for path, reports_of_page in reports.items():
        judged[path] = judge(path, reports_of_page, base_url, site, scratch)
    return judged


def judge(path: str, reports: list[dict], base_url: str, site: Path, scratch: Path) -> tuple:
    """Judge one page on the median of its runs, its performance on the runs the host was quiet
    for; keep the median run's report for a person."""
    name = name_of(path)
    runs = [numbers_of(report) for report in reports]
    numbers = verdict(runs)
    # The reader gets the run whose performance is the median one.
    chosen = sorted(range(len(runs)), key=lambda i: runs[i]["performance"])[len(runs) // 2]
    for suffix in (".report.html", ".report.json"):
        shutil.copy(scratch / f"{name}-{chosen + 1}{suffix}", REPORTS / (name + suffix))
    if not shortfalls(numbers) and numbers["performance"] is not None:
        remember(name, site, numbers, files_loaded(reports[chosen], base_url))
    spread = ", ".join(f"{r['performance']:.2f} (other work {r['other_cores']:.1f} cores)"
                       for r in runs)  # fmt: skip
    return numbers, "one run" if len(runs) == 1 else f"median of 3 (performance {spread})"


def verdict(runs: list[dict[str, float]]) -> dict[str, float | None]:
    """A page's numbers over its runs: each one's median, performance over the quiet runs only
    (None when the host was busy in every run)."""
    numbers = median(runs)
    quiet = [run["performance"] for run in runs if run["other_cores"] <= QUIET_OTHER_CORES]
    return numbers | {"performance": statistics.median(quiet) if quiet else None}


def not_judged(numbers: dict[str, float], how: str) -> str | None:
    """Say why a page's performance was not judged, if it was not."""
    if numbers["performance"] is not None:
        return None
    return (f"performance not judged: the host was busy in every run, other work keeping "
            f"{numbers['other_cores']:.1f} cores busy ({how}; {explained(numbers)}); the page "
            "budgets judged its speed")  # fmt: skip


# Every page, three runs each at worst (make audit); a post is two pages, the blog adds a few.
@pytest.mark.timeout(BUILD_TIMEOUT_S + 3 * 60 * (2 * len(posts()) + 30))
def test_every_kind_of_page_scores_at_least_095_on_a_phone(site, server, request, tmp_path):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run .ci/install-tools (never a skip)")
    if not LIGHTHOUSE.is_dir():
        pytest.fail("node_modules/lighthouse is missing: run `make node_modules/.installed`")
    pages = pages_of(posts())
    if not request.config.getoption("--lighthouse-every-page"):
        pages = heaviest_of_each_kind(site, pages)  # make audit audits every page
    assert {kind for kind, _ in pages} == set(KINDS), f"a kind of page is missing: {pages}"
    REPORTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    judged = audit([path for _, path in pages], server, site, tmp_path)
    results, problems = {"seconds": time.monotonic() - started}, []
    for path, (numbers, how) in judged.items():
        results[path or "/"] = numbers | {"how": how}
        if why := not_judged(numbers, how):
            warnings.warn(f"/{path}: {why}", LighthouseNotJudged, stacklevel=1)
        if shortfalls(numbers):
            problems.append(f"/{path}: {'; '.join(shortfalls(numbers))} ({explained(numbers)}; "
                            f"{how}; report in {REPORTS})")  # fmt: skip
    (REPORTS / "summary.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    assert problems == []


class LighthouseNotJudged(UserWarning):
    """A page's Lighthouse performance could not be judged: the host was busy."""


def a_report(weight: float = 300_000, other_cores: float = 0.0, **scores: float | None) -> dict:
    """A Lighthouse report cut down to what the checks read; every score 1.0 unless given,
    with ``other_cores`` kept busy by other work during the load."""
    categories = {name: {"score": scores.get(name.replace("-", "_"), 1.0)} for name in CATEGORIES}
    measured = {
        "total-byte-weight": weight,
        "first-contentful-paint": 1200,
        "largest-contentful-paint": 1300,
        "total-blocking-time": 2580,
        "dom-size": 3426,
    }
    audits = {key: {"numericValue": value} for key, value in measured.items()}
    slowdown = {"cpuSlowdownMultiplier": 1800 / PHONE_INDEX}
    host = {"environment": {"benchmarkIndex": 1800}, "configSettings": {"throttling": slowdown},
            "host": {"otherCores": other_cores}}  # fmt: skip
    return {"categories": categories, "audits": audits, **host}


def test_performance_is_judged_on_the_runs_the_host_was_quiet_for():
    busy, quiet = 1.6, 0.1  # cores other work kept busy during each load
    runs = [numbers_of(a_report(performance=0.79, other_cores=busy)),
            numbers_of(a_report(performance=0.97, other_cores=quiet)),
            numbers_of(a_report(performance=0.87, other_cores=busy))]  # fmt: skip
    assert verdict(runs)["performance"] == 0.97
    assert shortfalls(verdict(runs)) == []
    slow_page = [numbers_of(a_report(performance=0.80, other_cores=quiet))] * 3
    assert shortfalls(verdict(slow_page)) == ["performance 0.80 < 0.95"]


def test_a_page_whose_every_run_met_a_busy_host_is_said_not_judged_but_still_judged_otherwise():
    runs = [numbers_of(a_report(performance=0.79, accessibility=0.90, other_cores=1.6))] * 3
    numbers = verdict(runs)
    assert numbers["performance"] is None
    assert shortfalls(numbers) == ["accessibility 0.90 < 0.95"]  # what the host cannot move
    assert "performance not judged: the host was busy in every run" in not_judged(
        numbers, "median of 3"
    )


def test_an_audit_that_failed_to_measure_does_not_stop_the_judgement():
    report = a_report(performance=None)
    del report["audits"]["largest-contentful-paint"]["numericValue"]  # an audit that errored
    numbers = numbers_of(report)
    assert math.isnan(numbers["lcp"])
    assert shortfalls(numbers) == ["performance 0.00 < 0.95"]
    assert "LCP nan s" in explained(numbers)


def test_a_low_performance_score_fails_the_page():
    assert shortfalls(numbers_of(a_report(performance=0.57))) == ["performance 0.57 < 0.95"]


def test_a_page_at_the_bar_passes_and_one_just_under_fails():
    assert shortfalls(numbers_of(a_report(performance=0.95, seo=0.95))) == []
    assert shortfalls(numbers_of(a_report(best_practices=0.94))) == ["best-practices 0.94 < 0.95"]


def test_a_category_without_a_score_fails():
    assert shortfalls(numbers_of(a_report(accessibility=None))) == ["accessibility 0.00 < 0.95"]


def test_a_heavy_first_visit_fails():
    assert shortfalls(numbers_of(a_report(weight=1_100_000))) == ["first visit 1100 kB > 450 kB"]


def test_one_slow_run_among_three_does_not_fail_the_page():
    runs = [numbers_of(a_report(performance=score)) for score in (0.81, 0.97, 0.96)]
    assert shortfalls(median(runs)) == []
    runs = [numbers_of(a_report(performance=score)) for score in (0.81, 0.93, 0.97)]
    assert shortfalls(median(runs)) == ["performance 0.93 < 0.95"]


def test_pages_are_the_home_page_each_post_and_its_notebook_new_posts_included(tmp_path):
    seen = SimpleNamespace(url="2025/05/26/jax-is-amazing/", slug="jax-is-amazing")
    unseen = SimpleNamespace(url="2031/01/02/unseen/", slug="unseen")
    found = pages_of([seen, unseen])
    assert found == [
        ("home", ""),
        ("post", "2025/05/26/jax-is-amazing/"),
        ("post", "2031/01/02/unseen/"),
        ("notebook", "notebooks/jax-is-amazing/"),
        ("notebook", "notebooks/unseen/"),
    ]
    for _, path in found:
        (tmp_path / path).mkdir(parents=True, exist_ok=True)
        (tmp_path / path / "index.html").write_text("<p>page</p>" * (2 if "unseen" in path else 1))
    assert heaviest_of_each_kind(tmp_path, found) == [
        ("home", ""),
        ("post", "2031/01/02/unseen/"),
        ("notebook", "notebooks/unseen/"),
    ]


def test_a_page_is_reused_only_while_its_bytes_are_unchanged_and_never_in_ci(tmp_path, monkeypatch):
    here = sys.modules[__name__]
    monkeypatch.setattr(here, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(here, "REPORTS", tmp_path / "reports")
    monkeypatch.setattr(cache, "TALLY", Counter())  # not the run's own tally
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("REUSE_CACHE", raising=False)
    site, files = tmp_path / "site", ["index.html", "style.css"]
    site.mkdir()
    (site / "index.html").write_text("<p>one</p>")
    (site / "style.css").write_text("p {}")
    (tmp_path / "reports").mkdir()
    for suffix in (".report.html", ".report.json"):
        (tmp_path / "reports" / f"home{suffix}").write_text("{}")
    remember("home", site, {"performance": 1.0}, files)
    assert reused("home", site) == {"performance": 1.0}
    monkeypatch.setenv("CI", "true")
    assert reused("home", site) is None  # CI runs every audit
    monkeypatch.delenv("CI")
    (site / "style.css").write_text("p { color: red }")
    assert reused("home", site) is None  # a byte it loaded changed
