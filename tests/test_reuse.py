"""tests/reuse.py: a browser pass is reused only over the same bytes, only if it found nothing
wrong, never in CI; what is reused is judged again by the tests, like a fresh pass."""

from collections import Counter

import pytest

from blog import cache
from tests import reuse


@pytest.fixture
def passes(tmp_path, monkeypatch):
    """Observe into an empty store, locally; return a log of the passes that really ran."""
    monkeypatch.setattr(reuse, "CACHE", tmp_path)
    monkeypatch.setattr(cache, "TALLY", Counter())  # these passes are not the run's own
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("REUSE_CACHE", raising=False)
    ran = []

    def observe(seen):
        ran.append(seen)
        return seen

    def look(site_bytes, seen, all_well=lambda seen: True, still_true=lambda seen: True):
        return reuse.observed("pass", site_bytes, lambda: observe(seen), all_well, still_true)

    return look, ran


def test_the_same_bytes_reuse_what_was_seen_and_new_bytes_look_again(passes):
    look, ran = passes
    assert look("site A", {"page": []}) == {"page": []}
    assert look("site A", {"page": ["would differ"]}) == {"page": []}  # kept, not looked at
    assert look("site B", {"page": ["a problem"]}) == {"page": ["a problem"]}
    assert len(ran) == 2


def test_a_pass_that_found_a_problem_is_looked_at_again(passes):
    look, ran = passes
    all_well = lambda seen: not seen["page"]  # noqa: E731
    look("site A", {"page": ["slow"]}, all_well)
    assert look("site A", {"page": []}, all_well) == {"page": []}
    assert len(ran) == 2


def test_a_kept_pass_whose_files_are_gone_is_looked_at_again(passes):
    look, ran = passes
    look("site A", {"page": []})
    look("site A", {"page": []}, still_true=lambda seen: False)
    assert len(ran) == 2


def test_ci_looks_every_time(passes, monkeypatch):
    look, ran = passes
    monkeypatch.setenv("CI", "true")
    look("site A", {"page": []})
    look("site A", {"page": []})
    assert len(ran) == 2
