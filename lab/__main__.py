"""``make bench``: run every benchmark in lab/, each in a fresh interpreter, into DIR.

A benchmark is a lab module with a ``record(results: Path)`` function and a
``--results DIR`` option; it writes docs/results/<backend>/<name>.json (lab/schema.py)
and its charts. A new one is found by that, not by a list. ``make bench ONLY=<module>``
(``python -m lab DIR --only <module>``) runs one; ``python -m lab --list`` names them all.
"""

import argparse
import ast
import subprocess
import sys
from pathlib import Path

LAB = Path(__file__).parent


def benchmarks() -> dict[str, str]:
    """The lab modules that record results, each with its docstring's first line.

    Read, not imported: each sets JAX up its own way, in its own process.
    """
    found = {}
    for path in sorted(LAB.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "\ndef record(results: Path)" in source:
            doc = ast.get_docstring(ast.parse(source)) or ""
            found[path.stem] = doc.splitlines()[0] if doc else ""
    return found


def main() -> None:
    """Run each benchmark (or the one asked for) with ``--results DIR``; stop at a failure."""
    parser = argparse.ArgumentParser(prog="python -m lab", description=__doc__)
    parser.add_argument("results", nargs="?", default="docs/results", help="DIR")
    parser.add_argument("--only", help="one benchmark's module name, e.g. bench")
    parser.add_argument("--list", action="store_true", help="name every benchmark, and stop")
    args = parser.parse_args()
    found = benchmarks()
    if args.list:
        for name, line in found.items():
            print(f"{name:<12} {line}")
        return
    if args.only and args.only not in found:
        sys.exit(f"ONLY={args.only}: no lab/{args.only}.py with record(); these have: "
                 + ", ".join(found))  # fmt: skip
    for name in [args.only] if args.only else found:
        print(f"== lab.{name}", flush=True)
        subprocess.run([sys.executable, "-m", f"lab.{name}", "--results", args.results], check=True)


if __name__ == "__main__":
    main()
