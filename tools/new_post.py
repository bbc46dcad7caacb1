"""``make post SLUG=... TITLE="..."``: start a draft post, its snippet module and its test.

The three files work together from the start: ``make test`` runs the post's block, checks
its output and runs the module's test. The post is a draft, so it stays out of the built
site and the feed until its front matter loses ``draft: true``. Nothing is overwritten.

``make post KIND=measured ...`` starts a post whose headline is a measurement: the same
three files, plus a benchmark (``lab/<module>.py``), its test (``tests/test_lab_<module>.py``)
and its first results, measured at once into docs/results/<backend>/<module>.json with
charts, which the post cites through the results macros (see README).
"""

import argparse
import datetime
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
MAX_SLUG = 40  # the module's name fits the snippets' 80 columns

# Both kinds of post start alike; a measured one also renders its figures from docs/results/.
FRONT_MATTER = """---
date:
  created: {date}
slug: {slug}
draft: true  # remove when the post is ready: until then, no page and no feed entry
authors: [{author}]
categories: [JAX]
tags: [jax]
{macros}description: >-
  {title}: one sentence on what a reader will learn, for search results and link previews.
---

# {title}
"""

POST = (
    FRONT_MATTER
    + """
The question this post answers, and why a NumPy user would ask it.

<!-- more -->

## A first example

```python title="snippets/{module}.py"
--8<-- "snippets/{module}.py:example"

--8<-- "snippets/{module}.py:show_example"
```
<!-- pytest-codeblocks:expected-output -->
```text title="Output"
squares: [ 0  1  4  9 16]
```
"""
)

MODULE = '''"""Run it: ``python -m snippets.{module}``.

{about}
"""

# --8<-- [start:example]
import jax
import jax.numpy as jnp


def squares(n: int) -> jax.Array:
    """Return the first ``n`` squares, computed by JAX."""
    return jnp.arange(n) ** 2
    # --8<-- [end:example]


def main() -> None:
    """Print what the post shows."""
    # --8<-- [start:show_example]
    print("squares:", squares(5))
    # --8<-- [end:show_example]


if __name__ == "__main__":
    main()
'''

TEST = '''"""Tests of snippets/{module}.py."""

from snippets.{module} import squares


def test_squares_are_the_squares_of_the_first_integers():
    assert squares(5).tolist() == [0, 1, 4, 9, 16]
'''


MEASURED_POST = (
    FRONT_MATTER
    + """
The question this post answers, and why a NumPy user would ask it.

<!-- more -->

## The code

The same sum of squares in JAX, compiled with `jit`, and in NumPy:

```python title="snippets/{module}.py"
--8<-- "snippets/{module}.py:example"

--8<-- "snippets/{module}.py:show_example"
```
<!-- pytest-codeblocks:expected-output -->
```text title="Output"
jax: 328350.0
numpy: 328350.0
```

## What it costs

{{% set r = results("{backend}", "{module}") %}}
`make bench ONLY={module}` timed both on {{{{ r.machine }}}} ({{{{ r.versions }}}}). At
{{{{ r.fact("points") }}}} points, the jitted sum took {{{{ r.time("jax_jit") }}}}, which is
{{{{ r.versus("jax_jit", "numpy") }}}} NumPy's {{{{ r.time("numpy") }}}}.

{{{{ r.chart("Median time of each sum, log scale", "by_points") }}}}

{{{{ r.series_table("by_points") }}}}
"""
)

MEASURED_MODULE = '''"""Run it: ``python -m snippets.{module}``.

{about}
"""

# --8<-- [start:example]
import jax
import jax.numpy as jnp
import numpy as np


@jax.jit
def sum_of_squares(x: jax.Array) -> jax.Array:
    """Return the sum of the squares of ``x``, compiled by XLA."""
    return jnp.sum(x * x)


def numpy_sum_of_squares(x: np.ndarray) -> np.floating:
    """Return the same sum, computed by NumPy."""
    return np.sum(x * x)
    # --8<-- [end:example]


def main() -> None:
    """Print what the post shows."""
    # --8<-- [start:show_example]
    x = np.arange(100, dtype=np.float32)
    print("jax:", sum_of_squares(x))
    print("numpy:", numpy_sum_of_squares(x))
    # --8<-- [end:show_example]


if __name__ == "__main__":
    main()
'''

MEASURED_TEST = '''"""Tests of snippets/{module}.py."""

import numpy as np

from snippets.{module} import numpy_sum_of_squares, sum_of_squares


def test_jax_and_numpy_give_the_same_sum():
    x = np.arange(100, dtype=np.float32)
    assert float(sum_of_squares(x)) == float(numpy_sum_of_squares(x)) == 328350.0
'''

BENCHMARK = '''"""The benchmark behind docs/posts/{slug}.md.

{measures}

Times snippets/{module}.py's sum in JAX (jitted) and in NumPy, at one size (the rows the
post compares) and along growing sizes (a series, drawn as a chart). Everything the post
and its charts say about the numbers is declared here, in the results file: what one
timing is (``timed``), which row is JAX's and which a peer's (``role``), and which rows
compare like with like (``group``). See lab/schema.py for the format.
"""

import argparse
from pathlib import Path

import jax
import numpy as np

from lab.charts import draw_charts
from lab.machine import provenance
from lab.schema import write
from lab.timer import timed
from snippets.{module} import numpy_sum_of_squares, sum_of_squares

NAME = "{module}"
POINTS = 100_000
SIZES = [1_000, 10_000, 100_000, 1_000_000]
REPEATS = 50


def variants(n: int) -> dict:
    """The calls to time on ``n`` points, each warmed up (JAX compiles on its first call)."""
    x = np.arange(n, dtype=np.float32)
    on_device = jax.device_put(x)
    calls = {{
        "jax_jit": lambda: sum_of_squares(on_device),
        "numpy": lambda: numpy_sum_of_squares(x),
    }}
    for call in calls.values():
        jax.block_until_ready(call())
    return calls


def measure(repeats: int = REPEATS) -> dict:
    """Time both sums at POINTS and along SIZES; return the report lab/schema.py defines."""
    calls = variants(POINTS)
    declared = {{
        "jax_jit": {{"label": "JAX, jit", "role": "jax", "device": provenance(NAME, "")["device"]}},
        "numpy": {{"label": "NumPy", "role": "peer", "device": "cpu"}},
    }}
    rows = {{name: {{**declared[name], "group": "sum", **timed(call, repeats)}}
            for name, call in calls.items()}}
    lines = {{name: [] for name in calls}}
    for n in SIZES:
        for name, call in variants(n).items():
            lines[name].append(timed(call, repeats))
    series = {{"by_points": {{"x_label": "data points", "x": SIZES, "lines": lines}}}}
    report = provenance(NAME, "one sum of squares")
    return {{**report, "facts": {{"points": POINTS}}, "results": rows, "series": series}}


def record(results: Path) -> Path:
    """Measure; write DIR/<backend>/{module}.json and its charts."""
    report = measure()
    folder = results / report["backend"]
    draw_charts(write(report, folder / f"{{NAME}}.json"), folder, NAME)
    print(f"wrote {{folder}}/{{NAME}}.json and its charts")
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m lab.{module}", description=__doc__)
    parser.add_argument("--results", type=Path, default=Path("docs/results"), metavar="DIR")
    record(parser.parse_args().results)
'''

BENCHMARK_TEST = '''"""lab/{module}.py: it times what the post shows; its results are sound."""

from lab import {module} as benchmark
from lab.charts import draw_charts
from lab.results import RESULTS
from lab.schema import load, write


def test_a_quick_run_writes_a_valid_results_file(tmp_path):
    report = write(benchmark.measure(repeats=3), tmp_path / "{module}.json")
    assert set(report.results) == {{"jax_jit", "numpy"}}
    assert report.versions["jax"] and report.versions["numpy"]


def test_the_committed_charts_are_drawn_from_the_committed_results(tmp_path):
    paths = sorted(RESULTS.glob("*/{module}.json"))
    assert paths, "make bench ONLY={module} writes docs/results/<backend>/{module}.json"
    for path in paths:
        report = load(path)  # validated: a broken file names its field
        assert {{"jax_jit", "numpy"}} <= set(report.results), path
        for chart in draw_charts(report, tmp_path, "{module}"):
            committed = path.parent / chart.name
            stale = f"{{committed}} is stale: make bench ONLY={module}"
            assert committed.read_bytes() == chart.read_bytes(), stale
'''


def first_author(root: Path) -> str:
    """Return the first author listed in docs/.authors.yml."""
    authors = yaml.safe_load((root / "docs" / ".authors.yml").read_text(encoding="utf-8"))
    return next(iter(authors["authors"]))


def backend(kind: str) -> str:
    """Name the backend a measured post's first results come from: this machine's JAX's."""
    if kind != "measured":
        return "cpu"
    import jax  # only a measured post needs it, and it takes a second to import

    return jax.default_backend()


def plan(root: Path, slug: str, title: str, author: str, kind: str = "plain") -> dict[Path, str]:
    """Return the files to write, with their text: three, or five for a measured post."""
    module = slug.replace("-", "_")
    about = f'The post "{title}" (docs/posts/{slug}.md) shows it section by section.'
    about = textwrap.fill(about, 76)
    measures = (f'It measures what the post "{title}" says of its numbers:'
                f" ``make bench ONLY={module}``.")  # fmt: skip
    measures = textwrap.fill(measures, 90)  # however long the title, lab/'s 100 columns hold
    macros = "render_macros: true  # figures below come from docs/results/, never typed\n"
    fields = {"slug": slug, "title": title, "module": module, "author": author, "about": about,
              "macros": "" if kind == "plain" else macros,
              "measures": measures, "date": datetime.date.today().isoformat(),
              "backend": backend(kind)}  # fmt: skip
    if kind == "plain":
        return {
            root / "docs" / "posts" / f"{slug}.md": POST.format(**fields),
            root / "snippets" / f"{module}.py": MODULE.format(**fields),
            root / "tests" / f"test_{module}.py": TEST.format(**fields),
        }
    return {
        root / "docs" / "posts" / f"{slug}.md": MEASURED_POST.format(**fields),
        root / "snippets" / f"{module}.py": MEASURED_MODULE.format(**fields),
        root / "tests" / f"test_{module}.py": MEASURED_TEST.format(**fields),
        root / "lab" / f"{module}.py": BENCHMARK.format(**fields),
        root / "tests" / f"test_lab_{module}.py": BENCHMARK_TEST.format(**fields),
    }


KINDS = ("plain", "measured")


def measure(root: Path, module: str) -> None:
    """Run the new benchmark once, so the post has results and charts to cite from the start."""
    command = [sys.executable, "-m", f"lab.{module}", "--results", "docs/results"]
    if subprocess.run(command, cwd=root).returncode != 0:
        raise SystemExit(f"make post: the files are written, but lab/{module}.py failed (above); "
                         f"fix it, then run make bench ONLY={module}")  # fmt: skip


def start_post(
    root: Path, slug: str, title: str, author: str | None = None, kind: str = "plain"
) -> list[Path]:
    """Write the files, or raise ValueError (writing nothing) if the slug is bad or taken."""
    if kind not in KINDS:
        raise ValueError(f"KIND={kind!r}: use one of {', '.join(KINDS)}")
    if not SLUG.match(slug):
        raise ValueError(f"SLUG={slug!r}: use lowercase letters, digits and single hyphens")
    if len(slug) > MAX_SLUG:
        raise ValueError(f"SLUG={slug!r}: keep it to {MAX_SLUG} characters (a URL, a module name)")
    if not title.strip():
        raise ValueError('TITLE is empty: make post SLUG=my-post TITLE="My post"')
    files = plan(root, slug, title.strip(), author or first_author(root), kind)
    taken = [path.relative_to(root) for path in files if path.exists()]
    if taken:
        listed = ", ".join(map(str, taken))
        raise ValueError(f"SLUG={slug!r} is taken ({listed} exists); nothing was written")
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    if kind == "measured":
        measure(root, slug.replace("-", "_"))
    return list(files)


def main() -> None:
    """Parse SLUG and TITLE, start the post, say what to do next."""
    parser = argparse.ArgumentParser(prog="make post", description=__doc__)
    parser.add_argument("slug")
    parser.add_argument("title")
    parser.add_argument("--author", help="an id from docs/.authors.yml (default: the first)")
    parser.add_argument("--kind", default="plain", choices=KINDS, help="measured: a benchmark too")
    args = parser.parse_args()
    try:
        written = start_post(ROOT, args.slug, args.title, args.author, args.kind)
    except ValueError as problem:
        sys.exit(f"make post: {problem}")
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    post = f"docs/posts/{args.slug}.md"
    print(f"next: make serve, and write {post}; make test POST={post} checks it alone")
    if args.kind == "measured":
        module = args.slug.replace("-", "_")
        print(f"measure again with make bench ONLY={module}; commit docs/results/ with the post")


if __name__ == "__main__":
    main()
