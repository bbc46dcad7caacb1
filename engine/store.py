"""Everything kept between runs, through one API: a ``Store`` under .cache/<name>/, whose entries
are named by a key that hashes all that decides them, and one rule for when they may be reused.

The rule: reuse anything locally; with CI=true, reuse only what this process made, unless
REUSE_CACHE=true (the GitHub workflow restores .cache/ and says so, since every key holds what
decides its entry). One tally counts, per store, what ran and what was reused; the test summary
prints it.
"""

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from engine.config import ROOT

TALLY: Counter = Counter()  # (store, "ran" or "reused") -> how many
MAKING = threading.Lock()


def digest(*parts: str | bytes) -> str:
    """A key: the sha256 of the parts, each told apart from the next."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update((part.encode() if isinstance(part, str) else part) + b"\0")
    return hashed.hexdigest()


def reuse_allowed() -> bool:
    """Locally yes; with CI=true only when REUSE_CACHE=true says the keys may be trusted."""
    on = {n for n in ("CI", "REUSE_CACHE") if os.environ.get(n, "").lower() in {"1", "true", "yes"}}
    return "REUSE_CACHE" in on or "CI" not in on


class Store:
    """Entries under .cache/<name>/: JSON values (get/put) or folders made whole (made)."""

    def __init__(self, name: str, root: Path = ROOT) -> None:
        self.name, self.folder = name, root / ".cache" / name
        self.made_here: set[str] = set()

    def get(self, key: str) -> object | None:
        """The value kept under ``key``, if there is one and the rule allows its reuse."""
        path = self.folder / f"{key}.json"
        if not path.exists() or not (reuse_allowed() or key in self.made_here):
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def put(self, key: str, value: object) -> None:
        """Keep ``value`` under ``key``; written beside, then moved, so no reader sees half."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=self.folder, delete=False, suffix=".tmp") as f:
            json.dump(value, f)
        os.replace(f.name, self.folder / f"{key}.json")
        self.made_here.add(key)

    def made(self, key: str, make: Callable[[Path], None]) -> Path:
        """The folder kept under ``key``, made by ``make`` into an empty folder first and moved
        into place, so that two processes that find it missing never see half of one.
        """
        with MAKING:  # two threads that find it missing make it once
            return self.make(key, make)

    def make(self, key: str, make: Callable[[Path], None]) -> Path:
        place = self.folder / key
        if place.exists() and (reuse_allowed() or key in self.made_here):
            count(self.name, reused=True)
            return place
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=self.folder, prefix=".making-"))
        make(partial)
        shutil.rmtree(place, ignore_errors=True)
        try:
            os.rename(partial, place)
        except OSError:  # made meanwhile by another process: theirs is as good
            shutil.rmtree(partial)
        self.made_here.add(key)
        count(self.name, reused=False)
        return place


def count(store: str, reused: bool) -> None:
    """Count one result of ``store`` as reused or as made afresh."""
    TALLY[store, "reused" if reused else "ran"] += 1


def summary() -> list[str]:
    """One line per store that counted anything: how many ran, how many were reused."""
    why = "reused when unchanged" if reuse_allowed() else "CI=true: everything runs"
    stores = dict.fromkeys(store for store, _ in TALLY)
    return [f"{store}: {TALLY[store, 'ran']} ran, {TALLY[store, 'reused']} reused ({why})"
            for store in stores]  # fmt: skip
