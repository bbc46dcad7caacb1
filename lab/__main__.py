"""``make bench``: run every benchmark in lab/, each in a fresh interpreter, into DIR.

A benchmark is a lab module with a ``record(results: Path, ...)`` function; it is found by that,
not by a list. ``python -m lab DIR --only bench`` runs one; ``python -m lab --list`` names them.
"""

import argparse
import ast
import subprocess
import sys
from pathlib import Path


def benchmarks() -> dict[str, str]:
    """The lab modules that record results, each with its docstring's first line (read, not
    imported: each sets JAX up its own way, in its own process)."""
    found = {}
    for path in sorted(Path(__file__).parent.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "\ndef record(results: Path" in source:
            found[path.stem] = (ast.get_docstring(ast.parse(source)) or "").split("\n")[0]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m lab", description=__doc__)
    parser.add_argument("results", nargs="?", default="docs/results", help="DIR")
    parser.add_argument("--only", help="one benchmark's module name, e.g. bench")
    parser.add_argument("--list", action="store_true", help="name every benchmark, and stop")
    args, found = parser.parse_args(), benchmarks()
    if args.list or (args.only and args.only not in found):
        print("\n".join(f"{name:<12} {line}" for name, line in found.items()))
        sys.exit(f"ONLY={args.only}: no such benchmark" if args.only and not args.list else 0)
    for name in [args.only] if args.only else found:
        print(f"== lab.{name}", flush=True)
        subprocess.run([sys.executable, "-m", f"lab.{name}", "--results", args.results], check=True)


if __name__ == "__main__":
    main()
