"""Checks of the built site that need not run twice on the same bytes.

A browser check (a clean load, axe, a copy button, Lighthouse) looks at the built site. Locally,
when every byte of the site, the check's own code and the locked tools are what they were when
the check last passed, its verdict cannot differ, so it is reused, as blocks reuse their
outcomes (blog/outcomes.py). With CI=true every check runs. The test summary counts both.
"""

import hashlib
import inspect
from pathlib import Path

from blog import cache
from blog.project import ROOT

CACHE = cache.folder("site-checks")


def site_hash(site: Path) -> str:
    """Hash every file of a built site, names and bytes, in a fixed order.

    The feeds are left out: they carry the time of the build, and no browser check reads them.
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        if not path.name.startswith("feed_"):
            digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Verdict:
    """One check over one set of inputs: passed before (reusable), or to run and record."""

    def __init__(self, check: object, *inputs: str) -> None:
        """Key the check on its source, the inputs given, and the locked tools."""
        digest = hashlib.sha256(inspect.getsource(inspect.getmodule(check)).encode())
        for part in (*inputs, *(ROOT / n for n in ("package-lock.json", "requirements.lock"))):
            digest.update(part.read_bytes() if isinstance(part, Path) else part.encode())
        self.entry = CACHE / digest.hexdigest()

    def passed_before(self, still_there: bool = True) -> bool:
        """Tell whether this very check passed on these very inputs (never in CI), and what it
        left behind (``still_there``) is still there; count the check as reused or run."""
        reused = cache.reuse_allowed() and still_there and self.entry.exists()
        cache.count("site-checks", reused)
        return reused

    def record(self) -> None:
        """Remember that the check passed; call it last, after every assertion."""
        CACHE.mkdir(parents=True, exist_ok=True)
        self.entry.touch()
