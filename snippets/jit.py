"""Compiling the regression with ``jax.jit``, and timing it honestly.

Three lessons from the post "JAX is amazing", in the order it tells them: a
jitted function that returns nothing compiles to an empty program; a Python
loop inside ``jit`` is unrolled, while ``jax.lax.fori_loop`` stays a loop; and
JAX runs asynchronously, so a timing must wait with ``block_until_ready``.
"""

# --8<-- [start:imports]
import re
import statistics
import time
from collections.abc import Callable

import jax
import jax.numpy as jnp

from snippets.regression import fit_seed, loss, make_data

# --8<-- [end:imports]


# --8<-- [start:as_written]
@jax.jit
def fit_as_written(w: float, b: float, x: jax.Array, y: jax.Array) -> None:
    """Fit as first jitted: the loop runs, but nothing is returned."""
    for _ in range(100):
        dw = jax.grad(loss, argnums=0)(w, b, x, y)
        db = jax.grad(loss, argnums=1)(w, b, x, y)
        w, b = w - 0.01 * dw, b - 0.01 * db
    # --8<-- [end:as_written]


# --8<-- [start:inspect]
def inspect(lowered: jax.stages.Lowered) -> str:
    """Size the program jit hands to XLA, and count the operations XLA keeps."""
    handed = lowered.as_text().splitlines()  # StableHLO, before XLA sees it
    main = next(line for line in handed if "@main(" in line)
    compiled = lowered.compile().as_text()  # HLO, after XLA optimised it
    entry = compiled[compiled.index("\nENTRY") :].split("\n}")[0].splitlines()
    kept = [
        op
        for op in entry[2:]
        if not re.search(r"= \S+ (parameter|tuple)\(", op)
    ]
    return (
        f"{main.count('%arg')} arguments, {len(handed):,} lines; "
        f"XLA keeps {len(kept)} operations"
    )
    # --8<-- [end:inspect]


# --8<-- [start:unrolled]
def fit_unrolled(
    w: float, b: float, x: jax.Array, y: jax.Array, steps: int = 100
) -> tuple:
    """Fit with a Python loop, which ``jit`` unrolls: one copy per step."""
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
    """Fit with ``jax.lax.fori_loop``: one loop body, whatever the steps."""
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
    """Count the lines of the program that ``jit`` hands to XLA for ``fn``."""
    x, y = make_data()
    traced = jax.jit(fn, static_argnames="steps").trace(
        0.0, 0.0, x, y, steps=steps
    )
    lowered = traced.lower(lowering_platforms=(platform,))
    return len(lowered.as_text().splitlines())
    # --8<-- [end:program_size]


# --8<-- [start:fusions]
def fused_kernels(fn: Callable, steps: int) -> int:
    """Count the fusions in the program XLA compiles for ``fn`` on the CPU."""
    # Data placed on the CPU is computed there, whatever the default backend.
    x, y = jax.device_put(make_data(), jax.devices("cpu")[0])
    lowered = jax.jit(fn, static_argnames="steps").lower(
        0.0, 0.0, x, y, steps=steps
    )
    return len(re.findall(r" fusion\(", lowered.compile().as_text()))
    # --8<-- [end:fusions]


# --8<-- [start:timer]
def median_seconds(fn: Callable, *args: object, repeats: int) -> float:
    """Return the median time of ``fn(*args)``, waiting for each result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(fn(*args))  # JAX returns before the work is done
        times.append(time.perf_counter() - start)
    return statistics.median(times)
    # --8<-- [end:timer]


def timing_report() -> tuple[float, float]:
    """Print how long 100 steps take eagerly and jitted; return both medians."""
    # --8<-- [start:timing]
    x, y = make_data()
    jax.block_until_ready(fit_jit(0.0, 0.0, x, y))  # compile before timing
    eager = median_seconds(fit_seed, x, y, repeats=3)
    jitted = median_seconds(fit_jit, 0.0, 0.0, x, y, repeats=200)
    print(f"eager, grad per parameter: {eager * 1e3:8.1f} ms")
    print(f"jit with fori_loop:        {jitted * 1e6:8.1f} µs")
    print(f"speedup:                   {eager / jitted:8,.0f}x")
    # --8<-- [end:timing]
    return eager, jitted


def main() -> None:
    """Print what each of the post's jit steps shows, in the post's order."""
    # --8<-- [start:show_empty]
    x, y = make_data()
    print("returns:", fit_as_written(0.0, 0.0, x, y))
    lowered = fit_as_written.lower(0.0, 0.0, x, y)
    print("as written:           ", inspect(lowered))
    keep = jax.jit(fit_as_written.__wrapped__, keep_unused=True)
    print("with keep_unused=True:", inspect(keep.lower(0.0, 0.0, x, y)))
    # --8<-- [end:show_empty]

    # --8<-- [start:show_fixed]
    w_seed, b_seed = fit_seed(x, y)
    w, b = fit_jit(0.0, 0.0, x, y)
    print(f"eager: w = {w_seed:.5f}, b = {b_seed:.5f}")
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

    # --8<-- [start:show_fusions]
    for steps in (10, 100):
        unrolled = fused_kernels(fit_unrolled, steps)
        fori = fused_kernels(fit_fori, steps)
        print(f"{steps:>4} steps: unrolled {unrolled:>3}, fori_loop {fori}")
    # --8<-- [end:show_fusions]

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
