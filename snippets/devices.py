"""Which device ran the work: JAX picks a GPU when it has one, unasked.

The post "JAX is amazing" shows these sections; ``python -m snippets.devices``
prints them for the machine it runs on.
"""

import os
import platform

# --8<-- [start:imports]
import jax

from snippets.regression import make_data

# --8<-- [end:imports]


def describe_machine() -> str:
    """Return one line naming the processor, JAX version, backend and device."""
    device = jax.devices()[0]
    return (
        f"{cpu_model()} ({os.cpu_count()} cores), JAX {jax.__version__}, "
        f"{jax.default_backend()} backend, device {device.device_kind}"
    )


def cpu_model() -> str:
    """Return the processor's name where Linux reports it, else a guess."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


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
