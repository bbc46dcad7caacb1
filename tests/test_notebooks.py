"""hooks/notebooks.py: each post's notebook holds its code, depends on its snippets, has a limit."""

import json
import os
import subprocess
import sys

from hooks import notebooks
from tests.harness.blocks import read_blocks, snippet_files
from tests.harness.expand import expand
from tests.project import ROOT

POST = ROOT / "docs" / "posts" / "jax-on-many-devices.md"


def test_the_notebook_holds_every_runnable_python_block_of_the_post():
    notebook = notebooks.notebook_of(POST, "One line, eight devices", "https://example.org/post/")
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].startswith('import jax\n\njax.config.update("jax_num_cpu_devices", 8)')
    assert len(code) == 4  # the post's python blocks that run; the multi-host one does not
    assert "https://example.org/post/" in notebook.cells[0].source
    assert [cell.id for cell in notebook.cells] == [f"cell-{i}" for i in range(len(notebook.cells))]


def test_the_notebook_changes_with_the_snippets_it_uses_and_no_others():
    blocks = read_blocks(expand(POST))
    used = {path.name for path in snippet_files(blocks)}
    assert {"sharding.py", "jit.py", "regression.py"} <= used  # shown, or imported
    assert "figures.py" not in used  # nothing this post runs imports it


def test_cells_run_under_a_time_limit():
    """mkdocs-jupyter loads nbconvert's configuration; ours sets a limit on every cell."""
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(ROOT / "jupyter"))
    read = ("from nbconvert.nbconvertapp import NbConvertApp; app = NbConvertApp(); "
            "app.load_config_file(); print(app.config.ExecutePreprocessor.timeout)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", read], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "120", done.stderr
    config = json.loads((ROOT / "jupyter" / "jupyter_nbconvert_config.json").read_text())
    assert config["ExecutePreprocessor"]["timeout"] == 120
