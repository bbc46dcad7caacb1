"""snippets/sharding.py on 8 simulated CPU devices, each run in a fresh interpreter.

JAX fixes its device count when it starts, so these tests never import the module
here: they run ``python -m lab.sharding --facts`` and read what it reports.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from blog.project import ROOT
from lab.charts import draw_charts
from lab.results import RESULTS
from lab.schema import load

SHARDING_RESULTS = sorted(RESULTS.glob("*/sharding.json"))


def run_sharding(tmp_path: Path, devices: int, points: int) -> dict:
    report = tmp_path / "facts.json"
    command = [sys.executable, "-m", "lab.sharding", "--devices", str(devices),
               "--points", str(points), "--facts", str(report)]  # fmt: skip
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True, timeout=120)
    return json.loads(report.read_text())


@pytest.fixture(scope="module")
def on_eight(tmp_path_factory):
    return run_sharding(tmp_path_factory.mktemp("eight"), devices=8, points=1000)


def test_sharded_fit_equals_the_single_device_fit(on_eight):
    np.testing.assert_allclose(on_eight["sharded_answer"], on_eight["unsplit_answer"], atol=1e-5)


def test_the_data_really_is_split_across_eight_devices(on_eight):
    assert on_eight["devices"] == 8
    assert on_eight["type"] == "float32[1000@data]"
    shards = on_eight["shards"]
    assert sorted(device for device, _, _ in shards) == list(range(8))
    assert [(start, stop) for _, start, stop in shards] == [
        (i * 125, (i + 1) * 125) for i in range(8)
    ]


def test_each_device_draws_only_its_slice_and_the_values_are_the_same(on_eight):
    """The post: drawn under the mesh without a split, every device holds the whole array."""
    sizes = on_eight["bytes_per_device"]
    assert sizes["drawn whole"] == [4000] * 8, "a full copy of x on each of 8 devices"
    assert sizes["drawn split"] == [500] * 8, "out_sharding: an eighth on each"
    assert on_eight["same_values_either_way"]


def test_x_and_the_noise_are_bit_identical_and_y_differs_at_most_in_the_last_bit(on_eight):
    """The post: x and the noise are the same bits either way; y, computed under jit in one
    draw and op by op in the other, may differ in its last bit at a few points."""
    assert on_eight["x_bit_identical"] and on_eight["noise_bit_identical"]
    apart = on_eight["y_units_in_last_place_apart"]
    assert max(apart) <= 1, "never more than the last bit"
    assert sum(1 for d in apart if d) <= len(apart) // 20, "at a few points only"
    assert on_eight["y_split_equals_y_drawn_whole_under_jit"], "the cause: jit against eager"


def test_jitted_the_split_draw_plans_an_eighth_of_the_memory_on_each_device(on_eight):
    """The post: under jit, XLA plans the draw so that each device computes only its slice."""
    planned = on_eight["draw_memory_per_device"]
    assert planned["split"] * 5 < planned["whole"], planned


def test_drawn_whole_each_device_holds_more_than_x_and_y(on_eight):
    """The post: drawn whole, each device holds the whole draw, intermediates included."""
    x_and_y = 2 * 4 * on_eight["points"]  # two float32 arrays
    assert on_eight["draw_memory_per_device"]["whole"] > 2 * x_and_y, on_eight


def test_with_auto_axes_the_first_posts_fit_runs_unchanged(on_eight):
    np.testing.assert_allclose(
        on_eight["auto_moments_answer"], on_eight["sharded_answer"], atol=1e-5
    )
    assert on_eight["auto_all_reduces"] == {"in a loop body": 0, "elsewhere": 1}


def test_xla_reduces_across_devices_every_step_unless_the_moments_are_hoisted(on_eight):
    assert on_eight["all_reduces"] == {
        "fit_jit": {"in a loop body": 1, "elsewhere": 0},
        "sharded_moments": {"in a loop body": 0, "elsewhere": 1},
        "sharded_fit_moments": {"in a loop body": 0, "elsewhere": 1},
    }


def test_the_sharded_moments_fit_equals_the_loop(on_eight):
    np.testing.assert_allclose(on_eight["moments_answer"], on_eight["sharded_answer"], atol=1e-5)


@pytest.mark.gpu
def test_with_a_gpu_present_the_post_still_uses_eight_cpu_devices(on_eight):
    assert on_eight["devices"] == 8 and on_eight["type"] == "float32[1000@data]"


def test_the_gradient_written_with_shard_map_equals_jax_grad(on_eight):
    np.testing.assert_allclose(on_eight["grad_by_hand"], on_eight["grad_automatic"], atol=1e-5)


def test_other_device_counts_agree_too(tmp_path):
    facts = run_sharding(tmp_path, devices=2, points=64)
    assert facts["devices"] == 2 and len(facts["shards"]) == 2
    np.testing.assert_allclose(facts["sharded_answer"], facts["unsplit_answer"], atol=1e-5)


@pytest.mark.parametrize("path", SHARDING_RESULTS, ids=[p.parent.name for p in SHARDING_RESULTS])
def test_committed_sharding_results_are_complete(path):
    report = load(path)
    table = report.series["by_points"]
    assert list(table.lines) == ["1 device", "2 devices", "4 devices", "8 devices"]
    assert table.x[-1] == 10**7
    peaks = list(report.facts["peak_memory_mib"].values())
    assert max(peaks) < 1.2 * min(peaks), (
        "the post: each device draws its slice, so the peak rises far less than a copy would"
    )


@pytest.mark.parametrize("path", SHARDING_RESULTS, ids=[p.parent.name for p in SHARDING_RESULTS])
def test_committed_sharding_charts_are_drawn_from_the_results(path, tmp_path):
    for chart in draw_charts(load(path), tmp_path, "sharding"):
        assert (path.parent / chart.name).read_bytes() == chart.read_bytes(), "stale: make bench"


def test_there_are_sharding_results_for_the_cpu():
    assert RESULTS / "cpu" / "sharding.json" in SHARDING_RESULTS


def test_a_timing_run_writes_a_valid_results_file_with_a_spread_per_point(tmp_path):
    """lab/sharding.py's report passes lab/schema.py: each point keeps its spread."""
    from lab.schema import load

    path = tmp_path / "sharding.json"
    code = ("from pathlib import Path; from lab import sharding; from lab.schema import write; "
            f"write(sharding.scaling([1000], [1, 2]), Path({str(path)!r}))")  # fmt: skip
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=120)
    report = load(path)  # its own process: JAX fixes the device count when it starts
    for line in report.series["by_points"].lines.values():
        assert line[0].ci_low_s <= line[0].median_s <= line[0].ci_high_s
    assert report.simulated and report.facts["peak_memory_mib"]
