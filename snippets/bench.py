"""Every way to fit the post's line, timed the same way.

Run ``python -m snippets.bench [--json FILE] [--quick] [--results DIR]``. Each
variant runs 100 gradient-descent steps at learning rate 0.01 on the post's 100
points, except ``lstsq`` (the closed form) and ``floor`` (nothing at all). Each
is warmed up, waited for (``block_until_ready`` for JAX), timed as the median of
many repeats, and checked against the eager loop's answer. Compile time, the
first call of a compiled variant, is reported apart from run time.
"""

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from snippets.jit import fit_as_written, fit_fori, fit_unrolled, median_seconds

# isort: split
# --8<-- [start:setup]
from functools import partial

import jax
import jax.numpy as jnp

from snippets.regression import fit_seed, make_data

STEPS, LR = 100, 0.01  # the post's fit: 100 steps at learning rate 0.01
# --8<-- [end:setup]

ANSWER_TOLERANCE = 1e-5
LABELS = {
    "eager_seed": "eager loop, grad per parameter",
    "jit_seed_as_written": "jit, as first written (no work)",
    "jit_unrolled": "jit, Python loop (unrolled)",
    "jit_fori": "jit, fori_loop",
    "jit_moments": "jit, moments hoisted",
    "jit_best": "jit, one matrix power",
    "floor": "floor: empty jitted call",
    "numpy_loop": "NumPy loop",
    "lstsq": "NumPy lstsq (closed form)",
    "torch_eager": "PyTorch eager",
    "torch_compile": "PyTorch torch.compile",
}


# --8<-- [start:moments]
def moments(x: jax.Array, y: jax.Array) -> jax.Array:
    """Return the averages the loss depends on: [[x·x, x·y], [x, y]] / n."""
    return jnp.stack([x, jnp.ones_like(x)]) @ jnp.stack([x, y]).T / x.shape[0]


def loss_from_moments(p: jax.Array, m: jax.Array) -> jax.Array:
    """Return the post's loss, less the constant mean(y²), from the moments."""
    w, b = p
    squares = w * w * m[0, 0] + 2 * w * b * m[1, 0] + b * b
    cross_terms = 2 * w * m[0, 1] + 2 * b * m[1, 1]
    return squares - cross_terms


@partial(jax.jit, static_argnames="steps")
def fit_moments(x: jax.Array, y: jax.Array, steps: int = STEPS) -> jax.Array:
    """Fit by gradient descent on the moments: one pass over the data in all."""
    m = moments(x, y)
    grad = jax.grad(loss_from_moments)

    def step(_: int, p: jax.Array) -> jax.Array:
        return p - LR * grad(p, m)

    return jax.lax.fori_loop(0, steps, step, jnp.zeros(2, x.dtype), unroll=5)
    # --8<-- [end:moments]


# --8<-- [start:best]
def step_matrix(x: jax.Array, y: jax.Array) -> jax.Array:
    """Return one step, p -> p - lr * grad(p), as a matrix on (w, b, 1)."""
    m = moments(x, y)

    def step(p: jax.Array) -> jax.Array:
        return p - LR * jax.grad(loss_from_moments)(p, m)

    origin = jnp.zeros(2, x.dtype)
    shift = step(origin)  # where a step from (0, 0) lands
    # How a step moves (w, b): the same everywhere, as the loss is quadratic.
    linear = jax.jacfwd(step)(origin)
    bottom = jnp.array([[0.0, 0.0, 1.0]], x.dtype)
    return jnp.concatenate([jnp.hstack([linear, shift[:, None]]), bottom])


@partial(jax.jit, static_argnames="steps")
def fit_best(x: jax.Array, y: jax.Array, steps: int = STEPS) -> jax.Array:
    """Take ``steps`` descent steps from (0, 0) as one matrix power."""
    return jnp.linalg.matrix_power(step_matrix(x, y), steps)[:2, 2]
    # --8<-- [end:best]


def show_same_answer() -> None:
    """Print the eager loop's answer beside the two fast fits'."""
    # --8<-- [start:show_same_answer]
    x, y = make_data()
    w, b = fit_seed(x, y)
    print(f"eager loop:   w = {w:.5f}, b = {b:.5f}")
    w, b = fit_moments(x, y)
    print(f"jit_moments:  w = {w:.5f}, b = {b:.5f}")
    w, b = fit_best(x, y)
    print(f"jit_best:     w = {w:.5f}, b = {b:.5f}")
    # --8<-- [end:show_same_answer]


@jax.jit
def floor(x: jax.Array, y: jax.Array) -> jax.Array:
    """Compute nothing, with the same inputs and output as ``fit_best``."""
    return jnp.zeros(2, x.dtype)


def numpy_fit(x: np.ndarray, y: np.ndarray, steps: int = STEPS) -> tuple:
    """Fit by gradient descent in NumPy, with the gradient derived by hand."""
    w = b = np.float32(0.0)
    for _ in range(steps):
        residual = w * x + b - y
        w = w - LR * 2 * np.mean(residual * x)
        b = b - LR * 2 * np.mean(residual)
    return w, b


def lstsq_fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the least-squares line in one call: where descent converges."""
    design = np.stack([x, np.ones_like(x)], axis=1)
    return np.linalg.lstsq(design, y, rcond=None)[0]


@dataclass
class Variant:
    """One way to fit, ready to time: ``call()`` runs it once."""

    name: str
    call: Callable[[], object]
    repeats: int
    compiled: bool = False  # its first call traces and compiles
    fits: bool = True  # False for the floor, which returns zeros by design


def jax_variants(x: jax.Array, y: jax.Array, quick: bool) -> list[Variant]:
    """List the JAX variants, from the eager loop to the fastest jitted fit."""
    fast = 50 if quick else 2000
    unrolled, fori = jax.jit(fit_unrolled), jax.jit(fit_fori)
    return [
        Variant("eager_seed", lambda: fit_seed(x, y), 1 if quick else 5),
        Variant(
            "jit_seed_as_written",
            lambda: fit_as_written(0.0, 0.0, x, y),
            fast,
            True,
        ),
        Variant("jit_unrolled", lambda: unrolled(0.0, 0.0, x, y), fast, True),
        Variant("jit_fori", lambda: fori(0.0, 0.0, x, y), fast, True),
        Variant("jit_moments", lambda: fit_moments(x, y), fast, True),
        Variant("jit_best", lambda: fit_best(x, y), fast, True),
        Variant("floor", lambda: floor(x, y), fast, True, fits=False),
    ]


def numpy_variants(x: np.ndarray, y: np.ndarray, quick: bool) -> list[Variant]:
    """List the NumPy peers: a hand-written descent loop and the closed form."""
    return [
        Variant("numpy_loop", lambda: numpy_fit(x, y), 3 if quick else 50),
        Variant("lstsq", lambda: lstsq_fit(x, y), 50 if quick else 2000),
    ]


def torch_variants(x: np.ndarray, y: np.ndarray, quick: bool) -> list[Variant]:
    """List the PyTorch fits: an autograd loop and a compiled functional one."""
    # Report a cold compile, as for JAX: no reuse of an earlier run's kernels.
    os.environ["TORCHINDUCTOR_FORCE_DISABLE_CACHES"] = "1"
    import torch

    xt, yt = (
        torch.tensor(x),
        torch.tensor(y),
    )  # copies: JAX's views are read-only

    def autograd_fit(steps: int = STEPS) -> tuple:
        """Fit as a PyTorch user would: leaf tensors and autograd.grad."""
        w = torch.zeros((), requires_grad=True)
        b = torch.zeros((), requires_grad=True)
        for _ in range(steps):
            loss = ((w * xt + b - yt) ** 2).mean()
            dw, db = torch.autograd.grad(loss, (w, b))
            with torch.no_grad():
                w -= LR * dw
                b -= LR * db
        return w.detach(), b.detach()

    def loss(w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return ((w * xt + b - yt) ** 2).mean()

    grads = torch.func.grad(loss, argnums=(0, 1))

    def functional_fit(steps: int = STEPS) -> tuple:
        """Fit with torch.func.grad instead, which torch.compile can trace."""
        w = b = torch.zeros(())
        for _ in range(steps):
            dw, db = grads(w, b)
            w, b = w - LR * dw, b - LR * db
        return w, b

    return [
        Variant("torch_eager", autograd_fit, 5 if quick else 30),
        Variant(
            "torch_compile",
            torch.compile(functional_fit),
            50 if quick else 500,
            True,
        ),
    ]


def wait(result: object) -> object:
    """Block until every JAX array in ``result`` is computed."""
    return jax.block_until_ready(result)


def measure(variants: list[Variant], rounds: int = 5) -> dict[str, tuple]:
    """Time each variant: its first call apart, then the median of its repeats.

    The repeats are spread over ``rounds`` rounds that visit every variant in
    turn, so a passing load on the machine touches all of them alike.
    """
    first, answers, times = {}, {}, {v.name: [] for v in variants}
    for v in variants:
        start = time.perf_counter()
        answers[v.name] = wait(v.call())
        first[v.name] = time.perf_counter() - start
        wait(v.call())  # warm-up
    for round_ in range(rounds):
        for v in variants:
            share = v.repeats // rounds + (round_ < v.repeats % rounds)
            for _ in range(share):
                start = time.perf_counter()
                wait(v.call())
                times[v.name].append(time.perf_counter() - start)
    rows = {}
    for v in variants:
        row = {
            "median_s": statistics.median(times[v.name]),
            "min_s": min(times[v.name]),
            "max_s": max(times[v.name]),
            "repeats": v.repeats,
        }
        if v.compiled:
            row["compile_s"] = first[v.name]
        rows[v.name] = (row, answers[v.name])
    return rows


def as_pair(answer: object) -> list[float] | None:
    """Return (w, b) as plain floats, or None for code that returns nothing."""
    return None if answer is None else [float(v) for v in answer]


def machine() -> dict:
    """Describe what measured the numbers: processor, cores, Python, device."""
    from snippets.devices import cpu_model

    device = jax.devices()[0]
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.machine()}",
        "device_kind": device.device_kind,
    }


def run(quick: bool = False) -> dict:
    """Time every variant on the post's data; compare answers with eager's."""
    x, y = make_data()
    xn, yn = np.asarray(x), np.asarray(y)
    variants = jax_variants(x, y, quick) + numpy_variants(xn, yn, quick)
    results, not_measured = {}, {}
    try:
        variants += torch_variants(xn, yn, quick)
    except ImportError as missing:
        reason = (
            f"PyTorch is not installed ({missing}); `make bench` installs it"
        )
        not_measured = {n: reason for n in ("torch_eager", "torch_compile")}
    answers = {}
    fits = {v.name: v.fits for v in variants}
    for name, (row, answer) in measure(variants).items():
        results[name] = row
        answers[name] = as_pair(answer) if fits[name] else None
    reference = np.array(answers["eager_seed"])
    for name, row in results.items():
        if answers[name] is not None and name != "lstsq":
            gap = float(np.max(np.abs(np.array(answers[name]) - reference)))
            row["answer"], row["max_abs_diff_from_eager"] = answers[name], gap
    lstsq_gap = np.abs(np.array(answers["lstsq"]) - reference)
    results["lstsq"]["answer"] = answers["lstsq"]
    results["lstsq"]["gap_from_100_steps"] = [float(g) for g in lstsq_gap]
    for name, reason in not_measured.items():
        results[name] = {"measured": False, "reason": reason}
    return {
        "machine": machine(),
        "jax": jax.__version__,
        "backend": jax.default_backend(),
        "device": str(jax.devices()[0]),
        "date": time.strftime("%Y-%m-%d"),
        "quick": quick,
        "steps": STEPS,
        "learning_rate": LR,
        "points": int(x.shape[0]),
        "results": results,
    }


def wrong_answers(report: dict) -> list[str]:
    """Variants whose answer is not the eager loop's, to ANSWER_TOLERANCE."""
    return [
        f"{name}: off by {row['max_abs_diff_from_eager']:.2e}"
        for name, row in report["results"].items()
        if row.get("max_abs_diff_from_eager", 0.0) > ANSWER_TOLERANCE
    ]


def median_of(call: Callable[[], object], budget_s: float = 0.3) -> float:
    """Return the median time of ``call``, repeated for about ``budget_s``."""
    wait(call())
    once = median_seconds(call, repeats=1)
    repeats = max(3, min(1000, int(budget_s / max(once, 1e-9))))
    return median_seconds(call, repeats=repeats)


def scaling(quick: bool = False) -> dict:
    """Time jit_best, the NumPy loop and lstsq as data and steps grow."""
    median = partial(median_of, budget_s=0.02 if quick else 0.3)
    sizes = [10**k for k in range(2, 4 if quick else 7)]
    by_points: dict[str, list] = {
        "points": sizes,
        "jit_best": [],
        "numpy_loop": [],
        "lstsq": [],
    }
    for n in sizes:
        x, y = make_data(n)
        xn, yn = np.asarray(x), np.asarray(y)
        by_points["jit_best"].append(median(partial(fit_best, x, y)))
        by_points["numpy_loop"].append(median(partial(numpy_fit, xn, yn)))
        by_points["lstsq"].append(median(partial(lstsq_fit, xn, yn)))
    n = 1_000 if quick else 10_000
    x, y = make_data(n)
    xn, yn = np.asarray(x), np.asarray(y)
    counts = [10, 100] if quick else [10, 100, 1000, 10_000]
    by_steps: dict[str, object] = {"points": n, "steps": counts}
    for name, fit in (("jit_best", fit_best), ("jit_moments", fit_moments)):
        by_steps[name] = [
            median_of(partial(fit, x, y, steps=s)) for s in counts
        ]
    by_steps["numpy_loop"] = [
        median_of(partial(numpy_fit, xn, yn, s)) for s in counts
    ]
    by_steps["lstsq"] = [median_of(lambda: lstsq_fit(xn, yn))] * len(counts)
    return {"by_points": by_points, "by_steps": by_steps}


def seconds(value: float) -> str:
    """Format a duration in its best unit: 4.2 µs, 12.5 ms, 1.30 s."""
    if value < 1e-3:
        return f"{value * 1e6:,.1f} µs"
    if value < 1:
        return f"{value * 1e3:,.1f} ms"
    return f"{value:,.2f} s"


def machine_line(report: dict) -> str:
    """Name the machine behind a report: its numbers never travel without it."""
    m = report["machine"]
    return (
        f"{m['cpu']} ({m['cores']} cores), JAX {report['jax']}, "
        f"{report['backend']} backend"
    )


def print_table(report: dict) -> None:
    """Print each variant's median time and its speed relative to jit_best."""
    best = report["results"]["jit_best"]["median_s"]
    print(
        f"{report['machine']['cpu']}, JAX {report['jax']}, {report['backend']}"
    )
    for name, row in report["results"].items():
        if row.get("measured", True):
            compile_s = row.get("compile_s")
            compiled = f"  (compile {compile_s:.3f} s)" if compile_s else ""
            ratio = row["median_s"] / best
            micros = row["median_s"] * 1e6
            print(f"{name:<20} {micros:>12,.1f} µs {ratio:>10,.1f}x{compiled}")
        else:
            print(f"{name:<20} not measured: {row['reason']}")


def main() -> None:
    """Run the benchmark, print it, and write JSON (and charts) if asked."""
    parser = argparse.ArgumentParser(
        prog="python -m snippets.bench", description=__doc__
    )
    parser.add_argument(
        "--json", type=Path, help="write the results as JSON here"
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats and sizes"
    )
    parser.add_argument(
        "--results", type=Path, help="write JSON and charts to DIR/<backend>/"
    )
    args = parser.parse_args()
    report = run(quick=args.quick)
    report["scaling"] = scaling(quick=args.quick)
    print_table(report)
    if problems := wrong_answers(report):
        raise SystemExit(
            "answers differ from the eager loop's: " + "; ".join(problems)
        )
    targets = [args.json] if args.json else []
    if args.results:
        folder = args.results / report["backend"]
        folder.mkdir(parents=True, exist_ok=True)
        targets.append(folder / "bench.json")
        from snippets.bench_charts import draw_charts

        draw_charts(report, folder)
    for target in targets:
        target.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
