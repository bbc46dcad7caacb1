"""snippets/regression.py: the data, the loss, its gradient and the two eager fits."""

import jax
import jax.numpy as jnp
import numpy as np

from snippets import regression
from snippets.regression import fit, loss, make_data


def test_make_data_is_seeded_and_on_the_line():
    x, y = make_data()
    again_x, again_y = make_data()
    assert x.shape == y.shape == (100,) and x.dtype == jnp.float32
    np.testing.assert_array_equal(x, again_x)
    np.testing.assert_array_equal(y, again_y)
    residual = y - (regression.TRUE_W * x + regression.TRUE_B)
    assert float(jnp.std(residual)) < 0.2  # the noise is 0.1 * normal


def test_different_seeds_give_different_data():
    assert not np.allclose(make_data(seed=0)[0], make_data(seed=1)[0])


def test_loss_is_smallest_near_the_true_line():
    x, y = make_data()
    assert float(loss(3.0, 2.0, x, y)) < 0.02 < 10 < float(loss(0.0, 0.0, x, y))


def test_grad_matches_the_derivative_worked_by_hand():
    x, y = make_data()
    np.testing.assert_allclose(
        jax.grad(loss)(0.5, 0.2, x, y), 2 * jnp.mean((0.5 * x + 0.2 - y) * x), rtol=1e-5
    )


def test_value_and_grad_fit_equals_the_fit_as_first_written(data, eager_answer):
    np.testing.assert_allclose(fit(*data, steps=20), eager_answer(20), atol=1e-6)
