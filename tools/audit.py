"""``make audit``: Lighthouse on every page of the built site, served as GitHub Pages serves it.

An instrument, not a test: it builds the site, runs Lighthouse's mobile audit on each page with
the CPU slowdown calibrated to a mid-tier phone (tools/lighthouse.mjs), prints each page's four
scores, and fails if any falls under 0.95. Reports land in test-artifacts/lighthouse/. The
weekly workflow audit.yml runs it; `make test` holds every page to budgets that no host's speed
can move instead (tests/page_checks.py, tests/test_browser.py).
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from engine.config import CHROMIUM, CHROMIUM_FLAGS, ROOT
from tests.planting import build
from tests.static_host import serving
from tests.test_browser import PHONE_INDEX

REPORTS = ROOT / "test-artifacts" / "lighthouse"
BAR = 0.95


def report(path: str) -> Path:
    """Where a page's reports go, less their suffix: test-artifacts/lighthouse/posts-x."""
    return REPORTS / (path.strip("/").replace("/", "-") or "home")


def main() -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = build(ROOT, Path(folder) / "site")
        paths = [p.relative_to(site).as_posix().removesuffix("index.html")
                 for p in sorted(site.rglob("*.html"))
                 if 'http-equiv="refresh"' not in p.read_text()]  # fmt: skip
        with serving(site) as url:
            flags = " ".join([*CHROMIUM_FLAGS, "--headless=new"])
            command = ["node", str(ROOT / "tools" / "lighthouse.mjs"), str(CHROMIUM), flags,
                       str(PHONE_INDEX), *(f"{url}{p}={report(p)}" for p in paths)]  # fmt: skip
            subprocess.run(command, check=True, cwd=ROOT)
    low = []
    for path in paths:
        found = json.loads(Path(f"{report(path)}.report.json").read_text())
        scores = {name: c["score"] for name, c in found["categories"].items()}
        print(f"{path or '/':60} " + "  ".join(f"{n} {s:.2f}" for n, s in scores.items()))
        low += [f"{path}: {n} {s:.2f}" for n, s in scores.items() if s < BAR]
    if low:
        sys.exit("under 0.95: " + "; ".join(low))


if __name__ == "__main__":
    main()
