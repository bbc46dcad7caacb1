"""Helpers for tests that need a copy of the project: build it, or change it safely."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from blog.project import BUILD_TIMEOUT_S, ROOT


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


def mkdocs_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict`, never with -q or -v (either one turns the anchor check off)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    # Copies share the project's notebook cache: a notebook runs again only if its code changed.
    cache = str(ROOT / ".cache" / "mkdocs-jupyter")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MKDOCS_JUPYTER_CACHE=cache)
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, env=env, timeout=BUILD_TIMEOUT_S
    )
