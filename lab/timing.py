"""The first post's timing block, measured by `make bench` for the post to show.

``python -m lab.timing --results DIR`` runs the block's code (snippets/jit.py: ``timing_report``)
and writes DIR/<backend>/jit_timing.txt, the output the page shows under the block, and
jit_timing.json, the same two timings with their spread, as a results file the prose cites.
"""

import argparse
import contextlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from lab.machine import machine_line, provenance
from lab.schema import spread, write
from lab.timer import samples
from snippets import jit


@contextlib.contextmanager
def kept_samples() -> Iterator[list[dict]]:
    """Keep every repeat the block times: it prints medians, the results file wants spreads.

    The block's own timer is swapped for one that returns the same median from the same
    repeats, so what the page shows and what the prose cites are one measurement.
    """
    kept, original = [], jit.median_seconds

    def median_seconds(fn: Callable, *args: object, repeats: int) -> float:
        kept.append(spread(samples(lambda: fn(*args), repeats)))
        return kept[-1]["median_s"]

    jit.median_seconds = median_seconds
    try:
        yield kept
    finally:
        jit.median_seconds = original


def record(results: Path) -> Path:
    """Run the timing block once, and write what it printed and what it measured."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), kept_samples() as kept:
        jit.timing_report()
    eager, jitted = kept
    report = provenance("timing", "one fit (100 steps)")
    on = {"role": "jax", "group": "loop", "device": report["device"]}
    report["results"] = {
        "eager_seed": {"label": "eager, grad per parameter", **on, **eager},
        "jit_fori": {"label": "jit with fori_loop", **on, **jitted},
    }
    folder = results / report["backend"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "jit_timing.txt").write_text(printed.getvalue(), encoding="utf-8")
    checked = write(report, folder / "jit_timing.json")
    print(printed.getvalue(), end="")
    print(f"measured on {machine_line(checked)}; wrote {folder}/jit_timing.txt and .json")
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m lab.timing", description=__doc__)
    parser.add_argument("--results", type=Path, default=Path("docs/results"), metavar="DIR")
    record(parser.parse_args().results)
