"""lab/schema.py: the results format, checked on write and on read, naming file and field."""

import copy
import json

import pytest

from lab.results import RESULTS
from lab.schema import ResultsError, check, load


def minimal() -> dict:
    return copy.deepcopy(
        {
            "format": 3,
            "benchmark": "bench",
            "timed": "one fit",
            "backend": "cpu",
            "device": "cpu:0",
            "machine": {"cpu": "x", "cores": 2, "system": "Linux", "device_kind": "cpu"},
            "versions": {
                "python": "3.13.0",
                "jax": "0.12.0.1",
                "jaxlib": "0.12.0.1",
                "numpy": "2.5.5",
            },
            "date": "2026-12-03",
            "environment": {},
            "runs": 1,
            "load": {"other_cores": [0.0], "limit": 0.25},
            "cases": {
                "a": {
                    "label": "a",
                    "role": "jax",
                    "group": "loop",
                    "device": "cpu:0",
                    "points": 100,
                    "steps": 100,
                    "runs_s": [1.0],
                }
            },
        }
    )


RESULTS_FILES = [p for p in sorted(RESULTS.glob("*/*.json")) if p.name != "bench-runs.json"]


@pytest.mark.parametrize("path", RESULTS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_committed_results_file_is_valid(path):
    """Each file but bench-runs.json, which holds the raw runs in pyperf's own format."""
    load(path)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda r: r["cases"]["a"]["runs_s"].__setitem__(0, "fast"),
            "$.cases.a.runs_s[0]: 'fast' is not of type 'number'",
        ),
        (lambda r: r.pop("machine"), "'machine' is a required property"),
        (lambda r: r.__setitem__("runs", 2), "$.cases.a.runs_s: expected 2 runs"),
        (
            lambda r: r.__setitem__(
                "series", {"s": {"x_label": "x", "x": [1], "lines": {"l": ["nope"]}}}
            ),
            "no such case",
        ),
    ],
)
def test_a_broken_file_fails_naming_the_file_and_the_field(change, problem, tmp_path):
    report = minimal()
    change(report)
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(report))
    with pytest.raises(
        ResultsError, match=f"^{path}: .*{problem.replace('$', '[$]').replace('[0]', '.0.')}"
    ):
        load(path)
    assert check(minimal(), "ok")
