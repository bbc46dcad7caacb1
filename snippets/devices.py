"""Which device ran the work: JAX picks a GPU when it has one, unasked.

The post "JAX is amazing" shows these sections; ``python -m snippets.devices``
prints them for the machine it runs on.
"""

# --8<-- [start:imports]
import jax

from snippets.regression import make_data

# --8<-- [end:imports]


def main() -> None:
    """Show where JAX puts arrays and work on this machine."""
    # --8<-- [start:show_devices]
    print("backend:", jax.default_backend())
    print("devices:", jax.devices())
    x, _ = make_data()
    print("x lives on:", x.devices())
    # --8<-- [end:show_devices]

    # --8<-- [start:show_cpu]
    cpu = jax.devices("cpu")[0]
    x_on_cpu = jax.device_put(x, cpu)  # an explicit choice, when you want one
    print("x_on_cpu lives on:", x_on_cpu.devices())
    # --8<-- [end:show_cpu]


if __name__ == "__main__":
    main()
