"""blog/cache.py: one place names every store, says when to reuse, and keeps one tally."""

from collections import Counter
from pathlib import Path

import pytest

from blog import cache
from blog.project import ROOT


def test_every_store_lives_in_the_projects_cache_and_an_unknown_one_is_refused(monkeypatch):
    monkeypatch.delenv("SHARED_CACHE", raising=False)
    assert {cache.folder(store).parent for store in cache.STORES} == {ROOT / ".cache"}
    with pytest.raises(KeyError, match="no store 'blcoks'"):
        cache.folder("blcoks")


def test_a_copy_shares_only_the_stores_keyed_on_all_they_depend_on(monkeypatch, tmp_path):
    monkeypatch.setenv("SHARED_CACHE", str(tmp_path))
    copy = Path("/elsewhere/copy")
    assert cache.folder("executed", copy) == tmp_path / "executed"
    assert cache.folder("reader-env", copy) == tmp_path / "reader-env"
    assert cache.folder("blocks", copy) == copy / ".cache" / "blocks"  # its own posts' outcomes


def test_the_tally_says_what_ran_and_what_was_reused(monkeypatch):
    monkeypatch.setattr(cache, "TALLY", Counter())
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("REUSE_CACHE", raising=False)
    for reused in (False, True, True):
        cache.count("blocks", reused)
    cache.count("site-checks", False)
    assert cache.summary() == [
        "blocks: 1 ran, 2 reused (CI=true: everything runs)",
        "site-checks: 1 ran, 0 reused (CI=true: everything runs)",
    ]


def test_no_other_module_names_a_folder_of_the_cache():
    code = [
        p
        for folder in ("blog", "hooks", "lab", "tests", "tools")
        for p in (ROOT / folder).glob("*.py")
    ]
    for path in code:
        if path.name not in ("cache.py", "test_cache.py"):
            text = path.read_text(encoding="utf-8")
            assert '/ ".cache"' not in text, f"{path} makes a path in .cache/: use blog/cache.py"
