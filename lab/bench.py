"""Every way to fit the first post's line, timed over independent runs: ``python -m lab.bench``.

Each variant runs the post's gradient descent (learning rate 0.01) on its data, except ``lstsq``
(the closed form), ``jit_empty`` (a jitted call that computes and returns nothing) and ``floor``
(a jitted call that returns two zeros). Like is compared with like: the loop over the data in
JAX, NumPy and PyTorch, and the algebraic rewrite of snippets/algebra.py in JAX and NumPy.

A run is a fresh process that times every case once, in an order shuffled anew for each run:
the first call apart (it compiles), then a warm-up, then values of calibrated loops. The results
keep each run's median, so their spread is the spread between runs, and two variants compare
run by run (lab/results.py). Answers are checked against the eager loop's. The raw values are
written in pyperf's format too (``python -m pyperf stats docs/results/cpu/bench-runs.json``).
"""

import argparse
import contextlib
import io
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

RUNS, QUICK_RUNS = 10, 3
VALUES, MIN_VALUE_S = 3, 0.05  # each value times enough calls to last this long
ANSWER_TOLERANCE = 1e-5
BUSY_LIMIT = 0.25  # cores of other work a run may see, on average, before it is refused
MAIN = (100, 100)  # the post's fit: 100 points, 100 steps


# Each variant: its label, whose it is ("jax" or a "peer"), and the rows it compares with like for
# like (its group).
VARIANTS = {
    "eager_two_grads": ("eager loop, two grad calls a step", "jax", "loop"),
    "jnp_loop": ("NumPy loop in jax.numpy, no jit", "jax", "loop"),
    "jit_two_grads": ("jit of the eager loop, unchanged", "jax", "loop"),
    "jit_unrolled": ("jit, one grad, Python loop", "jax", "loop"),
    "jit_fori": ("jit, one grad, fori_loop", "jax", "loop"),
    "jit_as_written": ("jit, as first written", "jax", "no work"),
    "jit_empty": ("jit of a function returning nothing", "jax", "no work"),
    "floor": ("jit of a function returning zeros", "jax", "no work"),
    "jit_moments": ("jit, moments hoisted", "jax", "algebra"),
    "jit_best": ("jit, one matrix power", "jax", "algebra"),
    "numpy_loop": ("NumPy loop", "peer", "loop"),
    "numpy_best": ("NumPy, one matrix power", "peer", "algebra"),
    "lstsq": ("NumPy lstsq (closed form)", "peer", "closed form"),
    "torch_eager": ("PyTorch eager", "peer", "loop"),
    "torch_compile": ("PyTorch torch.compile", "peer", "loop"),
}
SERIES = {  # how the cost grows: lines of variants along an axis, the rest at the post's values
    "by_points": ("data points (100 steps)", "points", [100, 1_000, 10_000, 100_000, 1_000_000],
                  ["jit_fori", "numpy_loop", "jit_best", "numpy_best", "lstsq"]),
    "by_steps": ("steps (10,000 points)", "steps", [10, 100, 1_000, 10_000],
                 ["jit_moments", "jit_best", "numpy_loop", "numpy_best"]),
}  # fmt: skip


def case_name(variant: str, points: int, steps: int) -> str:
    """A case's name: the variant's alone at the post's values, else with its shape."""
    return variant if (points, steps) == MAIN else f"{variant}@{points:,}x{steps:,}"


def cases(quick: bool = False) -> dict[str, tuple[str, int, int]]:
    """Every case to time, once each, by name: the main table, then what the series add."""
    found = {case_name(v, *MAIN): (v, *MAIN) for v in VARIANTS}
    for _, axis, xs, lines in SERIES.values():
        for x in xs[:3] if quick else xs:
            points, steps = (x, 100) if axis == "points" else (10_000, x)
            found.update({case_name(v, points, steps): (v, points, steps) for v in lines})
    return found


def series_of(quick: bool = False) -> dict:
    """The series as the results file keeps them: each point names its case."""
    found = {}
    for key, (label, axis, xs, lines) in SERIES.items():
        xs = xs[:3] if quick else xs
        shape = (lambda x: (x, 100)) if axis == "points" else (lambda x: (10_000, x))
        found[key] = {
            "x_label": label,
            "x": xs,
            "lines": {v: [case_name(v, *shape(x)) for x in xs] for v in lines},
        }
    return found


# --- the variants, built for one shape -----------------------------------------------------------


def build(variant: str, points: int, steps: int) -> tuple[Callable[[], object], str]:
    """A call that runs ``variant`` once, waiting for its result, and the device it runs on."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    from snippets.algebra import fit_best, fit_moments, numpy_best
    from snippets.by_hand import fit_by_hand
    from snippets.jit import fit_as_written, fit_fori, fit_unrolled
    from snippets.regression import fit_two_grads, make_data

    x, y = make_data(points)
    xn, yn = np.asarray(x), np.asarray(y)
    device = f"{jax.devices()[0].platform}:0"
    if variant.startswith("torch"):
        return torch_variant(variant, xn, yn, steps)

    def lstsq() -> np.ndarray:
        return np.linalg.lstsq(np.stack([xn, np.ones_like(xn)], axis=1), yn, rcond=None)[0]

    # Every jitted loop starts from w = b = 0 fixed when traced, as fit_two_grads does: each
    # of jit_two_grads, jit_unrolled and jit_fori changes one thing from the one before.
    jitted = {
        "jit_two_grads": jax.jit(lambda x, y: fit_two_grads(x, y, steps)),
        "jit_unrolled": jax.jit(lambda x, y: fit_unrolled(0.0, 0.0, x, y, steps)),
        "jit_fori": jax.jit(lambda x, y: fit_fori(0.0, 0.0, x, y, steps)),
        "jit_empty": jax.jit(lambda x, y: None),
        "floor": jax.jit(lambda x, y: jnp.zeros(2, x.dtype)),
    }
    calls = {
        "eager_two_grads": lambda: fit_two_grads(x, y, steps),
        "jnp_loop": lambda: fit_by_hand(x, y, steps, xp=jnp),
        "jit_as_written": lambda: fit_as_written(0.0, 0.0, x, y),
        "jit_moments": lambda: fit_moments(x, y, steps=steps),
        "jit_best": lambda: fit_best(x, y, steps=steps),
        **{name: (lambda f=f: f(x, y)) for name, f in jitted.items()},
    }
    peers = {
        "numpy_loop": lambda: fit_by_hand(xn, yn, steps),
        "numpy_best": lambda: numpy_best(xn, yn, steps),
        "lstsq": lstsq,
    }
    if variant in peers:
        return peers[variant], "cpu:0"
    return (lambda: jax.block_until_ready(calls[variant]())), device


def torch_variant(variant: str, x: object, y: object, steps: int) -> tuple[Callable, str]:
    """PyTorch's loop on JAX's device, waited for with its own synchronize."""
    import jax
    import torch

    from snippets.algebra import LR

    on_gpu = jax.default_backend() == "gpu" and torch.cuda.is_available()
    device = torch.device("cuda:0" if on_gpu else "cpu")
    xt, yt = torch.tensor(x, device=device), torch.tensor(y, device=device)

    def eager() -> tuple:  # as a PyTorch user writes it: leaf tensors and autograd
        w = torch.zeros((), requires_grad=True, device=device)
        b = torch.zeros((), requires_grad=True, device=device)
        for _ in range(steps):
            dw, db = torch.autograd.grad(((w * xt + b - yt) ** 2).mean(), (w, b))
            with torch.no_grad():
                w -= LR * dw
                b -= LR * db
        return w.detach(), b.detach()

    grads = torch.func.grad(lambda w, b: ((w * xt + b - yt) ** 2).mean(), argnums=(0, 1))

    def functional() -> tuple:  # torch.func.grad, which torch.compile traces whole
        w = b = torch.zeros((), device=device)
        for _ in range(steps):
            dw, db = grads(w, b)
            w, b = w - LR * dw, b - LR * db
        return w, b

    fit = eager if variant == "torch_eager" else torch.compile(functional)

    def call() -> tuple:
        answer = fit()
        if on_gpu:
            torch.cuda.synchronize(device)
        return answer

    return call, str(device)


# --- one run: a fresh process that times every case ----------------------------------------------


def time_case(call: Callable[[], object]) -> dict:
    """The first call apart, one warm-up, then VALUES values of calibrated loops."""
    start = time.perf_counter()
    answer = call()
    first = time.perf_counter() - start
    start = time.perf_counter()
    call()
    once = time.perf_counter() - start
    loops = max(1, math.ceil(MIN_VALUE_S / max(once, 1e-9)))
    values = []
    for _ in range(VALUES):
        start = time.perf_counter()
        for _ in range(loops):
            call()
        values.append((time.perf_counter() - start) / loops)
    return {"first_s": first, "loops": loops, "values": values, "answer": as_pair(answer)}


def as_pair(answer: object) -> list[float] | None:
    """(w, b) as plain floats, or None for a call that returns nothing or zeros by design."""
    values = [] if answer is None else [float(v) for v in list(answer)[:2]]
    return values if any(values) else None


def worker(run: int, quick: bool) -> dict:
    """Time every case once, in an order shuffled for this run (the first run also runs the
    post's timing block and keeps what it printed)."""
    order = list(cases(quick).items())
    random.Random(run).shuffle(order)
    measured, missing = {}, {}
    for name, (variant, points, steps) in order:
        try:
            call, device = build(variant, points, steps)
        except ImportError as err:
            missing[name] = f"PyTorch is not installed here ({err.name}); `make bench` installs it"
            continue
        measured[name] = {**time_case(call), "device": device}
    printed = io.StringIO()
    if run == 0:
        from snippets.jit import timing_report

        with contextlib.redirect_stdout(printed):
            timing_report()
    return {"measured": measured, "missing": missing, "timing_block": printed.getvalue()}


# --- many runs, and the results file -------------------------------------------------------------


def measure(quick: bool = False) -> tuple[list[dict], list[float]]:
    """Start each run in a fresh interpreter; measure the other work on the machine meanwhile."""
    from lab.machine import other_work

    done, load = [], []
    for run in range(QUICK_RUNS if quick else RUNS):
        command = [sys.executable, "-m", "lab.bench", "--worker", str(run)] + ["--quick"] * quick
        with other_work(load):
            result = subprocess.run(command, capture_output=True, text=True, check=True)
        done.append(json.loads(result.stdout))
        print(f"run {run + 1}: other work kept {load[-1]:.2f} cores busy", flush=True)
    return done, load


def summarize(done: list[dict], load: list[float], quick: bool) -> dict:
    """The results file (lab/schema.py): each case with every run's median, answers checked."""
    import numpy as np

    from lab.machine import provenance
    from snippets.algebra import numpy_reference
    from snippets.regression import make_data

    report = provenance("bench", "one fit (100 steps)" if not quick else "one fit (quick run)")
    exact = numpy_reference(*map(np.asarray, make_data(MAIN[0])))
    reference = done[0]["measured"]["eager_two_grads"]["answer"]
    found = {}
    for name, (variant, points, steps) in cases(quick).items():
        row = dict(zip(("label", "role", "group"), VARIANTS[variant], strict=True))
        if name in done[0]["missing"]:
            found[name] = {**row, "measured": False, "reason": done[0]["missing"][name]}
            continue
        timed = [run["measured"][name] for run in done]
        row |= {"device": timed[0]["device"], "points": points, "steps": steps,
                "runs_s": [statistics.median(t["values"]) for t in timed],
                "first_call_s": [t["first_s"] for t in timed]}  # fmt: skip
        answer = timed[0]["answer"]
        if answer and (points, steps) == MAIN and variant != "lstsq":
            off = max(abs(a - b) for a, b in zip(answer, reference, strict=True))
            if off > ANSWER_TOLERANCE:
                raise SystemExit(f"{name}: its answer is {off:.2e} from the eager loop's")
            row["facts"] = {
                "answer": answer,
                "off_eager": off,
                "off_float64": max(abs(a - b) for a, b in zip(answer, exact, strict=True)),
            }
        found[name] = row
    return {**report, "runs": len(done), "load": {"other_cores": load, "limit": BUSY_LIMIT},
            "facts": {"points": MAIN[0], "steps": MAIN[1], "learning_rate": 0.01},
            "cases": found, "series": series_of(quick)}  # fmt: skip


def pyperf_suite(done: list[dict]) -> object:
    """Every value of every run, as a pyperf benchmark suite: one benchmark per case."""
    import pyperf

    names = list(done[0]["measured"])
    benchmarks = []
    for name in names:
        runs = [pyperf.Run(run["measured"][name]["values"], collect_metadata=False,
                           metadata={"name": name, "loops": run["measured"][name]["loops"],
                                     "unit": "second"})
                for run in done]  # fmt: skip
        benchmarks.append(pyperf.Benchmark(runs))
    return pyperf.BenchmarkSuite(benchmarks)


def record(results: Path, quick: bool = False, busy_ok: bool = False) -> Path:
    """Measure; refuse a busy machine; write into DIR/<backend>/ bench.json, its raw runs, its
    charts, and what the timing block printed."""
    from lab.schema import write

    # PyTorch compiles cold, as JAX does without its persistent cache; the file records it.
    os.environ["TORCHINDUCTOR_FORCE_DISABLE_CACHES"] = "1"
    done, load = measure(quick)
    if statistics.median(load) > BUSY_LIMIT and not busy_ok:
        raise SystemExit(
            f"other work kept {statistics.median(load):.2f} cores busy in a typical "
            f"run (the limit is {BUSY_LIMIT}): run make bench on a quiet machine"
        )
    report = summarize(done, load, quick)
    folder = results / report["backend"]
    folder.mkdir(parents=True, exist_ok=True)
    checked = write(report, folder / "bench.json")
    pyperf_suite(done).dump(str(folder / "bench-runs.json"), replace=True)
    (folder / "jit_timing.txt").write_text(done[0]["timing_block"], encoding="utf-8")
    from lab.charts import draw_charts  # matplotlib: loaded only to draw

    draw_charts(checked, folder, "bench")
    print(f"wrote {folder}/bench.json, bench-runs.json, jit_timing.txt and the charts")
    return folder


def main() -> None:
    """Record the results, or, with --worker, do one run and print it as JSON."""
    parser = argparse.ArgumentParser(prog="python -m lab.bench", description=__doc__)
    parser.add_argument("--results", type=Path, default=Path("docs/results"), metavar="DIR")
    parser.add_argument("--quick", action="store_true", help="three runs, smaller series")
    parser.add_argument("--busy-ok", action="store_true", help="keep a run on a busy machine")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)  # one run, JSON out
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(args.worker, args.quick)))
    else:
        record(args.results, args.quick, args.busy_ok)


if __name__ == "__main__":
    main()
