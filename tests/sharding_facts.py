"""What tests/test_sharding.py checks, printed as JSON by a process of its own (JAX fixes its
device count when it starts): ``python -m tests.sharding_facts DEVICES POINTS``."""

import sys

import snippets.sharding as shown  # first: it asks JAX for simulated devices

# isort: split
import json

import jax
import numpy as np

from snippets.algebra import fit_moments
from snippets.jit import fit_jit
from snippets.regression import loss, make_data


def bits(a: jax.Array) -> np.ndarray:
    return np.asarray(a, np.float32).view(np.int32).astype(np.int64)


def facts(points: int) -> dict:
    shown.data_mesh()
    x, y = shown.sharded_data(points)
    whole_x, whole_y = make_data(points)  # under the mesh, not split: a copy on each device
    _, whole_y_jitted = jax.jit(make_data, static_argnums=0)(points)
    cpus = jax.devices("cpu")
    auto = jax.make_mesh((len(cpus),), ("data",), (jax.sharding.AxisType.Auto,), devices=cpus)
    with jax.set_mesh(auto):
        auto_answer = [
            float(v) for v in fit_moments(*(jax.device_put(a, jax.P("data")) for a in (x, y)))
        ]

    def planned(draw: object) -> int:
        memory = jax.jit(draw, static_argnums=0).lower(points).compile().memory_analysis()
        return memory.output_size_in_bytes + memory.temp_size_in_bytes

    return {
        "type": str(jax.typeof(x)),
        "shards": [[s.device.id, s.index[0].start, s.index[0].stop] for s in x.addressable_shards],
        "answers": [
            [float(v) for v in fit_jit(0.0, 0.0, x, y)],
            [float(v) for v in fit_jit(0.0, 0.0, whole_x, whole_y)],
            [float(v) for v in shown.sharded_fit_moments(x, y)],
            auto_answer,
        ],
        "x_same_bits": bool((bits(whole_x) == bits(x)).all()),
        "y_last_places_apart": [int(d) for d in np.abs(bits(whole_y) - bits(y))],
        "y_jitted_same_bits": bool((bits(whole_y_jitted) == bits(y)).all()),
        "planned_bytes": {
            "whole": planned(make_data),
            "split": planned(shown.sharded_data.__wrapped__),
        },
        "grads": [
            [float(g) for g in shown.grad_by_hand(0.5, 0.5, x, y)],
            [float(g) for g in jax.grad(loss, argnums=(0, 1))(0.5, 0.5, x, y)],
        ],
    }


if __name__ == "__main__":
    devices, points = map(int, sys.argv[1:3])
    jax.config.update("jax_num_cpu_devices", devices)
    print(json.dumps(facts(points)))
