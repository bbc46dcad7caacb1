"""lab/charts.py: charts readable on a phone, colours that keep their meaning, drawn from the
file.
"""

import re

import pytest

from lab import charts
from lab.results import RESULTS
from lab.schema import load

FILES = sorted(RESULTS.glob("*/bench.json"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_the_committed_charts_are_drawn_from_the_committed_results(path, tmp_path):
    for chart in charts.draw_charts(load(path), tmp_path, "bench"):
        assert (path.parent / chart.name).read_bytes() == chart.read_bytes(), (
            f"{chart.name}: stale, run make bench"
        )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_a_variant_keeps_its_colour_in_every_chart(path):
    report, seen = load(path), {}
    for series in report["series"].values():
        for line in charts.lines(report, series, charts.PALETTES["light"]).axes[0].get_lines():
            assert seen.setdefault(line.get_label(), line.get_color()) == line.get_color(), (
                line.get_label()
            )


def test_chart_text_is_at_least_11_px_on_a_phones_358_px_column(tmp_path):
    (svg,) = [
        p
        for p in charts.draw_charts(load(FILES[0]), tmp_path, "bench")
        if p.name == "bench-light.svg"
    ]
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg.read_text())[1])
    smallest = min(float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg.read_text()))
    assert smallest * 358 / width >= 11, "shown 358 px wide, its text is 11 px or more"
