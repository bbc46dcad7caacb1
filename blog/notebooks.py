"""Each post's companion notebook: built from the post's blocks, executed by the engine, once.

A notebook holds the post's runnable python blocks in order, as the page shows them, after cells
that write the files of the snippets package those blocks import: a reader downloads one file,
and it runs wherever jax and numpy are. The engine executes it as a reader would (nbclient, a
fresh kernel of blog/reader_env.py's environment, in an empty folder, errors fatal, the post's
time limit per cell) and stores
the executed copy under the key it ran under: the notebook's own text, which holds a
fingerprint of every snippet file its code comes from or imports and of the package's data
files, and the environment (JAX and jaxlib versions, backend, lock). A build executes only
notebooks whose key is not stored yet, side by side, one per core, and copies each post's to
.cache/notebooks/<slug>.ipynb, which mkdocs-jupyter renders as it is (execute: false). So a
warm build runs no code. Copies of the project (tests, make scale) share the store
(blog/cache.py).
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

from blog import cache, reader_env
from blog.blocks import imported_files
from blog.includes import for_readers
from blog.outcomes import environment_key
from blog.post import Post
from blog.project import ROOT, PostError, where

OUT = cache.folder("notebooks")  # each post's executed notebook, as the site serves it
STORE = cache.folder("executed")  # every executed notebook, by key
DATA = Path("snippets") / "data"  # the package's data files, which its modules may read


def notebook_of(post: Post, url: str) -> nbformat.NotebookNode:
    """Return the post's runnable python blocks, in order, as one notebook, not yet run."""
    carried = carried_files(post)
    intro = (f"# {post.title}: the notebook\n\nThe code of the post [{post.title}]({url}), "
             "cell by cell, as it runs on the page. Run it from the top.")  # fmt: skip
    cells = [nbformat.v4.new_markdown_cell(intro)]
    if carried:
        cells += carrying(carried, post.root)
    cells += [nbformat.v4.new_code_cell(block.code.rstrip("\n")) for block in code_of(post)]
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # not random: the key is the notebook's text
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}  # fmt: skip
    notebook.metadata["snippets_sha256"] = post.fingerprint()  # what the code runs
    return notebook


def carried_files(post: Post) -> list[Path]:
    """What the notebook must carry to run alone: the snippet modules its code imports (and
    those they import), then the package's data files (snippets/data/) those modules name.
    """
    modules = sorted(imported_files([block.code for block in code_of(post)], post.root))
    texts = [module.read_text(encoding="utf-8") for module in modules]
    data = sorted(p for p in (post.root / DATA).glob("*") if p.is_file())
    return modules + [path for path in data if any(path.name in text for text in texts)]


def carrying(files: list[Path], root: Path) -> list[nbformat.NotebookNode]:
    """Cells that write ``files`` of the snippets package beside the notebook, as a reader
    copies them (modules without the section markers that only the posts' includes read).
    """
    names = ", ".join(f"`{path.relative_to(root / 'snippets')}`" for path in files)
    why = ("The post's code imports the blog's `snippets` package (MIT licensed). The cells "
           f"below write the files it needs ({names}) into a `snippets` folder beside this "
           "notebook, so it runs wherever `jax` and `numpy` are installed "
           "(`pip install jax numpy`).")  # fmt: skip
    folders = sorted({path.parent.relative_to(root).as_posix() for path in files})
    made = "\n".join(f'os.makedirs("{folder}", exist_ok=True)' for folder in folders)
    cells = [nbformat.v4.new_markdown_cell(why), nbformat.v4.new_code_cell(f"import os\n\n{made}")]
    return cells + [nbformat.v4.new_code_cell(writing(path, root)) for path in files]


def writing(path: Path, root: Path) -> str:
    """A cell that writes one carried file: a module as a reader reads it (%%writefile), a
    data file exactly as its text is, from a Python string.
    """
    name = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PostError(f"{name}: a notebook carries text files only; this one is binary") from None
    if path.suffix == ".py":
        module = for_readers(text).rstrip("\n")
        return f"%%writefile {name}\n{module}"
    return f"with open({name!r}, 'w', encoding='utf-8') as file:\n    file.write({text!r})"


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
    if to_run:
        reader_env.kernels()  # made once, before the kernels start side by side
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        ran = pool.map(run, [(post, notebook) for post, notebook, _ in to_run])
        for (_, _, kept), notebook in zip(to_run, ran, strict=True):
            nbformat.write(notebook, kept)
    for post, _, kept in keyed:
        served = OUT / f"{post.slug}.ipynb"
        if not served.exists() or served.read_bytes() != kept.read_bytes():
            shutil.copyfile(kept, served)
    ran = {kept for _, _, kept in to_run}
    for _, _, kept in keyed:
        cache.count("executed", reused=kept not in ran)
    return {"ran": len(to_run), "reused": len(keyed) - len(to_run)}


def run(job: tuple[Post, nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """Execute one post's notebook as a reader would. A cell that raises or outlasts the time
    limit fails the post, at its block's line.
    """
    post, notebook = job
    limit = post.time_limit  # the post's own, or the project's default
    started: list[int] = []  # the cells begun, in order: the last one is where it stopped
    with tempfile.TemporaryDirectory() as folder:
        failed = execute(notebook, limit, started.append, Path(folder))
    if failed:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", str(failed))  # no terminal colours in a log
        blocks = code_of(post)
        first_block = len(notebook.cells) - len(blocks)  # the cells before write the package
        if started[-1] < first_block:
            raise PostError(f"{where(post.path)}: its notebook failed before its first block, "
                            f"writing the snippets it carries:\n{plain}") from None  # fmt: skip
        block = blocks[started[-1] - first_block]
        raise PostError(f"{block.where}: the block failed in the post's notebook (limit "
                        f"{limit:g} s a cell, {limit.source}):\n{plain}") from None  # fmt: skip
    return notebook


def execute(notebook: nbformat.NotebookNode, limit: float, on_cell: Callable,
            folder: Path, root: Path = ROOT) -> Exception | None:  # fmt: skip
    """Run every cell in ``folder`` with a fresh kernel of the reader's environment, ``limit``
    seconds each; return what stopped it.
    """
    with tempfile.TemporaryDirectory() as sockets:
        # A local socket, not TCP: nothing else on the machine can talk to the kernel.
        kernel = KernelManager(
            kernel_name=reader_env.KERNEL,
            transport="ipc",
            ip=f"{sockets}/kernel",
            kernel_spec_manager=reader_env.kernels(root),
        )
        client = NotebookClient(notebook, km=kernel, timeout=limit,
                                resources={"metadata": {"path": str(folder)}},
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
