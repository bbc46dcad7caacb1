"""lab/bench.py: like is compared with like, the ratios hold here, the results are sound."""

import json

import numpy as np
import pytest

from lab import bench
from lab.charts import draw_charts
from lab.results import RESULTS
from lab.schema import load

REPORTS = sorted(RESULTS.glob("*/bench.json"))
REQUIRED = [
    "eager_seed", "jit_seed_as_written", "jit_unrolled", "jit_fori", "jit_best", "floor",
    "numpy_loop", "numpy_best", "lstsq", "torch_eager", "torch_compile",
]  # fmt: skip
# Rows added after the H100 run (2026-11-26); every results file written since has them.
ADDED = ["jnp_loop", "jit_seed", "jit_empty"]


def required(path) -> list[str]:
    """The rows a results file must hold: the H100's predates ADDED."""
    return REQUIRED + (ADDED if path.parent.name == "cpu" else [])


def test_numpy_loop_gives_the_eager_loops_answer(data, eager_answer):
    import numpy as np

    x, y = (np.asarray(a) for a in data)
    np.testing.assert_allclose(bench.numpy_loop(x, y), eager_answer, atol=1e-5)


def test_the_jnp_port_of_the_numpy_loop_gives_the_eager_loops_answer(data, eager_answer):
    import numpy as np

    np.testing.assert_allclose(bench.jnp_loop(*data), eager_answer, atol=1e-5)


def test_key_ratios_hold_on_this_machine(data):
    """Measured inside one process, against wide floors: jit still wins, as-written is empty."""
    names = ("eager_seed", "jit_fori", "jit_seed_as_written", "floor")
    variants = [v for v in bench.jax_variants(*data, quick=True) if v.name in names]
    times = {name: row["median_s"] for name, (row, _) in bench.measure(variants).items()}
    assert times["eager_seed"] / times["jit_fori"] > 200, times
    assert times["jit_seed_as_written"] < 10 * times["floor"], times


@pytest.mark.gpu
def test_on_a_gpu_every_jax_fit_passes_the_benchmarks_answer_check(data):
    """TF32 once moved the matrix-power fit by 1e-4 there; precision highest keeps it in."""
    import numpy as np

    from snippets.algebra import numpy_reference

    rows = bench.measure(bench.jax_variants(*data, quick=True), rounds=1)
    results = {name: row for name, (row, _) in rows.items()}
    answers = {name: bench.as_pair(answer) for name, (_, answer) in rows.items()}
    bench.check_answers(results, answers, np.array(numpy_reference(*map(np.asarray, data))))
    assert bench.wrong_answers({"results": results}) == []


@pytest.mark.parametrize("path", REPORTS, ids=[p.parent.name for p in REPORTS])
def test_committed_results_are_complete_and_checked(path):
    report = load(path)  # validated (lab/schema.py): spreads ordered, devices named
    assert report.backend == path.parent.name
    assert not report.facts["quick"], "commit a full run (make bench), not --quick"
    assert set(required(path)) <= set(report.results)
    for name in required(path):
        row = report.results[name]
        assert row.timing.repeats >= 3 if row.measured else row.reason, name
    assert bench.wrong_answers(json.loads(path.read_text())) == []
    assert {"by_points", "by_steps"} <= set(report.series)


@pytest.mark.parametrize("path", REPORTS, ids=[p.parent.name for p in REPORTS])
def test_peers_ran_on_jaxs_device(path):
    """Like with like: PyTorch runs where JAX does (CUDA beside a GPU backend)."""
    report = load(path)
    for name in ("torch_eager", "torch_compile"):
        if report.results[name].measured:
            expected = "cuda" if report.backend == "gpu" else "cpu"
            assert report.results[name].device.startswith(expected), report.results[name].device


@pytest.mark.parametrize("path", REPORTS, ids=[p.parent.name for p in REPORTS])
def test_committed_results_support_what_the_post_says(path):
    """The prose around the figures makes claims; each results file must bear them out."""
    rows = {n: r.median_s for n, r in load(path).results.items() if r.measured}
    assert rows["eager_seed"] > rows["jit_fori"], "the post says jit beats the eager loop"
    assert rows["jit_best"] < rows["jit_fori"], "the post says the algebra wins in JAX"
    assert rows["numpy_best"] < rows["numpy_loop"], "the post says the algebra wins in NumPy"
    assert rows["jit_seed_as_written"] < 3 * rows["floor"], "as written, it costs a bare call"
    assert rows["eager_seed"] / rows["jit_fori"] > 100, "the post: hundreds of times or more"


def test_committed_cpu_results_support_what_the_post_says_of_the_added_rows():
    """The post renders these comparisons from the results; its words assume their direction."""
    rows = {n: r.median_s for n, r in load(RESULTS / "cpu" / "bench.json").results.items()}
    assert rows["jit_seed"] < rows["eager_seed"] / 10, "the post: jit alone pays"
    assert rows["jnp_loop"] > rows["numpy_loop"], "the post: a port without jit is not faster"
    assert rows["jit_empty"] <= rows["floor"], "the post: the floor does more than dispatch"


def test_at_a_hundred_points_the_cpu_machine_beat_the_h100():
    """The post says so plainly: the CPU's median is well below the GPU's fastest repeat."""
    cpu, gpu = (load(RESULTS / b / "bench.json") for b in ("cpu", "gpu"))
    assert 5 * cpu.results["jit_fori"].median_s < gpu.results["jit_fori"].timing.min_s
    by_points = [r.series["by_points"] for r in (cpu, gpu)]
    assert all(t.x[0] == 100 for t in by_points)
    on_cpu, on_gpu = (t.lines["jit_fori"][0].median_s for t in by_points)
    assert 5 * on_cpu < on_gpu


@pytest.mark.parametrize("path", [p for p in REPORTS if p.parent.name == "gpu"])
def test_committed_gpu_results_support_what_its_section_says(path):
    report = load(path)
    rows = {n: r.median_s for n, r in report.results.items() if r.measured}
    assert rows["jit_fori"] > rows["jit_unrolled"], "the post: the loop loses there"
    assert rows["torch_eager"] > rows["jit_fori"], "the post: PyTorch's eager loop launches more"
    unrolled = rows["torch_compile"] / rows["jit_unrolled"]
    assert 1 / 3 < unrolled < 3, "the post: torch.compile is close to JAX's unrolled program"
    lines = {n: [p.median_s for p in line] for n, line in report.series["by_points"].lines.items()}
    loop = report.series["by_points"].lines["jit_fori"]  # at 100, 1,000, ..., 10^6 points
    # The post: less time at 10,000 points and at a million than at 100, the intervals apart.
    assert loop[2].ci_high_s < loop[0].ci_low_s and loop[-1].ci_high_s < loop[0].ci_low_s
    assert lines["numpy_loop"][-1] > 10 * lines["numpy_loop"][0], "the post: NumPy's grows"
    assert lines["jit_fori"][-1] < lines["numpy_loop"][-1], "the post: the GPU wins with work"


@pytest.mark.parametrize("path", REPORTS, ids=[p.parent.name for p in REPORTS])
def test_committed_charts_are_drawn_from_the_committed_results(path, tmp_path):
    for chart in draw_charts(load(path), tmp_path, "bench"):
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
    assert report["facts"]["quick"] and report["versions"]["jax"] == bench.jax.__version__
    assert report["results"]["torch_eager"] == {
        "label": "PyTorch eager",
        "role": "peer",
        "measured": False,
        "reason": "PyTorch is not installed (No module named 'torch'); `make bench` installs it",
        "group": "loop",
    }
    assert "torch" not in report["versions"], "no row used PyTorch, so no version is claimed"
    assert {row["device"] for row in report["results"].values() if "device" in row} >= {"cpu"}


def test_there_are_results_for_the_cpu():
    assert RESULTS / "cpu" / "bench.json" in REPORTS


def test_every_variant_is_labelled_and_declared(data):
    """A row the benchmark times needs a label and a declared role and group (lab/schema.py)."""
    names = {v.name for v in bench.jax_variants(*data, quick=True)}
    names |= {v.name for v in bench.numpy_variants(*map(np.asarray, data), quick=True)}
    names |= {"torch_eager", "torch_compile"}
    assert names <= set(bench.LABELS), names - set(bench.LABELS)
    assert set(bench.LABELS) == set(bench.DECLARED)
