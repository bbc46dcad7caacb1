"""What the browser saw of a built site, kept so that an unchanged site is not looked at again.

A browser pass (every page's load, budgets, axe and copy buttons; the searches; the palette)
observes the built site; the tests then judge what it observed. Locally, when every byte of the
site, the observing code and the locked tools are what they were, the same pass would observe
the same, so its observations are reused and judged again, as blocks reuse their outcomes and
are checked again (blog/outcomes.py). Only a pass that found nothing wrong is kept: a problem is
always looked at afresh. With CI=true every pass runs. The test summary counts both.
"""

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from blog import cache
from blog.project import ROOT

CACHE = cache.folder("site-checks")
# What decides an observation besides the site: the code that observes, and the tools it drives.
OBSERVERS = ("tests/test_browser.py", "tests/page_budgets.py", "tests/chromium.py",
             "package-lock.json", "requirements.lock")  # fmt: skip


def site_hash(site: Path) -> str:
    """Hash every file of a built site, names and bytes, in a fixed order.

    The feeds are left out: they carry the time of the build, and no browser check reads them.
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        if not path.name.startswith("feed_"):
            digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def observed(
    name: str,
    site_bytes: str,
    observe: Callable[[], Any],
    all_well: Callable[[Any], bool],
    still_true: Callable[[Any], bool] = lambda _: True,
) -> Any:
    """What ``observe`` sees of the site (JSON-like data): kept from an earlier pass over the
    same bytes with the same code, when reuse is allowed and ``still_true`` of it (what it left
    on disk is there), or observed now and kept if ``all_well`` with it."""
    digest = hashlib.sha256(f"{name}\0{site_bytes}".encode())
    for part in OBSERVERS:
        digest.update((ROOT / part).read_bytes())
    entry = CACHE / f"{digest.hexdigest()}.json"
    if cache.reuse_allowed() and entry.exists():
        kept = json.loads(entry.read_text(encoding="utf-8"))
        if still_true(kept):
            cache.count("site-checks", reused=True)
            return kept
    seen = json.loads(json.dumps(observe()))  # as the kept copy would read back: lists, str keys
    cache.count("site-checks", reused=False)
    if all_well(seen):
        CACHE.mkdir(parents=True, exist_ok=True)
        entry.write_text(json.dumps(seen), encoding="utf-8")
    return seen
