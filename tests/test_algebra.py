"""snippets/algebra.py: the rewrite gives the loop's answer, in JAX and in NumPy; its rounding,
which grows with the steps, is held to the 100-step loop in float64."""

import jax
import numpy as np
import pytest

from snippets import algebra


@pytest.mark.parametrize("fit", [algebra.fit_moments, algebra.fit_best], ids=["moments", "best"])
def test_the_rewritten_fits_give_the_loops_answer(data, fit):
    exact = algebra.numpy_reference(*map(np.asarray, data))
    np.testing.assert_allclose(fit(*data), exact, atol=1e-5)
    np.testing.assert_allclose(algebra.numpy_best(*map(np.asarray, data)), exact, atol=1e-5)


@pytest.mark.parametrize("steps", [1, 7, 1000])
def test_the_matrix_power_is_that_many_descent_steps(data, steps):
    np.testing.assert_allclose(
        algebra.fit_best(*data, steps=steps), algebra.fit_moments(*data, steps=steps), rtol=1e-4
    )


def test_the_float64_reference_is_the_eager_loop_in_float64(data, eager_answer):
    np.testing.assert_allclose(
        algebra.numpy_reference(*map(np.asarray, data), steps=20), eager_answer(20), atol=1e-6
    )


def test_the_rounded_matrix_gives_part_of_ws_error_and_most_of_bs(data):
    """The deep dive, component by component: the float32 step matrix powered in float64."""
    x, y = map(np.asarray, data)
    exact = np.array(algebra.numpy_reference(x, y))
    rounded = np.linalg.matrix_power(
        algebra.numpy_step_matrix(x, y).astype(np.float64), algebra.STEPS
    )[:2, 2]
    share = (rounded - exact) / (np.asarray(algebra.numpy_best(x, y)) - exact)
    assert 0.2 < share[0] < 0.7 and 0.7 < share[1] <= 1.0, share


def test_the_compiled_matrix_power_is_thirteen_small_operations(data):
    """The deep dive: on the CPU, jit_best runs 13 operations, 8 of them 3-by-3 products."""
    on_cpu = [jax.device_put(a, jax.devices("cpu")[0]) for a in data]
    entry = (
        algebra.fit_best.lower(*on_cpu)
        .compile()
        .as_text()
        .split("\nENTRY", 1)[1]
        .split("\n}", 1)[0]
    )
    ops = [line.split("=", 2)[1].split("(")[0].split()[-1] for line in entry.splitlines()[1:]]
    work = [op for op in ops if op not in ("parameter", "constant")]
    assert len(work) == 13 and work.count("dot") == 8, work


@pytest.mark.gpu
def test_on_a_gpu_highest_precision_keeps_the_rewrite_exact_enough(data):
    """GPUs may multiply float32 matrices in TF32; EXACT asks for full float32 products."""
    exact = algebra.numpy_reference(*map(np.asarray, data))
    np.testing.assert_allclose(algebra.fit_best(*data), exact, atol=1e-5)
