"""Watching the loss fall, step by step, with ``jax.lax.scan``.

The post "JAX is amazing" draws its picture of the loss from this module;
``python -m snippets.loss_curve`` prints the loss at a few of its steps.
"""

# --8<-- [start:imports]
import jax

from snippets.regression import loss, make_data

# --8<-- [end:imports]


# --8<-- [start:loss_history]
def loss_history(x: jax.Array, y: jax.Array, steps: int) -> jax.Array:
    """Return the loss before each of ``steps`` descent steps, from one scan."""
    loss_and_grads = jax.value_and_grad(loss, argnums=(0, 1))

    def step(params: tuple, _: None) -> tuple:
        value, (dw, db) = loss_and_grads(*params, x, y)
        return (params[0] - 0.01 * dw, params[1] - 0.01 * db), value

    _, losses = jax.lax.scan(step, (0.0, 0.0), None, length=steps)
    return losses
    # --8<-- [end:loss_history]


def main() -> None:
    """Print the loss at a few of the steps the loss picture shows."""
    # --8<-- [start:show_losses]
    x, y = make_data()
    losses = loss_history(x, y, 5_000)
    for step in (1, 100, 1_000, 5_000):
        print(f"loss before step {step:>5,}: {losses[step - 1]:.5f}")
    # --8<-- [end:show_losses]


if __name__ == "__main__":
    main()
