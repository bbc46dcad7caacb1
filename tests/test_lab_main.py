"""lab/__main__.py (make bench): benchmarks are found by record(), one runs with ONLY=."""

import subprocess
import sys

from blog.project import ROOT
from lab.__main__ import benchmarks


def test_every_lab_module_with_record_is_a_benchmark_and_no_other():
    found = benchmarks()
    with_record = sorted(p.stem for p in (ROOT / "lab").glob("*.py")
                         if "\ndef record(results: Path)" in p.read_text())  # fmt: skip
    assert list(found) == with_record and {"bench", "timing"} <= set(found)
    assert all(found.values()), "each benchmark's docstring says what it measures"


def test_only_a_benchmark_that_exists_is_run():
    command = [sys.executable, "-m", "lab", "docs/results", "--only", "nope"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode != 0
    assert "ONLY=nope: no lab/nope.py with record(); these have: bench," in done.stderr
