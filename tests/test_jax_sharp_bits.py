"""snippets/jax_sharp_bits.py: the data, the refusals it shows, and the fit."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from snippets import jax_sharp_bits
from snippets.jax_sharp_bits import read_toss


def test_the_data_is_a_toss_that_ends_on_the_ground():
    t, h = read_toss()
    assert t.shape == h.shape == (14,)
    np.testing.assert_allclose(np.diff(t), 0.1, atol=1e-9)
    assert (h[:11] > 0).all() and (h[11:] == 0).all()


def test_jax_refuses_to_assign_into_an_array():
    a = jnp.ones(3)
    with pytest.raises(TypeError, match="immutable"):
        a[1] = 2.0
    np.testing.assert_array_equal(a.at[1].set(2.0), [1.0, 2.0, 1.0])


def test_jit_refuses_a_boolean_mask_but_eager_jax_takes_it():
    t, h = read_toss()
    assert jnp.asarray(t)[jnp.asarray(h) > 0].shape == (11,)
    with pytest.raises(jax.errors.NonConcreteBooleanIndexError):
        jax.jit(lambda t, h: t[h > 0])(t, h)


def test_zero_weights_give_the_fit_of_the_points_in_the_air():
    t, h = read_toss()
    air = h > 0
    numpy_fit = np.polyfit(t[air], h[air], 2)[::-1]  # c0, c1, c2
    m = jnp.where(h > 0, 1.0, 0.0)
    a = jnp.vander(t, 3, increasing=True)
    jax_fit = jax.jit(lambda: jnp.linalg.lstsq(a * m[:, None], h * m)[0])()
    np.testing.assert_allclose(jax_fit, numpy_fit, rtol=1e-4)
    assert 9.6 < -2 * numpy_fit[2] < 9.9  # the data was made with g = 9.81


def test_jit_refuses_an_if_on_a_value_and_takes_where():
    def clamp_if(h):
        return 0.0 if h < 0 else h

    assert clamp_if(jnp.float32(-1.0)) == 0.0  # without jit, the if is fine
    with pytest.raises(jax.errors.TracerBoolConversionError):
        jax.jit(clamp_if)(-1.0)
    clamp = jax.jit(lambda h: jnp.where(h < 0, 0.0, h))
    np.testing.assert_array_equal(clamp(jnp.array([-1.0, 2.0])), [0.0, 2.0])


def test_jit_refuses_numpy_functions_on_traced_arrays():
    with pytest.raises(jax.errors.TracerArrayConversionError):
        jax.jit(lambda x: np.exp(x))(jnp.ones(3))


def test_jax_clamps_an_index_out_of_bounds_where_numpy_raises():
    t, _ = read_toss()
    with pytest.raises(IndexError):
        t[20]
    assert jnp.asarray(t)[20] == jnp.asarray(t)[-1]
    assert jnp.isnan(jnp.asarray(t).at[20].get(mode="fill", fill_value=jnp.nan))


def test_main_prints_each_refusal_and_the_fit(capsys):
    jax_sharp_bits.main()
    printed = capsys.readouterr().out
    for error in [
        "TypeError: JAX arrays are immutable",
        "NonConcreteBooleanIndexError",
        "TracerArrayConversionError",
        "TracerBoolConversionError",
        "IndexError: index 20 is out of bounds",
    ]:
        assert error in printed
    assert "g from NumPy: 9.75" in printed and "g from JAX: 9.75" in printed
    assert printed.count("jit sees:") == 1  # traced once, then the compiled program runs
