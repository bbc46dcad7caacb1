"""A results file as a post cites it: ``{{ results("cpu", "bench").time("jit_fori") }}``.

hooks/macros.py hands this class to mkdocs-macros, so a post that sets ``render_macros: true``
renders every figure, table and chart from docs/results/<backend>/<name>.json (lab/schema.py)
when the site is built. Prose and tables change when `make bench` does, and never by hand.

Every comparison is decided by the spread the file records, never by two medians alone: two
timings differ only when their intervals (the median's 95% confidence interval, or in older
files the range of the repeats) do not overlap. Otherwise the words are "about the same", and a
figure that claims a direction (``ratio``) fails the build. Numbers never render in scientific
notation: 5,390×, 0.000014, 81.4 µs.
"""

import math
from pathlib import Path

from lab.machine import machine_line
from lab.schema import Report, ResultsError, Row, Series, Spread, load

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "results"
NOT_RECORDED = "not recorded"
LIBRARIES = {"python": "Python", "jax": "JAX", "jaxlib": "jaxlib", "numpy": "NumPy",
             "torch": "PyTorch"}  # fmt: skip


# --- numbers as the prose reads them --------------------------------------------------------


def seconds(value: float) -> str:
    """Format a duration in its best unit: 950 ns, 4.2 µs, 12.5 ms, 1.30 s."""
    if value < 1e-6:
        return f"{value * 1e9:,.0f} ns"
    if value < 1e-3:
        return f"{value * 1e6:,.1f} µs"
    if value < 1:
        return f"{value * 1e3:,.1f} ms"
    return f"{value:,.2f} s"


def plain(value: float) -> str:
    """Format a positive number in fixed notation with two significant figures or more."""
    if value >= 10:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.2f}" if value < 1.1 else f"{value:.1f}"
    decimals = 1 - math.floor(math.log10(value))  # 0.35 -> 2 places, 0.000014 -> 6
    return f"{value:.{decimals}f}"


def times(value: float) -> str:
    """Format a ratio: '46,000×' from ten up, '2.5×' below."""
    return f"{plain(value)}×"


def scientific(value: float) -> str:
    """Format a small error as a reader writes it: '4.4 × 10⁻⁶', not '4.4e-06'."""
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    digits = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{value / 10**exponent:.1f} × 10{digits}"


# --- comparisons the spread supports --------------------------------------------------------


def compare(a: Spread, b: Spread) -> str:
    """Say how ``a`` compares with ``b``: 'less', 'more', 'same' or 'unknown'.

    'less' or 'more' when a's interval lies wholly below or above b's, 'same' when they
    overlap, 'unknown' when either file kept no spread. A CI is set against a CI; when one
    file kept only the range of its repeats, both are judged by their ranges.
    """
    ia, ib = a.interval(), b.interval()
    if ia is None or ib is None:
        return "unknown"
    if ia[2] != ib[2]:  # a CI against a range: compare the wider kind, the ranges
        ia, ib = (a.min_s, a.max_s), (b.min_s, b.max_s)
        if None in ia or None in ib:
            return "unknown"
    if ia[1] < ib[0]:
        return "less"
    if ib[1] < ia[0]:
        return "more"
    return "same"


def spread_text(s: Spread) -> str:
    """The interval a comparison used, in words: '80.2 µs to 82.5 µs (95% CI)'."""
    interval = s.interval()
    if interval is None:
        return NOT_RECORDED
    low, high, kind = interval
    short = "95% CI" if kind.startswith("95%") else "range"
    return f"{seconds(low)} to {seconds(high)} ({short})"


class Citations:
    """Which results files the page being rendered reads, and which pairs it set side by side.

    hooks/macros.py starts it for each page and checks it when the page is done: a page that
    cites two files from different machines, backends or library versions must render what
    differs (``a.against(b)``), so no sentence can set them side by side unqualified.
    """

    def __init__(self) -> None:
        """Start empty: outside a page, nothing is checked."""
        self.files: dict[Path, Results] = {}
        self.named: set[frozenset[Path]] = set()

    def start(self) -> None:
        """Forget the last page."""
        self.files, self.named = {}, set()

    def covered(self, a: "Results", b: "Results") -> bool:
        """Whether the page named what differs between ``a``'s setup and ``b``'s.

        Files from one setup (same machine, backend and versions) stand for each other: naming
        gpu/bench against cpu/bench covers cpu/jit_timing too, when it ran on the same setup.
        """
        same = [f for f in self.files.values() if f is a or not Pair(a, f).differences()]
        other = [f for f in self.files.values() if f is b or not Pair(b, f).differences()]
        return any(frozenset((x.path, y.path)) in self.named for x in same for y in other)

    def unnamed(self) -> list[str]:
        """Each pair of cited files that differ while the page never rendered their differences."""
        found = []
        files = list(self.files.values())
        for i, a in enumerate(files):
            for b in files[i + 1 :]:
                if Pair(a, b).differences() and not self.covered(a, b):
                    names = Pair(a, b).names()
                    found.append(f"{names} differ ({Pair(a, b).listed()}), but the page never "
                                 f"renders it: write {{{{ {a!r}.against({b!r}) }}}} where they "
                                 "meet")  # fmt: skip
        return found


CITATIONS = Citations()


class Results:
    """One results file, with the formatting a post needs."""

    def __init__(self, backend: str, name: str = "bench") -> None:
        """Read docs/results/<backend>/<name>.json, validated (lab/schema.py)."""
        self.backend, self.name = backend, name
        self.path = RESULTS / backend / f"{name}.json"
        self.report: Report = load(self.path)
        self.rows: dict[str, Row] = self.report.results
        CITATIONS.files.setdefault(self.path, self)

    def __repr__(self) -> str:
        """Name the file as a post names it."""
        return f"results({self.backend!r}, {self.name!r})"

    # --- one row --------------------------------------------------------------------------

    def row(self, name: str) -> Row:
        """The row ``name``, or an error that lists the rows there are."""
        if name not in self.rows:
            raise ResultsError(f"{self.path}: results.{name}: no such row ({', '.join(self.rows)})")
        return self.rows[name]

    def timing(self, name: str) -> Spread:
        """A measured row's timing; an unmeasured one says why it has none."""
        row = self.row(name)
        if not row.measured:
            raise ResultsError(f"{self.path}: results.{name}: not measured ({row.reason})")
        return row.timing

    def measured(self, name: str) -> bool:
        """Tell whether this file holds a timing of ``name``."""
        return name in self.rows and self.rows[name].measured

    def time(self, name: str) -> str:
        """Return the median time of one variant, e.g. '6.4 µs'."""
        return seconds(self.timing(name).median_s)

    def spread(self, name: str) -> str:
        """Return the interval comparisons use, e.g. '80.2 µs to 82.5 µs (95% CI)'."""
        return spread_text(self.timing(name))

    def compile_time(self, name: str) -> str:
        """Return how long the variant's first call (trace and compile) took."""
        return seconds(self.row(name).compile_s)

    def device(self, name: str) -> str:
        """Return the device a variant ran on: 'cpu', 'gpu:0', 'cuda:0'."""
        return self.row(name).device or NOT_RECORDED

    def error(self, name: str) -> str:
        """Return how far a variant's answer is from the float64 loop's, e.g. '4.3 × 10⁻⁶'."""
        return scientific(self.row(name).facts["off_float64"])

    def fact(self, name: str) -> str:
        """Return one of the file's facts, a number written as prose writes it: '100,000'."""
        if name not in self.report.facts:
            found = ", ".join(self.report.facts) or "none"
            raise ResultsError(f"{self.path}: facts.{name}: no such fact ({found})")
        value = self.report.facts[name]
        return plain(value) if isinstance(value, float) else f"{value:,}"

    def peak_mib(self, lowest: bool = False) -> str:
        """Return the highest (or the lowest) peak memory of any run, e.g. '2,114 MiB'."""
        peaks = self.report.facts["peak_memory_mib"].values()
        return f"{(min if lowest else max)(peaks):,.0f} MiB"

    # --- two rows -------------------------------------------------------------------------

    def versus(self, name: str, other: str) -> str:
        """Compare two variants in words: '3.0× less time than', 'about the same time as'."""
        return in_words(self.timing(name), self.timing(other), self.why(name, other))

    def ratio(self, slower: str, faster: str) -> str:
        """Return how many times less time ``faster`` took than ``slower``: '46,000×'.

        The figure asserts a direction, so the spread must bear it out; when it does not,
        the build fails and says to write ``versus`` instead, which words any outcome.
        """
        a, b = self.timing(slower), self.timing(faster)
        outcome = compare(b, a)
        if outcome != "less":
            said = {"same": "their spreads overlap", "more": f"{faster} took more time",
                    "unknown": "the file records no spread for them"}[outcome]  # fmt: skip
            claim = f"ratio({slower!r}, {faster!r}) claims {faster} took less time"
            raise ResultsError(f"{self.path}: {claim}, but {said}; "
                               f"write versus({faster!r}, {slower!r})")  # fmt: skip
        return times(a.median_s / b.median_s)

    def why(self, *names: str) -> str:
        """Where a comparison's rows live, for error messages."""
        return f"{self.path}: {' vs '.join(names)}"

    # --- series ---------------------------------------------------------------------------

    def series(self, key: str) -> Series:
        """One series, or an error that lists the series there are."""
        if key not in self.report.series:
            found = ", ".join(self.report.series) or "none"
            raise ResultsError(f"{self.path}: series.{key}: no such series ({found})")
        return self.report.series[key]

    def point(self, key: str, name: str, x: int) -> Spread:
        """One point of one line of a series."""
        table = self.series(key)
        if x not in table.x or name not in table.lines:
            raise ResultsError(f"{self.path}: series.{key}: no point {name!r} at x={x}")
        return table.lines[name][table.x.index(x)]

    def at(self, key: str, name: str, x: int) -> str:
        """Return one point of a series as a time, e.g. '1.1 ms'."""
        return seconds(self.point(key, name, x).median_s)

    def versus_at(self, key: str, x: int, name: str, other: str) -> str:
        """Compare two lines at one point of a series, in words, as ``versus`` does."""
        return in_words(self.point(key, name, x), self.point(key, other, x), self.why(name, other))

    def fastest(self, key: str, x: int) -> str:
        """Return the variant that was fastest at one point, or the ones tied for it.

        'jit_best' when its interval lies below every other's; 'jit_best and numpy_best,
        about the same' when some overlap. A file whose points kept no spread fails the build.
        """
        table = self.series(key)
        ranked = leaders(table, table.x.index(x))
        if ranked is None:
            said = "its points kept medians only, so which was fastest is not recorded"
            raise ResultsError(f"{self.path}: series.{key}: {said}; run make bench again")
        return ranked[0] if len(ranked) == 1 else f"{' and '.join(ranked)}, about the same"

    def largest(self, key: str) -> str:
        """Return the last value on a series' axis, e.g. '10,000,000'."""
        return f"{self.series(key).x[-1]:,}"

    # --- provenance -----------------------------------------------------------------------

    @property
    def machine(self) -> str:
        """Return the machine, JAX version, backend and date behind the numbers."""
        r = self.report
        simulated = ", devices simulated on its CPU" if r.simulated else ""
        precision = r.matmul_precision
        setting = "" if precision == "default" else f", matmul precision {precision}"
        return f"{machine_line(r)}{simulated}{setting}, on {r.date}"

    @property
    def versions(self) -> str:
        """Every library's version behind the numbers: 'Python 3.11.7, JAX 0.10.2, ...'."""
        return ", ".join(f"{LIBRARIES.get(k, k)} {v or NOT_RECORDED}"
                         for k, v in self.report.versions.items())  # fmt: skip

    def against(self, other: "Results") -> "Pair":
        """Set this file beside ``other``: comparisons that name what differs between them."""
        return Pair(self, other)

    # --- tables and charts ----------------------------------------------------------------

    def table(self, relative_to: str) -> str:
        """Return a Markdown table: each variant's device, time, spread, compile time, ratio.

        The ratio column divides by ``relative_to`` only for rows the benchmark declared
        comparable with it (one group), and says "about the same" where spreads overlap.
        """
        base = self.row(relative_to)
        lines = [f"| variant | | device | median time | spread | first call (compile) "
                 f"| ÷ `{relative_to}` |",
                 "| --- | --- | --- | ---: | ---: | ---: | ---: |"]  # fmt: skip
        for name, row in self.rows.items():
            if not row.measured:
                lines.append(f"| `{name}` | {row.label} | not measured: {row.reason} | | | | |")
                continue
            first = seconds(row.compile_s) if row.compile_s is not None else ""
            ratio = divided(row, base, name == relative_to)
            cells = [f"`{name}`", row.label, self.device(name), seconds(row.median_s),
                     spread_text(row.timing), first, ratio]  # fmt: skip
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def series_table(self, key: str) -> str:
        """Return a Markdown table of one series: a row per point on its axis, the fastest."""
        table = self.series(key)
        names = list(table.lines)
        head = [table.x_label, *(f"`{n}`" if n in self.rows else n for n in names), "fastest"]
        lines = ["| " + " | ".join(head) + " |", "| ---: |" + " ---: |" * len(names) + " --- |"]
        for i, x in enumerate(table.x):
            ranked = leaders(table, i)
            best = NOT_RECORDED if ranked is None else " ≈ ".join(ranked)
            cells = [f"{x:,}", *(seconds(table.lines[n][i].median_s) for n in names), best]
            lines.append("| " + " | ".join(cells) + " |")
        if any(leaders(table, i) is None for i in range(len(table.x))):
            lines.append("\nThese points kept their medians only, not their spread, so which "
                         "was fastest is not recorded.")  # fmt: skip
        return "\n".join(lines)

    def chart(self, alt: str, key: str | None = None) -> str:
        """Return the Markdown for a chart in both palettes, loaded lazily."""
        stem = f"{self.name}-{key}" if key else self.name
        where = f"../results/{self.backend}/{stem}"
        return "\n".join(
            f"![{alt}]({where}-{palette}.svg#only-{palette}){{ loading=lazy }}"
            for palette in ("light", "dark")
        )


def in_words(a: Spread, b: Spread, where: str) -> str:
    """'3.0× less time than', '3.0× more time than' or 'about the same time as'."""
    outcome = compare(a, b)
    if outcome == "unknown":
        raise ResultsError(f"{where}: no spread recorded, so no comparison can be made")
    if outcome == "same":
        return "about the same time as"
    if outcome == "less":
        return f"{times(b.median_s / a.median_s)} less time than"
    return f"{times(a.median_s / b.median_s)} more time than"


def divided(row: Row, base: Row, is_base: bool) -> str:
    """A table's ratio cell: the factor, 'about the same', or why there is none."""
    if is_base:
        return "1"
    if None not in (row.group, base.group) and row.group != base.group:
        return "not like for like"
    outcome = compare(row.timing, base.timing)
    if outcome == "unknown":
        return "spread not recorded"
    if outcome == "same":
        return "about the same"
    return plain(row.median_s / base.median_s)


def leaders(table: Series, i: int) -> list[str] | None:
    """The fastest line at point ``i`` and every line whose spread overlaps it; None if unknown."""
    points = {n: line[i] for n, line in table.lines.items()}
    best = min(points, key=lambda n: points[n].median_s)
    outcomes = {n: compare(points[best], p) for n, p in points.items() if n != best}
    if "unknown" in outcomes.values():
        return None
    return [best] + [n for n, o in outcomes.items() if o == "same"]


class Pair:
    """Two results files side by side: every comparison names what differs between them."""

    def __init__(self, first: Results, second: Results) -> None:
        """Keep both files; nothing is compared until a comparison is asked for."""
        self.first, self.second = first, second

    def differences(self) -> list[tuple[str, str, str]]:
        """(what, in the first, in the second) for everything that differs or is unknown."""
        a, b = self.first.report, self.second.report
        found = []
        for what, x, y in [
            ("machine", f"{a.machine['cpu']} ({a.machine['cores']} cores)",
             f"{b.machine['cpu']} ({b.machine['cores']} cores)"),
            ("device", a.machine["device_kind"], b.machine["device_kind"]),
            ("backend", a.backend, b.backend),
            ("matmul precision", a.matmul_precision, b.matmul_precision),
            ("devices simulated", str(a.simulated).lower(), str(b.simulated).lower()),
        ]:  # fmt: skip
            if x != y:
                found.append((what, x or NOT_RECORDED, y or NOT_RECORDED))
        for key in [k for k in a.versions if k in b.versions]:  # a peer only one used: no
            x, y = a.versions[key], b.versions[key]
            if x is None or y is None or x != y:  # unknown may differ: say so
                found.append((LIBRARIES.get(key, key), x or NOT_RECORDED, y or NOT_RECORDED))
        return found

    def side(self, index: int) -> str:
        """One file's side of the comparison: only what differs from the other's."""
        parts = [f"{what} {pair[index]}" if what not in ("machine", "device") else pair[index]
                 for what, *pair in self.differences()]  # fmt: skip
        return ", ".join(parts) or "the same setup"

    def listed(self) -> str:
        """What differs, as a list: 'backend gpu vs cpu; JAX 0.11.2 vs 0.10.2'."""
        return "; ".join(f"{what} {x} vs {y}" for what, x, y in self.differences())

    def named(self) -> None:
        """Note that the page rendered this pair's differences (see Citations)."""
        CITATIONS.named.add(frozenset((self.first.path, self.second.path)))

    def __str__(self) -> str:
        """What differs, as a sentence: 'What differs: backend gpu vs cpu; JAX 0.11.2 vs ...'."""
        self.named()
        if not self.differences():
            return "Both files come from the same machine, backend and library versions."
        return f"What differs between {self.names()}: {self.listed()}."

    def names(self) -> str:
        """The two files, as the prose sets them."""
        a, b = self.first, self.second
        return f"{a.backend}/{a.name} and {b.backend}/{b.name}"

    def versus(self, name: str, other: str | None = None) -> str:
        """'21× more time on <first's side> than on <second's side>', spread-aware.

        Compares row ``name`` of the first file with row ``other`` (default: the same name)
        of the second, and names every machine, backend and version difference with it.
        """
        a, b = self.first.timing(name), self.second.timing(other or name)
        words = in_words(a, b, f"{self.names()}: {name}")
        self.named()
        sides = f"on {self.side(0)} {{}} on {self.side(1)}"
        if words.startswith("about"):
            return "about the same time " + sides.format("as")
        return words.removesuffix(" than") + " " + sides.format("than")

    def table(self, names: list[str] | None = None) -> str:
        """Both files' medians for the rows they share, the comparison, and what differs."""
        a, b = self.first, self.second
        shared = names or [n for n in a.rows if b.measured(n) and a.measured(n)]
        lines = [f"| variant | {a.backend}/{a.name} | {b.backend}/{b.name} | first ÷ second |",
                 "| --- | ---: | ---: | ---: |"]  # fmt: skip
        for n in shared:
            row = Row("", "jax", timing=a.timing(n))
            ratio = divided(row, Row("", "jax", timing=b.timing(n)), False)
            lines.append(f"| `{n}` | {a.time(n)} | {b.time(n)} | {ratio} |")
        return "\n".join(lines) + f"\n\n{self}"


def has_results(backend: str, name: str = "bench") -> bool:
    """Tell whether a benchmark has written docs/results/<backend>/<name>.json."""
    return (RESULTS / backend / f"{name}.json").exists()
