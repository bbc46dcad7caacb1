"""Pictures for the posts: the data, its fitted lines, and the loss.

Run ``python -m lab.figures [DIR]`` (``make build`` does, into docs/figures/).
Each picture is drawn for Material's light and dark palettes, from the code the
post shows, so it changes when the code does; the tests redraw them and compare.
"""

import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from lab.charts import COUNTS, PALETTES, WIDTH_IN, save, style
from snippets.jit import closed_form, fit_jit
from snippets.loss_curve import loss_history
from snippets.regression import loss, make_data


def draw(folder: Path) -> list[Path]:
    """Write fit-{light,dark}.svg and loss-{light,dark}.svg into ``folder``."""
    # On the CPU wherever this runs: a GPU rounds float32 sums in another order, and the last
    # bits move the drawn paths, so the committed bytes would depend on the machine.
    with jax.default_device(jax.devices("cpu")[0]):
        folder.mkdir(parents=True, exist_ok=True)
        x, y = make_data()
        lines = {
            "after 100 steps": fit_jit(0.0, 0.0, x, y),
            "after 5,000 steps": fit_jit(0.0, 0.0, x, y, steps=5_000),
            "least squares": closed_form(x, y),
        }
        losses = loss_history(x, y, 5_000)
        best = loss(*closed_form(x, y), x, y)
        written = []
        for name, colors in PALETTES.items():
            with plt.rc_context(style(colors)):
                written.append(save(fit_picture(x, y, lines, colors), folder / f"fit-{name}.svg"))
                picture = loss_picture(losses, best, colors)
                written.append(save(picture, folder / f"loss-{name}.svg"))
        return written


def fit_picture(x: jax.Array, y: jax.Array, lines: dict, colors: dict) -> plt.Figure:
    """Draw the 100 points, and each fitted line across them."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.4))
    ax.scatter(x, y, s=9, color=colors["grid"], edgecolors=colors["text"], linewidths=0.4)
    ends = jnp.array([0.0, 1.0])
    # The last two lines coincide: the later one is dashed in the text's colour, so both show.
    line_colors = [*colors["lines"][:2], colors["text"]]
    styles = zip(line_colors, ["-", "-", (0, (4, 3))], [1.5, 4.0, 1.5], strict=True)
    for (label, (w, b)), (color, dash, width) in zip(lines.items(), styles, strict=True):
        ax.plot(ends, w * ends + b, color=color, linestyle=dash, linewidth=width,
                label=f"{label}: {w:.2f}x + {b:.2f}")  # fmt: skip
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(frameon=False, loc="upper left", handlelength=1.8, borderaxespad=0.1)
    return fig


def loss_picture(losses: jax.Array, best: jax.Array, colors: dict) -> plt.Figure:
    """Draw the loss at each step, falling towards the least-squares loss."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.2))
    steps = jnp.arange(1, losses.shape[0] + 1)
    ax.plot(steps, losses, color=colors["jax"], label="loss at each step")
    ax.axhline(float(best), color=colors["peer"], linestyle="--", label="least-squares loss")
    ax.axvline(100, color=colors["grid"], linestyle=":", label="step 100")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_formatter(COUNTS)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_xlabel("step (learning rate 0.01)")
    ax.set_ylabel("mean squared error")
    ax.legend(frameon=False, borderaxespad=0.1)
    return fig


def main() -> None:
    """Draw the pictures into the folder given, docs/figures by default."""
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/figures")
    for path in draw(folder):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
