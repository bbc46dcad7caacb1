"""The post's 100 descent steps, rewritten with algebra, in JAX and in NumPy.

The loss is quadratic in (w, b), so it depends on the data only through four
averages, and one descent step is the same linear map of (w, b, 1) every time:
100 steps are that map's 100th power. The post "Where the time goes" shows this
module; ``python -m snippets.algebra`` prints what the post prints. The rewrite
is algebra, not JAX: ``numpy_best`` does the same in NumPy.
"""

# --8<-- [start:setup]
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from snippets.regression import fit_two_grads, make_data

STEPS, LR = 100, 0.01  # the post's fit: 100 steps at learning rate 0.01
# Float32 matrix products in full float32, also on GPUs that default to TF32.
EXACT = "highest"
# --8<-- [end:setup]


# --8<-- [start:moments]
def moments(x: jax.Array, y: jax.Array) -> jax.Array:
    """Return the averages the loss depends on: [[x·x, x·y], [x, y]] / n."""
    a, b = jnp.stack([x, jnp.ones_like(x)]), jnp.stack([x, y])
    return jnp.matmul(a, b.T, precision=EXACT) / x.shape[0]


def loss_from_moments(p: jax.Array, m: jax.Array) -> jax.Array:
    """Return the post's loss, less the constant mean(y²), from the moments."""
    w, b = p
    squares = w * w * m[0, 0] + 2 * w * b * m[1, 0] + b * b
    cross_terms = 2 * w * m[0, 1] + 2 * b * m[1, 1]
    return squares - cross_terms


@partial(jax.jit, static_argnames="steps")
def fit_moments(x: jax.Array, y: jax.Array, steps: int = STEPS) -> jax.Array:
    """Fit by gradient descent on the moments: one pass over the data in all."""
    m = moments(x, y)
    grad = jax.grad(loss_from_moments)

    def step(_: int, p: jax.Array) -> jax.Array:
        return p - LR * grad(p, m)

    return jax.lax.fori_loop(0, steps, step, jnp.zeros(2, x.dtype), unroll=5)
    # --8<-- [end:moments]


# --8<-- [start:best]
def step_matrix(x: jax.Array, y: jax.Array) -> jax.Array:
    """Return one step, p -> p - lr * grad(p), as a matrix on (w, b, 1)."""
    m = moments(x, y)

    def step(p: jax.Array) -> jax.Array:
        return p - LR * jax.grad(loss_from_moments)(p, m)

    origin = jnp.zeros(2, x.dtype)
    shift = step(origin)  # where a step from (0, 0) lands
    # How a step moves (w, b): the same everywhere, as the loss is quadratic.
    linear = jax.jacfwd(step)(origin)
    bottom = jnp.array([[0.0, 0.0, 1.0]], x.dtype)
    return jnp.concatenate([jnp.hstack([linear, shift[:, None]]), bottom])


@partial(jax.jit, static_argnames="steps")
def fit_best(x: jax.Array, y: jax.Array, steps: int = STEPS) -> jax.Array:
    """Take ``steps`` descent steps from (0, 0) as one matrix power."""
    with jax.default_matmul_precision(EXACT):
        return jnp.linalg.matrix_power(step_matrix(x, y), steps)[:2, 2]
    # --8<-- [end:best]


# --8<-- [start:numpy_best]
def numpy_step_matrix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return one step as a matrix on (w, b, 1), derived by hand."""
    m = np.stack([x, np.ones_like(x)]) @ np.stack([x, y]).T / len(x)
    (xx, xy), (mean_x, mean_y) = m
    # grad = 2 * (A @ p - c), so a step is p -> (I - 2 lr A) p + 2 lr c.
    a = np.array([[xx, mean_x], [mean_x, 1.0]], x.dtype)
    c = np.array([xy, mean_y], x.dtype)
    matrix = np.eye(3, dtype=x.dtype)
    matrix[:2, :2] -= 2 * LR * a
    matrix[:2, 2] = 2 * LR * c
    return matrix


def numpy_best(x: np.ndarray, y: np.ndarray, steps: int = STEPS) -> np.ndarray:
    """Fit the same way in NumPy: the step's matrix to the power ``steps``."""
    return np.linalg.matrix_power(numpy_step_matrix(x, y), steps)[:2, 2]
    # --8<-- [end:numpy_best]


# --8<-- [start:reference]
def numpy_reference(x: np.ndarray, y: np.ndarray, steps: int = STEPS) -> tuple:
    """Run the post's 100-step loop in float64: the yardstick for float32."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    w = b = 0.0
    for _ in range(steps):
        residual = w * x + b - y
        w, b = (
            w - LR * 2 * np.mean(residual * x),
            b - LR * 2 * np.mean(residual),
        )
    return w, b
    # --8<-- [end:reference]


def main() -> None:
    """Print the post's comparison: one answer, four ways, and their errors."""
    # --8<-- [start:show_same_answer]
    x, y = make_data()
    exact = numpy_reference(x, y)  # the 100-step loop in float64
    fits = {
        "eager loop": fit_two_grads(x, y),
        "jit_moments": fit_moments(x, y),
        "jit_best": fit_best(x, y),
        "numpy_best": numpy_best(np.asarray(x), np.asarray(y)),
    }
    for name, (w, b) in fits.items():
        error = max(abs(float(w) - exact[0]), abs(float(b) - exact[1]))
        print(f"{name + ':':13} w = {w:.5f}, b = {b:.5f}, off by {error:.1e}")
    # --8<-- [end:show_same_answer]

    # --8<-- [start:show_rounding]
    step = numpy_step_matrix(np.asarray(x), np.asarray(y))  # float32 entries
    powered = np.linalg.matrix_power(step.astype(np.float64), STEPS)[:2, 2]
    for name, (w, b) in (
        ("its float32 matrix, powered in float64", powered),
        ("numpy_best, all in float32", fits["numpy_best"]),
    ):
        print(f"{name + ':':40} w {w - exact[0]:+.1e}, b {b - exact[1]:+.1e}")
    # --8<-- [end:show_rounding]


if __name__ == "__main__":
    main()
