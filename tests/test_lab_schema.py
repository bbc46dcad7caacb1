"""lab/schema.py: a results file is checked when written and when read; a fault names its field."""

import copy
import json
import random

import pytest

from lab.migrate import upgrade
from lab.results import RESULTS
from lab.schema import Report, ResultsError, load, spread, write

COMMITTED = sorted(RESULTS.glob("*/*.json"))


def good() -> dict:
    """A small, valid format-2 report."""
    return {
        "format": 2, "benchmark": "example", "timed": "one call",
        "machine": {"cpu": "Example", "cores": 2, "system": "Linux", "device_kind": "cpu"},
        "versions": {"python": "3.11.7", "jax": "0.10.2", "jaxlib": "0.10.2", "numpy": "2.4.6"},
        "backend": "cpu", "device": "cpu:0", "matmul_precision": "default",
        "date": "2026-11-28", "simulated": False,
        "results": {"fast": {"label": "fast", "role": "jax", "device": "cpu:0",
                             **spread([1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6])}},
        "series": {"by_n": {"x_label": "n", "x": [1, 10],
                            "lines": {"fast": [spread([1, 2, 3]), spread([4, 5, 6])]}}},
    }  # fmt: skip


@pytest.mark.parametrize("path", COMMITTED, ids=[f"{p.parent.name}/{p.name}" for p in COMMITTED])
def test_every_committed_results_file_loads_in_the_current_format(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data.get("format") == 2, f"{path}: run python -m lab.migrate docs/results"
    report = load(path)
    assert {"python", "jax", "jaxlib", "numpy"} <= set(report.versions)


def test_a_written_file_reads_back_the_same(tmp_path):
    written = write(good(), tmp_path / "example.json")
    assert load(tmp_path / "example.json") == written


def row(d: dict) -> dict:
    """The one row of ``good()``."""
    return d["results"]["fast"]


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        (lambda d: row(d).update(median_s="fast"), "results.fast.median_s", "a number > 0"),
        (lambda d: row(d).pop("median_s"), "results.fast.median_s", "missing"),
        (lambda d: row(d).update(medain_s=1.0), "results.fast.medain_s", "unknown field"),
        (lambda d: row(d).update(role="jaxx"), "results.fast.role", "['jax', 'peer']"),
        (lambda d: row(d).update(min_s=9.0), "results.fast", "min_s <= ci_low_s"),
        (lambda d: d.pop("versions"), "versions", "missing"),
        (lambda d: d["versions"].update(jax=3), "versions.jax", "a non-empty string"),
        (lambda d: d["series"]["by_n"]["lines"]["fast"].pop(), "series.by_n.lines.fast", "points"),
        (lambda d: d.update(format=7), "format", "expected 2"),
        (lambda d: d.update(seires={}), "seires", "unknown field"),
        (lambda d: d["series"]["by_n"]["lines"].update(new=[]), "series.by_n.lines.new", "points"),
        (lambda d: d["series"]["by_n"]["lines"].update(new=[{"median_s": 1}] * 2),
         "series.by_n.roles.new", "declares its role"),
    ],
)  # fmt: skip
def test_a_broken_file_fails_with_its_path_field_and_what_was_expected(
    tmp_path, change, field, expected
):
    data = good()
    change(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ResultsError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: {field}"), caught.value
    assert expected in str(caught.value)
    with pytest.raises(ResultsError, match=field.replace(".", r"\.")):
        write(data, tmp_path / "refused.json")  # the writer refuses it too
    assert not (tmp_path / "refused.json").exists()


def test_a_file_that_is_not_json_names_its_line(tmp_path):
    path = tmp_path / "bench.json"
    path.write_text('{\n  "format": 2,\n  oops\n}')
    with pytest.raises(ResultsError, match=rf"^{path}:3: not JSON"):
        load(path)


def mutations(data: object, rng: random.Random) -> object:
    """Replace one value somewhere in ``data`` with something of the wrong kind, or drop it."""
    if isinstance(data, dict) and data:
        key = rng.choice(sorted(data))
        if rng.random() < 0.25:
            data.pop(key)
        elif isinstance(data[key], dict | list) and rng.random() < 0.7:
            mutations(data[key], rng)
        else:
            data[key] = rng.choice([None, -1, 0, "", "x", [], {}, True, 1e308 * 10 * 0])
    elif isinstance(data, list) and data:
        i = rng.randrange(len(data))
        if isinstance(data[i], dict | list):
            mutations(data[i], rng)
        else:
            data[i] = rng.choice([None, -1.0, "x", {}])
    return data


@pytest.mark.parametrize("seed", range(300))
def test_the_reader_never_fails_with_anything_but_a_results_error(tmp_path, seed):
    """Fuzzed files: each either loads or fails naming the file; never a bare KeyError."""
    data = mutations(copy.deepcopy(good()), random.Random(seed))
    path = tmp_path / "fuzzed.json"
    path.write_text(json.dumps(data))
    try:
        load(path)
    except ResultsError as problem:
        assert str(problem).startswith(str(path)), problem


def test_the_confidence_interval_of_the_median_narrows_with_repeats():
    few, many = spread([float(i) for i in range(5)]), spread([float(i) for i in range(200)])
    assert (few["ci_low_s"], few["ci_high_s"]) == (0.0, 4.0)  # under six repeats: the range
    assert 85 <= many["ci_low_s"] < many["median_s"] < many["ci_high_s"] <= 114


def test_an_old_file_upgrades_without_inventing_a_number():
    old = {"machine": {"cpu": "C", "cores": 2, "python": "3.11.7", "system": "L",
                       "device_kind": "cpu"}, "jax": "0.10.2", "backend": "cpu",
           "device": "cpu:0", "matmul_precision": "default", "date": "2026-11-26", "steps": 100,
           "results": {"torch_eager": {"label": "t", "device": "cpu", "median_s": 2.0,
                                       "min_s": 1.0, "max_s": 3.0, "repeats": 5}},
           "series": {"s": {"x_label": "n", "x": [1], "lines": {"torch_eager": [2]}}}}  # fmt: skip
    report = Report.parse(upgrade(old, "bench"), "old.json")
    assert report.versions == {"python": "3.11.7", "jax": "0.10.2", "jaxlib": None,
                               "numpy": None, "torch": None}  # fmt: skip
    assert report.results["torch_eager"].timing.ci_low_s is None
    assert report.series["s"].lines["torch_eager"][0].min_s is None
    assert report.facts == {"steps": 100} and report.timed == "one fit (100 steps)"
