"""The post's fit on data split across several devices, with JAX's SPMD tools.

Run ``python -m snippets.sharding [--devices N] [--points N]``. Without real
accelerators, JAX can simulate N CPU devices; that shows the program is right
on N devices, not how fast N real ones would be. Importing this module asks
JAX for 8 CPU devices, which it can only do before it first runs anything:
import it first, or run it with ``python -m``.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

# isort: split
# --8<-- [start:simulate]
import jax

jax.config.update("jax_num_cpu_devices", 8)  # before JAX starts: 8 CPU devices
# --8<-- [end:simulate]

# isort: split
# --8<-- [start:imports]
import jax.numpy as jnp
import numpy as np

from snippets.jit import fit_jit
from snippets.regression import loss, make_data

# --8<-- [end:imports]

# isort: split
from snippets.jit import median_seconds  # for the timings of --scaling

# --8<-- [start:size]
points = 1_000  # small enough for any laptop; `--points` changes it
# --8<-- [end:size]


# --8<-- [start:mesh]
def data_mesh() -> jax.sharding.Mesh:
    """Arrange every device along one axis, "data", and make it the default."""
    mesh = jax.make_mesh((jax.device_count(),), ("data",))
    jax.set_mesh(mesh)  # from now on, jax.P("data") means: split over this mesh
    return mesh
    # --8<-- [end:mesh]


# --8<-- [start:shard]
def sharded_data(n: int) -> tuple[jax.Array, jax.Array]:
    """Return the post's data, each device holding an equal slice of it."""
    x, y = make_data(n)
    return jax.device_put(x, jax.P("data")), jax.device_put(y, jax.P("data"))
    # --8<-- [end:shard]


# --8<-- [start:moments]
@jax.jit
def sharded_moments(x: jax.Array, y: jax.Array) -> jax.Array:
    """Return [[x·x, x·y], [x, y]] / n: one sum across devices, replicated."""
    a, b = jnp.stack([x, jnp.ones_like(x)]), jnp.stack([x, y])
    return jnp.einsum("in,jn->ij", a, b, out_sharding=jax.P()) / x.shape[0]
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
def all_reduces(fn: jax.stages.Wrapped, *args: object) -> dict[str, int]:
    """Count the all-reduces in the compiled program, in and out of loops."""
    hlo = fn.lower(*args).compile().as_text()
    bodies = {part.split(",")[0] for part in hlo.split("body=%")[1:]}
    counts = {"in a loop body": 0, "elsewhere": 0}
    for computation in hlo.split("\n\n"):
        name = computation.split(" ", 1)[0].lstrip("%")
        where = "in a loop body" if name in bodies else "elsewhere"
        counts[where] += computation.count(" all-reduce(")
    return counts
    # --8<-- [end:collectives]


def global_data_from_hosts(points_per_host: int) -> tuple[jax.Array, jax.Array]:
    """On several hosts: each makes its own slice, and JAX sees one array."""
    # --8<-- [start:multi_host]
    jax.distributed.initialize()  # first thing, on every host: find the others
    sharding = jax.NamedSharding(data_mesh(), jax.P("data"))
    x, y = make_data(points_per_host, seed=jax.process_index())  # this host's
    x = jax.make_array_from_process_local_data(sharding, np.asarray(x))
    y = jax.make_array_from_process_local_data(sharding, np.asarray(y))
    # --8<-- [end:multi_host]
    return x, y


def time_fit(n: int, repeats: int = 20) -> float:
    """Return the median time of the sharded 100-step fit on ``n`` points."""
    x, y = sharded_data(n)
    jax.block_until_ready(fit_jit(0.0, 0.0, x, y))  # compile before timing
    return median_seconds(fit_jit, 0.0, 0.0, x, y, repeats=repeats)


def peak_memory_mb() -> float:
    """Return this process's peak resident memory so far, in MB (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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

    # --8<-- [start:show_fit]
    w, b = fit_jit(0.0, 0.0, x, y)
    w1, b1 = fit_jit(0.0, 0.0, *make_data(points))  # the same, on one device
    print(f"sharded:    w = {w:.5f}, b = {b:.5f}")
    print(f"one device: w = {w1:.5f}, b = {b1:.5f}")
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


def facts(points: int) -> dict:
    """Return what the tests check: both answers, the shards, the reductions."""
    data_mesh()
    x, y = sharded_data(points)
    sharded = [float(v) for v in fit_jit(0.0, 0.0, x, y)]
    single = [float(v) for v in fit_jit(0.0, 0.0, *make_data(points))]
    shards = [
        (s.device.id, s.index[0].start, s.index[0].stop)
        for s in x.addressable_shards
    ]
    return {
        "devices": jax.device_count(),
        "points": points,
        "sharded_answer": sharded,
        "single_device_answer": single,
        "shards": shards,
        "type": str(jax.typeof(x)),
        "grad_by_hand": [float(g) for g in grad_by_hand(0.5, 0.5, x, y)],
        "grad_automatic": [
            float(g) for g in jax.grad(loss, argnums=(0, 1))(0.5, 0.5, x, y)
        ],
        "all_reduces": {
            "fit_jit": all_reduces(fit_jit, 0.0, 0.0, x, y),
            "sharded_moments": all_reduces(sharded_moments, x, y),
        },
    }


def timings(sizes: list[int]) -> dict:
    """Time the sharded fit at each size on this process's devices."""
    data_mesh()
    return {
        "devices": jax.device_count(),
        "seconds": [
            time_fit(n, repeats=3 if n >= 10**6 else 20) for n in sizes
        ],
        "peak_memory_mb": peak_memory_mb(),
    }


def scaling(sizes: list[int], device_counts: list[int]) -> dict:
    """Time the fit on each device count, each in a process of its own."""
    runs = []
    for count in device_counts:
        sizes_arg = ",".join(map(str, sizes))
        command = [sys.executable, "-m", "snippets.sharding"]
        command += ["--devices", str(count), "--timings", sizes_arg]
        done = subprocess.run(
            command, capture_output=True, text=True, check=True
        )
        runs.append(json.loads(done.stdout))
    from snippets.bench import machine

    return {
        "machine": machine(),
        "jax": jax.__version__,
        "backend": jax.default_backend(),
        "date": time.strftime("%Y-%m-%d"),
        "simulated": jax.default_backend() == "cpu",
        "points": sizes,
        "runs": runs,
    }


def main() -> None:
    """Show the sharded fit, or report facts for tests, or time it."""
    parser = argparse.ArgumentParser(
        prog="python -m snippets.sharding", description=__doc__
    )
    parser.add_argument(
        "--devices", type=int, default=8, help="CPU devices to simulate"
    )
    parser.add_argument(
        "--points", type=int, default=points, help="data points"
    )
    parser.add_argument(
        "--json", type=Path, help="write what the tests check here"
    )
    parser.add_argument(
        "--timings", help="comma-separated sizes: print timings as JSON"
    )
    parser.add_argument(
        "--scaling", type=Path, metavar="DIR", help="time 1-8 devices, into DIR"
    )
    args = parser.parse_args()
    jax.config.update("jax_num_cpu_devices", args.devices)
    if args.timings:
        print(json.dumps(timings([int(n) for n in args.timings.split(",")])))
    elif args.scaling:
        report = scaling([10**4, 10**5, 10**6, 10**7], [1, 2, 4, 8])
        folder = args.scaling / report["backend"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "sharding.json").write_text(
            json.dumps(report, indent=2) + "\n"
        )
        from snippets.bench_charts import draw_sharding_charts

        draw_sharding_charts(report, folder)
        print(f"wrote {folder}/sharding.json and its charts")
    elif args.json:
        args.json.write_text(json.dumps(facts(args.points), indent=2) + "\n")
    else:
        show(args.points)


if __name__ == "__main__":
    main()
