"""Each post's companion notebook: built from the post's blocks, executed by the engine, once.

A notebook holds the post's runnable python blocks in order, as the page shows them. The engine
executes it (nbclient, a fresh kernel, errors fatal, the post's time limit per cell) and stores
the executed copy under the key it ran under: the notebook's own text, which holds a
fingerprint of every snippet file its code comes from or imports and of the package's data
files, and the environment (JAX and jaxlib versions, backend, lock). A build executes only
notebooks whose key is not stored yet, side by side, one per core, and copies each post's to
.cache/notebooks/<slug>.ipynb, which mkdocs-jupyter renders as it is (execute: false). So a
warm build runs no code. Copies of the project (tests, make scale) share the store through
EXECUTED_NOTEBOOKS.
"""

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from blog.outcomes import environment_key
from blog.post import Post
from blog.project import ROOT, PostError

OUT = ROOT / ".cache" / "notebooks"  # each post's executed notebook, as the site serves it
STORE = Path(os.environ.get("EXECUTED_NOTEBOOKS", ROOT / ".cache" / "executed"))  # by key


def notebook_of(post: Post, url: str) -> nbformat.NotebookNode:
    """Return the post's runnable python blocks, in order, as one notebook, not yet run."""
    intro = (f"# {post.title}: the notebook\n\nThe code of the post [{post.title}]({url}), "
             "cell by cell, as it runs on the page. Run it from the top.")  # fmt: skip
    cells = [nbformat.v4.new_markdown_cell(intro)]
    cells += [nbformat.v4.new_code_cell(block.code.rstrip("\n")) for block in code_of(post)]
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # not random: the key is the notebook's text
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}  # fmt: skip
    notebook.metadata["snippets_sha256"] = post.fingerprint()  # what the code runs
    return notebook


def code_of(post: Post) -> list:
    """The blocks that become code cells: every runnable python block, in order."""
    return [block for block in post.blocks if block.runner == "python"]


def key_of(notebook: nbformat.NotebookNode) -> str:
    """What decides an executed notebook: its text and the environment it runs in."""
    text = nbformat.writes(notebook)
    return hashlib.sha256(f"{text}\0{environment_key()}".encode()).hexdigest()


def executed(jobs: list[tuple[Post, nbformat.NotebookNode]]) -> dict[str, int]:
    """Make each post's executed notebook current in OUT; return how many ran and how many
    were reused. Those that must run, run side by side; the first failure raises, naming the
    post's line of the block whose cell failed.
    """
    STORE.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    keyed = [(post, notebook, STORE / f"{key_of(notebook)}.ipynb") for post, notebook in jobs]
    to_run = [(post, notebook, kept) for post, notebook, kept in keyed if not kept.exists()]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        ran = pool.map(run, [(post, notebook) for post, notebook, _ in to_run])
        for (_, _, kept), notebook in zip(to_run, ran, strict=True):
            nbformat.write(notebook, kept)
    for post, _, kept in keyed:
        served = OUT / f"{post.slug}.ipynb"
        if not served.exists() or served.read_bytes() != kept.read_bytes():
            shutil.copyfile(kept, served)
    return {"ran": len(to_run), "reused": len(keyed) - len(to_run)}


def run(job: tuple[Post, nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """Execute one post's notebook, from the project root. A cell that raises or outlasts the
    time limit fails the post, at its block's line.
    """
    post, notebook = job
    limit = post.time_limit  # the post's own, or the project's default
    started: list[int] = []  # the cells begun, in order: the last one is where it stopped
    failed = execute(notebook, limit, started.append)
    if failed:
        block = code_of(post)[started[-1] - 1]  # cell 0 is the introduction
        plain = re.sub(r"\x1b\[[0-9;]*m", "", str(failed))  # no terminal colours in a log
        raise PostError(f"{block.where}: the block failed in the post's notebook (limit "
                        f"{limit:g} s a cell, {limit.source}):\n{plain}") from None  # fmt: skip
    return notebook


def execute(notebook: nbformat.NotebookNode, limit: float, on_cell: Callable) -> Exception | None:
    """Run every cell in a fresh kernel, ``limit`` seconds each; return what stopped it."""
    with tempfile.TemporaryDirectory() as sockets:
        # A local socket, not TCP: nothing else on the machine can talk to the kernel.
        kernel = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/kernel")
        client = NotebookClient(notebook, km=kernel, timeout=limit,
                                resources={"metadata": {"path": str(ROOT)}},
                                on_cell_start=lambda cell, cell_index: on_cell(cell_index),
                                )  # fmt: skip
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError) as failure:
            return failure
        finally:
            if kernel.has_kernel:
                kernel.shutdown_kernel(now=True)
    return None
