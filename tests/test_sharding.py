"""snippets/sharding.py on simulated CPU devices, each count in a process of its own.

The processes start when this module is collected, so they run beside the other tests.
"""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from engine.config import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


STARTED = {args: ThreadPoolExecutor(1).submit(run, *args) for args in [
    ("tests.sharding_facts", "8", "1000"), ("tests.sharding_facts", "2", "64"),
    ("snippets.sharding", "--devices", "3", "--points", "400"),
]}  # fmt: skip


def facts(devices: int, points: int) -> dict:
    done = STARTED["tests.sharding_facts", str(devices), str(points)].result()
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def on_eight():
    return facts(8, 1000)


def test_the_data_is_split_evenly_across_eight_devices(on_eight):
    assert on_eight["type"] == "float32[1000@data]"
    assert on_eight["shards"] == [[i, i * 125, (i + 1) * 125] for i in range(8)]


def test_every_fit_gives_the_answer_of_the_data_not_split(on_eight):
    sharded, whole, moments, auto = on_eight["answers"]
    for answer in (whole, moments, auto):
        np.testing.assert_allclose(sharded, answer, atol=1e-5)


def test_x_is_the_same_bits_split_or_not_and_y_differs_at_most_in_its_last_bit(on_eight):
    """The post: the same random numbers; y computed in one program or op by op."""
    apart = on_eight["y_last_places_apart"]
    assert on_eight["x_same_bits"] and max(apart) <= 1 and sum(map(bool, apart)) <= len(apart) // 20
    assert on_eight["y_jitted_same_bits"], "drawn whole under jit, y is the split draw's bits"


def test_drawn_split_each_device_plans_a_fraction_of_the_whole_draw(on_eight):
    planned = on_eight["planned_bytes"]
    assert planned["split"] * 5 < planned["whole"] and planned["whole"] > 2 * 2 * 4 * 1000, planned


def test_the_gradient_written_with_shard_map_equals_jax_grad(on_eight):
    np.testing.assert_allclose(*on_eight["grads"], atol=1e-5)


def test_other_device_counts_that_divide_the_points_agree():
    two = facts(2, 64)
    assert len(two["shards"]) == 2
    np.testing.assert_allclose(two["answers"][0], two["answers"][1], atol=1e-5)


def test_a_count_that_does_not_divide_the_points_is_refused_plainly():
    done = STARTED["snippets.sharding", "--devices", "3", "--points", "400"].result()
    assert done.returncode == 2 and "--points must be a multiple of --devices" in done.stderr
