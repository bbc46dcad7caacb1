"""snippets/loss_curve.py: the loss history is the loss before each step, falling to the best."""

import numpy as np

from snippets.jit import closed_form, fit_jit
from snippets.loss_curve import loss_history
from snippets.regression import loss


def test_loss_history_is_the_loss_before_each_step(data):
    x, y = data
    losses = loss_history(x, y, 10)
    by_hand = [loss(*fit_jit(0.0, 0.0, x, y, steps=k), x, y) for k in range(10)]
    np.testing.assert_allclose(losses, by_hand, rtol=1e-5)


def test_the_loss_falls_to_the_least_squares_loss(data):
    x, y = data
    losses = loss_history(x, y, 5_000)
    assert bool(np.all(np.diff(np.asarray(losses)) <= 1e-7)), "gradient descent never climbs"
    np.testing.assert_allclose(losses[-1], loss(*closed_form(x, y), x, y), rtol=1e-3)
