"""snippets/devices.py: which device runs the work, on CPU here and on a GPU where there is one."""

import jax
import numpy as np
import pytest

from snippets import devices, jit
from snippets.regression import make_data


def test_results_name_the_machine_the_backend_and_jax_version():
    from lab.machine import machine_line, provenance
    from lab.schema import Report

    report = provenance("test", "one call")
    line = machine_line(Report.parse({**report, "results": {"x": ROW}}, "test"))
    assert f"JAX {jax.__version__}" in line and f"{jax.default_backend()} backend" in line
    assert report["device"] == f"{jax.devices()[0].platform}:0"


ROW = {"label": "x", "role": "jax", "device": "cpu:0", "median_s": 1.0}


def test_data_lives_on_the_default_device():
    x, _ = make_data()
    assert x.devices() == {jax.devices()[0]}


def test_main_prints_the_backend(capsys):
    devices.main()
    assert f"backend: {jax.default_backend()}" in capsys.readouterr().out


@pytest.mark.gpu
def test_gpu_runs_the_fit_and_agrees_with_the_cpu():
    """With a GPU, JAX uses it unasked; the answer matches the CPU's (TF32-sized tolerance)."""
    x, y = make_data()
    assert next(iter(x.devices())).platform == "gpu"
    on_gpu = jit.fit_jit(0.0, 0.0, x, y)
    cpu = jax.devices("cpu")[0]
    on_cpu = jit.fit_jit(0.0, 0.0, jax.device_put(x, cpu), jax.device_put(y, cpu))
    np.testing.assert_allclose(on_gpu, on_cpu, atol=1e-3)
