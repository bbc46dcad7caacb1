"""Results files written before lab/schema.py's format 2, read without inventing a number.

``upgrade(old, stem)`` is deterministic: every figure is carried over as it was, what the old
files never recorded (jaxlib's and NumPy's versions, PyTorch's, a confidence interval, the
spread of a series point) becomes ``null``, which the posts render as "not recorded". Two
things the old files left to code are written down, by the rules that code used then: a row is
JAX's when its name starts with jit, eager or floor (lab/charts.py's old colour rule), and one
timing was one fit of ``steps`` steps (its old axis label).

``python -m lab.migrate docs/results`` rewrites every old file in place; files already in the
current format are left alone.
"""

import json
import sys
from pathlib import Path

from lab.schema import FORMAT, Spread

OLD_MACHINE = ("cpu", "cores", "system", "device_kind")
OLD_TOP = ("machine", "jax", "backend", "device", "matmul_precision", "date", "simulated",
           "results", "series")  # fmt: skip
BENCHMARKS = {"jit_timing": "timing"}  # files not named after the module that writes them


def old_role(name: str) -> str:
    """The colour rule the old charts applied by name."""
    return "jax" if name.startswith(("jit", "eager", "floor")) else "peer"


def upgrade_row(name: str, row: dict) -> dict:
    """Keep the label, device and timings; what else the row held becomes its facts."""
    if row.get("measured") is False:
        return {"label": row["label"], "role": old_role(name), "measured": False,
                "reason": row["reason"]}  # fmt: skip
    kept = {"label", "device", "compile_s", *Spread.FIELDS}
    new = {"label": row["label"], "role": old_role(name), "device": row.get("device")}
    new |= {k: v for k, v in row.items() if k in kept and k not in new}
    if new["device"] is None:
        new["device"] = "not recorded"
    facts = {k: v for k, v in row.items() if k not in kept}
    return new | ({"facts": facts} if facts else {})


def upgrade_series(series: dict, rows: dict) -> dict:
    """Each point was a bare median; it becomes a spread whose other fields are unknown."""
    lines = {n: [{"median_s": v} for v in points] for n, points in series["lines"].items()}
    roles = {n: "jax" if not rows else old_role(n) for n in lines if n not in rows}
    out = {"x_label": series["x_label"], "x": series["x"], "lines": lines}
    return out | ({"roles": roles} if roles else {})


def upgrade(old: dict, stem: str) -> dict:
    """Return the format-2 report for an old one, every unknown left ``None``."""
    machine = old.get("machine", {})
    rows = old.get("results", {})
    versions = {"python": machine.get("python"), "jax": old.get("jax"),
                "jaxlib": None, "numpy": None}  # fmt: skip
    if any(name.startswith("torch") for name in rows):
        versions["torch"] = None  # PyTorch ran (or was tried); its version was not kept
    new = {
        "format": FORMAT,
        "benchmark": BENCHMARKS.get(stem, stem),
        "timed": f"one fit ({old.get('steps', 100)} steps)",
        "machine": {k: machine.get(k) for k in OLD_MACHINE},
        "versions": versions,
        "backend": old.get("backend"),
        "device": old.get("device"),
        "matmul_precision": old.get("matmul_precision", "default"),
        "date": old.get("date"),
        "simulated": old.get("simulated", False),
    }
    facts = {k: v for k, v in old.items() if k not in OLD_TOP}
    if facts:
        new["facts"] = facts
    if rows:
        new["results"] = {n: upgrade_row(n, r) for n, r in rows.items()}
    if "series" in old:
        new["series"] = {k: upgrade_series(s, rows) for k, s in old["series"].items()}
    return new


def main(folder: Path) -> None:
    """Rewrite each old results file under ``folder`` in the current format."""
    from lab.schema import write

    for path in sorted(folder.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "format" not in data:
            write(upgrade(data, path.stem), path)
            print(f"upgraded {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/results"))
