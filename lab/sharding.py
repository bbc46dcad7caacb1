"""The sharded fit, measured and checked: ``python -m lab.sharding``.

``--facts FILE`` writes what the tests check, on ``--devices`` simulated devices;
``--results DIR`` times the sharded fit on 1, 2, 4 and 8 devices, each in a process
of its own (JAX fixes its device count when it starts), into DIR/<backend>/.
"""

import snippets.sharding as shown  # first: it asks JAX for simulated devices

# isort: split
import argparse
import json
import resource
import subprocess
import sys
from functools import partial
from pathlib import Path

import jax
import numpy as np

from lab.charts import draw_charts
from lab.machine import provenance
from lab.schema import write
from lab.timer import timed
from snippets.algebra import fit_moments
from snippets.jit import fit_jit
from snippets.regression import loss, make_data

SIZES = [10**4, 10**5, 10**6, 10**7]
DEVICE_COUNTS = [1, 2, 4, 8]


def same_bits(a: jax.Array, b: jax.Array) -> bool:
    """Tell whether two arrays hold exactly the same values."""
    return bool(np.array_equal(np.asarray(a), np.asarray(b)))


def last_places_apart(a: jax.Array, b: jax.Array) -> list[int]:
    """How many float32 steps apart each pair of values is (both of one sign)."""
    bits = [np.asarray(v, np.float32).view(np.int32).astype(np.int64) for v in (a, b)]
    return [int(d) for d in np.abs(bits[0] - bits[1])]


def facts(points: int) -> dict:
    """Return what the tests check: both answers, the shards, the reductions."""
    shown.data_mesh()
    x, y = shown.sharded_data(points)
    grads = jax.grad(loss, argnums=(0, 1))(0.5, 0.5, x, y)
    whole, y_whole = make_data(points)  # under the mesh, without a split: one copy per device
    cpus = jax.devices("cpu")
    auto = jax.make_mesh((len(cpus),), ("data",), (jax.sharding.AxisType.Auto,), devices=cpus)
    with jax.set_mesh(auto):
        x_auto, y_auto = (jax.device_put(a, jax.P("data")) for a in (x, y))
        auto_answer = [float(v) for v in fit_moments(x_auto, y_auto)]
        auto_reduces = shown.all_reduces(fit_moments, x_auto, y_auto)
    draws = {"whole": jax.jit(make_data, static_argnums=0), "split": shown.sharded_data}
    _, y_whole_jitted = draws["whole"](points)
    _, key_noise = jax.random.split(jax.random.key(0))  # as make_data splits its key
    noise_whole = jax.random.normal(key_noise, (points,))
    draw_noise = partial(jax.random.normal, key_noise, (points,), out_sharding=jax.P("data"))
    noise_split = jax.jit(draw_noise)()
    return {
        "draw_memory_per_device": {  # what XLA plans for one device: output and scratch
            name: (lambda m: m.output_size_in_bytes + m.temp_size_in_bytes)(
                draw.lower(points).compile().memory_analysis()
            )
            for name, draw in draws.items()
        },
        "devices": len(shown.data_mesh().devices.flat),
        "points": points,
        "sharded_answer": [float(v) for v in fit_jit(0.0, 0.0, x, y)],
        "unsplit_answer": [float(v) for v in fit_jit(0.0, 0.0, *make_data(points))],
        "moments_answer": [float(v) for v in shown.sharded_fit_moments(x, y)],
        "shards": [(s.device.id, s.index[0].start, s.index[0].stop) for s in x.addressable_shards],
        "type": str(jax.typeof(x)),
        "bytes_per_device": {
            "drawn whole": [s.data.nbytes for s in whole.addressable_shards],
            "drawn split": [s.data.nbytes for s in x.addressable_shards],
        },
        "same_values_either_way": bool((whole == x).all()),
        "x_bit_identical": same_bits(whole, x),
        "noise_bit_identical": same_bits(noise_whole, noise_split),
        "y_units_in_last_place_apart": last_places_apart(y_whole, y),
        "y_split_equals_y_drawn_whole_under_jit": same_bits(y_whole_jitted, y),
        "auto_moments_answer": auto_answer,
        "auto_all_reduces": auto_reduces,
        "grad_by_hand": [float(g) for g in shown.grad_by_hand(0.5, 0.5, x, y)],
        "grad_automatic": [float(g) for g in grads],
        "all_reduces": {
            "fit_jit": shown.all_reduces(fit_jit, 0.0, 0.0, x, y),
            "sharded_moments": shown.all_reduces(shown.sharded_moments, x, y),
            "sharded_fit_moments": shown.all_reduces(shown.sharded_fit_moments, x, y),
        },
    }


def time_fit(n: int, repeats: int) -> dict:
    """Return the spread of the sharded 100-step fit's times on ``n`` points (lab/schema.py)."""
    x, y = shown.sharded_data(n)
    jax.block_until_ready(fit_jit(0.0, 0.0, x, y))  # compile before timing
    return timed(lambda: fit_jit(0.0, 0.0, x, y), repeats=repeats)


def timings(sizes: list[int]) -> dict:
    """Time the sharded fit at each size on this process's devices, and its peak memory."""
    shown.data_mesh()
    seconds = [time_fit(n, repeats=6 if n >= 10**6 else 20) for n in sizes]
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    return {"seconds": seconds, "peak_memory_mib": peak_mib}


def scaling(sizes: list[int], device_counts: list[int]) -> dict:
    """Time the fit on each device count, each in a process of its own."""
    lines, peaks = {}, {}
    for count in device_counts:
        command = [sys.executable, "-m", "lab.sharding", "--devices", str(count),
                   "--timings", ",".join(map(str, sizes))]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        run = json.loads(done.stdout)
        name = f"{count} device" + ("s" if count > 1 else "")
        lines[name], peaks[name] = run["seconds"], run["peak_memory_mib"]
    table = {"x_label": "data points (100 steps)", "x": sizes, "lines": lines,
             "roles": dict.fromkeys(lines, "jax")}  # fmt: skip
    return {**provenance("sharding", "one fit (100 steps)"), "simulated": True,
            "facts": {"peak_memory_mib": peaks}, "series": {"by_points": table}}  # fmt: skip


def record(results: Path) -> Path:
    """Time 1 to 8 simulated devices; write sharding.json and its charts."""
    report = scaling(SIZES, DEVICE_COUNTS)
    folder = results / "cpu"  # the simulated devices are always the CPU's
    draw_charts(write(report, folder / "sharding.json"), folder, "sharding")
    print(f"wrote {folder}/sharding.json and its charts")
    return folder


def main() -> None:
    """Write the facts the tests check, time one process's devices, or time them all."""
    parser = argparse.ArgumentParser(prog="python -m lab.sharding", description=__doc__)
    parser.add_argument("--devices", type=int, default=8, help="CPU devices to simulate")
    parser.add_argument("--points", type=int, default=shown.points, help="data points")
    parser.add_argument("--facts", type=Path, help="write what the tests check here")
    parser.add_argument("--timings", help="comma-separated sizes: print timings as JSON")
    parser.add_argument("--results", type=Path, metavar="DIR", help="time 1-8 devices")
    args = parser.parse_args()
    jax.config.update("jax_num_cpu_devices", args.devices)
    if args.timings:
        print(json.dumps(timings([int(n) for n in args.timings.split(",")])))
    elif args.results:
        record(args.results)
    elif args.facts:
        args.facts.write_text(json.dumps(facts(args.points), indent=2) + "\n")


if __name__ == "__main__":
    main()
