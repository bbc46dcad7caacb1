"""snippets/algebra.py: the rewrite gives the eager loop's answer, in JAX and in NumPy."""

import jax
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
def test_about_half_of_the_matrix_powers_error_is_its_rounded_matrix(data, fit):
    """The post: the float32 step matrix, powered in float64, is already about half as far off."""
    x, y = (np.asarray(a) for a in data)
    exact = np.array(algebra.numpy_reference(x, y))
    jax_matrix, numpy_matrix = algebra.step_matrix(*data), algebra.numpy_step_matrix(x, y)
    matrix = np.asarray(jax_matrix if fit == "jit_best" else numpy_matrix, np.float64)
    rounded = np.linalg.matrix_power(matrix, algebra.STEPS)[:2, 2]
    fitted = algebra.fit_best(*data) if fit == "jit_best" else algebra.numpy_best(x, y)
    error = np.max(np.abs(np.asarray(fitted) - exact))
    assert 0.4 * error < np.max(np.abs(rounded - exact)) < 0.7 * error


def test_the_compiled_matrix_power_is_thirteen_small_operations(data):
    """The post: on the CPU, jit_best runs 13 operations, 8 of them 3-by-3 products."""
    on_cpu = [jax.device_put(a, jax.devices("cpu")[0]) for a in data]
    hlo = algebra.fit_best.lower(*on_cpu).compile().as_text()
    entry = hlo.split("\nENTRY", 1)[1].split("\n}", 1)[0]
    ops = [line.split("=", 2)[1].split("(")[0].split()[-1] for line in entry.splitlines()[1:]]
    work = [op for op in ops if op not in ("parameter", "constant")]
    assert len(work) == 13 and work.count("dot") == 8, work


@pytest.mark.gpu
def test_on_a_gpu_highest_precision_keeps_the_rewrite_exact_enough(data, eager_answer):
    """GPUs may multiply float32 matrices in TF32; EXACT asks for full float32 products."""
    np.testing.assert_allclose(algebra.fit_best(*data), eager_answer, atol=1e-5)
    np.testing.assert_allclose(algebra.fit_moments(*data), eager_answer, atol=1e-5)


def test_main_prints_each_fit_and_its_error(capsys):
    algebra.main()
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "eager loop", "jit_moments", "jit_best", "numpy_best",
        "numpy_best's matrix, powered in float64"]  # fmt: skip
    assert lines[-1].startswith("that is ") and lines[-1].endswith("% of numpy_best's error")
