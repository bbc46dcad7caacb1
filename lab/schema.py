"""The results format, written down once in lab/schema.json.

It is checked with jsonschema when a file is written and when it is read, with the rules a schema
cannot say (each run has a time, each series point names a case). A broken file fails with its
path, the field and the problem:

    docs/results/cpu/bench.json: $.cases.jit_fori.runs_s[0]: 'fast' is not of type 'number'
"""

import functools
import json
from pathlib import Path

import jsonschema

SCHEMA = Path(__file__).with_name("schema.json")


class ResultsError(ValueError):
    """A results file, or a claim made from one, that does not hold; names file and field."""


@functools.cache
def validator() -> jsonschema.Draft202012Validator:
    """The validator for lab/schema.json, built once."""
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def check(report: dict, where: str) -> dict:
    """Return ``report`` if it is a results file; else raise ResultsError naming the field."""
    for error in sorted(validator().iter_errors(report), key=lambda e: e.json_path)[:1]:
        raise ResultsError(f"{where}: {error.json_path}: {error.message}")
    for name, case in report["cases"].items():
        if "runs_s" in case and len(case["runs_s"]) != report["runs"]:
            raise ResultsError(f"{where}: $.cases.{name}.runs_s: expected {report['runs']} runs")
    for key, series in report.get("series", {}).items():
        for line, names in series["lines"].items():
            missing = [n for n in names if n not in report["cases"]] + (
                ["(one per x)"] if len(names) != len(series["x"]) else [])  # fmt: skip
            if missing:
                raise ResultsError(f"{where}: $.series.{key}.lines.{line}: no such case {missing}")
    return report


def load(path: Path) -> dict:
    """Read and check a results file."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ResultsError(f"{path}: {err}") from None
    return check(report, str(path))


def write(report: dict, path: Path) -> dict:
    """Check and write a results file; return it."""
    check(report, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report
