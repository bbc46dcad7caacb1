"""snippets/by_hand.py: the NumPy loop takes the same steps as JAX's, in NumPy or ported."""

import jax.numpy as jnp
import numpy as np

from snippets.by_hand import fit_by_hand
from snippets.jit import fit_jit


def test_the_numpy_loop_lands_where_the_jitted_loop_does(data):
    x, y = data
    by_hand = fit_by_hand(np.asarray(x), np.asarray(y), steps=300)
    np.testing.assert_allclose(by_hand, fit_jit(0.0, 0.0, x, y, steps=300), atol=1e-5)


def test_the_port_computes_in_jax_and_stays_float32(data):
    w, b = fit_by_hand(*data, steps=3, xp=jnp)
    assert (w.dtype, b.dtype) == (jnp.float32, jnp.float32)
    assert isinstance(w, jnp.ndarray) and not isinstance(w, np.ndarray)
