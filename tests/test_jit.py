"""snippets/jit.py: the empty program, the fixed fit, the loop that stays a loop, the timing."""

import numpy as np

from snippets import jit
from snippets.regression import fit_seed


def test_fit_as_written_compiles_to_an_empty_program(data):
    x, y = data
    program = jit.fit_as_written.lower(0.0, 0.0, x, y).compile().as_text()
    assert "entry_computation_layout={()->()}" in program  # takes nothing, returns nothing
    entry = program[program.index("ENTRY") :]
    assert [line.strip() for line in entry.splitlines()[1:3]] == ["ROOT %tuple.1 = () tuple()", "}"]
    assert jit.fit_as_written(0.0, 0.0, x, y) is None


def test_jit_fit_equals_the_eager_fit(data, eager_answer):
    x, y = data
    np.testing.assert_allclose(jit.fit_jit(0.0, 0.0, x, y), eager_answer, atol=1e-5)


def test_unrolled_jit_fit_equals_the_eager_fit(data, eager_answer):
    x, y = data
    unrolled = jit.jax.jit(jit.fit_unrolled)(0.0, 0.0, x, y)
    np.testing.assert_allclose(unrolled, eager_answer, atol=1e-5)


def test_enough_steps_reach_the_closed_form(data):
    x, y = data
    exact = jit.closed_form(x, y)
    np.testing.assert_allclose(jit.fit_jit(0.0, 0.0, x, y, steps=5_000), exact, atol=2e-3)


def test_a_hundred_steps_have_not_converged(data):
    """The post says so: after 100 steps w is still far from the least-squares answer."""
    x, y = data
    w, _ = jit.fit_jit(0.0, 0.0, x, y)
    w_exact, _ = jit.closed_form(x, y)
    assert abs(float(w) - float(w_exact)) > 1.0


def test_fori_loop_program_does_not_grow_with_steps_but_unrolled_does():
    fori = [jit.program_lines(jit.fit_fori, steps) for steps in (10, 100)]
    unrolled = [jit.program_lines(jit.fit_unrolled, steps) for steps in (10, 100)]
    assert fori[0] == fori[1]
    assert unrolled[1] > 9 * unrolled[0]


def test_jit_is_at_least_a_thousand_times_faster_than_the_eager_loop(data):
    x, y = data
    jit.fit_jit(0.0, 0.0, x, y)  # compile outside the timing
    eager = jit.median_seconds(fit_seed, x, y, repeats=1)
    jitted = jit.median_seconds(jit.fit_jit, 0.0, 0.0, x, y, repeats=50)
    assert eager / jitted > 1_000, f"eager {eager:.3f} s, jit {jitted * 1e6:.1f} µs"


def test_record_writes_the_timing_and_the_machine(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.argv", ["jit", "--record", str(tmp_path)])
    jit.main()
    backend = jit.jax.default_backend()
    report = (tmp_path / backend / "jit_timing.txt").read_text()
    machine = (tmp_path / backend / "jit_timing_machine.txt").read_text()
    assert report.splitlines()[2].startswith("speedup:")
    assert f"JAX {jit.jax.__version__}, {backend} backend" in machine


def test_committed_results_come_from_a_record_run():
    """What the post shows was written by `make bench`, in the shape a record run writes."""
    from pathlib import Path

    results = Path(__file__).parents[1] / "docs" / "results" / "cpu"
    lines = (results / "jit_timing.txt").read_text().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "eager, grad per parameter",
        "jit with fori_loop",
        "speedup",
    ]
    assert "cpu backend" in (results / "jit_timing_machine.txt").read_text()
    speedup = float(lines[2].split()[-1].rstrip("x").replace(",", ""))
    assert 1_000 <= speedup < 10_000, "the post says: in the thousands, not the tens of thousands"
