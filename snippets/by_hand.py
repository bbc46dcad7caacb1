"""The fit as a NumPy user writes it, the gradient worked out by hand.

The post "JAX is amazing" times ``jax.jit`` against this loop; passing
``jax.numpy`` as ``xp`` gives the line-by-line port.
``python -m snippets.by_hand`` prints what the post prints.
"""

# --8<-- [start:fit]
from types import ModuleType

import numpy as np


def fit_by_hand(
    x: np.ndarray, y: np.ndarray, steps: int = 100, xp: ModuleType = np
) -> tuple:
    """Fit w and b by gradient descent, with ``xp`` as the array library."""
    w = b = xp.float32(0.0)
    for _ in range(steps):
        residual = w * x + b - y
        # The mean squared error's derivatives, worked out by hand:
        dw, db = 2 * xp.mean(residual * x), 2 * xp.mean(residual)
        w, b = w - 0.01 * dw, b - 0.01 * db
    return w, b
    # --8<-- [end:fit]


def main() -> None:
    """Fit the post's data with NumPy alone."""
    # --8<-- [start:show]
    from snippets.regression import make_data

    x, y = (np.asarray(a) for a in make_data())
    w, b = fit_by_hand(x, y)
    print(f"NumPy, by hand: w = {w:.5f}, b = {b:.5f}")
    # --8<-- [end:show]


if __name__ == "__main__":
    main()
