"""lab/charts.py: a chart says what the benchmark declared, whatever its rows are called."""

from lab.charts import PALETTES, draw_charts
from lab.schema import Report, spread


def declared(role_of_jit: str) -> Report:
    """A report whose row named like JAX's is declared as whatever ``role_of_jit`` says."""
    point = spread([1e-3, 2e-3, 3e-3])
    row = {"device": "cpu:0", **point}
    return Report.parse({
        "format": 2, "benchmark": "demo", "timed": "one frobnication",
        "machine": {"cpu": "Example", "cores": 2, "system": "Linux", "device_kind": "cpu"},
        "versions": {"python": "3.11.7", "jax": "0.10.2", "jaxlib": "0.10.2", "numpy": "2.4.6"},
        "backend": "cpu", "device": "cpu:0", "matmul_precision": "default",
        "date": "2026-11-28", "simulated": False,
        "results": {"jit_thing": {"label": "a", "role": role_of_jit, **row},
                    "other": {"label": "b", "role": "jax", **row}},
        "series": {"by_n": {"x_label": "frobs", "x": [1, 2],
                            "lines": {"jit_thing": [point, point]}}},
    }, "demo.json")  # fmt: skip


def test_colours_and_axis_labels_follow_the_declaration_not_the_names(tmp_path):
    light = PALETTES["light"]
    bars, *_ = draw_charts(declared("peer"), tmp_path, "demo")
    svg = bars.read_text()
    assert light["peer"] in svg and "median time of one frobnication, log scale" in svg
    bars, *_ = draw_charts(declared("jax"), tmp_path, "demo")
    assert light["peer"] not in bars.read_text()


def test_a_declared_series_is_a_chart_of_its_own(tmp_path):
    names = [p.name for p in draw_charts(declared("jax"), tmp_path, "demo")]
    assert names == ["demo-light.svg", "demo-by_n-light.svg", "demo-dark.svg", "demo-by_n-dark.svg"]
    series = (tmp_path / "demo-by_n-light.svg").read_text()
    assert "frobs" in series and "median time of one frobnication (s)" in series
