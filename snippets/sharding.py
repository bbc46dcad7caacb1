"""The post's fit on data split across several devices, with JAX's SPMD tools.

Run ``python -m snippets.sharding [--devices N] [--points N]``. JAX can
simulate N CPU devices; that shows the program is right on N devices, not how
fast N real ones would be. The mesh is made of those CPU devices even where a
GPU is JAX's default, so the post uses the same devices everywhere. Importing
this module asks JAX for 8 CPU devices, which it can only do before it first
runs anything: import it first, or run it with ``python -m``.
"""

import argparse

# isort: split
# --8<-- [start:simulate]
import jax

jax.config.update("jax_num_cpu_devices", 8)  # before JAX starts: 8 CPU devices
# --8<-- [end:simulate]

# isort: split
# --8<-- [start:imports]
from functools import partial

import jax.numpy as jnp
import numpy as np

from snippets.algebra import LR, fit_moments, loss_from_moments
from snippets.jit import fit_jit
from snippets.regression import TRUE_B, TRUE_W, loss, make_data

# --8<-- [end:imports]

# --8<-- [start:size]
points = 1_000  # small enough for any machine; `--points` changes it
# --8<-- [end:size]


# --8<-- [start:mesh]
def data_mesh() -> jax.sharding.Mesh:
    """Arrange the CPU devices along one axis, "data"; make it the default."""
    cpus = jax.devices("cpu")  # by name: a GPU may be the default
    mesh = jax.make_mesh((len(cpus),), ("data",), devices=cpus)
    jax.set_mesh(mesh)  # from now on, jax.P("data") means: split over this mesh
    return mesh
    # --8<-- [end:mesh]


# --8<-- [start:shard]
@partial(jax.jit, static_argnums=0)
def sharded_data(n: int, seed: int = 0) -> tuple[jax.Array, jax.Array]:
    """Draw the first post's data with the same keys, already split.

    Each device draws only its own slice.
    """
    split = jax.P("data")
    key_x, key_noise = jax.random.split(jax.random.key(seed))
    x = jax.random.uniform(key_x, (n,), out_sharding=split)
    noise = jax.random.normal(key_noise, (n,), out_sharding=split)
    return x, TRUE_W * x + TRUE_B + 0.1 * noise
    # --8<-- [end:shard]


# --8<-- [start:moments]
@jax.jit
def sharded_moments(x: jax.Array, y: jax.Array) -> jax.Array:
    """Return [[x·x, x·y], [x, y]] / n: one sum across devices, replicated."""
    a, b = jnp.stack([x, jnp.ones_like(x)]), jnp.stack([x, y])
    return jnp.einsum("in,jn->ij", a, b, out_sharding=jax.P()) / x.shape[0]


@jax.jit
def sharded_fit_moments(x: jax.Array, y: jax.Array) -> jax.Array:
    """Fit as ``fit_moments`` of snippets/algebra.py does, on sharded data."""
    m = sharded_moments(x, y)
    grad = jax.grad(loss_from_moments)
    p = jnp.zeros(2, x.dtype)
    return jax.lax.fori_loop(0, 100, lambda _, p: p - LR * grad(p, m), p)
    # --8<-- [end:moments]


# --8<-- [start:manual]
@jax.jit
def grad_by_hand(w: float, b: float, x: jax.Array, y: jax.Array) -> jax.Array:
    """Return the gradient: each device's share, and their sum written out."""

    def per_device(x_part: jax.Array, y_part: jax.Array) -> jax.Array:
        residual = w * x_part + b - y_part  # this device's points only
        sums = jnp.stack([jnp.sum(residual * x_part), jnp.sum(residual)])
        return jax.lax.psum(sums, "data")  # add the sums of every device

    split, whole = jax.P("data"), jax.P()
    total = jax.shard_map(per_device, in_specs=(split, split), out_specs=whole)
    return 2 * total(x, y) / x.shape[0]
    # --8<-- [end:manual]


# --8<-- [start:collectives]
import re


def all_reduces(fn: jax.stages.Wrapped, *args: object) -> dict[str, int]:
    """Count the all-reduces in the compiled program, in and out of loops."""
    hlo = fn.lower(*args).compile().as_text()
    bodies = {part.split(",")[0] for part in hlo.split("body=%")[1:]}
    counts = {"in a loop body": 0, "elsewhere": 0}
    for computation in hlo.split("\n\n"):
        name = computation.split(" ", 1)[0].lstrip("%")
        where = "in a loop body" if name in bodies else "elsewhere"
        # a GPU starts and ends one asynchronously: all-reduce-start, -done
        counts[where] += len(
            re.findall(r" all-reduce(?:-start)?\(", computation)
        )
    return counts
    # --8<-- [end:collectives]


# --8<-- [start:multi_host]
def data_from_hosts(points_per_host: int) -> tuple[jax.Array, jax.Array]:
    """On several hosts: each makes its own slice; JAX sees one array."""
    jax.distributed.initialize()  # first thing, on every host: find the others
    mesh = jax.make_mesh((jax.device_count(),), ("data",))  # all hosts' GPUs
    sharding = jax.NamedSharding(mesh, jax.P("data"))
    x, y = make_data(points_per_host, seed=jax.process_index())  # this host's
    x = jax.make_array_from_process_local_data(sharding, np.asarray(x))
    y = jax.make_array_from_process_local_data(sharding, np.asarray(y))
    return x, y
    # --8<-- [end:multi_host]


def show(points: int) -> None:
    """Print what the post shows, for ``points`` points on every device."""
    # --8<-- [start:show_shards]
    mesh = data_mesh()
    x, y = sharded_data(points)
    print(mesh)
    print(jax.typeof(x))
    for shard in x.addressable_shards:
        print(shard.device, shard.index[0], f"{shard.data.nbytes} bytes")
    # --8<-- [end:show_shards]

    # --8<-- [start:show_memory]
    x_whole, _ = make_data(points)  # drawn under the mesh, without a split
    for name, array in (("drawn whole", x_whole), ("drawn split", x)):
        sizes = [shard.data.nbytes for shard in array.addressable_shards]
        print(
            f"{name}: {jax.typeof(array)}, {len(sizes)} shards of "
            f"{sizes[0]:,} bytes, {sum(sizes):,} bytes in all"
        )
    # --8<-- [end:show_memory]

    # --8<-- [start:show_fit]
    w, b = fit_jit(0.0, 0.0, x, y)
    w1, b1 = fit_jit(0.0, 0.0, *make_data(points))  # the same data, not split
    print(f"sharded:    w = {w:.5f}, b = {b:.5f}")
    print(f"not split:  w = {w1:.5f}, b = {b1:.5f}")
    print("w is", w.sharding.spec, "on", len(w.sharding.device_set), "devices")
    # --8<-- [end:show_fit]

    # --8<-- [start:show_manual]
    by_hand = grad_by_hand(0.5, 0.5, x, y)
    automatic = jnp.stack(jax.grad(loss, argnums=(0, 1))(0.5, 0.5, x, y))
    print("by hand:   d/dw = {:.4f}, d/db = {:.4f}".format(*by_hand))
    print("jax.grad:  d/dw = {:.4f}, d/db = {:.4f}".format(*automatic))
    # --8<-- [end:show_manual]

    # --8<-- [start:show_collectives]
    print("fit_jit:        ", all_reduces(fit_jit, 0.0, 0.0, x, y))
    print("sharded_moments:", all_reduces(sharded_moments, x, y))
    # --8<-- [end:show_collectives]

    # --8<-- [start:show_moments_fit]
    try:
        fit_moments(x, y)  # snippets/algebra.py's version, unchanged
    except Exception as error:
        print("fit_moments:", type(error).__name__)
    w, b = sharded_fit_moments(x, y)
    print(f"sharded_fit_moments: w = {w:.5f}, b = {b:.5f}")
    print("all-reduces:", all_reduces(sharded_fit_moments, x, y))
    # --8<-- [end:show_moments_fit]

    # --8<-- [start:show_auto]
    cpus = jax.devices("cpu")
    auto = jax.sharding.AxisType.Auto  # XLA decides where results live
    mesh = jax.make_mesh((len(cpus),), ("data",), (auto,), devices=cpus)
    with jax.set_mesh(mesh):
        x_auto, y_auto = (jax.device_put(a, jax.P("data")) for a in (x, y))
        w, b = fit_moments(x_auto, y_auto)  # snippets/algebra.py's, unchanged
        print(mesh)
        print(jax.typeof(x_auto), x_auto.sharding.spec)
        print(f"fit_moments: w = {w:.5f}, b = {b:.5f}")
        print("all-reduces:", all_reduces(fit_moments, x_auto, y_auto))
    # --8<-- [end:show_auto]


def main() -> None:
    """Show the sharded fit on ``--devices`` simulated devices."""
    parser = argparse.ArgumentParser(
        prog="python -m snippets.sharding", description=__doc__
    )
    parser.add_argument(
        "--devices", type=int, default=8, help="CPU devices to simulate"
    )
    parser.add_argument(
        "--points", type=int, default=points, help="data points"
    )
    args = parser.parse_args()
    if args.points % args.devices:
        parser.error(
            "--points must be a multiple of --devices: "
            "each holds an equal slice"
        )
    jax.config.update("jax_num_cpu_devices", args.devices)
    show(args.points)


if __name__ == "__main__":
    main()
