"""Compiling the regression with ``jax.jit``, and timing it honestly.

The posts "JAX is amazing" and "Where the time goes" show this module: a jitted
function that returns nothing compiles to an empty program; a Python loop under
``jit`` is unrolled, while ``jax.lax.fori_loop`` stays a loop; and JAX runs
asynchronously, so a timing must wait with ``block_until_ready``.
"""

# --8<-- [start:imports]
import re
import statistics
import time
from collections.abc import Callable

import jax
import jax.numpy as jnp

from snippets.regression import fit_two_grads, loss, make_data

# --8<-- [end:imports]


# --8<-- [start:as_written]
@jax.jit
def fit_as_written(w: float, b: float, x: jax.Array, y: jax.Array) -> None:
    """Fit as I first jitted it: the loop runs, but nothing is returned."""
    for _ in range(100):
        dw = jax.grad(loss, argnums=0)(w, b, x, y)
        db = jax.grad(loss, argnums=1)(w, b, x, y)
        w, b = w - 0.01 * dw, b - 0.01 * db
    # --8<-- [end:as_written]


# --8<-- [start:inspect]
def operations_kept(lowered: jax.stages.Lowered) -> int:
    """Count the operations left in a program once XLA has compiled it."""
    compiled = lowered.compile().as_text()  # XLA's program, after optimising
    entry = compiled[compiled.index("\nENTRY") :].split("\n}")[0]
    return sum(
        1
        for op in entry.splitlines()[2:]
        if not re.search(r"= \S+ (parameter|tuple)\(", op)
    )
    # --8<-- [end:inspect]


# --8<-- [start:unrolled]
def fit_unrolled(
    w: float, b: float, x: jax.Array, y: jax.Array, steps: int = 100
) -> tuple:
    """Fit with a Python loop, which jit unrolls: one copy per step."""
    grads = jax.grad(loss, argnums=(0, 1))
    for _ in range(steps):
        dw, db = grads(w, b, x, y)
        w, b = w - 0.01 * dw, b - 0.01 * db
    return w, b
    # --8<-- [end:unrolled]


# --8<-- [start:fori]
def fit_fori(
    w: float, b: float, x: jax.Array, y: jax.Array, steps: int = 100
) -> tuple:
    """Fit with jax.lax.fori_loop: one loop body, however many steps."""
    grads = jax.grad(loss, argnums=(0, 1))

    def step(_: int, params: tuple) -> tuple:
        dw, db = grads(*params, x, y)
        return params[0] - 0.01 * dw, params[1] - 0.01 * db

    return jax.lax.fori_loop(0, steps, step, (w, b))


fit_jit = jax.jit(fit_fori, static_argnames="steps")
# --8<-- [end:fori]


# --8<-- [start:closed_form]
def closed_form(x: jax.Array, y: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Return the exact least-squares line, where gradient descent ends up."""
    design = jnp.stack([x, jnp.ones_like(x)], axis=1)
    (w, b), *_ = jnp.linalg.lstsq(design, y)
    return w, b
    # --8<-- [end:closed_form]


# --8<-- [start:program_size]
def program_lines(fn: Callable, steps: int, platform: str = "cpu") -> int:
    """Count the lines of the program jit hands to XLA for a platform."""
    x, y = make_data()
    traced = jax.jit(fn, static_argnames="steps").trace(
        0.0, 0.0, x, y, steps=steps
    )
    lowered = traced.lower(lowering_platforms=(platform,))
    return len(lowered.as_text().splitlines())
    # --8<-- [end:program_size]


# --8<-- [start:kernels]
def kernels(fn: Callable, steps: int) -> dict[str, int]:
    """Count the fusions and copies XLA compiles for the CPU, by where they run.

    They run in the program once, or in a loop's body or condition.
    """
    # Data placed on the CPU is computed there, whatever the default backend.
    x, y = jax.device_put(make_data(), jax.devices("cpu")[0])
    compiled = (
        jax.jit(fn, static_argnames="steps")
        .lower(0.0, 0.0, x, y, steps=steps)
        .compile()
        .as_text()
    )
    loops = re.findall(r"condition=%([\w.-]+), body=%([\w.-]+)", compiled)
    looped = {name for pair in loops for name in pair}
    found = {"fusions": 0, "fusions a step": 0, "copies a step": 0}
    for part in compiled.split("\n\n"):
        name = part.split(" ", 1)[0].lstrip("%")
        fusions = len(re.findall(r" fusion\(", part))
        if name in looped:
            found["fusions a step"] += fusions
            found["copies a step"] += len(re.findall(r" copy\(", part))
        else:
            found["fusions"] += fusions
    return found
    # --8<-- [end:kernels]


# --8<-- [start:timer]
def median_seconds(fn: Callable, *args: object, repeats: int) -> float:
    """Return the median time of fn(*args), waiting for each result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(fn(*args))  # JAX returns before the work is done
        times.append(time.perf_counter() - start)
    return statistics.median(times)
    # --8<-- [end:timer]


def timing_report() -> None:
    """Print how long 100 steps take eagerly and jitted."""
    # --8<-- [start:timing]
    x, y = make_data()
    jax.block_until_ready(fit_jit(0.0, 0.0, x, y))  # compile before timing
    eager = median_seconds(fit_two_grads, x, y, repeats=3)
    jitted = median_seconds(fit_jit, 0.0, 0.0, x, y, repeats=200)
    print(f"eager, two grad calls a step: {eager * 1e3:8.1f} ms")
    print(f"jit with fori_loop:           {jitted * 1e6:8.1f} µs")
    print(f"speedup:                      {eager / jitted:8,.0f}x")
    # --8<-- [end:timing]


def main() -> None:
    """Print what each of the posts' jit steps shows, in order."""
    # --8<-- [start:show_empty]
    x, y = make_data()
    print("returns:", fit_as_written(0.0, 0.0, x, y))
    lowered = fit_as_written.lower(0.0, 0.0, x, y)
    print("operations left after compiling:", operations_kept(lowered))
    # --8<-- [end:show_empty]

    # --8<-- [start:show_fixed]
    w2, b2 = fit_two_grads(x, y)
    w, b = fit_jit(0.0, 0.0, x, y)
    print(f"eager: w = {w2:.5f}, b = {b2:.5f}")
    print(f"jit:   w = {w:.5f}, b = {b:.5f}")
    # --8<-- [end:show_fixed]

    # --8<-- [start:show_size]
    for steps in (10, 100, 1000):
        unrolled = program_lines(fit_unrolled, steps)
        fori = program_lines(fit_fori, steps)
        cuda = program_lines(fit_fori, steps, platform="cuda")
        print(
            f"{steps:>5} steps: unrolled {unrolled:>6,}, "
            f"fori_loop {fori} lines (for CUDA: {cuda})"
        )
    # --8<-- [end:show_size]

    # --8<-- [start:show_kernels]
    for steps in (10, 100):
        flat, loop = kernels(fit_unrolled, steps), kernels(fit_fori, steps)
        print(
            f"{steps:>3} steps: unrolled {flat['fusions']} fusions "
            f"({flat['fusions'] // steps} a step); fori_loop "
            f"{loop['fusions a step']} fusions and "
            f"{loop['copies a step']} copies a step"
        )
    # --8<-- [end:show_kernels]

    # --8<-- [start:show_gap]
    w_exact, b_exact = closed_form(x, y)
    w_long, b_long = fit_jit(0.0, 0.0, x, y, steps=5_000)
    print(f"closed form:  w = {w_exact:.4f}, b = {b_exact:.4f}")
    print(f"100 steps:    w = {w:.4f}, b = {b:.4f}")
    print(f"5,000 steps:  w = {w_long:.4f}, b = {b_long:.4f}")
    # --8<-- [end:show_gap]

    timing_report()


if __name__ == "__main__":
    main()
