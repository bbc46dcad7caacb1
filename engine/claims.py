"""Which runs a post's page may say its outputs were checked on.

The page always names the run it shows: the lock's JAX on a CPU, which the test suite checks
before the site is published. Any other run (another JAX series, `make test JAX=0.11`; a GPU)
that passes every block of a post is written to docs/results/checked.json under the key of the
post's code (engine/runs.py). The page names it only while that key is the post's key today: an
edit to the post or its snippets takes the claim away until the run is made again.
"""

import json
import threading
from pathlib import Path

from engine.blocks import Run
from engine.config import ROOT, locked_jax
from engine.post import Post
from engine.runs import code_key

CHECKED = Path("docs") / "results" / "checked.json"
_WRITING = threading.Lock()


def shows(run: Run) -> bool:
    """Tell whether ``run`` is the one the pages show: the CPU, with the lock's JAX series."""
    return run.backend == "cpu" and run.series == Run("cpu", locked_jax()).series


def read(root: Path = ROOT) -> dict[str, dict[str, str]]:
    path = root / CHECKED
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def record_pass(post: Post, record: object) -> None:
    """Note that every block of ``post`` passed in ``record``'s run (unless the pages show it)."""
    if shows(record.run):
        return
    with _WRITING:
        checked = read(post.root)
        name = post.path.relative_to(post.root).as_posix()
        checked.setdefault(name, {})[str(record.run)] = code_key(post)
        (post.root / CHECKED).write_text(json.dumps(checked, indent=1, sort_keys=True) + "\n")


def claimed(post: Post) -> list[Run]:
    """The other runs the page may name: those that passed on the post's code as it is today."""
    today = code_key(post)
    runs = read(post.root).get(post.path.relative_to(post.root).as_posix(), {})
    return sorted(Run(*run.split(" with jax ")) for run, key in runs.items() if key == today)
