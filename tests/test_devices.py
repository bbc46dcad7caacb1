"""snippets/devices.py: which device runs the work, on a CPU here and on a GPU where there is
one.
"""

import jax
import numpy as np
import pytest

from snippets import devices, jit
from snippets.regression import make_data


def test_data_lives_on_the_default_device():
    assert make_data()[0].devices() == {jax.devices()[0]}


def test_main_prints_the_backend(capsys):
    devices.main()
    assert f"backend: {jax.default_backend()}" in capsys.readouterr().out


@pytest.mark.gpu
def test_a_gpu_runs_the_fit_unasked_and_agrees_with_the_cpu():
    x, y = make_data()
    assert next(iter(x.devices())).platform == "gpu"
    cpu = jax.devices("cpu")[0]
    on_cpu = jit.fit_jit(0.0, 0.0, jax.device_put(x, cpu), jax.device_put(y, cpu))
    np.testing.assert_allclose(jit.fit_jit(0.0, 0.0, x, y), on_cpu, atol=1e-3)
