"""snippets/jit.py: the empty program, the fixed fit, the loop that stays a loop."""

import jax
import numpy as np

from snippets import jit


def test_jit_removes_the_dead_work_before_xla_sees_it(data):
    x, y = data
    assert jit.fit_as_written(0.0, 0.0, x, y) is None
    assert "func.func public @main() {" in jit.fit_as_written.lower(0.0, 0.0, x, y).as_text()
    kept = jax.jit(jit.fit_as_written.__wrapped__, keep_unused=True).lower(0.0, 0.0, x, y)
    assert jit.operations_kept(kept) == 0 and len(kept.as_text().splitlines()) > 1000


def test_the_jitted_fits_equal_the_eager_fit(data, eager_answer):
    x, y = data
    unrolled = jax.jit(jit.fit_unrolled, static_argnames="steps")
    for fit in (jit.fit_jit, unrolled):
        np.testing.assert_allclose(fit(0.0, 0.0, x, y, steps=20), eager_answer(20), atol=1e-6)


def test_5000_steps_reach_the_closed_form_and_100_do_not(data):
    x, y = data
    exact = jit.closed_form(x, y)
    np.testing.assert_allclose(jit.fit_jit(0.0, 0.0, x, y, steps=5_000), exact, atol=2e-3)
    assert abs(float(jit.fit_jit(0.0, 0.0, x, y)[0]) - float(exact[0])) > 1.0


def test_the_loops_program_keeps_its_size_and_the_unrolled_one_grows():
    """Three times the steps, nearly three times the lines (the post prints 10, 100 and 1000)."""
    fori = {jit.program_lines(jit.fit_fori, s, p) for s in (10, 30) for p in ("cpu", "cuda")}
    unrolled = [jit.program_lines(jit.fit_unrolled, s) for s in (10, 30)]
    assert len(fori) == 1 and unrolled[1] > 2.8 * unrolled[0]


def test_the_loop_runs_more_kernels_a_step_than_the_unrolled_program():
    """The deep dive: six fusions a step unrolled; the loop runs those, a counter, a condition
    and two copies, whatever the number of steps."""
    flat = [jit.kernels(jit.fit_unrolled, s) for s in (10, 30)]
    assert [k["fusions"] for k in flat] == [60, 180] and flat[0]["fusions a step"] == 0
    loop = {str(jit.kernels(jit.fit_fori, s)) for s in (10, 30)}
    assert loop == {str({"fusions": 0, "fusions a step": 8, "copies a step": 2})}


def test_the_loop_body_is_inline_from_jax_0_11_2(data):
    """The deep dive: 0.11.0 and older wrote the body as a separate closed_call function."""
    lowered = (
        jax.jit(jit.fit_fori, static_argnames="steps").lower(0.0, 0.0, *data, steps=100).as_text()
    )
    assert ("func.func private" in lowered) == (jax.__version_info__ < (0, 11, 2))
