"""lab/results.py: numbers as the posts render them, comparisons decided only where runs agree."""

import pytest

from lab import results
from lab.results import Comparison, Results, span
from lab.schema import ResultsError


@pytest.mark.parametrize(("low", "high", "shown"), [
    (95e-6, 103e-6, "95\u00a0µs to 103\u00a0µs"),
    (2.2835e-3, 2.3102e-3, "2.28\u00a0ms to 2.31\u00a0ms"),
    (0.61, 0.64, "610\u00a0ms to 640\u00a0ms"),
])  # fmt: skip
def test_a_range_has_the_digits_that_tell_its_ends_apart(low, high, shown):
    assert span(low, high) == shown


@pytest.mark.parametrize(("ratios", "words"), [
    ([0.1] * 10, "10× faster than"), ([0.8] * 9 + [1.1], "within run-to-run spread of"),
    ([1.5] * 10, "1.5× slower than"),
    ([0.8, 0.7], "faster in each of the 2 runs (1.2× and 1.4×) than"),
    ([0.8, 1.1], "within run-to-run spread of"),
    ([0.4, 0.3], "2.9× faster than"),
])  # fmt: skip
def test_one_variant_is_faster_only_when_every_run_agrees(ratios, words):
    bar = 1 if len(ratios) >= results.MANY_RUNS else 2
    decided = all(r * bar < 1 for r in ratios) or all(r > bar for r in ratios)
    assert Comparison(ratios, decided).words() == words


def file_with(tmp_path, monkeypatch, runs: dict[str, list[float]]) -> Results:
    import json

    from tests.test_lab_schema import minimal

    report = minimal()
    report["runs"] = len(next(iter(runs.values())))
    report["cases"] = {
        n: {
            "label": n,
            "role": "jax",
            "group": "loop",
            "device": "cpu:0",
            "points": 100,
            "steps": 100,
            "runs_s": r,
        }
        for n, r in runs.items()
    }
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "bench.json").write_text(json.dumps(report))
    monkeypatch.setattr(results, "RESULTS", tmp_path)
    return Results("cpu")


def test_a_ratio_that_the_runs_do_not_all_bear_out_fails_the_build(tmp_path, monkeypatch):
    found = file_with(tmp_path, monkeypatch, {"a": [1.0] * 5, "b": [0.5, 0.5, 0.5, 0.5, 1.2]})
    assert found.versus("b", "a") == "within run-to-run spread of"
    with pytest.raises(ResultsError, match="do not all agree"):
        found.ratio("a", "b")


def test_a_table_fits_a_phone_in_three_columns(tmp_path, monkeypatch):
    found = file_with(tmp_path, monkeypatch, {"a": [1.0] * 5, "b": [0.1] * 5})
    rows = found.table(["a", "b"], relative_to="a").splitlines()
    assert all(row.count("|") == 4 for row in rows) and "10× faster" in rows[-1]


def test_a_page_that_sets_two_setups_side_by_side_must_say_what_differs():
    results.CITED.clear()
    results.NAMED.clear()
    cpu, gpu = Results("cpu"), Results("gpu")
    assert results.unnamed(), "two machines, unnamed"
    assert gpu.against(cpu).startswith(
        "These were measured on an NVIDIA H200 GPU beside a CPU with 16 logical cores"
    )
    assert results.unnamed() == []
