"""What the project keeps between runs, in one place: where each store lives under .cache/,
whether a run may reuse what it holds, and one tally of what ran and what was reused.

Each store keeps a result under a key that hashes everything that decides it; the module that
keys a store says what goes in:

- ``blocks``: a chain of blocks' outcomes (blog/outcomes.py)
- ``executed``: executed notebooks, by key, and ``notebooks``: each post's current one
  (blog/notebooks.py)
- ``site-checks``: what the browser saw of the same bytes, judged again each run (tests/reuse.py)
- ``lighthouse``: audits of the same bytes (tests/test_lighthouse.py)
- ``wheels``: the snippets wheel (blog/downloads.py)
- ``reader-env``: the reader's environment (blog/reader_env.py)
- ``jax``: JAX's own compilation cache; ``mkdocs-jupyter``: its renderings (mkdocs.yml)

A copy of the project (the tests' copies, ``make scale``) uses the original's stores for what
depends on nothing a copy changes by itself: SHARED_CACHE names the original's folder.
"""

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from blog.project import ROOT

STORES = ("blocks", "executed", "notebooks", "site-checks", "lighthouse", "wheels", "reader-env",
          "jax", "mkdocs-jupyter")  # fmt: skip
SHAREABLE = ("executed", "mkdocs-jupyter", "reader-env", "wheels")  # keyed on all they depend on
TALLY: Counter = Counter()  # (store, "ran" or "reused") -> how many


def folder(store: str, root: Path = ROOT) -> Path:
    """Where ``store`` lives: this project's .cache/, or, for a copy, the original's."""
    if store not in STORES:
        raise KeyError(f"no store {store!r} in blog/cache.py: {', '.join(STORES)}")
    shared = os.environ.get("SHARED_CACHE")
    return (Path(shared) if shared and store in SHAREABLE else root / ".cache") / store


def made(place: Path, make: Callable[[Path], None]) -> Path:
    """Return ``place``, made by ``make`` into an empty folder beside it, then moved in: two
    processes that find it missing at once (a build and a test) never see half of one.
    """
    if not place.exists():
        place.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=place.parent, prefix=".making-"))
        make(partial)
        try:
            os.rename(partial, place)
        except OSError:  # made meanwhile by another process: theirs is as good
            shutil.rmtree(partial)
    return place


def sharing(root: Path = ROOT) -> dict[str, str]:
    """The environment a copy of the project runs with, to share this project's stores."""
    return {"SHARED_CACHE": str(root / ".cache"),
            "MKDOCS_JUPYTER_CACHE": str(folder("mkdocs-jupyter", root))}  # fmt: skip


def reuse_allowed() -> bool:
    """Reuse kept results, except in CI, which runs everything unless told REUSE_CACHE=true.

    The GitHub workflow says so: it restores .cache/ from earlier runs, and since every entry is
    keyed on what decides it, a change runs only what it touched. `.ci/run` never does.
    """

    def yes(name: str) -> bool:
        return os.environ.get(name, "").lower() in {"1", "true", "yes"}

    return yes("REUSE_CACHE") or not yes("CI")


def count(store: str, reused: bool) -> None:
    """Count one result of ``store`` as reused or as run afresh."""
    TALLY[store, "reused" if reused else "ran"] += 1


def summary() -> list[str]:
    """One line per store that counted anything: how many ran, how many were reused."""
    why = "reused when unchanged" if reuse_allowed() else "CI=true: everything runs"
    stores = dict.fromkeys(store for store, _ in TALLY)
    return [f"{store}: {TALLY[store, 'ran']} ran, {TALLY[store, 'reused']} reused ({why})"
            for store in stores]  # fmt: skip
