"""lab/results.py: every comparison follows the recorded spread; numbers read as prose does."""

import json
import re

import pytest

from lab import results as results_module
from lab.results import Results, plain, seconds, times
from lab.schema import ResultsError

SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")


def timing(median: float, low: float, high: float) -> dict:
    """A row's spread with a given CI, inside a range twice as wide."""
    return {"median_s": median, "min_s": low / 2, "max_s": high * 2, "repeats": 100,
            "ci_low_s": low, "ci_high_s": high}  # fmt: skip


ROWS = {
    "a": timing(1.0e-3, 0.9e-3, 1.1e-3),
    "b": timing(1.05e-3, 1.0e-3, 1.2e-3),  # overlaps a: about the same
    "c": timing(5.0e-3, 4.5e-3, 5.5e-3),  # clearly slower than a and b
}


@pytest.fixture
def files(tmp_path, monkeypatch):
    """Two results files in a results folder of their own: cpu/demo and gpu/demo."""
    monkeypatch.setattr(results_module, "RESULTS", tmp_path)

    def report(backend: str, jax: str, numpy: str | None, rows: dict) -> None:
        data = {
            "format": 2, "benchmark": "demo", "timed": "one call",
            "machine": {"cpu": "Example", "cores": 2, "system": "Linux", "device_kind": backend},
            "versions": {"python": "3.11.7", "jax": jax, "jaxlib": jax, "numpy": numpy},
            "backend": backend, "device": f"{backend}:0", "matmul_precision": "default",
            "date": "2026-11-28", "simulated": False,
            "results": {n: {"label": n, "role": "jax", "device": "cpu:0", **t}
                        for n, t in rows.items()},
            "series": {"by_n": {"x_label": "n", "x": [10, 100], "lines": {
                "a": [ROWS["a"], ROWS["a"]], "b": [ROWS["b"], ROWS["c"]]},
                "roles": {"a": "jax", "b": "jax"}}},
        }  # fmt: skip
        (tmp_path / backend).mkdir()
        (tmp_path / backend / "demo.json").write_text(json.dumps(data))

    report("cpu", "0.10.2", "2.4.6", ROWS)
    report("gpu", "0.11.2", None, {"a": timing(2e-3, 1.9e-3, 2.1e-3)})
    return Results("cpu", "demo"), Results("gpu", "demo")


def test_two_overlapping_rows_render_about_the_same(files):
    cpu, _ = files
    assert cpu.versus("a", "b") == "about the same time as"
    assert cpu.versus("b", "a") == "about the same time as"


def test_rows_whose_spreads_separate_render_their_factor_and_direction(files):
    cpu, _ = files
    assert cpu.versus("a", "c") == "5.0× less time than"
    assert cpu.versus("c", "a") == "5.0× more time than"
    assert cpu.ratio("c", "a") == "5.0×"


def test_a_ratio_the_spread_does_not_support_fails_the_build(files):
    cpu, _ = files
    with pytest.raises(ResultsError, match="their spreads overlap; write versus"):
        cpu.ratio("b", "a")
    with pytest.raises(ResultsError, match="c took more time"):
        cpu.ratio("a", "c")


def test_the_table_says_about_the_same_where_spreads_overlap(files):
    cpu, _ = files
    table = cpu.table(relative_to="a")
    assert "| about the same |" in table.splitlines()[3]  # b
    assert table.splitlines()[4].endswith("| 5.0 |")  # c


def test_fastest_names_a_tie_when_spreads_overlap(files):
    cpu, _ = files
    assert cpu.fastest("by_n", 10) == "a and b, about the same"
    assert cpu.fastest("by_n", 100) == "a"
    table = cpu.series_table("by_n")
    assert "| a ≈ b |" in table and table.splitlines()[-1].endswith("| a |")


def test_series_points_without_a_spread_say_so_and_never_guess(files):
    cpu, _ = files
    for point in cpu.report.series["by_n"].lines["a"]:
        object.__setattr__(point, "ci_low_s", None)
        object.__setattr__(point, "ci_high_s", None)
        object.__setattr__(point, "min_s", None)
    with pytest.raises(ResultsError, match="medians only"):
        cpu.fastest("by_n", 10)
    assert "not recorded" in cpu.series_table("by_n")


def test_versions_name_every_library_and_what_was_not_recorded(files):
    _, gpu = files
    assert gpu.versions == "Python 3.11.7, JAX 0.11.2, jaxlib 0.11.2, NumPy not recorded"


def test_two_files_side_by_side_name_what_differs(files):
    cpu, gpu = files
    pair = gpu.against(cpu)
    assert str(pair) == (
        "What differs between gpu/demo and cpu/demo: device gpu vs cpu; backend gpu vs cpu; "
        "JAX 0.11.2 vs 0.10.2; jaxlib 0.11.2 vs 0.10.2; NumPy not recorded vs 2.4.6."
    )
    assert pair.versus("a") == (
        "2.0× more time on gpu, backend gpu, JAX 0.11.2, jaxlib 0.11.2, NumPy not recorded "
        "than on cpu, backend cpu, JAX 0.10.2, jaxlib 0.10.2, NumPy 2.4.6"
    )
    assert pair.table(["a"]).endswith(str(pair))


@pytest.mark.parametrize("exponent", range(-10, 8))
def test_no_time_or_ratio_is_written_in_scientific_notation(exponent):
    for mantissa in (1.0, 2.5, 9.99):
        value = mantissa * 10.0**exponent
        for shown in (seconds(value), times(value), plain(value)):
            assert not SCIENTIFIC.search(shown), shown


def test_a_page_that_sets_two_differing_files_side_by_side_must_name_what_differs(files):
    from lab.results import CITATIONS

    CITATIONS.start()  # as hooks/macros.py does before each page
    cpu, gpu = Results("cpu", "demo"), Results("gpu", "demo")
    [problem] = CITATIONS.unnamed()
    assert problem.startswith(
        "cpu/demo and gpu/demo differ (device cpu vs gpu; backend cpu vs gpu;"
    )
    assert problem.endswith("write {{ results('cpu', 'demo').against(results('gpu', 'demo')) }} "
                            "where they meet")  # fmt: skip
    str(gpu.against(cpu))
    assert CITATIONS.unnamed() == []
