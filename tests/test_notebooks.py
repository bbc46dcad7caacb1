"""blog/notebooks.py: each post's notebook holds its code, runs once per change, and fails at
the block whose cell failed."""

import shutil
import subprocess
from collections import Counter

import nbformat
import pytest

from blog import cache, notebooks, reader_env
from blog.blocks import imported_files
from blog.post import Post, posts
from blog.project import PostError, copy_project

FAILING_POST = """---
date:
  created: 2026-01-01
---

# A post whose second block fails

```python
x = 1
```

```python
raise ValueError("broken on purpose")
```
"""


def test_each_notebook_holds_every_runnable_python_block_of_its_post():
    for post in posts():
        notebook = notebooks.notebook_of(post, "https://example.org/post/")
        code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
        shown = [b.code.rstrip("\n") for b in post.blocks if b.runner == "python"]
        assert code[len(code) - len(shown) :] == shown, post.path
        assert "https://example.org/post/" in notebook.cells[0].source
        ids = [f"cell-{i}" for i in range(len(notebook.cells))]
        assert [cell.id for cell in notebook.cells] == ids


def test_each_notebook_carries_the_snippet_files_its_code_imports_and_no_others():
    for post in posts():
        notebook = notebooks.notebook_of(post, "https://example.org/post/")
        written = [cell.source.split("\n", 1)[0] for cell in notebook.cells
                   if cell.source.startswith("%%writefile ")]  # fmt: skip
        code = [block.code for block in notebooks.code_of(post)]
        needed = sorted(imported_files(code, post.root))
        assert written == [f"%%writefile snippets/{path.name}" for path in needed], post.path


READS_DATA = '''"""Sums the points kept beside it, in data/."""

from pathlib import Path

POINTS = Path(__file__).parent / "data" / "points.csv"


def total() -> int:
    """The sum of every number in points.csv."""
    return sum(int(n) for n in POINTS.read_text(encoding="utf-8").split(","))
'''


def test_a_notebook_carries_the_data_files_its_snippets_read_and_runs_alone(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "snippets" / "data").mkdir()
    (project / "snippets" / "data" / "points.csv").write_text("1,2,3,4\n")
    (project / "snippets" / "data" / "unused.csv").write_text("9\n")
    (project / "snippets" / "reads_points.py").write_text(READS_DATA)
    post = project / "docs" / "posts" / "points.md"
    code = "from snippets.reads_points import total\n\nprint(total())"
    post.write_text(FAILING_POST.replace('raise ValueError("broken on purpose")', code))
    notebook = notebooks.notebook_of(Post.read(post), "https://example.org/")
    assert "points.csv" in notebook.cells[1].source and "unused.csv" not in str(notebook)
    (tmp_path / "alone").mkdir()  # where a reader saved the notebook, with nothing else
    failed = notebooks.execute(notebook, 60, lambda cell: None, tmp_path / "alone")
    assert failed is None, failed
    assert notebook.cells[-1].outputs[0]["text"] == "10\n"


def test_the_readers_environment_has_jax_and_numpy_and_nothing_of_this_project():
    python = reader_env.location() / "bin" / "python"
    reader_env.kernels()  # made if missing
    has = "import importlib.util as u, sys; print([bool(u.find_spec(n)) for n in sys.argv[1:]])"
    found = subprocess.run([python, "-c", has, "jax", "numpy", "snippets", "blog", "mkdocs"],
                           cwd="/", capture_output=True, text=True, check=True)  # fmt: skip
    assert found.stdout.strip() == "[True, True, False, False, False]"


def test_each_served_notebook_is_the_one_the_engine_ran_where_a_reader_runs_it(site):
    """The build runs every post's notebook as a reader would (a kernel with jax and numpy
    only, an empty folder, every cell); what the site serves is that very run's notebook."""
    for post in posts():
        served = site / "notebooks" / post.slug / f"{post.slug}.ipynb"
        assert served.read_bytes() == (notebooks.OUT / served.name).read_bytes(), post.slug


def test_a_served_notebook_runs_alone_where_a_reader_runs_it(site, tmp_path):
    """The download path end to end, for one post (each post's ran at build, as above): the
    .ipynb as served, alone in a folder, run top to bottom by a kernel that has jax and numpy
    and nothing of this project."""
    post = min(posts(), key=lambda post: len(notebooks.code_of(post)))  # the quickest
    served = site / "notebooks" / post.slug / f"{post.slug}.ipynb"
    alone = tmp_path / served.name
    shutil.copyfile(served, alone)
    notebook = nbformat.read(alone, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None  # as if never run
    failed = notebooks.execute(notebook, post.time_limit, lambda cell: None, tmp_path)
    assert failed is None, f"{served.name}, run alone: {failed}"
    assert all(cell.execution_count for cell in notebook.cells if cell.cell_type == "code")


def test_a_notebook_changes_with_the_snippets_it_uses_and_no_others():
    for post in posts():
        used = {path.name for path in post.snippet_files}
        shown = {n.rsplit("/", 1)[-1] for n in post.included_files if n.startswith("snippets/")}
        assert shown <= used, post.path  # shown, or imported by what is shown
        assert "__main__.py" not in used


def test_a_notebook_runs_once_then_is_reused_until_its_key_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "TALLY", Counter())  # not the run's own tally
    monkeypatch.setattr(notebooks, "STORE", tmp_path / "store")
    monkeypatch.setattr(notebooks, "OUT", tmp_path / "out")
    post = posts()[0]
    job = [(post, notebooks.notebook_of(post, "https://example.org/"))]
    ran = []
    monkeypatch.setattr(notebooks, "run", lambda job: ran.append(job) or job[1])
    assert notebooks.executed(job) == {"ran": 1, "reused": 0}
    assert notebooks.executed(job) == {"ran": 0, "reused": 1}  # a warm build runs nothing
    moved = [(post, notebooks.notebook_of(post, "https://example.org/elsewhere/"))]
    assert notebooks.executed(moved) == {"ran": 1, "reused": 0}
    assert len(ran) == 2
    assert Counter({("executed", "ran"): 2, ("executed", "reused"): 1}) == cache.TALLY
    assert (tmp_path / "out" / f"{post.slug}.ipynb").exists()  # what the site serves


def test_a_failing_cell_fails_the_build_at_its_blocks_line(tmp_path):
    path = tmp_path / "failing.md"
    path.write_text(FAILING_POST)
    post = Post.read(path)
    notebook = notebooks.notebook_of(post, "https://example.org/")
    with pytest.raises(PostError, match=r"failing\.md:12: the block failed in the post's notebook"):
        try:
            notebooks.run((post, notebook))
        except PostError as failure:
            assert "ValueError: broken on purpose" in str(failure)  # no terminal colours
            raise
