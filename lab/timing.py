"""The first post's timing block, measured by `make bench` for the post to show.

``python -m lab.timing --results DIR`` runs the block's code (snippets/jit.py: ``timing_report``)
and writes DIR/<backend>/jit_timing.txt, the output the page shows under the block, and
jit_timing.json, the same two medians as a results file that the prose cites.
"""

import argparse
import contextlib
import io
import json
from pathlib import Path

from lab.machine import machine_line, provenance
from snippets import jit


def record(results: Path) -> Path:
    """Run the timing block once, and write what it printed and what it measured."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        eager, jitted = jit.timing_report()
    report = {**provenance(), "results": {
        "eager_seed": {"label": "eager, grad per parameter", "median_s": eager},
        "jit_fori": {"label": "jit with fori_loop", "median_s": jitted},
    }}  # fmt: skip
    folder = results / report["backend"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "jit_timing.txt").write_text(printed.getvalue(), encoding="utf-8")
    (folder / "jit_timing.json").write_text(json.dumps(report, indent=2) + "\n")
    print(printed.getvalue(), end="")
    print(f"measured on {machine_line(report)}; wrote {folder}/jit_timing.txt and .json")
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m lab.timing", description=__doc__)
    parser.add_argument("--results", type=Path, default=Path("docs/results"), metavar="DIR")
    record(parser.parse_args().results)
