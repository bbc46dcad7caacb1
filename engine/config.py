"""Where the project is, what mkdocs.yml says about it, and the time limits, each set once."""

import functools
import os
import re
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parents[1]

# A chain of blocks may run this long; a post whose honest example is slower raises its own
# limit in its front matter (time_limit_s: 300), up to the ceiling. A build or a test that
# builds a site gets the last one.
BLOCK_TIMEOUT_S = 120
MAX_BLOCK_TIMEOUT_S = 600
BUILD_TIMEOUT_S = 300


class PostError(Exception):
    """A mistake in a post or its snippets; the message starts with the file and line."""


def where(path: Path, line: int | None = None, root: Path = ROOT) -> str:
    """Name a file (relative to the project when it is inside it) and optionally a line."""
    path = Path(path)
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    return f"{shown}:{line}" if line else str(shown)


def time_limit(meta: dict, path: Path) -> tuple[float, str]:
    """A post's limit per chain of blocks, and where it was set, for a failure message."""
    asked = meta.get("time_limit_s")
    if asked is None:
        return BLOCK_TIMEOUT_S, "BLOCK_TIMEOUT_S in engine/config.py"
    if isinstance(asked, bool) or not isinstance(asked, int | float) or asked <= 0:
        raise PostError(f"{where(path)}: time_limit_s must be a number of seconds, not {asked!r}")
    if asked > MAX_BLOCK_TIMEOUT_S:
        raise PostError(
            f"{where(path)}: time_limit_s: {asked} s is over the ceiling of "
            f"{MAX_BLOCK_TIMEOUT_S} s (MAX_BLOCK_TIMEOUT_S in engine/config.py)"
        )
    return float(asked), f"time_limit_s in the front matter of {where(path)}"


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
            options["base_path"] = [
                str(root / b) for b in ([base] if isinstance(base, str) else base)
            ]
            return options
    raise PostError(f"{where(root / 'mkdocs.yml')}: pymdownx.snippets is not configured")


@functools.cache
def locked_jax(root: Path = ROOT) -> str:
    """The JAX version the lock pins: the one the pages show, on the CPU."""
    found = re.search(r"^jax==([\d.]+)", (root / "requirements.lock").read_text(), re.M)
    if not found:
        raise PostError(f"{where(root / 'requirements.lock')}: pins no jax==")
    return found[1]


# The browser that draws diagrams at build and that the browser tests drive: Debian's Chromium,
# or another Chromium or Chrome named by CHROMIUM_PATH; the flags it needs on a closed network.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update"]  # fmt: skip
