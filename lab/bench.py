"""Every way to fit the first post's line, timed alike: ``python -m lab.bench``.

Each variant runs 100 gradient-descent steps at learning rate 0.01 on the post's
100 points, except ``lstsq`` (the closed form), ``jit_empty`` (a jitted call
that computes and returns nothing) and ``floor`` (a jitted call that returns two
zeros: the least a fit's call can cost).
Like is compared with like: the loop over the data (``jit_fori``, ``numpy_loop``,
``torch_eager``, ``torch_compile``), and the algebraic rewrite of snippets/algebra.py
(``jit_best``, ``numpy_best``). PyTorch runs on JAX's device and is waited for with
its own synchronize. Each variant is warmed up, timed as the median of many
repeats spread over interleaved rounds, and its answer is checked against the
eager loop's; its distance from a float64 reference is recorded too.
"""

import argparse
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from lab.machine import device_name, provenance
from lab.schema import spread, write
from lab.timer import timed
from snippets.algebra import LR, STEPS, fit_best, fit_moments, numpy_best, numpy_reference
from snippets.jit import fit_as_written, fit_fori, fit_unrolled
from snippets.regression import fit_seed, make_data

ANSWER_TOLERANCE = 1e-5
LABELS = {
    "eager_seed": "eager loop, grad per parameter",
    "jnp_loop": "NumPy loop in jax.numpy, no jit",
    "jit_seed": "jit of the eager loop, unchanged",
    "jit_seed_as_written": "jit, as first written (no work)",
    "jit_unrolled": "jit, Python loop (unrolled)",
    "jit_fori": "jit, fori_loop",
    "jit_moments": "jit, moments hoisted",
    "jit_best": "jit, one matrix power",
    "jit_empty": "jit of a function that returns nothing",
    "floor": "jit of a function returning two zeros",
    "numpy_loop": "NumPy loop",
    "numpy_best": "NumPy, one matrix power",
    "lstsq": "NumPy lstsq (closed form)",
    "torch_eager": "PyTorch eager",
    "torch_compile": "PyTorch torch.compile",
}
# What each row is, for the results file (lab/schema.py): JAX's or a peer's, and which rows
# compare like with like (one group: the same algorithm, in another library or style).
DECLARED = {
    "eager_seed": ("jax", "loop"), "jnp_loop": ("jax", "loop"), "jit_seed": ("jax", "loop"),
    "jit_seed_as_written": ("jax", "no work"), "jit_empty": ("jax", "floor"),
    "jit_unrolled": ("jax", "loop"), "jit_fori": ("jax", "loop"),
    "jit_moments": ("jax", "moments"), "jit_best": ("jax", "algebra"),
    "floor": ("jax", "floor"), "numpy_loop": ("peer", "loop"),
    "numpy_best": ("peer", "algebra"), "lstsq": ("peer", "closed form"),
    "torch_eager": ("peer", "loop"), "torch_compile": ("peer", "loop"),
}  # fmt: skip


def wait_for_jax(result: object) -> object:
    """Block until every JAX array in ``result`` is computed."""
    return jax.block_until_ready(result)


@dataclass
class Variant:
    """One way to fit, ready to time: ``call()`` runs it once, ``wait`` waits for it."""

    name: str
    call: Callable[[], object]
    repeats: int
    device: str
    compiled: bool = False  # its first call traces and compiles
    fits: bool = True  # False for the floor, which returns zeros by design
    wait: Callable[[object], object] = field(default=wait_for_jax)


@jax.jit
def floor(x: jax.Array, y: jax.Array) -> jax.Array:
    """Return two zeros, with the same inputs and output as ``fit_best``."""
    return jnp.zeros(2, x.dtype)


@jax.jit
def empty(x: jax.Array, y: jax.Array) -> None:
    """Compute and return nothing: what jit made of the function as first written."""


def numpy_loop(x: np.ndarray, y: np.ndarray, steps: int = STEPS) -> tuple:
    """Fit by gradient descent in NumPy, with the gradient derived by hand."""
    w = b = np.float32(0.0)
    for _ in range(steps):
        residual = w * x + b - y
        w = w - LR * 2 * np.mean(residual * x)
        b = b - LR * 2 * np.mean(residual)
    return w, b


def jnp_loop(x: jax.Array, y: jax.Array, steps: int = STEPS) -> tuple:
    """The NumPy loop with ``jnp`` for ``np``, run eagerly: a port without ``jit``."""
    w = b = jnp.float32(0.0)
    for _ in range(steps):
        residual = w * x + b - y
        w = w - LR * 2 * jnp.mean(residual * x)
        b = b - LR * 2 * jnp.mean(residual)
    return w, b


def lstsq_fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the least-squares line in one call: where descent converges."""
    design = np.stack([x, np.ones_like(x)], axis=1)
    return np.linalg.lstsq(design, y, rcond=None)[0]


def jax_variants(x: jax.Array, y: jax.Array, quick: bool) -> list[Variant]:
    """List the JAX variants, from the eager loop to the fastest jitted fit."""
    fast, on = (50 if quick else 2000), device_name()
    unrolled, fori, seed = jax.jit(fit_unrolled), jax.jit(fit_fori), jax.jit(fit_seed)
    return [
        Variant("eager_seed", lambda: fit_seed(x, y), 1 if quick else 5, on),
        Variant("jnp_loop", lambda: jnp_loop(x, y), 3 if quick else 30, on),
        Variant("jit_seed", lambda: seed(x, y), fast, on, True),
        Variant("jit_seed_as_written", lambda: fit_as_written(0.0, 0.0, x, y), fast, on, True),
        Variant("jit_unrolled", lambda: unrolled(0.0, 0.0, x, y), fast, on, True),
        Variant("jit_fori", lambda: fori(0.0, 0.0, x, y), fast, on, True),
        Variant("jit_moments", lambda: fit_moments(x, y), fast, on, True),
        Variant("jit_best", lambda: fit_best(x, y), fast, on, True),
        Variant("jit_empty", lambda: empty(x, y), fast, on, True, fits=False),
        Variant("floor", lambda: floor(x, y), fast, on, True, fits=False),
    ]


def numpy_variants(x: np.ndarray, y: np.ndarray, quick: bool) -> list[Variant]:
    """List the NumPy peers, on the CPU: the loop, the algebra, the closed form."""
    return [
        Variant("numpy_loop", lambda: numpy_loop(x, y), 3 if quick else 50, "cpu"),
        Variant("numpy_best", lambda: numpy_best(x, y), 50 if quick else 2000, "cpu"),
        Variant("lstsq", lambda: lstsq_fit(x, y), 50 if quick else 2000, "cpu"),
    ]


def torch_variants(x: np.ndarray, y: np.ndarray, quick: bool) -> list[Variant]:
    """List the PyTorch fits, on JAX's device: an autograd loop and a compiled one."""
    # Report a cold compile, as for JAX: no reuse of an earlier run's kernels.
    os.environ["TORCHINDUCTOR_FORCE_DISABLE_CACHES"] = "1"
    import torch

    on_gpu = jax.default_backend() == "gpu" and torch.cuda.is_available()
    device = torch.device("cuda:0" if on_gpu else "cpu")
    xt, yt = torch.tensor(x, device=device), torch.tensor(y, device=device)

    def synchronized(result: object) -> object:
        if on_gpu:
            torch.cuda.synchronize(device)  # CUDA work is queued, as JAX's is
        return result

    def autograd_fit(steps: int = STEPS) -> tuple:
        """Fit as a PyTorch user would: leaf tensors and autograd.grad."""
        w = torch.zeros((), requires_grad=True, device=device)
        b = torch.zeros((), requires_grad=True, device=device)
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
        w = b = torch.zeros((), device=device)
        for _ in range(steps):
            dw, db = grads(w, b)
            w, b = w - LR * dw, b - LR * db
        return w, b

    on = str(device)
    compiled = torch.compile(functional_fit)
    return [
        Variant("torch_eager", autograd_fit, 5 if quick else 30, on, wait=synchronized),
        Variant("torch_compile", compiled, 50 if quick else 500, on, True, wait=synchronized),
    ]


def measure(variants: list[Variant], rounds: int = 5) -> dict[str, tuple]:
    """Time each variant: its first call apart, then the median of its repeats.

    The repeats are spread over ``rounds`` rounds that visit every variant in
    turn, so a passing load on the machine touches all of them alike.
    """
    first, answers, times = {}, {}, {v.name: [] for v in variants}
    for v in variants:
        start = time.perf_counter()
        answers[v.name] = v.wait(v.call())
        first[v.name] = time.perf_counter() - start
        v.wait(v.call())  # warm-up
    for round_ in range(rounds):
        for v in variants:
            share = v.repeats // rounds + (round_ < v.repeats % rounds)
            for _ in range(share):
                start = time.perf_counter()
                v.wait(v.call())
                times[v.name].append(time.perf_counter() - start)
    rows = {}
    for v in variants:
        t = times[v.name]
        role, group = DECLARED[v.name]
        row = {"label": LABELS[v.name], "role": role, "group": group, "device": v.device,
               **spread(t)}  # fmt: skip
        if v.compiled:
            row["compile_s"] = first[v.name]
        rows[v.name] = (row, answers[v.name] if v.fits else None)
    return rows


def as_pair(answer: object) -> list[float] | None:
    """Return (w, b) as plain floats, or None for code that returns nothing."""
    return None if answer is None else [float(v) for v in answer]


def check_answers(results: dict, answers: dict, exact: tuple) -> None:
    """Record each fit's distance from the eager loop and from the float64 loop."""
    reference = np.array(answers["eager_seed"])
    for name, answer in answers.items():
        if answer is None:
            continue
        row = results[name].setdefault("facts", {})
        row["answer"] = answer
        row["off_float64"] = float(np.max(np.abs(np.array(answer) - exact)))
        if name == "lstsq":  # the closed form: where 100 steps are heading, not where they are
            row["gap_from_100_steps"] = [float(g) for g in np.abs(np.array(answer) - reference)]
        else:
            row["max_abs_diff_from_eager"] = float(np.max(np.abs(np.array(answer) - reference)))


def run(quick: bool = False) -> dict:
    """Time every variant on the post's data; compare answers with eager's."""
    x, y = make_data()
    xn, yn = np.asarray(x), np.asarray(y)
    variants = jax_variants(x, y, quick) + numpy_variants(xn, yn, quick)
    not_measured = {}
    try:
        variants += torch_variants(xn, yn, quick)
    except ImportError as missing:
        reason = f"PyTorch is not installed ({missing}); `make bench` installs it"
        not_measured = {n: reason for n in ("torch_eager", "torch_compile")}
    results, answers = {}, {}
    for name, (row, answer) in measure(variants).items():
        results[name], answers[name] = row, as_pair(answer)
    check_answers(results, answers, np.array(numpy_reference(xn, yn)))
    for name, reason in not_measured.items():
        role, group = DECLARED[name]
        results[name] = {"label": LABELS[name], "role": role, "group": group,
                         "measured": False, "reason": reason}  # fmt: skip
    facts = {"quick": quick, "steps": STEPS, "learning_rate": LR, "points": int(x.shape[0])}
    timed_what = f"one fit ({STEPS} steps)"
    return {**provenance("bench", timed_what), "facts": facts, "results": results}


def wrong_answers(report: dict) -> list[str]:
    """Variants whose answer is not the eager loop's, to ANSWER_TOLERANCE."""
    return [
        f"{name}: off by {row['facts']['max_abs_diff_from_eager']:.2e}"
        for name, row in report["results"].items()
        if row.get("facts", {}).get("max_abs_diff_from_eager", 0.0) > ANSWER_TOLERANCE
    ]


def median_of(call: Callable[[], object], budget_s: float = 0.3) -> dict:
    """Return the spread of ``call``'s times (lab/schema.py), repeated for about ``budget_s``."""
    wait_for_jax(call())
    once = timed(call, repeats=1)["median_s"]
    repeats = max(6, min(1000, int(budget_s / max(once, 1e-9))))
    return timed(call, repeats=repeats)


def series(x_label: str, x: list, lines: dict[str, list]) -> dict:
    """A chart's or table's worth of timings: one line per variant over ``x``."""
    return {"x_label": x_label, "x": x, "lines": lines}


def scaling(quick: bool = False) -> dict:
    """Time the loop and the algebra, in JAX and NumPy, as the data and steps grow."""
    median = partial(median_of, budget_s=0.02 if quick else 0.3)
    jit_fori = jax.jit(fit_fori)
    sizes = [10**k for k in range(2, 4 if quick else 7)]
    by_points = {n: [] for n in ("jit_fori", "numpy_loop", "jit_best", "numpy_best", "lstsq")}
    for n in sizes:
        x, y = make_data(n)
        xn, yn = np.asarray(x), np.asarray(y)
        by_points["jit_fori"].append(median(partial(jit_fori, 0.0, 0.0, x, y)))
        by_points["numpy_loop"].append(median(partial(numpy_loop, xn, yn)))
        by_points["jit_best"].append(median(partial(fit_best, x, y)))
        by_points["numpy_best"].append(median(partial(numpy_best, xn, yn)))
        by_points["lstsq"].append(median(partial(lstsq_fit, xn, yn)))
    n = 1_000 if quick else 10_000
    x, y = make_data(n)
    xn, yn = np.asarray(x), np.asarray(y)
    counts = [10, 100] if quick else [10, 100, 1000, 10_000]
    by_steps = {
        "jit_moments": [median(partial(fit_moments, x, y, steps=s)) for s in counts],
        "jit_best": [median(partial(fit_best, x, y, steps=s)) for s in counts],
        "numpy_loop": [median(partial(numpy_loop, xn, yn, s)) for s in counts],
        "numpy_best": [median(partial(numpy_best, xn, yn, s)) for s in counts],
    }
    return {
        "by_points": series("data points (100 steps)", sizes, by_points),
        "by_steps": series(f"steps ({n:,} points)", counts, by_steps),
    }


def print_table(report: dict) -> None:
    """Print each variant's median time, device, and compile time."""
    print(f"{report['machine']['cpu']}, JAX {report['versions']['jax']}, {report['backend']}")
    for name, row in report["results"].items():
        if row.get("measured", True):
            compiled = f"  (compile {row['compile_s']:.3f} s)" if "compile_s" in row else ""
            print(f"{name:<20} {row['device']:<7} {row['median_s'] * 1e6:>12,.1f} µs{compiled}")
        else:
            print(f"{name:<20} not measured: {row['reason']}")


def measured(quick: bool = False) -> dict:
    """Run the benchmark and print it; refuse to go on if an answer is wrong."""
    report = run(quick=quick)
    report["series"] = scaling(quick=quick)
    print_table(report)
    if problems := wrong_answers(report):
        raise SystemExit("answers differ from the eager loop's: " + "; ".join(problems))
    return report


def record(results: Path) -> Path:
    """Measure in full; write DIR/<backend>/bench.json and its charts."""
    from lab.charts import draw_charts

    report = measured()
    folder = results / report["backend"]
    folder.mkdir(parents=True, exist_ok=True)
    draw_charts(write(report, folder / "bench.json"), folder, "bench")
    print(f"wrote {folder}/bench.json and its charts")
    return folder


def main() -> None:
    """Run the benchmark; write a results folder, or one JSON file, if asked."""
    parser = argparse.ArgumentParser(prog="python -m lab.bench", description=__doc__)
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sizes")
    parser.add_argument("--results", type=Path, help="write JSON and charts to DIR/<backend>/")
    args = parser.parse_args()
    if args.results:
        record(args.results)
        return
    report = measured(quick=args.quick)
    if args.json:
        write(report, args.json)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
