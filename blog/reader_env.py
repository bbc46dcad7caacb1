"""Where a reader runs a downloaded notebook: Python with jax, numpy and a Jupyter kernel, and
nothing of this project (what Colab or a new Jupyter has).

The engine executes every post's notebook with this environment's kernel, in an empty folder,
and the tests run each notebook the site serves the same way: a notebook that needs the
project installed fails here, not in a reader's hands. One is made per lock, at the lock's
versions (uv, which `make` installs), in .cache/reader-env/<key>/.
"""

import hashlib
import subprocess
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

from blog.cache import folder, made
from blog.project import ROOT

PACKAGES = ("jax", "jaxlib", "numpy", "ipykernel")  # all a reader is assumed to have
# Compiled at install, as pip does: an interpreter told not to write bytecode (as CI machines
# often are) would otherwise compile JAX anew in every kernel, a second more for each notebook.
INSTALL = ("--compile-bytecode",)
KERNEL = "reader"


def location(root: Path = ROOT) -> Path:
    """The environment's folder: keyed by the lock and the packages, so a new lock makes anew."""
    lock = (root / "requirements.lock").read_bytes()
    key = hashlib.sha256(lock + " ".join(PACKAGES + INSTALL).encode()).hexdigest()[:16]
    return folder("reader-env", root) / key


def kernels(root: Path = ROOT) -> KernelSpecManager:
    """A kernel-spec manager that knows one kernel, KERNEL, the reader's; made if missing."""
    env = made(location(root), lambda partial: make(partial, root))
    return KernelSpecManager(kernel_dirs=[str(env / "share" / "jupyter" / "kernels")])


def make(partial: Path, root: Path) -> None:
    """Make the environment in ``partial``, a folder that is then moved to location(root)."""
    uv = Path(sys.executable).parent / "uv"
    if not uv.exists():
        raise RuntimeError(f"{uv} is missing: `make` installs it from requirements.lock")
    python = partial / "bin" / "python"
    lock = str(root / "requirements.lock")
    install = [uv, "pip", "install", "--quiet", "--python", python, "--constraint", lock]
    for command in (
        [uv, "venv", "--quiet", "--python", sys.executable, partial],
        [*install, *INSTALL, *PACKAGES],
        [python, "-m", "ipykernel", "install", "--prefix", partial, "--name", KERNEL],
    ):
        subprocess.run([str(part) for part in command], check=True, capture_output=True)
    # The kernel spec names the interpreter by its path: point it at the final place.
    spec = partial / "share" / "jupyter" / "kernels" / KERNEL / "kernel.json"
    spec.write_text(spec.read_text().replace(str(partial), str(location(root))))
