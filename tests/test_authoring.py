"""Tools for authors and copiers: make post, make test POST=..., python -m snippets, the wheel."""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from blog import cache
from blog.project import BUILD_TIMEOUT_S, ROOT
from snippets.__main__ import examples
from tests.project import MEASURED_POST, NEW_POST, copy_project
from tools import post_tests
from tools.new_post import start_post

# The copy's own test run shares this project's stores (blog/cache.py): what depends only on
# its inputs (executed notebooks, the reader's environment, the wheel) is not made again.
SHARING = dict(os.environ) | cache.sharing()


def picked_for(project: Path, slug: str) -> list[str]:
    """What `make test POST=` picks for a post in ``project``."""
    pick = [sys.executable, "-m", "tools.post_tests", f"docs/posts/{slug}.md"]
    return subprocess.run(
        pick, cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()


def run_tests(project: Path, tests: list[str]) -> subprocess.CompletedProcess:
    """Run ``tests`` in ``project`` with pytest, as `make test POST=` does."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, env=SHARING,
                          timeout=BUILD_TIMEOUT_S)  # fmt: skip


def test_a_new_post_passes_its_tests_and_stays_out_of_the_site(planted):
    slug, title = NEW_POST
    assert f"wrote docs/posts/{slug}.md" in planted.made[slug]
    assert "draft: true" in (planted.project / "docs" / "posts" / f"{slug}.md").read_text()
    chosen = picked_for(planted.project, slug)
    assert chosen == [f"docs/posts/{slug}.md", "tests/test_first_steps.py"]
    ran = run_tests(planted.project, chosen)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "2 passed in" in ran.stdout  # the post's block and the module's test, none skipped
    assert planted.problems_besides_the_dead_anchor() == []
    assert not list(planted.site.rglob(f"{slug}*"))
    assert title not in (planted.site / "feed_rss_created.xml").read_text()


def test_a_new_measured_post_passes_its_tests_and_builds_with_its_figures(planted):
    """make post KIND=measured: post, snippet, benchmark, both tests and results, all wired."""
    slug, project = MEASURED_POST[0], planted.project
    assert (project / "docs" / "results" / "cpu" / "sum_timed-by_points-light.svg").exists()
    chosen = picked_for(project, slug)
    assert chosen == [f"docs/posts/{slug}.md", "tests/test_sum_timed.py",
                      "tests/test_lab_sum_timed.py"]  # fmt: skip
    ran = run_tests(project, chosen)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    lint = [sys.executable, "-m", "ruff", "check", "snippets", "lab", "tests"]
    linted = subprocess.run(lint, cwd=project, capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout  # whatever the title's length
    assert planted.problems_besides_the_dead_anchor() == []  # published for the build
    [page] = [p for p in planted.site.rglob(f"{slug}/index.html") if "notebooks" not in p.parts]
    html = page.read_text()
    assert re.search(r"(less|more) time than|about the same time as", html)
    assert "sum_timed-by_points-light.svg" in html


def test_a_taken_slug_is_refused_and_nothing_is_overwritten(tmp_path):
    project = copy_project(tmp_path / "project")
    written = start_post(project, "again", "Again")
    before = {path: path.read_text() for path in written}
    (project / "tests" / "test_again.py").write_text("# an author's own edits\n")
    with pytest.raises(ValueError, match=r"SLUG='again' is taken \(docs/posts/again\.md, "):
        start_post(project, "again", "Again, differently")
    assert (project / "tests" / "test_again.py").read_text() == "# an author's own edits\n"
    assert (project / "docs" / "posts" / "again.md").read_text() == before[written[0]]


@pytest.mark.parametrize("slug", ["Capitals", "under_score", "-lead", "trail-", "double--hyphen"])
def test_a_slug_that_cannot_be_a_url_and_a_module_is_refused(tmp_path, slug):
    with pytest.raises(ValueError, match="lowercase letters, digits and single hyphens"):
        start_post(tmp_path, slug, "Title")


def test_a_slug_too_long_for_a_module_name_is_refused(tmp_path):
    with pytest.raises(ValueError, match="keep it to 40 characters"):
        start_post(tmp_path, "a" * 41, "Title")


def test_post_tests_are_each_post_and_its_modules_tests():
    from blog.post import posts
    from tests import test_site

    # The page-build test is named by its node id: a renamed test must fail here, not POST=.
    file, name = post_tests.PUBLISHED.split("::")
    assert file == "tests/test_site.py" and callable(getattr(test_site, name, None)), name

    for post in posts():
        chosen = post_tests.tests_for(post.path)
        assert chosen[0] == str(post.path)
        assert chosen[-1] == f"{post_tests.PUBLISHED}[{post.slug}]"  # its page builds
        for test in chosen[1:-1]:
            assert test.startswith("tests/test_") and (ROOT / test).exists()
            name = test[len("tests/test_") :]
            if name.startswith("lab_"):  # a benchmark whose results the post cites
                assert (ROOT / "lab" / name[len("lab_") :]).exists(), test
            else:
                assert ROOT / "snippets" / name in post.snippet_files, test


def test_python_m_snippets_lists_each_module_with_a_main():
    listing = subprocess.run([sys.executable, "-m", "snippets"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
    names = [line.split()[0] for line in listing.splitlines()[1:]]
    with_main = sorted(p.stem for p in (ROOT / "snippets").glob("[!_]*.py")
                       if 'if __name__ == "__main__":' in p.read_text())  # fmt: skip
    assert names == with_main == [name for name, _ in examples()]


def test_every_snippet_module_runs_with_only_its_declared_dependencies(tmp_path):
    """`pip install .` brings jax and numpy: no snippet may import anything else."""
    import ast
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    allowed = set(sys.stdlib_module_names) | {"snippets"} | {d.split("[")[0] for d in declared}
    for path in sorted((ROOT / "snippets").glob("*.py")):
        tree = ast.parse(path.read_text())
        imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for alias in node.names}  # fmt: skip
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module}  # fmt: skip
        assert imported <= allowed, f"{path.name} imports {imported - allowed}"


def test_the_wheel_carries_every_snippet_its_data_and_the_licence(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "snippets" / "data").mkdir(exist_ok=True)
    (project / "snippets" / "data" / "points.csv").write_text("1,2,3\n")  # a snippet's data
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
               "--quiet", "--wheel-dir", str(tmp_path), str(project)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=BUILD_TIMEOUT_S)
    [wheel] = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for path in (ROOT / "snippets").glob("*.py"):
        assert f"snippets/{path.name}" in names
    assert "snippets/data/points.csv" in names
    assert any(name.endswith("licenses/LICENSE") for name in names)
