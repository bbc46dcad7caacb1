"""Helpers for tests that need a copy of the project: build it, or change it safely."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What a working copy needs to build the site and run the tests.
PROJECT_FILES = ["mkdocs.yml", "pyproject.toml", "conftest.py", "LICENSE",
                 "docs", "jupyter", "overrides", "snippets", "hooks", "tests", "tools"]  # fmt: skip


def copy_project(destination: Path) -> Path:
    """Copy the project's sources (not .venv, site or caches) to ``destination``."""
    destination.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy(source, destination / name)
    return destination


def mkdocs_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict`, never with -q or -v (either one turns the anchor check off)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    # Copies share the project's notebook cache: a notebook runs again only if its code changed.
    cache = str(ROOT / ".cache" / "mkdocs-jupyter")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MKDOCS_JUPYTER_CACHE=cache)
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, env=env, timeout=300
    )
