"""hooks/notebooks.py: each post's notebook holds its code and depends on its snippets."""

from blog.post import posts
from hooks import notebooks


def test_each_notebook_holds_every_runnable_python_block_of_its_post():
    for post in posts():
        notebook = notebooks.notebook_of(post, "https://example.org/post/")
        code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
        shown = [b.code.rstrip("\n") for b in post.blocks if b.runner == "python"]
        assert code == shown, post.path
        assert "https://example.org/post/" in notebook.cells[0].source
        assert [cell.id for cell in notebook.cells] == [f"cell-{i}" for i in range(len(code) + 1)]


def test_a_notebook_changes_with_the_snippets_it_uses_and_no_others():
    for post in posts():
        used = {path.name for path in post.snippet_files}
        shown = {n.rsplit("/", 1)[-1] for n in post.included_files if n.startswith("snippets/")}
        assert shown <= used, post.path  # shown, or imported by what is shown
        assert "__main__.py" not in used
