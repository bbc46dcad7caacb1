"""Where the project is, what mkdocs.yml says about it, and the time limits, each set once."""

import functools
import shutil
import subprocess
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parents[1]

# The time limits, here and nowhere else. A chain of blocks and a notebook cell run the same
# code, so they share one limit; a site build or a test that builds a site gets the other.
# A post whose honest example is slow may raise its own limit in its front matter
# (``time_limit_s: 300``), up to the ceiling.
BLOCK_TIMEOUT_S = 120
MAX_BLOCK_TIMEOUT_S = 600
BUILD_TIMEOUT_S = 300


class TimeLimit(float):
    """Seconds a chain of blocks may run, which remember which limit they are."""

    source: str

    def __new__(cls, seconds: float, source: str) -> "TimeLimit":
        """Make the limit; ``source`` names it in a failure message."""
        limit = super().__new__(cls, seconds)
        limit.source = source
        return limit


DEFAULT_LIMIT = "the project's default, BLOCK_TIMEOUT_S in blog/project.py"


def time_limit(meta: dict, path: Path) -> TimeLimit:
    """A post's limit per chain of blocks: its front matter's ``time_limit_s``, else the default.

    A limit over the project's ceiling fails, naming both, so no post can hang CI for long.
    """
    asked = meta.get("time_limit_s")
    if asked is None:
        return TimeLimit(BLOCK_TIMEOUT_S, DEFAULT_LIMIT)
    if isinstance(asked, bool) or not isinstance(asked, int | float) or asked <= 0:
        raise PostError(f"{where(path)}: time_limit_s must be a number of seconds, not {asked!r}")
    if asked > MAX_BLOCK_TIMEOUT_S:
        raise PostError(
            f"{where(path)}: time_limit_s: {asked} s is over the project's ceiling of "
            f"{MAX_BLOCK_TIMEOUT_S} s (MAX_BLOCK_TIMEOUT_S in blog/project.py)"
        )
    return TimeLimit(asked, f"time_limit_s in the front matter of {where(path)}")


class PostError(Exception):
    """A mistake in a post or its snippets; the message starts with the file and line."""


def where(path: Path, line: int | None = None) -> str:
    """Name a file (relative to the project when it is inside it) and optionally a line."""
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return f"{shown}:{line}" if line else str(shown)


@functools.cache
def mkdocs_config(root: Path = ROOT) -> dict:
    """mkdocs.yml as written (environment tags resolved), read once."""
    with open(root / "mkdocs.yml", encoding="utf-8") as f:
        return yaml_load(f)


def plugin_options(name: str, root: Path = ROOT) -> dict:
    """The options mkdocs.yml gives a plugin, or {} when it gives none."""
    for entry in mkdocs_config(root)["plugins"]:
        if isinstance(entry, dict) and name in entry:
            return dict(entry[name] or {})
    return {}


@functools.cache
def snippet_options(root: Path = ROOT) -> dict:
    """pymdownx.snippets' options exactly as mkdocs.yml sets them, base paths made absolute."""
    for entry in mkdocs_config(root)["markdown_extensions"]:
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            options = dict(entry["pymdownx.snippets"] or {})
            base = options.get("base_path", ["."])
            base = [base] if isinstance(base, str) else base
            options["base_path"] = [str(root / b) for b in base]
            return options
    raise PostError(f"{where(root / 'mkdocs.yml')}: pymdownx.snippets is not configured")


def project_files() -> list[str]:
    """What a clone would hold: tracked files and new ones git does not ignore."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
    return [name for name in listed.stdout.splitlines() if (ROOT / name).is_file()]


def copy_project(destination: Path) -> Path:
    """Copy the project's sources (not .venv, site or caches) to ``destination``."""
    for name in project_files():
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination / name)
    return destination
