"""``make bench``: run every benchmark in lab/, each in a fresh interpreter, into DIR.

A benchmark is a lab module with a ``record(results: Path)`` function and a
``--results DIR`` option; it writes docs/results/<backend>/<name>.json (the shape
lab/results.py reads) and its charts. A new one is found by that, not by a list.
"""

import subprocess
import sys
from pathlib import Path

LAB = Path(__file__).parent


def benchmarks() -> list[str]:
    """The lab modules that record results, read (not imported: JAX setup differs)."""
    return sorted(
        path.stem
        for path in LAB.glob("*.py")
        if "\ndef record(results: Path)" in path.read_text(encoding="utf-8")
    )


def main() -> None:
    """Run each benchmark with ``--results`` (default docs/results); stop at a failure."""
    results = sys.argv[1] if len(sys.argv) > 1 else "docs/results"
    for name in benchmarks():
        print(f"== lab.{name}", flush=True)
        subprocess.run([sys.executable, "-m", f"lab.{name}", "--results", results], check=True)


if __name__ == "__main__":
    main()
