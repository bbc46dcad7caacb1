"""The snippets package as a reader installs it: a wheel that the site serves at downloads/.

A page shows the command that installs it (``{{ install_snippets }}``, hooks/macros.py), and a
test follows that command as the built page shows it. The wheel is built once per change of
what goes into it, with a fixed timestamp, so its bytes follow its inputs and not the clock.
"""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from engine.config import ROOT
from engine.store import Store, digest

FOLDER = "downloads"  # where the site serves it
EPOCH = "315532800"  # 1980-01-01, the earliest time a zip can hold


def wheel_name(root: Path = ROOT) -> str:
    """The wheel's file name, from pyproject.toml's name and version (pure Python, any OS)."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return f"{project['name'].replace('-', '_')}-{project['version']}-py3-none-any.whl"


def install_command(site_url: str, root: Path = ROOT) -> str:
    """What a reader runs: pip, pointed at the wheel on the published site."""
    return f"pip install {site_url.rstrip('/')}/{FOLDER}/{wheel_name(root)}"


def inputs(root: Path) -> list[Path]:
    """What the wheel is made of: the package, its metadata and its licence."""
    package = sorted(p for p in (root / "snippets").rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts)  # fmt: skip
    return [root / "pyproject.toml", root / "LICENSE", *package]


def wheel(root: Path = ROOT) -> Path:
    """Build the wheel unless these very inputs built it before; return its path."""
    key = digest(*(f"{p.relative_to(root)}\0" + p.read_text("latin-1") for p in inputs(root)))

    def build(into: Path) -> None:
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                   "--no-build-isolation", "--wheel-dir", str(into), str(root)]  # fmt: skip
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=root)

    return Store("wheel", root).made(key[:16], build) / wheel_name(root)
