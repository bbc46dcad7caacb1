"""NumPy habits that JAX refuses, the errors it raises, and what to write.

The post "Where JAX says no" shows this module section by section, on a parabola
fitted to a tossed ball. ``python -m snippets.jax_sharp_bits`` prints what the
post prints, the refusals included.
"""

# --8<-- [start:data]
import importlib.resources

import jax
import jax.numpy as jnp
import numpy as np


def read_toss() -> tuple[np.ndarray, np.ndarray]:
    """Return the times (s) and heights (m) of a tossed ball."""
    csv = importlib.resources.files("snippets") / "data" / "toss.csv"
    with csv.open(encoding="utf-8") as file:
        t, h = np.loadtxt(file, delimiter=",", skiprows=1, unpack=True)
    return t, h
    # --8<-- [end:data]


def refused(error: Exception) -> None:
    """Print an error as the last lines of a terminal's traceback show it."""
    import traceback

    print("".join(traceback.format_exception_only(error)), end="")


def main() -> None:
    """Run the post's blocks in order, printing each refusal as a terminal."""
    # --8<-- [start:show_data]
    t, h = read_toss()
    print("t:", t)
    print("h:", h)
    # --8<-- [end:show_data]

    # --8<-- [start:numpy_in_place]
    A = np.ones((t.size, 3))
    A[:, 1] = t
    A[:, 2] = t**2
    print("row 3:", A[3])
    # --8<-- [end:numpy_in_place]

    try:
        # --8<-- [start:jax_in_place]
        A = jnp.ones((t.size, 3))
        A[:, 1] = t
        # --8<-- [end:jax_in_place]
    except TypeError as error:
        refused(error)

    # --8<-- [start:at_set]
    A = A.at[:, 1].set(t).at[:, 2].set(t**2)
    print("row 3:", A[3])
    # --8<-- [end:at_set]

    # --8<-- [start:look]
    @jax.jit
    def look(t: jax.Array) -> jax.Array:
        print("jit sees:", t)
        return t

    look(t)
    look(t)
    # --8<-- [end:look]

    # --8<-- [start:numpy_fit]
    def fit(t: np.ndarray, h: np.ndarray) -> np.ndarray:
        """Fit h = c0 + c1 t + c2 t² to the points in the air."""
        air = h > 0
        A = np.vander(t[air], 3, increasing=True)
        return np.linalg.lstsq(A, h[air])[0]

    c = fit(t, h)
    print(f"g from NumPy: {-2 * c[2]:.2f} m/s²")
    # --8<-- [end:numpy_fit]

    try:
        # --8<-- [start:jax_fit]
        @jax.jit
        def fit(t: jax.Array, h: jax.Array) -> jax.Array:
            """Fit h = c0 + c1 t + c2 t² to the points in the air."""
            air = h > 0
            A = jnp.vander(t[air], 3, increasing=True)
            return jnp.linalg.lstsq(A, h[air])[0]

        c = fit(t, h)
        # --8<-- [end:jax_fit]
    except jax.errors.NonConcreteBooleanIndexError as error:
        refused(error)

    # --8<-- [start:weights]
    @jax.jit
    def fit(t: jax.Array, h: jax.Array) -> jax.Array:
        """Fit h = c0 + c1 t + c2 t² to the points in the air."""
        m = jnp.where(h > 0, 1.0, 0.0)  # 1 in the air, 0 on the ground
        A = jnp.vander(t, 3, increasing=True)
        return jnp.linalg.lstsq(A * m[:, None], h * m)[0]

    c = fit(t, h)
    print(f"g from JAX: {-2 * c[2]:.2f} m/s²")
    # --8<-- [end:weights]

    try:
        # --8<-- [start:numpy_inside]
        @jax.jit
        def fit_with_numpy(t: jax.Array, h: jax.Array) -> jax.Array:
            """Fit as above, with NumPy's lstsq left in by mistake."""
            m = jnp.where(h > 0, 1.0, 0.0)
            A = jnp.vander(t, 3, increasing=True)
            return np.linalg.lstsq(A * m[:, None], h * m)[0]

        fit_with_numpy(t, h)
        # --8<-- [end:numpy_inside]
    except jax.errors.TracerArrayConversionError as error:
        refused(error)

    # --8<-- [start:numpy_if]
    def height(t: float, c: np.ndarray) -> float:
        """Return the fitted height at time t, or 0 on the ground."""
        h = c[0] + c[1] * t + c[2] * t**2
        if h < 0:
            return 0.0
        return h

    print(f"at 0.5 s: {height(0.5, c):.2f} m")
    print(f"at 1.2 s: {height(1.2, c):.2f} m")
    # --8<-- [end:numpy_if]

    try:
        # --8<-- [start:jax_if]
        @jax.jit
        def height(t: float, c: jax.Array) -> jax.Array:
            """Return the fitted height at time t, or 0 on the ground."""
            h = c[0] + c[1] * t + c[2] * t**2
            if h < 0:
                return 0.0
            return h

        print(f"at 1.2 s: {height(1.2, c):.2f} m")
        # --8<-- [end:jax_if]
    except jax.errors.TracerBoolConversionError as error:
        refused(error)

    # --8<-- [start:where]
    @jax.jit
    def height(t: float, c: jax.Array) -> jax.Array:
        """Return the fitted height at time t, or 0 on the ground."""
        h = c[0] + c[1] * t + c[2] * t**2
        return jnp.where(h < 0, 0.0, h)

    print(f"at 0.5 s: {height(0.5, c):.2f} m")
    print(f"at 1.2 s: {height(1.2, c):.2f} m")
    # --8<-- [end:where]

    try:
        # --8<-- [start:numpy_index]
        print("t[20]:", t[20])
        # --8<-- [end:numpy_index]
    except IndexError as error:
        refused(error)

    # --8<-- [start:jax_index]
    t = jnp.asarray(t)
    print("t[20]:", t[20])
    print("or NaN:", t.at[20].get(mode="fill", fill_value=jnp.nan))
    # --8<-- [end:jax_index]


if __name__ == "__main__":
    main()
