"""Where a reader runs the posts' code: a Python environment with jax and numpy (and what they
need, and any JAX plugin installed here, such as CUDA's), and nothing of this project.

It is a virtual environment whose site-packages links, entry by entry, the very files of those
distributions in this one: the lock's versions, checked by hash at install, with nothing to
download. Made once per set of versions, under .cache/reader-env/<key>/.
"""

import functools
import importlib.metadata
import subprocess
import sys
import sysconfig
from pathlib import Path

from packaging.requirements import Requirement

from engine.store import Store, digest

WANTED = ("jax", "jaxlib", "numpy")  # all a reader is assumed to have
STORE = Store("reader-env")


def distributions() -> dict[str, importlib.metadata.Distribution]:
    """WANTED, JAX's installed plugins, and everything they require, by name."""
    plugins = {
        ep.dist.name for ep in importlib.metadata.entry_points(group="jax_plugins") if ep.dist
    }
    todo, found = [*WANTED, *plugins], {}
    while todo:
        dist = importlib.metadata.distribution(todo.pop())
        name = dist.metadata["Name"].lower().replace("_", "-")
        if name in found:
            continue
        found[name] = dist
        for requirement in map(Requirement, dist.requires or []):
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return found


def top_level(dist: importlib.metadata.Distribution) -> set[str]:
    """The entries a distribution puts in site-packages: packages, modules, its .dist-info."""
    return {Path(file).parts[0] for file in dist.files or [] if not str(file).startswith("..")}


@functools.cache
def python() -> Path:
    """The reader environment's interpreter, made if missing."""
    found = distributions()
    key = digest(sys.version, *sorted(f"{n}=={d.version}" for n, d in found.items()))[:16]

    def make(folder: Path) -> None:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
        here = Path(sysconfig.get_path("purelib"))
        there = folder / Path(sysconfig.get_path("purelib")).relative_to(sys.prefix)
        for entry in sorted({e for dist in found.values() for e in top_level(dist)}):
            if (here / entry).exists():
                (there / entry).symlink_to(here / entry)

    env = STORE.made(key, make)
    return env / "bin" / "python"
