"""A results file as a post cites it: ``{{ results("cpu", "bench").time("jit_fori") }}``.

hooks/macros.py hands this class to mkdocs-macros, so a post that sets ``render_macros: true``
renders every figure, table and chart from docs/results/<backend>/<name>.json when the site is
built. Any benchmark that writes the same shape (lab/bench.py, lab/sharding.py) is cited the
same way: prose and tables change when `make bench` does, and never by hand.
"""

import json
from pathlib import Path

from lab.machine import machine_line

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "results"


def seconds(value: float) -> str:
    """Format a duration in its best unit: 4.2 µs, 12.5 ms, 1.30 s."""
    if value < 1e-3:
        return f"{value * 1e6:,.1f} µs"
    if value < 1:
        return f"{value * 1e3:,.1f} ms"
    return f"{value:,.2f} s"


def times(value: float) -> str:
    """Format a ratio: '46,000×' from ten up, '2.5×' below."""
    return f"{value:,.0f}×" if value >= 10 else f"{value:.1f}×"


class Results:
    """One results file, with the formatting a post needs."""

    def __init__(self, backend: str, name: str = "bench") -> None:
        """Read docs/results/<backend>/<name>.json."""
        self.backend, self.name = backend, name
        self.path = RESULTS / backend / f"{name}.json"
        self.report = json.loads(self.path.read_text(encoding="utf-8"))
        self.rows = self.report.get("results", {})

    def measured(self, name: str) -> bool:
        """Tell whether this file holds a timing of ``name``."""
        return self.rows.get(name, {}).get("measured", name in self.rows)

    def time(self, name: str) -> str:
        """Return the median time of one variant, e.g. '6.4 µs'."""
        return seconds(self.rows[name]["median_s"])

    def compile_time(self, name: str) -> str:
        """Return how long the variant's first call (trace and compile) took."""
        return seconds(self.rows[name]["compile_s"])

    def ratio(self, slower: str, faster: str) -> str:
        """Return how many times less time ``faster`` took than ``slower``: '46,000×'."""
        return times(self.rows[slower]["median_s"] / self.rows[faster]["median_s"])

    def versus(self, name: str, other: str) -> str:
        """Compare two variants in words: '1.1× less time than', '3.0× more time than'."""
        ratio = self.rows[other]["median_s"] / self.rows[name]["median_s"]
        return (
            f"{times(ratio)} less time than" if ratio >= 1 else f"{times(1 / ratio)} more time than"
        )

    def device(self, name: str) -> str:
        """Return the device a variant ran on: 'cpu', 'gpu:0', 'cuda:0'."""
        return self.rows[name].get("device", "not recorded")

    def error(self, name: str) -> str:
        """Return how far a variant's answer is from the float64 loop's, e.g. '4.3e-06'."""
        return f"{self.rows[name]['off_float64']:.1e}"

    def peak_mib(self) -> str:
        """Return the highest peak memory of any run, e.g. '2,114 MiB'."""
        return f"{max(self.report['peak_memory_mib'].values()):,.0f} MiB"

    def at(self, key: str, name: str, x: int) -> str:
        """Return one point of a series as a time, e.g. '1.1 ms'."""
        table = self.report["series"][key]
        return seconds(table["lines"][name][table["x"].index(x)])

    def fastest(self, key: str, x: int) -> str:
        """Return the variant that was fastest at one point of a series."""
        table = self.report["series"][key]
        i = table["x"].index(x)
        return min(table["lines"], key=lambda name: table["lines"][name][i])

    def largest(self, key: str) -> str:
        """Return the last value on a series' axis, e.g. '10,000,000'."""
        return f"{self.report['series'][key]['x'][-1]:,}"

    @property
    def machine(self) -> str:
        """Return the machine, JAX version, backend and date behind the numbers."""
        simulated = ", devices simulated on its CPU" if self.report.get("simulated") else ""
        precision = self.report.get("matmul_precision", "default")
        setting = "" if precision == "default" else f", matmul precision {precision}"
        return f"{machine_line(self.report)}{simulated}{setting}, on {self.report['date']}"

    def table(self, relative_to: str) -> str:
        """Return a Markdown table: each variant's device, time, compile time, and ratio."""
        lines = [f"| variant | | device | median time | first call (compile) | ÷ `{relative_to}` |",
                 "| --- | --- | --- | ---: | ---: | ---: |"]  # fmt: skip
        base = self.rows[relative_to]["median_s"]
        for name, row in self.rows.items():
            if not row.get("measured", True):
                lines.append(f"| `{name}` | {row['label']} | not measured: {row['reason']} | | | |")
                continue
            first = seconds(row["compile_s"]) if "compile_s" in row else ""
            cells = [f"`{name}`", row["label"], self.device(name), seconds(row["median_s"]),
                     first, f"{row['median_s'] / base:,.3g}"]  # fmt: skip
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def series_table(self, key: str) -> str:
        """Return a Markdown table of one series: a row per point on its axis, the fastest."""
        table = self.report["series"][key]
        names = list(table["lines"])
        head = [table["x_label"], *(f"`{n}`" if self.rows else n for n in names), "fastest"]
        lines = ["| " + " | ".join(head) + " |", "| ---: |" + " ---: |" * len(names) + " --- |"]
        for i, x in enumerate(table["x"]):
            row = {n: table["lines"][n][i] for n in names}
            fastest = min(row, key=row.get)
            cells = [f"{x:,}", *(seconds(row[n]) for n in names), fastest]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def chart(self, alt: str, key: str | None = None) -> str:
        """Return the Markdown for a chart in both palettes, loaded lazily."""
        stem = f"{self.name}-{key}" if key else self.name
        where = f"../results/{self.backend}/{stem}"
        return "\n".join(
            f"![{alt}]({where}-{palette}.svg#only-{palette}){{ loading=lazy }}"
            for palette in ("light", "dark")
        )


def has_results(backend: str, name: str = "bench") -> bool:
    """Tell whether a benchmark has written docs/results/<backend>/<name>.json."""
    return (RESULTS / backend / f"{name}.json").exists()
