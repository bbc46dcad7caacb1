"""Helpers for tests that need a copy of the project: build it, or change it safely."""

import os
import subprocess
import sys
from pathlib import Path

from blog.project import BUILD_TIMEOUT_S, ROOT, copy_project

__all__ = ["copy_project", "mkdocs_build"]


def mkdocs_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict`, never with -q or -v (either one turns the anchor check off)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    # Copies share the project's executed notebooks (keyed on their code and environment) and
    # mkdocs-jupyter's renderings of them: a notebook runs again only if its code changed.
    cache = ROOT / ".cache"
    shared = {"MKDOCS_JUPYTER_CACHE": "mkdocs-jupyter", "EXECUTED_NOTEBOOKS": "executed"}
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1") | {k: str(cache / v) for k, v in shared.items()}
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, env=env, timeout=BUILD_TIMEOUT_S
    )
