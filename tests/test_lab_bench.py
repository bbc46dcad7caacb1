"""lab/bench.py: cases timed once each, runs in fresh processes, answers checked, a busy machine
refused, and the committed results complete."""

import json

import pytest

from lab import bench
from lab.results import RESULTS
from lab.schema import load


def test_each_case_is_timed_once_and_every_series_point_names_one():
    cases = bench.cases()
    assert len(cases) == len(set(cases.values()))
    for series in bench.series_of().values():
        for names in series["lines"].values():
            assert all(name in cases for name in names) and len(names) == len(series["x"])


def test_a_case_is_timed_in_calibrated_loops_after_its_first_call():
    calls = []
    timed = bench.time_case(lambda: calls.append(1) or (2.0, 3.0))
    assert timed["answer"] == [2.0, 3.0] and len(timed["values"]) == bench.VALUES
    assert len(calls) == 2 + bench.VALUES * timed["loops"] and timed["loops"] > 1


def fake_runs(quick: bool, answer: list[float]) -> list[dict]:
    measured = {
        name: {
            "first_s": 0.1,
            "loops": 1,
            "values": [0.01, 0.02, 0.03],
            "device": "cpu:0",
            "answer": answer if v not in ("jit_empty", "floor", "jit_as_written") else None,
        }
        for name, (v, _, _) in bench.cases(quick).items()
    }
    return [{"measured": measured, "missing": {}, "timing_block": ""} for _ in range(2)]


def test_a_summary_is_a_valid_results_file_with_every_runs_median():
    from lab.schema import check

    report = check(
        bench.summarize(fake_runs(True, [1.69682, 2.46693]), [0.0, 0.0], True), "summary"
    )
    assert report["runs"] == 2 and report["cases"]["jit_fori"]["runs_s"] == [0.02, 0.02]


def test_a_fit_whose_answer_differs_from_the_eager_loops_stops_the_benchmark():
    runs = fake_runs(True, [1.69682, 2.46693])
    runs[0]["measured"]["jit_best"]["answer"] = [1.7, 2.46693]
    with pytest.raises(SystemExit, match="jit_best: its answer is"):
        bench.summarize(runs, [0.0, 0.0], True)


def test_a_busy_machine_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(bench, "measure", lambda quick: ([], [0.9, 0.8, 1.0]))
    with pytest.raises(SystemExit, match=r"other work kept 0.90 cores busy"):
        bench.record(tmp_path, quick=True)


@pytest.mark.parametrize("path", sorted(RESULTS.glob("*/bench.json")), ids=lambda p: p.parent.name)
def test_the_committed_results_hold_every_case_and_what_the_timing_block_printed(path):
    report = load(path)
    assert set(bench.VARIANTS) <= set(report["cases"])
    if report["backend"] == "cpu":
        assert set(bench.cases()) == set(report["cases"]) and report["runs"] == bench.RUNS
        assert json.loads((path.parent / "bench-runs.json").read_text())["benchmarks"]
    assert (path.parent / "jit_timing.txt").read_text().count("\n") == 3
