"""What a chain of blocks did, remembered under everything that decides it.

The key is the chain's code, every snippet file it comes from or imports (read from the code),
the JAX and jaxlib versions, the backend and the lock file. A kept run also names every project
file it really used (blog/child.py: modules imported in any way, files opened), and is reused
only while each of those is unchanged, byte for byte. `make serve` and a local `make test`
share this cache (.cache/blocks/), so an unchanged page reloads at once and an unchanged post
is not run twice.
With CI=true, `make test` runs every chain, unless REUSE_CACHE=true. Only clean runs are kept:
a block that raised or timed out runs again next time.
"""

import functools
import hashlib
import importlib.metadata
import json
from dataclasses import asdict

from blog.blocks import Block, fingerprint
from blog.cache import folder
from blog.post import time_limit_of
from blog.project import ROOT
from blog.run import Outcome, backend, run_chain

CACHE = folder("blocks")


@functools.cache
def environment_key() -> str:
    """What decides every outcome besides the code: versions, backend, the locked packages."""
    versions = [importlib.metadata.version(name) for name in ("jax", "jaxlib")]
    lock = hashlib.sha256((ROOT / "requirements.lock").read_bytes()).hexdigest()
    return " ".join([*versions, backend(), lock])


def chain_key(chain: list[Block]) -> str:
    """Hash what decides a chain's outcome: its code, the snippets it uses, the environment."""
    return fingerprint(chain, environment_key(), *(block.code for block in chain))


def cached_run(
    chain: list[Block], timeout: float | None = None, reuse: bool = True
) -> tuple[list[Outcome], bool]:
    """Run a chain, or reuse a clean earlier run of the same key; say which it was.

    The time limit is the chain's post's own (its front matter's ``time_limit_s``) unless given.
    """
    timeout = timeout or time_limit_of(chain[0].post.path)
    entry = CACHE / f"{chain_key(chain)}.json"
    if reuse and entry.exists():
        kept = json.loads(entry.read_text(encoding="utf-8"))
        if isinstance(kept, dict) and unchanged(kept["loaded"]):
            return [Outcome(**o) for o in kept["outcomes"]], True
    outcomes = run_chain(chain, timeout)
    if not any(o.error for o in outcomes):
        loaded = sorted({name for outcome in outcomes for name in outcome.loaded})
        kept = {"outcomes": [asdict(o) for o in outcomes], "loaded": hashes(loaded)}
        CACHE.mkdir(parents=True, exist_ok=True)
        entry.write_text(json.dumps(kept), encoding="utf-8")
    return outcomes, False


def hashes(names: list[str]) -> dict[str, str]:
    """Each project file's sha256, by its path under the project."""
    return {name: hashlib.sha256((ROOT / name).read_bytes()).hexdigest() for name in names}


def unchanged(loaded: dict[str, str]) -> bool:
    """Tell whether every project file a kept run used is still there, byte for byte."""
    return all((ROOT / name).is_file() for name in loaded) and hashes(list(loaded)) == loaded
