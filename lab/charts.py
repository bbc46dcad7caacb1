"""Charts of a results file, drawn to be read on a phone: ``draw_charts(report, folder, name)``.

Each chart is an SVG 400 px wide with 13 px text, so that a phone's 358 px column shows its text
at 11 px or more; the page's font draws it. It is drawn twice, for Material's light and dark
palettes. A variant keeps one colour in every chart (its place in COLOURED), JAX's variants drawn
solid and the peers' dashed. ``<name>-<palette>.svg`` shows the post's main cases as bars, with
the range of the runs as whiskers; ``<name>-<series>-<palette>.svg`` each series, as lines with
that range as a band.
"""

import statistics
from pathlib import Path

import matplotlib as mpl

mpl.use("svg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from lab.results import seconds

WIDTH_IN, DPI, FONT_PX = 4.0, 100, 13  # 400 px wide
COLOURED = ["jit_fori", "numpy_loop", "jit_best", "numpy_best", "lstsq", "jit_moments"]
PALETTES = {
    "light": {"text": "#1f2328", "grid": "#d0d7de", "jax": "#3f51b5", "peer": "#b35900",
              "lines": ["#3f51b5", "#b35900", "#2e7d32", "#8e24aa", "#c62828", "#00838f"]},
    "dark": {"text": "#e6edf3", "grid": "#3d444d", "jax": "#8c9eff", "peer": "#ffb74d",
             "lines": ["#8c9eff", "#ffb74d", "#a5d6a7", "#ce93d8", "#ef9a9a", "#80deea"]},
}  # fmt: skip


# Log axes labelled in plain words, not powers of ten: their small exponents would be unreadable.
TIMES = FuncFormatter(lambda value, _: seconds(value, 1))
COUNTS = FuncFormatter(lambda value, _: f"{value:,.0f}")


def colour(name: str, colors: dict) -> str:
    """A variant's colour, the same in every chart of every post."""
    lines = colors["lines"]
    return lines[COLOURED.index(name) % len(lines)] if name in COLOURED else colors["text"]


def draw_charts(report: dict, folder: Path, name: str) -> list[Path]:
    """Write every chart of ``report`` into ``folder``, light and dark."""
    written = []
    for palette, colors in PALETTES.items():
        with plt.rc_context(style(colors)):
            written.append(save(bars(report, colors), folder / f"{name}-{palette}.svg"))
            for key, series in report.get("series", {}).items():
                figure = lines(report, series, colors)
                written.append(save(figure, folder / f"{name}-{key}-{palette}.svg"))
    return written


def style(colors: dict) -> dict:
    """Matplotlib settings for one palette; fixed ids so reruns diff cleanly."""
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "jax-tested",
        "font.size": FONT_PX * 72 / DPI,
        "figure.dpi": DPI,
        "text.color": colors["text"],
        "axes.labelcolor": colors["text"],
        "axes.edgecolor": colors["grid"],
        "xtick.color": colors["text"],
        "ytick.color": colors["text"],
        "grid.color": colors["grid"],
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.transparent": True,
        "legend.fontsize": FONT_PX * 72 / DPI,
    }


def bars(report: dict, colors: dict) -> plt.Figure:
    """The main cases' median times on a log scale, fastest at the top, whiskers the runs' range."""
    rows = [(n, c) for n, c in report["cases"].items() if "@" not in n and "runs_s" in c]
    rows.sort(key=lambda item: statistics.median(item[1]["runs_s"]), reverse=True)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.32 * len(rows) + 1.0))
    for i, (_name, case) in enumerate(rows):
        runs = case["runs_s"]
        middle = statistics.median(runs)
        ax.barh(i, middle, color=colors[case["role"]], height=0.7)
        ax.errorbar(middle, i, xerr=[[middle - min(runs)], [max(runs) - middle]], fmt="none",
                    ecolor=colors["text"], elinewidth=1, capsize=2)  # fmt: skip
        ax.text(max(runs) * 1.3, i, seconds(middle), va="center")
    ax.set_yticks(range(len(rows)), [name for name, _ in rows])
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(TIMES)
    ax.set_xlim(right=max(max(c["runs_s"]) for _, c in rows) * 40)
    ax.set_xlabel(f"time of {report['timed']}")
    ax.grid(axis="x", which="major")
    return fig


def lines(report: dict, series: dict, colors: dict) -> plt.Figure:
    """Each line of a series, time against its axis, log-log, with the runs' range as a band."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.4))
    for name, cases in series["lines"].items():
        runs = [report["cases"][case]["runs_s"] for case in cases]
        dash = "-" if report["cases"][cases[0]]["role"] == "jax" else "--"
        ax.plot(series["x"], [statistics.median(r) for r in runs], dash, marker="o", ms=3,
                label=name, color=colour(name, colors))  # fmt: skip
        ax.fill_between(series["x"], [min(r) for r in runs], [max(r) for r in runs],
                        color=colour(name, colors), alpha=0.2, linewidth=0)  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_formatter(COUNTS)
    ax.yaxis.set_major_formatter(TIMES)
    ax.set_xlabel(series["x_label"])
    ax.set_ylabel("time")
    ax.grid(which="major")
    ax.legend(frameon=False, handlelength=1.5, borderaxespad=0.2)
    return fig


def save(fig: plt.Figure, path: Path) -> Path:
    """Write ``fig`` as SVG without a timestamp, then free it.

    Minor ticks are left out: on log axes they double the file, and the decade gridlines carry
    the scale.
    """
    for ax in fig.axes:
        ax.minorticks_off()
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)
    return path
