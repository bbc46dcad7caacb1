"""blog/downloads.py: the snippets package as a reader gets it.

Every page that tells a reader to run ``python -m snippets...`` shows the command that installs
the package, and that command, taken from the built page and pointed at the served site,
installs in a fresh environment (jax and numpy, nothing of this project) a package whose every
module runs.
"""

import html
import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from blog import downloads
from blog.project import BUILD_TIMEOUT_S, ROOT

SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default, which the tests build with
INSTALL = re.compile(r"^pip install \S+$", re.MULTILINE)


def text_of(page: Path) -> str:
    """A built page's text, without its markup: code as a reader copies it."""
    body = page.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def pages(site: Path) -> dict[str, str]:
    return {str(page.relative_to(site)): text_of(page) for page in site.rglob("*.html")}


def test_every_page_that_says_run_a_module_shows_the_install_command(site):
    command = downloads.install_command(SITE_URL)
    told = {name: text for name, text in pages(site).items() if "python -m snippets" in text}
    assert told, "no page tells a reader to run a module"
    for name, text in told.items():
        if name.startswith("notebooks/"):
            continue  # a notebook carries the files it imports (blog/notebooks.py)
        assert command in INSTALL.findall(text), (
            f"{name} says `python -m snippets` without {command}"
        )


def test_the_wheel_is_served_and_its_bytes_follow_its_inputs_not_the_clock(site):
    served = site / downloads.FOLDER / downloads.wheel_name()
    assert served.read_bytes() == downloads.wheel().read_bytes()


def test_the_shown_command_installs_a_package_whose_every_module_runs(site, server, tmp_path):
    shown = {c for text in pages(site).values() for c in INSTALL.findall(text) if "downloads/" in c}
    assert len(shown) == 1, f"pages show different install commands: {shown}"
    command = shown.pop().replace(SITE_URL, server.rstrip("/") + "/")
    python = fresh_environment(tmp_path / "env")
    path = f"{python.parent}{os.pathsep}{os.environ['PATH']}"  # its pip first, as activated
    run = dict(cwd=tmp_path, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    env = dict(os.environ, PATH=path, PIP_NO_INDEX="1")  # jax and numpy are there already
    installed = subprocess.run(shlex.split(command), env=env, **run)
    assert installed.returncode == 0, installed.stderr
    listed = subprocess.run([python, "-m", "snippets"], check=True, **run).stdout
    modules = [line.split()[0] for line in listed.splitlines()[1:]]
    assert modules == sorted(p.stem for p in (ROOT / "snippets").glob("[!_]*.py"))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        ran = list(
            pool.map(lambda m: subprocess.run([python, "-m", f"snippets.{m}"], **run), modules)
        )
    failed = {m: r.stderr[-2000:] for m, r in zip(modules, ran, strict=True) if r.returncode}
    assert not failed, failed


def fresh_environment(env: Path) -> Path:
    """A new virtual environment (Python's own, with its pip) holding jax and numpy at the
    lock's versions, compiled as pip installs them; its python."""
    subprocess.run([sys.executable, "-m", "venv", env], check=True)
    python = env / "bin" / "python"
    uv, lock = Path(sys.executable).parent / "uv", ROOT / "requirements.lock"
    subprocess.run([uv, "pip", "install", "--quiet", "--python", python, "-c", lock,
                    "--compile-bytecode", "jax", "jaxlib", "numpy"], check=True)  # fmt: skip
    return python
