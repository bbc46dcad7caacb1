"""mkdocs-macros module: every benchmark figure a post cites, read from its results file.

A post that sets ``render_macros: true`` can write ``{{ bench("cpu").ratio("eager_seed",
"jit_best") }}``; the number is formatted from ``docs/results/cpu/bench.json`` at build time,
so prose and tables change when ``make bench`` does and never by hand.
"""

import json
from pathlib import Path

from snippets.bench import LABELS, machine_line, seconds

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "results"


class Bench:
    """One results file, with the formatting a post needs."""

    def __init__(self, backend: str) -> None:
        """Read docs/results/<backend>/bench.json."""
        self.path = RESULTS / backend / "bench.json"
        self.report = json.loads(self.path.read_text(encoding="utf-8"))
        self.rows = self.report["results"]

    def time(self, name: str) -> str:
        """Return the median time of one variant, e.g. '6.4 µs'."""
        return seconds(self.rows[name]["median_s"])

    def compile_time(self, name: str) -> str:
        """Return how long the variant's first call (trace and compile) took."""
        return seconds(self.rows[name]["compile_s"])

    def ratio(self, slower: str, faster: str) -> str:
        """Return how many times faster ``faster`` ran than ``slower``: '46,000×'."""
        value = self.rows[slower]["median_s"] / self.rows[faster]["median_s"]
        return f"{value:,.0f}×" if value >= 10 else f"{value:.1f}×"

    @property
    def machine(self) -> str:
        """Return the machine, JAX version, backend and date behind the numbers."""
        return f"{machine_line(self.report)}, on {self.report['date']}"

    def table(self) -> str:
        """Return a Markdown table: each variant's time, compile time, and ÷ jit_best."""
        best = self.rows["jit_best"]["median_s"]
        lines = ["| variant | | median time | first call (compile) | time ÷ jit_best |",
                 "| --- | --- | ---: | ---: | ---: |"]  # fmt: skip
        for name, row in self.rows.items():
            if not row.get("measured", True):
                lines.append(f"| `{name}` | {LABELS[name]} | not measured: {row['reason']} | | |")
                continue
            first = seconds(row["compile_s"]) if "compile_s" in row else ""
            relative = f"{row['median_s'] / best:,.1f}"
            lines.append(
                f"| `{name}` | {LABELS[name]} | {seconds(row['median_s'])} | {first} | {relative} |"
            )
        return "\n".join(lines)

    def growth_table(self) -> str:
        """Return a Markdown table of times as the data grows, and the fastest."""
        table = self.report["scaling"]["by_points"]
        names = ["jit_best", "numpy_loop", "lstsq"]
        lines = ["| points | " + " | ".join(f"`{n}`" for n in names) + " | fastest |",
                 "| ---: |" + " ---: |" * len(names) + " --- |"]  # fmt: skip
        for i, points in enumerate(table["points"]):
            times = {n: table[n][i] for n in names}
            fastest = min(times, key=times.get)
            cells = " | ".join(seconds(times[n]) for n in names)
            lines.append(f"| {points:,} | {cells} | `{fastest}` |")
        return "\n".join(lines)


class Sharding:
    """One sharding results file: the fit timed on 1 to 8 devices as data grows."""

    def __init__(self, backend: str) -> None:
        """Read docs/results/<backend>/sharding.json."""
        self.report = json.loads((RESULTS / backend / "sharding.json").read_text("utf-8"))

    @property
    def machine(self) -> str:
        """Return the machine, JAX version, backend and date behind the numbers."""
        simulated = ", devices simulated on its CPU" if self.report["simulated"] else ""
        return f"{machine_line(self.report)}{simulated}, on {self.report['date']}"

    @property
    def largest(self) -> str:
        """Return the largest data size timed, e.g. '10,000,000'."""
        return f"{max(self.report['points']):,}"

    @property
    def peak_memory(self) -> str:
        """Return the highest peak memory of any run, e.g. '412 MB'."""
        return f"{max(run['peak_memory_mb'] for run in self.report['runs']):,.0f} MB"

    def table(self) -> str:
        """Return a Markdown table: median fit time per device count and size."""
        sizes = self.report["points"]
        lines = ["| devices | " + " | ".join(f"{n:,} points" for n in sizes) + " | peak memory |",
                 "| ---: |" + " ---: |" * (len(sizes) + 1)]  # fmt: skip
        for run in self.report["runs"]:
            cells = " | ".join(seconds(s) for s in run["seconds"])
            lines.append(f"| {run['devices']} | {cells} | {run['peak_memory_mb']:,.0f} MB |")
        return "\n".join(lines)


def has_results(backend: str) -> bool:
    """Tell whether ``make bench`` has measured this backend (cpu, gpu)."""
    return (RESULTS / backend / "bench.json").exists()


def define_env(env) -> None:
    """Register ``bench``, ``sharding`` and ``has_results`` for the posts."""
    env.macro(Bench, "bench")
    env.macro(Sharding, "sharding")
    env.macro(has_results)
