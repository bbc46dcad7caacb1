"""Helpers for tests that need a copy of the project: build it, or change it safely."""

import os
import subprocess
import sys
from pathlib import Path

from blog import cache
from blog.project import BUILD_TIMEOUT_S, copy_project

__all__ = ["copy_project", "mkdocs_build"]


def mkdocs_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict`, never with -q or -v (either one turns the anchor check off)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    # Copies share the project's stores of what depends only on its inputs (blog/cache.py):
    # a notebook runs again only if its code changed, the reader's environment is made once.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1") | cache.sharing()
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, env=env, timeout=BUILD_TIMEOUT_S
    )
