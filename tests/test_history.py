"""blog/history.py: a post's updated date from git, and no date where history cannot say."""

import datetime
import os
import subprocess
from pathlib import Path

import pytest

from blog.history import cited_results, last_changed

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip


def commit(repo: Path, name: str, day: str) -> None:
    (repo / name).write_text(day)
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": f"{day}T12:00:00Z",
           "GIT_COMMITTER_DATE": f"{day}T12:00:00Z"}  # fmt: skip
    for args in (["add", name], ["commit", "-qm", name]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    commit(repo, "post.md", "2026-01-05")
    commit(repo, "snippet.py", "2026-03-07")
    commit(repo, "other.md", "2026-04-09")
    return repo


def test_the_newest_commit_touching_any_source_gives_the_day(repo):
    assert last_changed([repo / "post.md"], repo) == datetime.date(2026, 1, 5)
    assert last_changed([repo / "post.md", repo / "snippet.py"], repo) == datetime.date(2026, 3, 7)


def test_a_shallow_clone_gives_no_date_rather_than_its_boundarys(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    assert last_changed([clone / "post.md"], clone) is None, "the boundary seems to add it"
    deeper = tmp_path / "deeper"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(deeper)], check=True
    )
    assert last_changed([deeper / "other.md"], deeper) == datetime.date(2026, 4, 9)


def test_no_repository_gives_no_date(tmp_path):
    (tmp_path / "post.md").write_text("x")
    assert last_changed([tmp_path / "post.md"], tmp_path) is None


def test_cited_results_files_are_found_in_the_macros():
    text = '{% set r = results("cpu", "bench") %} {{ results("gpu", "bench").time("x") }}'
    assert [p.parts[-2:] for p in cited_results(text, Path("/p"))] == [
        ("cpu", "bench.json"), ("gpu", "bench.json")]  # fmt: skip
