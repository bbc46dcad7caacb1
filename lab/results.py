"""A results file as a post cites it: ``{{ results("cpu", "bench").versus("a", "b") }}``.

hooks/macros.py hands ``Results`` to mkdocs-macros, so every figure in a post is rendered from
docs/results/<backend>/<name>.json when the site is built. A time is the median of the runs'
medians, its spread their range. Two variants compare run by run: one is faster only when it was
faster in every run (with fewer than MANY_RUNS runs, by 2× or more in each), else the words say
"within run-to-run spread", and ``ratio`` fails the build. A page that cites two setups renders
what differs between them (``against``).
"""

import math
import statistics
from dataclasses import dataclass
from pathlib import Path

from lab.schema import ResultsError, load

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "results"
MANY_RUNS = 5  # with fewer runs, only a factor of 2 or more in every run decides
LIBRARIES = {"python": "Python", "jax": "JAX", "jaxlib": "jaxlib", "numpy": "NumPy",
             "torch": "PyTorch"}  # fmt: skip


def seconds(value: float, digits: int = 2) -> str:
    """A duration in its best unit, to ``digits`` significant figures: 98 µs, 1.2 ms, 0.61 s."""
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if value >= scale or unit == "ns":
            scaled = value / scale
            places = max(0, digits - 1 - math.floor(math.log10(scaled)))
            return f"{scaled:,.{places}f}\u00a0{unit}"  # a unit never wraps apart from its number
    raise AssertionError


def span(low: float, high: float) -> str:
    """A range with the digits that tell its ends apart: '95 µs to 103 µs', '2.28 ms to 2.31 ms'."""
    for digits in range(2, 5):
        ends = seconds(low, digits), seconds(high, digits)
        if ends[0] != ends[1]:
            break
    return f"{ends[0]} to {ends[1]}"


def times(ratio: float) -> str:
    """A ratio as prose writes it: 12×, 2.5×, 1.3×."""
    return f"{ratio:,.0f}×" if ratio >= 9.95 else f"{ratio:.1f}×"  # 9.96 is 10×, not 10.0×


@dataclass(frozen=True)
class Comparison:
    """How much more time ``a`` took than ``b``: each run's ratio, and whether runs agree."""

    ratios: list[float]  # a's time over b's, run by run (or the medians', across files)
    decided: bool  # every run points the same way

    @property
    def ratio(self) -> float:
        """The median of the runs' ratios, taken on a log scale so that b against a is its
        inverse (with an even number of runs, the geometric mean of the middle two).
        """
        return math.exp(statistics.median(math.log(r) for r in self.ratios))

    def words(self) -> str:
        """'12× faster than', '3.1× slower than', 'slower in each of the 2 runs (1.3× and 2.1×)
        than' where too few runs agree to size it, or 'within run-to-run spread of'.
        """
        way = "faster" if self.ratio < 1 else "slower"
        if self.decided:
            return f"{times(max(self.ratio, 1 / self.ratio))} {way} than"
        if all(r < 1 for r in self.ratios) or all(r > 1 for r in self.ratios):
            each = " and ".join(times(f) for f in sorted(max(r, 1 / r) for r in self.ratios))
            return f"{way} in each of the {len(self.ratios)} runs ({each}) than"
        return "within run-to-run spread of"


# What the page being rendered cites: its files, and the pairs it set side by side with
# against(). hooks/macros.py clears both for each page and calls unnamed() when it is done.
CITED: dict[Path, "Results"] = {}
NAMED: set[frozenset[Path]] = set()


def unnamed() -> list[str]:
    """One problem for each pair of cited files that differ where the page never says how."""
    files = list(CITED.values())
    return [f"{a!r} and {b!r} differ ({'; '.join(differences(a, b))}), but the page never "
            f"renders it: write {{{{ {a!r}.against({b!r}) }}}} where they meet"
            for i, a in enumerate(files) for b in files[i + 1 :]
            if differences(a, b) and frozenset((a.path, b.path)) not in NAMED]  # fmt: skip


class Results:
    """One results file, with what a post needs to say about it."""

    def __init__(self, backend: str, name: str = "bench") -> None:
        """Load docs/results/<backend>/<name>.json, and note that the page cites it."""
        self.backend, self.name = backend, name
        self.path = RESULTS / backend / f"{name}.json"
        self.report = load(self.path)
        CITED.setdefault(self.path, self)

    def __repr__(self) -> str:
        """The macro call that names this file: results('cpu', 'bench')."""
        return f"results({self.backend!r}, {self.name!r})"

    def runs(self, name: str) -> list[float]:
        """A measured case's run medians; an unmeasured one says why it has none."""
        cases = self.report["cases"]
        if name not in cases:
            raise ResultsError(f"{self.path}: $.cases.{name}: no such case ({', '.join(cases)})")
        if "runs_s" not in cases[name]:
            raise ResultsError(
                f"{self.path}: $.cases.{name}: not measured ({cases[name]['reason']})"
            )
        return cases[name]["runs_s"]

    def time(self, name: str) -> str:
        """The median over runs: '98 µs'."""
        return seconds(statistics.median(self.runs(name)))

    def spread(self, name: str) -> str:
        """The range of the runs' medians: '95 µs to 103 µs'."""
        return span(min(self.runs(name)), max(self.runs(name)))

    def first_call(self, name: str) -> str:
        """The median first call, which traces and compiles: '0.21 s'."""
        return seconds(statistics.median(self.report["cases"][name]["first_call_s"]))

    def compare(self, a: str, b: str) -> Comparison:
        """``a`` against ``b``, run by run."""
        ratios = [x / y for x, y in zip(self.runs(a), self.runs(b), strict=True)]
        bar = 1 if len(ratios) >= MANY_RUNS else 2
        return Comparison(ratios, all(r * bar < 1 for r in ratios) or all(r > bar for r in ratios))

    def versus(self, a: str, b: str) -> str:
        """In words: '12× faster than', or 'within run-to-run spread of'."""
        return self.compare(a, b).words()

    def ratio(self, slower: str, faster: str) -> str:
        """'12×': how many times less time ``faster`` took; the runs must all agree."""
        found = self.compare(slower, faster)
        if not (found.decided and found.ratio > 1):
            raise ResultsError(
                f"{self.path}: ratio({slower!r}, {faster!r}) claims {faster} took "
                f"less time, but the runs do not all agree: write versus() instead"
            )
        return times(found.ratio)

    def at(self, key: str, line: str, x: int) -> str:
        """One point of a series, as a time."""
        return self.time(self.point(key, line, x))

    def versus_at(self, key: str, x: int, a: str, b: str) -> str:
        """Two lines of a series at one point, compared in words as ``versus`` does."""
        return self.versus(self.point(key, a, x), self.point(key, b, x))

    def point(self, key: str, line: str, x: int) -> str:
        """The case behind one point of a series."""
        series = self.report.get("series", {}).get(key)
        if not series or line not in series["lines"] or x not in series["x"]:
            raise ResultsError(f"{self.path}: $.series.{key}: no point {line!r} at x={x}")
        return series["lines"][line][series["x"].index(x)]

    def table(self, names: list[str], relative_to: str) -> str:
        """A table that fits a phone: each case's label and time, and how it compares with one."""
        head = f"| variant | time<br>(range of runs) | vs `{relative_to}` |"
        lines = [head, "| --- | ---: | --- |"]
        for name in names:
            case = self.report["cases"][name]
            label = f"`{name}`<br>{case['label']}"
            if "runs_s" not in case:
                lines.append(f"| {label} | not measured | {case['reason']} |")
                continue
            if name == relative_to:
                versus = "—"
            elif case["group"] != self.report["cases"][relative_to]["group"]:
                versus = "not like for like"
            else:
                versus = self.compare(name, relative_to).words().removesuffix(" than")
                versus = "within spread" if versus.startswith("within") else versus
            shown = f"{self.time(name)}<br>{self.spread(name)}"
            lines.append(f"| {label} | {shown} | {versus} |")
        return "\n".join(lines)

    def chart(self, alt: str, key: str | None = None) -> str:
        """A chart in both palettes (lab/charts.py), loaded lazily."""
        stem = f"../results/{self.backend}/{self.name}" + (f"-{key}" if key else "")
        return "\n".join(f"![{alt}]({stem}-{palette}.svg#only-{palette}){{ loading=lazy }}"
                         for palette in ("light", "dark"))  # fmt: skip

    def against(self, other: "Results") -> str:
        """What differs between this file's setup and ``other``'s, in a reader's words."""
        NAMED.add(frozenset((self.path, other.path)))
        if not differences(self, other):
            return "Both sets of numbers come from the same machine and versions."
        mine, theirs = (r.report["versions"]["jax"] for r in (self, other))
        said = (f"These were measured on {self.device} with JAX {mine}; the others, on "
                f"{other.device} with JAX {theirs}.")  # fmt: skip
        others = [k for k in self.report["versions"] if k not in ("jax", "jaxlib")]
        if any(self.report["versions"][k] != other.report["versions"].get(k) for k in others):
            said += " Other libraries' versions differ too: the box at the end lists them."
        return said

    @property
    def device(self) -> str:
        """The machine in plain words: 'an NVIDIA H200 GPU beside a CPU with 16 logical cores'."""
        r = self.report
        cpu = f"a CPU with {r['machine']['cores']} logical cores"
        return (
            cpu if r["backend"] == "cpu" else f"an {r['machine']['device_kind']} GPU beside {cpu}"
        )


def versions_apart(a: Results, b: Results) -> str:
    """The libraries whose versions differ, as ``a`` has them (jaxlib left out when it is JAX's)."""
    mine, theirs = a.report["versions"], b.report["versions"]
    found = [f"{LIBRARIES.get(k, k)} {v}" for k, v in mine.items() if v != theirs.get(k)
             and not (k == "jaxlib" and v == mine.get("jax"))]  # fmt: skip
    return ", ".join(found[:-1]) + f" and {found[-1]}" if len(found) > 1 else "".join(found)


def differences(a: Results, b: Results) -> list[str]:
    """What differs between two files' setups: the machine, its device, each library."""
    x, y = a.report, b.report
    found = [f"{a.device} against {b.device}"] if x["machine"] != y["machine"] else []
    return found + ([versions_apart(a, b)] if versions_apart(a, b) else [])


def provenance_of(cited: list[tuple[str, str]]) -> list[str]:
    """For a post's "How this was checked" box: what measured each results file it cites."""
    said = []
    for backend, name in dict.fromkeys(cited):
        results = Results(backend, name)
        r, facts = results.report, results.report.get("facts", {})
        how = facts.get("runs") or f"one `make bench`, {r['runs']} runs each in a fresh process"
        older = f" (an earlier version of the benchmark, at commit {facts.get('code')})"
        settings = ", ".join(f"{k}={v}" for k, v in r["environment"].items())
        libraries = ", ".join(f"{LIBRARIES.get(k, k)} {v}" for k, v in r["versions"].items())
        said.append(
            f"The timings from [{backend}/{name}.json](../results/{backend}/{name}.json) come "
            f"from {how}{older * ('code' in facts)} on {r['date']}, on {results.device} "
            f"({r['machine']['cpu']}), with {libraries}; {busy(r['load']['other_cores'])}."
            + (f" Settings that change timings: {settings}." if settings else "")
        )
    return said + [
        "Each time is the median over the runs, and each factor the median of the runs' factors. "
        "A single factor is given only when every run points the same way (with fewer than "
        f"{MANY_RUNS} runs, by 2× or more in each); otherwise each run's factor is given, or the "
        "runs are said to overlap."
    ] * bool(said)


def busy(load: list[float]) -> str:
    """How busy other work kept the machine, in words."""
    if not load:
        return "how busy other work kept the machine was not measured"
    most = math.ceil(max(load) * 100) / 100  # rounded up: "at most" stays true
    return f"other work kept at most {most:.2f} cores busy, on average, during a run"
