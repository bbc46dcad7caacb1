"""Each post's companion notebook: its python blocks in order, as cells, after one setup cell that
writes the snippet files they need beside the notebook, so it runs wherever jax and numpy are.

The engine runs exactly these cells (engine/runs.py), so the notebook is not run again: its
outputs are that run's. A block that raises on purpose is tagged ``raises-exception``, so that
running the whole notebook goes on past it.
"""

from engine.includes import for_readers
from engine.post import SNIPPETS, Post

SETUP_TITLE = "The blog's snippets package: run this cell first"


def setup_code(post: Post) -> str:
    """The setup cell: it writes the files the post's code needs, as readers copy them (section
    markers left out). Empty when the code needs none.
    """
    if not post.carried:
        return ""
    files = {path.relative_to(post.root).as_posix(): path.read_text(encoding="utf-8")
             for path in post.carried}  # fmt: skip
    listed = "".join(f"    {name!r}: {(for_readers(t) if name.endswith('.py') else t)!r},\n"
                     for name, t in files.items())  # fmt: skip
    return (f"# @title {SETUP_TITLE}\n"
            f"# It writes the files of the blog's `{SNIPPETS}` package (MIT licensed) that this\n"
            "# notebook imports into a folder beside it: `pip install jax numpy` is all it needs.\n"
            "import importlib\nfrom pathlib import Path\n\n"
            f"FILES = {{\n{listed}}}\n"
            "for name, text in FILES.items():\n"
            "    Path(name).parent.mkdir(parents=True, exist_ok=True)\n"
            '    Path(name).write_text(text, encoding="utf-8")\n'
            "importlib.invalidate_caches()\n")  # fmt: skip


def notebook_of(post: Post, record: object | None, url: str) -> str:
    """The notebook, as .ipynb text, with the outputs of the engine's run of its cells."""
    import nbformat  # here, not at the top: a test run that makes no notebook skips its 0.1 s

    intro = (f"# {post.title}\n\nThe code of the post [{post.title}]({url}), cell by cell, "
             "with what each cell printed when the blog checked it. Run it from the top: it "
             "needs `jax` and `numpy` (`pip install jax numpy`).")  # fmt: skip
    cells = [nbformat.v4.new_markdown_cell(intro)]
    if setup := setup_code(post):
        hidden = {"jupyter": {"source_hidden": True}, "cellView": "form", "tags": ["setup"]}
        cells.append(nbformat.v4.new_code_cell(setup.rstrip("\n"), metadata=hidden))
    heading = None
    for count, block in enumerate((b for b in post.blocks if b.runner == "python"), 1):
        above = [ln for ln in post.expanded.lines[: block.fence] if ln.startswith("## ")]
        if above and above[-1] != heading:
            heading = above[-1]
            cells.append(nbformat.v4.new_markdown_cell(heading))
        cells.append(code_cell(block, record and record.outcomes.get(block.index), count))
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # not random: the same post gives the same bytes
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}  # fmt: skip
    return nbformat.writes(notebook)


def code_cell(block: object, outcome: object, count: int) -> dict:
    """One block as a cell, with what it printed (and raised) in the engine's run."""
    import nbformat

    cell = nbformat.v4.new_code_cell(block.code.rstrip("\n"), execution_count=count)
    if block.raises:
        cell.metadata["tags"] = ["raises-exception"]
    if outcome and outcome.stdout:
        cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=outcome.stdout))
    if outcome and outcome.raised:
        name, _, value = outcome.raised.strip().partition(": ")
        cell.outputs.append(nbformat.v4.new_output("error", ename=name, evalue=value,
                                                   traceback=[outcome.raised.strip()]))  # fmt: skip
    return cell
