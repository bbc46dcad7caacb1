"""The snippets package as a reader installs it: a wheel the site serves at downloads/.

Every page that tells a reader to run ``python -m snippets.<name>`` shows the one command that
installs it (``{{ install_snippets }}``, hooks/macros.py); tests/test_downloads.py follows that
command, as the built page shows it, in a fresh environment. The wheel is built once per
change of what goes into it, with a fixed timestamp, so its bytes change only with its inputs.
"""

import hashlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from blog.cache import folder, made
from blog.project import ROOT

FOLDER = "downloads"  # where the site serves it
EPOCH = "315532800"  # 1980-01-01, the earliest time a zip can hold: no clock in the bytes


def wheel_name(root: Path = ROOT) -> str:
    """The wheel's file name, from pyproject.toml's name and version (pure Python, any OS)."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return f"{project['name'].replace('-', '_')}-{project['version']}-py3-none-any.whl"


def install_command(site_url: str, root: Path = ROOT) -> str:
    """What a reader runs: pip, pointed at the wheel on the published site."""
    return f"pip install {site_url.rstrip('/')}/{FOLDER}/{wheel_name(root)}"


def inputs(root: Path) -> list[Path]:
    """What the wheel is made of: the package, its metadata, its readme and licence."""
    package = sorted(
        p for p in (root / "snippets").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    return [root / "pyproject.toml", root / "README.md", root / "LICENSE", *package]


def wheel(root: Path = ROOT) -> Path:
    """Build the wheel unless these inputs built it before; return its path under .cache/."""
    digest = hashlib.sha256()
    for path in inputs(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())

    def build(into: Path) -> None:
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                   "--no-build-isolation", "--wheel-dir", str(into), str(root)]  # fmt: skip
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=root)

    return made(folder("wheels", root) / digest.hexdigest()[:16], build) / wheel_name(root)
