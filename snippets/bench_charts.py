"""Charts of a benchmark report, for the post: ``draw_charts(report, folder)``.

Each chart is drawn twice, for Material's light and dark palettes, as SVG with a
transparent background and text left as text (the page's font draws it).
"""

from pathlib import Path

import matplotlib as mpl

mpl.use("svg")
import matplotlib.pyplot as plt

from snippets.bench import LABELS, machine_line, seconds

PALETTES = {
    "light": {
        "text": "#1f2328",
        "grid": "#d0d7de",
        "jax": "#3f51b5",
        "peer": "#e07b00",
        "series": ["#1a237e", "#3f51b5", "#e07b00", "#b71c1c"],
    },
    "dark": {
        "text": "#e6edf3",
        "grid": "#3d444d",
        "jax": "#8c9eff",
        "peer": "#ffb74d",
        "series": ["#c5cae9", "#8c9eff", "#ffb74d", "#ef9a9a"],
    },
}


def draw_charts(report: dict, folder: Path) -> list[Path]:
    """Write bench-*.svg and scaling-*.svg, light and dark, into ``folder``."""
    written = []
    for name, colors in PALETTES.items():
        with plt.rc_context(style(colors)):
            written.append(
                save(bars(report, colors), folder / f"bench-{name}.svg")
            )
            written.append(
                save(growth(report, colors), folder / f"scaling-{name}.svg")
            )
    return written


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
    rows = [
        (n, r) for n, r in report["results"].items() if r.get("measured", True)
    ]
    rows.sort(key=lambda item: item[1]["median_s"], reverse=True)
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(rows) + 1.2))
    for i, (name, row) in enumerate(rows):
        is_jax = name.startswith(("jit", "eager", "floor"))
        ax.barh(i, row["median_s"], color=colors["jax" if is_jax else "peer"])
        ax.text(
            row["median_s"] * 1.15, i, seconds(row["median_s"]), va="center"
        )
    ax.set_yticks(range(len(rows)), [LABELS.get(n, n) for n, _ in rows])
    ax.set_xscale("log")
    ax.set_xlim(right=max(r["median_s"] for _, r in rows) * 30)
    ax.set_xlabel("median time of one fit (100 steps), log scale")
    ax.grid(axis="x", which="major")
    ax.set_title(machine_line(report), fontsize=10, loc="left")
    return fig


def growth(report: dict, colors: dict) -> plt.Figure:
    """Draw time against data size, and against step count, on log-log axes."""
    by_points, by_steps = (
        report["scaling"]["by_points"],
        report["scaling"]["by_steps"],
    )
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8))
    lines = {"jit_best": ("jax", "-"), "jit_moments": ("jax", ":"),
             "numpy_loop": ("peer", "-"), "lstsq": ("peer", "--")}  # fmt: skip
    for ax, table, x_key, x_label in (
        (left, by_points, "points", "data points (100 steps)"),
        (right, by_steps, "steps", f"steps ({by_steps['points']:,} points)"),
    ):
        for name, (color, dash) in lines.items():
            if name in table:
                ax.plot(table[x_key], table[name], dash, marker="o", ms=3,
                        color=colors[color], label=LABELS[name])  # fmt: skip
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(x_label)
        ax.grid(which="major")
    left.set_ylabel("median time (s)")
    right.legend(frameon=False, fontsize=9)
    fig.suptitle(machine_line(report), fontsize=10, x=0.01, ha="left")
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


def draw_sharding_charts(report: dict, folder: Path) -> list[Path]:
    """Write sharding-*.svg: fit time against points, per device count."""
    written = []
    for name, colors in PALETTES.items():
        with plt.rc_context(style(colors)):
            fig, ax = plt.subplots(figsize=(7, 3.8))
            series = colors["series"]
            for i, run in enumerate(report["runs"]):
                ax.plot(report["points"], run["seconds"], marker="o", ms=3,
                        color=series[i % len(series)],
                        label=f"{run['devices']} device(s)")  # fmt: skip
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("data points (100 steps)")
            ax.set_ylabel("median time (s)")
            ax.grid(which="major")
            ax.legend(frameon=False, fontsize=9)
            simulated = " (simulated devices)" if report["simulated"] else ""
            ax.set_title(
                machine_line(report) + simulated, fontsize=10, loc="left"
            )
            written.append(save(fig, folder / f"sharding-{name}.svg"))
    return written
