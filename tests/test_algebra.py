"""snippets/algebra.py: the rewrite gives the eager loop's answer, in JAX and in NumPy."""

import numpy as np
import pytest

from snippets import algebra


@pytest.mark.parametrize("fit", [algebra.fit_moments, algebra.fit_best], ids=["moments", "best"])
def test_fast_jax_fits_give_the_eager_loops_answer(data, eager_answer, fit):
    np.testing.assert_allclose(fit(*data), eager_answer, atol=1e-5)


def test_numpy_best_gives_the_eager_loops_answer(data, eager_answer):
    x, y = (np.asarray(a) for a in data)
    np.testing.assert_allclose(algebra.numpy_best(x, y), eager_answer, atol=1e-5)


@pytest.mark.parametrize("steps", [1, 7, 1000])
def test_matrix_power_equals_that_many_descent_steps(data, steps):
    np.testing.assert_allclose(
        algebra.fit_best(*data, steps=steps), algebra.fit_moments(*data, steps=steps), rtol=1e-4
    )


def test_the_float64_reference_is_the_eager_loop_in_float64(data, eager_answer):
    x, y = (np.asarray(a) for a in data)
    np.testing.assert_allclose(algebra.numpy_reference(x, y), eager_answer, atol=1e-6)


def test_the_matrix_power_is_further_from_float64_than_the_loop(data, eager_answer):
    """What the post says: equal in exact arithmetic, tens of times further off in float32."""
    x, y = (np.asarray(a) for a in data)
    exact = np.array(algebra.numpy_reference(x, y))
    loop_error = np.max(np.abs(np.array(eager_answer) - exact))
    best_error = np.max(np.abs(np.asarray(algebra.fit_best(*data)) - exact))
    assert 10 * loop_error < best_error < 100 * loop_error  # the post: "tens of times"


@pytest.mark.parametrize("fit", ["jit_best", "numpy_best"])
def test_most_of_the_matrix_powers_error_is_its_rounded_matrix(data, fit):
    """The post: the float32 step matrix, powered in float64, is already most of the way off."""
    x, y = (np.asarray(a) for a in data)
    exact = np.array(algebra.numpy_reference(x, y))
    jax_matrix, numpy_matrix = algebra.step_matrix(*data), algebra.numpy_step_matrix(x, y)
    matrix = np.asarray(jax_matrix if fit == "jit_best" else numpy_matrix, np.float64)
    rounded = np.linalg.matrix_power(matrix, algebra.STEPS)[:2, 2]
    fitted = algebra.fit_best(*data) if fit == "jit_best" else algebra.numpy_best(x, y)
    error = np.max(np.abs(np.asarray(fitted) - exact))
    assert 0.4 * error < np.max(np.abs(rounded - exact)) <= error


@pytest.mark.gpu
def test_on_a_gpu_highest_precision_keeps_the_rewrite_exact_enough(data, eager_answer):
    """GPUs may multiply float32 matrices in TF32; EXACT asks for full float32 products."""
    np.testing.assert_allclose(algebra.fit_best(*data), eager_answer, atol=1e-5)
    np.testing.assert_allclose(algebra.fit_moments(*data), eager_answer, atol=1e-5)


def test_main_prints_each_fit_and_its_error(capsys):
    algebra.main()
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "eager loop", "jit_moments", "jit_best", "numpy_best",
        "numpy_best's matrix, powered in float64"]  # fmt: skip
