"""The results format, written down once: what a benchmark writes and what a post reads.

A results file is ``docs/results/<backend>/<name>.json``. Its writer (any lab module with
``record()``) builds a :class:`Report` and calls :func:`write`; its readers (lab/results.py for
the posts, lab/charts.py for the pictures) call :func:`load`. Both go through :meth:`Report.parse`,
so a file that the writer would refuse can never be read, and a broken file fails with its
path, the field and what was expected::

    docs/results/cpu/bench.json: results.jit_fori.median_s: expected a number > 0, found "fast"

The fields, with what each means (``?`` marks an optional field):

    format            2, this format's number; files without it are upgraded on reading
    benchmark         the lab module that wrote the file, e.g. "bench" (lab/bench.py)
    timed             what one timing measures, for axes and tables: "one fit (100 steps)"
    machine           cpu, cores, system, device_kind (see lab/machine.py)
    versions          every library that produced the numbers: python, jax, jaxlib, numpy and
                      any peer the run imported (torch); null where a file did not record it
    backend, device, matmul_precision, date, simulated
    facts?            anything else the benchmark wants cited (steps, points, peak memory)
    results?          rows by name: one timing each, with its spread (below), and
                        label, role ("jax" or "peer"), group? (rows in one group compare like
                        with like), device, compile_s?, facts? (answers, errors);
                        or measured: false with a reason
    series?           timings along an axis: x_label, x, lines {name: [spread per x]},
                        roles {line: role}, required for each line that is not a row

A spread is ``median_s`` with ``min_s``, ``max_s``, ``repeats`` and ``ci_low_s``/``ci_high_s``,
the distribution-free 95% confidence interval of the median (:func:`spread`). Files older than
this format kept only some of these; what they lack stays ``null`` and the posts say so.
"""

import itertools
import json
import math
import statistics
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

FORMAT = 2
ROLES = ("jax", "peer")
PEERS = ("torch",)  # libraries a benchmark may compare JAX with; recorded when imported
CONFIDENCE = 0.95


class ResultsError(ValueError):
    """A results file, or a claim made from one, that does not hold; names file and field."""


# --- reading fields, each check saying what it expected ---------------------------------------


def child(where: str, key: str) -> str:
    """Name a field inside ``where``: 'bench.json: results' then 'bench.json: results.jit'."""
    return f"{where} {key}" if where.endswith(":") else f"{where}.{key}"


def fail(where: str, expected: str, value: object) -> ResultsError:
    """The one error every check raises: ``where: expected ..., found ...``."""
    found = json.dumps(value)[:60]
    return ResultsError(f"{where.rstrip(':')}: expected {expected}, found {found}")


def mapping(value: object, where: str, required: tuple = (), optional: tuple = ()) -> dict:
    """Check that ``value`` is an object holding the required keys and no unknown ones."""
    if not isinstance(value, dict):
        raise fail(where, "an object", value)
    for key in required:
        if key not in value:
            raise ResultsError(
                f"{child(where, key)}: missing (expected here: {', '.join(required)})"
            )
    known = set(required) | set(optional)
    for key in value:
        if key not in known:
            raise ResultsError(
                f"{child(where, key)}: unknown field (expected one of {sorted(known)})"
            )
    return value


def number(value: object, where: str, positive: bool = True) -> float:
    """A finite number, greater than zero unless told otherwise (JSON has no NaN)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or (positive and value <= 0):
        raise fail(where, "a number > 0" if positive else "a number", value)
    return float(value)


def text(value: object, where: str, choices: tuple = ()) -> str:
    """A non-empty string, one of ``choices`` when given."""
    if not isinstance(value, str) or not value or (choices and value not in choices):
        raise fail(where, f"one of {list(choices)}" if choices else "a non-empty string", value)
    return value


def facts(value: object, where: str) -> dict:
    """An object whose keys the benchmark chooses (facts, rows by name, lines by name)."""
    if not isinstance(value, dict):
        raise fail(where, "an object", value)
    return value


def maybe(check: Callable[..., T], value: object, where: str, *args: object) -> T | None:
    """``None`` stays ``None`` (not recorded); anything else must pass ``check``."""
    return None if value is None else check(value, where, *args)


# --- the format -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """One timing: the median of its repeats, and how far they spread."""

    median_s: float
    min_s: float | None = None
    max_s: float | None = None
    repeats: int | None = None
    ci_low_s: float | None = None
    ci_high_s: float | None = None

    FIELDS = ("median_s", "min_s", "max_s", "repeats", "ci_low_s", "ci_high_s")

    @classmethod
    def parse(cls, data: dict, where: str) -> "Spread":
        """Check a spread's fields and their order: min <= ci_low <= median <= ci_high <= max."""
        s = cls(
            median_s=number(data.get("median_s"), child(where, "median_s")),
            min_s=maybe(number, data.get("min_s"), child(where, "min_s")),
            max_s=maybe(number, data.get("max_s"), child(where, "max_s")),
            repeats=maybe(count, data.get("repeats"), child(where, "repeats")),
            ci_low_s=maybe(number, data.get("ci_low_s"), child(where, "ci_low_s")),
            ci_high_s=maybe(number, data.get("ci_high_s"), child(where, "ci_high_s")),
        )
        chain = [("min_s", s.min_s), ("ci_low_s", s.ci_low_s), ("median_s", s.median_s),
                 ("ci_high_s", s.ci_high_s), ("max_s", s.max_s)]  # fmt: skip
        known = [(name, v) for name, v in chain if v is not None]
        for (low, a), (high, b) in itertools.pairwise(known):
            if a > b:
                raise ResultsError(
                    f"{where.rstrip(':')}: expected {low} <= {high}, found {a} > {b}"
                )
        if (s.ci_low_s is None) != (s.ci_high_s is None):
            raise ResultsError(f"{where.rstrip(':')}: expected both CI bounds, or neither")
        return s

    def interval(self) -> tuple[float, float, str] | None:
        """The interval a comparison trusts: the median's CI, else min-max, else none."""
        if self.ci_low_s is not None:
            return self.ci_low_s, self.ci_high_s, "95% confidence interval of the median"
        if self.min_s is not None and self.max_s is not None:
            return self.min_s, self.max_s, "range of the repeats"
        return None


def count(value: object, where: str) -> int:
    """A whole number of repeats, at least one."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise fail(where, "a whole number >= 1", value)
    return value


ROW_FIELDS = (*Spread.FIELDS, "label", "role", "group", "device", "compile_s", "facts")


@dataclass(frozen=True)
class Row:
    """One result a post can cite: a timing with its spread, or why there is none."""

    label: str
    role: str
    device: str | None = None
    timing: Spread | None = None
    group: str | None = None
    compile_s: float | None = None
    facts: dict = field(default_factory=dict)
    reason: str | None = None  # only when not measured

    @property
    def measured(self) -> bool:
        """Whether this row holds a timing."""
        return self.timing is not None

    @property
    def median_s(self) -> float:
        """The median time, for templates (``rows.x.median_s``)."""
        return self.timing.median_s

    @classmethod
    def parse(cls, data: object, where: str) -> "Row":
        """A measured row carries a spread and a device; an unmeasured one, a reason."""
        if isinstance(data, dict) and data.get("measured") is False:
            data = mapping(data, where, ("label", "role", "measured", "reason"), ("group",))
            return cls(text(data["label"], child(where, "label")),
                       text(data["role"], child(where, "role"), ROLES),
                       group=maybe(text, data.get("group"), child(where, "group")),
                       reason=text(data["reason"], child(where, "reason")))  # fmt: skip
        data = mapping(data, where, ("label", "role", "median_s", "device"), ROW_FIELDS)
        return cls(
            label=text(data["label"], child(where, "label")),
            role=text(data["role"], child(where, "role"), ROLES),
            device=text(data["device"], child(where, "device")),
            timing=Spread.parse(data, where),
            group=maybe(text, data.get("group"), child(where, "group")),
            compile_s=maybe(number, data.get("compile_s"), child(where, "compile_s")),
            facts=facts(data.get("facts", {}), child(where, "facts")),
        )

    def dump(self) -> dict:
        """The row as JSON, spread fields inline."""
        if not self.measured:
            out = {"label": self.label, "role": self.role, "measured": False, "reason": self.reason}
        else:
            out = {"label": self.label, "role": self.role, "device": self.device}
            out |= {k: v for k, v in asdict(self.timing).items() if v is not None}
            if self.compile_s is not None:
                out["compile_s"] = self.compile_s
            if self.facts:
                out["facts"] = self.facts
        if self.group is not None:
            out["group"] = self.group
        return out


@dataclass(frozen=True)
class Series:
    """Timings along an axis: one line per name, one spread per point of ``x``."""

    x_label: str
    x: list
    lines: dict[str, list[Spread]]
    roles: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, data: object, where: str) -> "Series":
        """Every line has one point per x; every role is a known one."""
        data = mapping(data, where, ("x_label", "x", "lines"), ("roles",))
        x = data["x"]
        if not isinstance(x, list) or not x:
            raise fail(child(where, "x"), "a non-empty list", x)
        xs = [number(v, child(where, f"x[{i}]")) for i, v in enumerate(x)]
        lines = {}
        for name, points in facts(data["lines"], child(where, "lines")).items():
            here = child(where, f"lines.{name}")
            if not isinstance(points, list) or len(points) != len(xs):
                raise fail(here, f"a list of {len(xs)} points, one per x", points)
            lines[name] = [Spread.parse(mapping(p, f"{here}[{i}]", ("median_s",), Spread.FIELDS),
                                        f"{here}[{i}]") for i, p in enumerate(points)]  # fmt: skip
        roles = {name: text(role, child(where, f"roles.{name}"), ROLES)
                 for name, role in data.get("roles", {}).items()}  # fmt: skip
        return cls(text(data["x_label"], child(where, "x_label")),
                   [int(v) if v == int(v) else v for v in xs], lines, roles)  # fmt: skip

    def dump(self) -> dict:
        """The series as JSON."""
        points = {n: [{k: v for k, v in asdict(p).items() if v is not None} for p in line]
                  for n, line in self.lines.items()}  # fmt: skip
        out = {"x_label": self.x_label, "x": self.x, "lines": points}
        return out | ({"roles": self.roles} if self.roles else {})


MACHINE_FIELDS = ("cpu", "cores", "system", "device_kind")
TOP_FIELDS = ("format", "benchmark", "timed", "machine", "versions", "backend", "device",
              "matmul_precision", "date", "simulated", "facts", "results", "series")  # fmt: skip
CORE_VERSIONS = ("python", "jax", "jaxlib", "numpy")


@dataclass(frozen=True)
class Report:
    """One results file: what was timed, on what, with which libraries, and the timings."""

    benchmark: str
    timed: str
    machine: dict
    versions: dict[str, str | None]
    backend: str
    device: str
    matmul_precision: str
    date: str
    simulated: bool = False
    facts: dict = field(default_factory=dict)
    results: dict[str, Row] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)

    @property
    def jax(self) -> str:
        """The JAX version that produced the numbers."""
        return self.versions["jax"]

    @classmethod
    def parse(cls, data: object, path: str) -> "Report":
        """Check every field of a format-2 report; raise ResultsError at the first fault."""
        where = f"{path}:"
        data = mapping(data, where, TOP_FIELDS[:10], TOP_FIELDS[10:])
        if data["format"] != FORMAT:
            raise fail(child(where, "format"), str(FORMAT), data["format"])
        machine = mapping(data["machine"], child(where, "machine"), MACHINE_FIELDS)
        versions = mapping(data["versions"], child(where, "versions"), CORE_VERSIONS, PEERS)
        if not data.get("results") and not data.get("series"):
            raise ResultsError(f"{where.rstrip(':')}: expected results or series, found neither")
        if not isinstance(data["simulated"], bool):
            raise fail(child(where, "simulated"), "true or false", data["simulated"])
        rows = facts(data.get("results", {}), child(where, "results"))
        series = facts(data.get("series", {}), child(where, "series"))
        report = cls(
            benchmark=text(data["benchmark"], child(where, "benchmark")),
            timed=text(data["timed"], child(where, "timed")),
            machine={
                k: maybe(count if k == "cores" else text, v, child(where, f"machine.{k}"))
                for k, v in machine.items()
            },
            versions={
                k: maybe(text, v, child(where, f"versions.{k}")) for k, v in versions.items()
            },
            backend=text(data["backend"], child(where, "backend")),
            device=text(data["device"], child(where, "device")),
            matmul_precision=text(data["matmul_precision"], child(where, "matmul_precision")),
            date=text(data["date"], child(where, "date")),
            simulated=data["simulated"],
            facts=facts(data.get("facts", {}), child(where, "facts")),
            results={n: Row.parse(r, child(where, f"results.{n}")) for n, r in rows.items()},
            series={k: Series.parse(s, child(where, f"series.{k}")) for k, s in series.items()},
        )
        for key, table in report.series.items():  # every line says whose it is, as rows do
            for name in table.lines:
                if name not in report.results and name not in table.roles:
                    raise ResultsError(f"{child(where, f'series.{key}.roles.{name}')}: missing "
                                       "(a line that is not a row declares its role)")  # fmt: skip
        return report

    def dump(self) -> dict:
        """The report as JSON, in the order the fields are documented."""
        out = {"format": FORMAT, "benchmark": self.benchmark, "timed": self.timed,
               "machine": self.machine, "versions": self.versions, "backend": self.backend,
               "device": self.device, "matmul_precision": self.matmul_precision,
               "date": self.date, "simulated": self.simulated}  # fmt: skip
        if self.facts:
            out["facts"] = self.facts
        if self.results:
            out["results"] = {n: r.dump() for n, r in self.results.items()}
        if self.series:
            out["series"] = {k: s.dump() for k, s in self.series.items()}
        return out

    def role(self, name: str, series: "Series") -> str:
        """Whether a row or series line is JAX's or a peer's, as the benchmark declared."""
        return self.results[name].role if name in self.results else series.roles[name]


# --- writing and reading --------------------------------------------------------------------


def spread(times: list[float]) -> dict:
    """Summarize repeated timings: the median, the range, and a 95% CI of the median.

    The interval is distribution-free: the order statistics whose ranks a binomial(n, 1/2)
    puts at 2.5% and 97.5%. Below six repeats no such pair reaches 95%, so it is the range.
    """
    t = sorted(times)
    n, k = len(t), 0
    tail = 0.0
    while True:  # largest k with P(Binomial(n, 1/2) <= k - 1) <= 2.5%
        tail += math.comb(n, k) / 2**n
        if tail > (1 - CONFIDENCE) / 2 or k >= n // 2:
            break
        k += 1
    low, high = (t[k - 1], t[n - k]) if k else (t[0], t[-1])
    return {"median_s": statistics.median(t), "min_s": t[0], "max_s": t[-1], "repeats": n,
            "ci_low_s": low, "ci_high_s": high}  # fmt: skip


def versions() -> dict[str, str | None]:
    """Every library's version in this process: the core ones, and each peer it imported."""
    import jax
    import jaxlib
    import numpy

    found = {"python": sys.version.split()[0], "jax": jax.__version__,
             "jaxlib": jaxlib.__version__, "numpy": numpy.__version__}  # fmt: skip
    for peer in PEERS:
        if peer in sys.modules:
            found[peer] = sys.modules[peer].__version__
    return found


def write(report: dict, path: Path) -> Report:
    """Validate a report as a benchmark built it, then write it; a fault names the field."""
    checked = Report.parse(report, str(path))  # the same checks as reading
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(checked.dump(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return checked


def load(path: Path) -> Report:
    """Read and validate a results file; an older format is upgraded first, never guessed."""
    from lab.migrate import upgrade

    where = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"{where}: no such results file (make bench writes it)") from None
    except json.JSONDecodeError as err:
        raise ResultsError(f"{where}:{err.lineno}: not JSON ({err.msg})") from None
    if isinstance(data, dict) and "format" not in data:
        data = upgrade(data, Path(path).stem)
    return Report.parse(data, where)
