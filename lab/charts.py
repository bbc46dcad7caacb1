"""Charts of any results file, for the posts: ``draw_charts(report, folder, name)``.

A results file (lab/bench.py and lab/sharding.py write them) holds "results", rows with a
median time, and "series", timings along an axis. Each becomes a chart, drawn twice, for
Material's light and dark palettes, as SVG with a transparent background and text left as
text (the page's font draws it): ``<name>-<palette>.svg`` for the rows, and
``<name>-<series>-<palette>.svg`` for each series.
"""

from pathlib import Path

import matplotlib as mpl

mpl.use("svg")
import matplotlib.pyplot as plt

from lab.machine import machine_line
from lab.results import seconds

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


def draw_charts(report: dict, folder: Path, name: str) -> list[Path]:
    """Write every chart of ``report`` into ``folder``, light and dark."""
    written = []
    for palette, colors in PALETTES.items():
        with plt.rc_context(style(colors)):
            if "results" in report:
                written.append(save(bars(report, colors), folder / f"{name}-{palette}.svg"))
            for key, table in report.get("series", {}).items():
                figure = lines(report, table, colors)
                written.append(save(figure, folder / f"{name}-{key}-{palette}.svg"))
    return written


def label(report: dict, name: str) -> str:
    """A variant's label as its results row gives it, else its name."""
    return report.get("results", {}).get(name, {}).get("label", name)


def is_jax(name: str) -> bool:
    """JAX's own variants are drawn in JAX's colour, every peer in another."""
    return name.startswith(("jit", "eager", "floor"))


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


def bars(report: dict, colors: dict) -> plt.Figure:
    """Draw log-scale bars of each variant's median time, fastest at the top."""
    rows = [(n, r) for n, r in report["results"].items() if r.get("measured", True)]
    rows.sort(key=lambda item: item[1]["median_s"], reverse=True)
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(rows) + 1.2))
    for i, (name, row) in enumerate(rows):
        ax.barh(i, row["median_s"], color=colors["jax" if is_jax(name) else "peer"])
        on = f" ({row['device']})" if "device" in row else ""
        ax.text(row["median_s"] * 1.15, i, seconds(row["median_s"]) + on, va="center")
    ax.set_yticks(range(len(rows)), [label(report, n) for n, _ in rows])
    ax.set_xscale("log")
    ax.set_xlim(right=max(r["median_s"] for _, r in rows) * 60)
    ax.set_xlabel(f"median time of one fit ({report.get('steps', 100)} steps), log scale")
    ax.grid(axis="x", which="major")
    fig.suptitle(machine_line(report), fontsize=10, x=0.01, ha="left")  # the figure's width
    return fig


def lines(report: dict, table: dict, colors: dict) -> plt.Figure:
    """Draw each line of a series, time against its axis, on log-log axes."""
    fig, ax = plt.subplots(figsize=(8, 4))
    series_colors = colors["series"]
    for i, (name, times) in enumerate(table["lines"].items()):
        dash = "-" if is_jax(name) or not report.get("results") else "--"
        ax.plot(table["x"], times, dash, marker="o", ms=3, label=label(report, name),
                color=series_colors[i % len(series_colors)])  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(table["x_label"])
    ax.set_ylabel("median time (s)")
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
