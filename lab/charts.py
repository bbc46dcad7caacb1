"""Charts of any results file, for the posts: ``draw_charts(report, folder, name)``.

A results file (lab/schema.py) holds "results", rows with a median time and its spread, and
"series", timings along an axis. Each becomes a chart, drawn twice, for Material's light and
dark palettes, as SVG with a transparent background and text left as text (the page's font
draws it): ``<name>-<palette>.svg`` for the rows, and ``<name>-<series>-<palette>.svg`` for
each series. Everything a chart says comes from what the benchmark declared in its file:
what one timing measures (``timed``) labels the axes, and each row's or line's ``role``
("jax" or "peer") picks its colour and line style. A new benchmark needs no edit here.
"""

from pathlib import Path

import matplotlib as mpl

mpl.use("svg")
import matplotlib.pyplot as plt

from lab.machine import machine_line
from lab.results import seconds
from lab.schema import Report, Series, Spread

PALETTES = {
    "light": {
        "text": "#1f2328",
        "grid": "#d0d7de",
        "jax": "#3f51b5",
        "peer": "#e07b00",
        "series": ["#1a237e", "#3f51b5", "#e07b00", "#b71c1c", "#2e7d32"],
    },
    "dark": {
        "text": "#e6edf3",
        "grid": "#3d444d",
        "jax": "#8c9eff",
        "peer": "#ffb74d",
        "series": ["#c5cae9", "#8c9eff", "#ffb74d", "#ef9a9a", "#a5d6a7"],
    },
}


def draw_charts(report: Report, folder: Path, name: str) -> list[Path]:
    """Write every chart of ``report`` into ``folder``, light and dark."""
    written = []
    for palette, colors in PALETTES.items():
        with plt.rc_context(style(colors)):
            if any(row.measured for row in report.results.values()):
                written.append(save(bars(report, colors), folder / f"{name}-{palette}.svg"))
            for key, table in report.series.items():
                figure = lines(report, table, colors)
                written.append(save(figure, folder / f"{name}-{key}-{palette}.svg"))
    return written


def label(report: Report, name: str) -> str:
    """A variant's label as its results row gives it, else its name."""
    return report.results[name].label if name in report.results else name


def style(colors: dict) -> dict:
    """Matplotlib settings for one palette; fixed ids so reruns diff cleanly."""
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "jax-tested",
        "font.size": 11,
        "text.color": colors["text"],
        "axes.labelcolor": colors["text"],
        "axes.edgecolor": colors["grid"],
        "xtick.color": colors["text"],
        "ytick.color": colors["text"],
        "grid.color": colors["grid"],
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.transparent": True,
    }


def whisker(spread: Spread) -> tuple[float, float, str]:
    """The interval a comparison trusts (lab/results.py), or none: the median alone."""
    low, high, kind = spread.interval() or (spread.median_s, spread.median_s, "")
    return low, high, kind


def bars(report: Report, colors: dict) -> plt.Figure:
    """Draw log-scale bars of each variant's median time, fastest at the top.

    Each bar's whisker is the interval the posts' comparisons use: the median's 95%
    confidence interval, or in older files the range of the repeats.
    """
    rows = [(n, r) for n, r in report.results.items() if r.measured]
    rows.sort(key=lambda item: item[1].median_s, reverse=True)
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(rows) + 1.2))
    kinds = set()
    for i, (_, row) in enumerate(rows):
        low, high, kind = whisker(row.timing)
        kinds.add(kind)
        ax.barh(i, row.median_s, color=colors[row.role])
        ax.errorbar(row.median_s, i, xerr=[[row.median_s - low], [high - row.median_s]],
                    fmt="none", ecolor=colors["text"], elinewidth=1, capsize=3)  # fmt: skip
        on = f" ({row.device})" if row.device else ""
        ax.text(high * 1.15, i, seconds(row.median_s) + on, va="center")
    ax.set_yticks(range(len(rows)), [label(report, n) for n, _ in rows])
    ax.set_xscale("log")
    ax.set_xlim(right=max(whisker(r.timing)[1] for _, r in rows) * 60)
    short = sorted("95% CI" if k.startswith("95%") else "range" for k in kinds if k)
    shown = f"; whiskers: {' or '.join(short)}" if short else ""
    ax.set_xlabel(f"median time of {report.timed}, log scale{shown}")
    ax.grid(axis="x", which="major")
    fig.suptitle(machine_line(report), fontsize=10, x=0.01, ha="left")  # the figure's width
    return fig


def lines(report: Report, table: Series, colors: dict) -> plt.Figure:
    """Draw each line of a series, time against its axis, on log-log axes: peers dashed."""
    fig, ax = plt.subplots(figsize=(8, 4))
    series_colors = colors["series"]
    for i, (name, points) in enumerate(table.lines.items()):
        dash = "-" if report.role(name, table) == "jax" else "--"
        color = series_colors[i % len(series_colors)]
        ax.plot(table.x, [p.median_s for p in points], dash, marker="o", ms=3,
                label=label(report, name), color=color)  # fmt: skip
        if all(p.interval() for p in points):  # the band comparisons use; none if not kept
            low, high, _ = zip(*(whisker(p) for p in points), strict=True)
            ax.fill_between(table.x, low, high, color=color, alpha=0.2, linewidth=0)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(table.x_label)
    ax.set_ylabel(f"median time of {report.timed} (s)")
    ax.grid(which="major")
    ax.legend(frameon=False, fontsize=9)
    ax.set_title(machine_line(report), fontsize=10, loc="left")
    return fig


def save(fig: plt.Figure, path: Path) -> Path:
    """Write ``fig`` as SVG without a timestamp, then free it.

    Minor ticks are left out: on log axes they double the file, and the decade
    gridlines already carry the scale.
    """
    for ax in fig.axes:
        ax.minorticks_off()
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)
    return path
