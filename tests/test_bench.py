"""snippets/bench.py: the fast fits are right, the key ratios hold here, the results are sound."""

import json
import os
from pathlib import Path

import numpy as np
import pytest

from snippets import bench

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "results"
REPORTS = sorted(RESULTS.glob("*/bench.json"))
REQUIRED = [
    "eager_seed", "jit_seed_as_written", "jit_unrolled", "jit_fori", "jit_best", "floor",
    "numpy_loop", "lstsq", "torch_eager", "torch_compile",
]  # fmt: skip


@pytest.mark.parametrize("fit", [bench.fit_moments, bench.fit_best], ids=["moments", "best"])
def test_fast_fits_give_the_eager_loops_answer(data, eager_answer, fit):
    np.testing.assert_allclose(fit(*data), eager_answer, atol=bench.ANSWER_TOLERANCE)


@pytest.mark.parametrize("steps", [1, 7, 1000])
def test_matrix_power_equals_that_many_descent_steps(data, steps):
    np.testing.assert_allclose(
        bench.fit_best(*data, steps=steps), bench.fit_moments(*data, steps=steps), rtol=1e-4
    )


def test_numpy_loop_gives_the_eager_loops_answer(data, eager_answer):
    x, y = (np.asarray(a) for a in data)
    np.testing.assert_allclose(bench.numpy_fit(x, y), eager_answer, atol=1e-5)


def test_key_ratios_hold_on_this_machine(data):
    """A JAX release that changes the story fails here: jit still wins, as-written still empty."""
    names = ("eager_seed", "jit_best", "jit_fori", "jit_seed_as_written", "floor")
    variants = [v for v in bench.jax_variants(*data, quick=True) if v.name in names]
    times = {name: row["median_s"] for name, (row, _) in bench.measure(variants).items()}
    assert times["eager_seed"] / times["jit_fori"] > 1_000, times
    assert times["eager_seed"] / times["jit_best"] > 1_000, times
    assert times["jit_seed_as_written"] < 3 * times["floor"], times


@pytest.mark.parametrize("path", REPORTS, ids=[p.parent.name for p in REPORTS])
def test_committed_results_are_complete_and_checked(path):
    report = json.loads(path.read_text())
    assert report["backend"] == path.parent.name
    assert not report["quick"], "commit a full run (make bench), not --quick"
    assert set(REQUIRED) <= set(report["results"])
    for name in REQUIRED:
        row = report["results"][name]
        if row.get("measured", True):
            assert row["repeats"] >= 3 and row["min_s"] <= row["median_s"] <= row["max_s"]
        else:
            assert name.startswith("torch") and row["reason"]
    assert bench.wrong_answers(report) == []
    assert {"by_points", "by_steps"} <= set(report["scaling"])


@pytest.mark.parametrize("path", REPORTS, ids=[p.parent.name for p in REPORTS])
def test_committed_results_support_what_the_post_says(path):
    """The prose around the figures makes claims; each results file must bear them out."""
    rows = {n: r["median_s"] for n, r in json.loads(path.read_text())["results"].items()
            if r.get("measured", True)}  # fmt: skip
    best = rows["jit_best"]
    for slower in ("eager_seed", "numpy_loop", "torch_eager", "torch_compile"):
        if slower in rows:
            assert rows[slower] > best, f"the post says jit_best beats {slower}"
    assert rows["eager_seed"] / best > 20_000, "the post says: more than the original 20,000x"
    assert rows["floor"] > best / 2, "the post says jit_best spends most of its time being called"
    assert rows["jit_seed_as_written"] < 2 * rows["floor"], "as written, it costs a bare call"


@pytest.mark.parametrize("path", REPORTS, ids=[p.parent.name for p in REPORTS])
def test_committed_charts_are_drawn_from_the_committed_results(path, tmp_path):
    from snippets.bench_charts import draw_charts

    for chart in draw_charts(json.loads(path.read_text()), tmp_path):
        committed = path.parent / chart.name
        assert committed.read_bytes() == chart.read_bytes(), f"{committed} is stale: make bench"


def test_main_writes_json_and_says_why_torch_was_not_measured(tmp_path, monkeypatch):
    def without_torch(*_):
        raise ImportError("No module named 'torch'")

    monkeypatch.setattr(bench, "torch_variants", without_torch)  # fast, whatever is installed
    target = tmp_path / "bench.json"
    monkeypatch.setattr("sys.argv", ["bench", "--quick", "--json", str(target)])
    bench.main()
    report = json.loads(target.read_text())
    assert report["quick"] and report["jax"] == bench.jax.__version__
    assert report["results"]["torch_eager"] == {
        "measured": False,
        "reason": "PyTorch is not installed (No module named 'torch'); `make bench` installs it",
    }


def test_there_are_results_for_the_cpu():
    assert (RESULTS / "cpu" / "bench.json") in REPORTS, os.listdir(RESULTS)
