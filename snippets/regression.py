"""A toy linear regression, fitted by gradient descent with ``jax.grad``.

The post "JAX is amazing" shows this module section by section;
``python -m snippets.regression`` prints what the post prints.
"""

# --8<-- [start:data]
import jax
import jax.numpy as jnp

TRUE_W, TRUE_B = 3.0, 2.0


def make_data(n: int = 100, seed: int = 0) -> tuple[jax.Array, jax.Array]:
    """Return ``n`` noisy points on the line y = 3x + 2, the same per seed."""
    key_x, key_noise = jax.random.split(jax.random.key(seed))
    x = jax.random.uniform(key_x, (n,))
    noise = jax.random.normal(key_noise, (n,))
    return x, TRUE_W * x + TRUE_B + 0.1 * noise
    # --8<-- [end:data]


# --8<-- [start:loss]
def loss(w: float, b: float, x: jax.Array, y: jax.Array) -> jax.Array:
    """Return the mean squared error of the line w * x + b."""
    return jnp.mean((w * x + b - y) ** 2)
    # --8<-- [end:loss]


# --8<-- [start:fit_two_grads]
def fit_two_grads(x: jax.Array, y: jax.Array, steps: int = 100) -> tuple:
    """Fit as I first wrote it: one grad call per parameter, every step."""
    w, b = 0.0, 0.0
    for _ in range(steps):
        dw = jax.grad(loss, argnums=0)(w, b, x, y)
        db = jax.grad(loss, argnums=1)(w, b, x, y)
        w, b = w - 0.01 * dw, b - 0.01 * db
    return w, b
    # --8<-- [end:fit_two_grads]


# --8<-- [start:fit]
loss_and_grads = jax.value_and_grad(loss, argnums=(0, 1))


def fit(x: jax.Array, y: jax.Array, steps: int = 100) -> tuple:
    """Fit with the loss and both gradients from one call per step."""
    w, b = 0.0, 0.0
    for _ in range(steps):
        _, (dw, db) = loss_and_grads(w, b, x, y)
        w, b = w - 0.01 * dw, b - 0.01 * db
    return w, b
    # --8<-- [end:fit]


def main() -> None:
    """Run the post's steps: look at the data, take a gradient, fit."""
    # --8<-- [start:show_data]
    x, y = make_data()
    print("x:", x.shape, x.dtype)
    print("first three x:", x[:3])
    print("mean of y:", y.mean())
    # --8<-- [end:show_data]

    # --8<-- [start:show_grad]
    print("loss at w=0, b=0:", loss(0.0, 0.0, x, y))
    dloss_dw = jax.grad(loss)  # with respect to the first argument, w
    print("d loss / d w:", dloss_dw(0.0, 0.0, x, y))
    print(f"by hand, -2 * mean(x * y): {-2 * jnp.mean(x * y):.5f}")
    # --8<-- [end:show_grad]

    # --8<-- [start:show_fit]
    w2, b2 = fit_two_grads(x, y)
    w, b = fit(x, y)
    print(f"grad, twice:    w = {w2:.4f}, b = {b2:.4f}")
    print(f"value_and_grad: w = {w:.4f}, b = {b:.4f}")
    # --8<-- [end:show_fit]


if __name__ == "__main__":
    main()
