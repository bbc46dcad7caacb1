"""hooks/serve_check.py: under `make serve`, failing blocks are flagged in place, from a cache."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from blog import outcomes
from blog.blocks import fingerprint, read_blocks, snippet_files
from blog.includes import expand
from blog.post import posts
from blog.project import ROOT
from blog.run import Outcome
from hooks import serve_check

POST = """# A post

```python title="snippets/regression.py"
--8<-- "snippets/regression.py:data"
```

Some prose.

<!-- pytest.mark.continues -->
```python title="snippets/regression.py (continued)"
--8<-- "snippets/regression.py:show_data"
```
<!-- pytest-codeblocks:expected-output -->
```text title="Output"
x: (100,) float32
first three x: [0 0 0]
mean of y: 0
```

The end.
"""


@pytest.fixture
def blocks(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(POST)
    return read_blocks(expand(post))


def test_a_drifted_output_is_flagged_after_the_output_it_contradicts(blocks, tmp_path, monkeypatch):
    monkeypatch.setattr(outcomes, "CACHE", tmp_path / "cache")
    problems = serve_check.problems(blocks)
    assert list(problems) == [1]  # the first block runs fine; the second prints other numbers
    page = serve_check.with_flags(POST, POST, blocks, problems)
    before, flag = page.split('!!! failure "`make serve`: this block does not run as shown"')
    assert before.rstrip().endswith("mean of y: 0\n```")
    assert "the output shown under the block at line" in flag and "differs" in flag
    assert flag.lstrip().startswith("```text") and "The end." in flag


def test_the_flag_lands_after_its_block_when_mkdocs_has_taken_the_front_matter_off(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(outcomes, "CACHE", tmp_path / "cache")
    source = tmp_path / "dated.md"
    source.write_text("---\ndate:\n  created: 2026-01-02\n---\n\n" + POST)
    blocks = read_blocks(expand(source))
    page = serve_check.with_flags(POST, source.read_text(), blocks, serve_check.problems(blocks))
    before, _ = page.split('!!! failure "`make serve`: this block does not run as shown"')
    assert before.rstrip().endswith("mean of y: 0\n```") and before.startswith("# A post")


def test_outcomes_are_cached_until_a_snippet_they_use_changes(blocks, tmp_path, monkeypatch):
    runs = []

    def fake_run(chain, timeout):
        runs.append(chain)
        return [Outcome(stdout="") for _ in chain]

    monkeypatch.setattr(outcomes, "run_chain", fake_run)
    monkeypatch.setattr(outcomes, "CACHE", tmp_path / "cache")
    chain = blocks  # one chain: the second block continues the first
    assert outcomes.cached_run(chain)[1] is False
    assert outcomes.cached_run(chain)[1] is True
    assert outcomes.cached_run(chain, reuse=False)[1] is False  # CI=true runs every chain
    assert len(runs) == 2
    # On a copy of the snippets: patching how files read would reach the chains that the
    # posts' tests run meanwhile, in other threads of this process.
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "snippets", copy / "snippets")
    key = fingerprint(chain, root=copy)
    regression = copy / "snippets" / "regression.py"
    regression.write_text(regression.read_text() + "\n# an edit\n")
    assert fingerprint(chain, root=copy) != key


def test_a_failure_or_timeout_is_not_cached(blocks, tmp_path, monkeypatch):
    monkeypatch.setattr(outcomes, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(
        outcomes, "run_chain", lambda chain, timeout: [Outcome(error="timed out")] * 2
    )
    outcomes.cached_run(blocks)
    assert not (tmp_path / "cache").exists()


def test_a_chain_depends_on_the_snippets_it_imports_transitively(tmp_path):
    post = tmp_path / "post.md"
    post.write_text('```python title="snippets/jit.py"\n--8<-- "snippets/jit.py:imports"\n```\n')
    [block] = read_blocks(expand(post))
    names = [path.name for path in snippet_files([block])]
    assert names == ["__init__.py", "jit.py", "regression.py"]  # jit imports regression


@pytest.mark.parametrize(
    "source",
    [
        "import snippets.helper",
        "from snippets import helper",
        "from snippets.helper import f",
        "def main():\n    from snippets import helper\n",
        "from . import helper",
        "from .helper import f",
        'import importlib\nimportlib.import_module("snippets.helper")',
    ],
    ids=[
        "absolute",
        "from-package",
        "from-module",
        "in-function",
        "relative",
        "relative-from",
        "by-name",
    ],
)
def test_a_chain_depends_on_a_helper_however_it_is_imported(tmp_path, source):
    """The drill of issue 17: a block's snippet imports a helper, which changes; the chain's key
    must change with it, whatever the import's form and however deep the helper sits."""
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    (snippets / "__init__.py").write_text("")
    (snippets / "shown.py").write_text(f"# --8<-- [start:code]\n{source}\n# --8<-- [end:code]\n")
    (snippets / "helper.py").write_text("from snippets import deep\n")
    (snippets / "deep.py").write_text("SQUARES = [0, 1, 4, 9, 16]\n")
    post = tmp_path / "post.md"
    post.write_text('```python\n--8<-- "snippets/shown.py:code"\n```\n')
    options = {"base_path": [str(tmp_path)], "check_paths": True}
    [block] = read_blocks(expand(post, options))
    names = [path.name for path in snippet_files([block], tmp_path)]
    assert names == ["__init__.py", "deep.py", "helper.py", "shown.py"]
    before = fingerprint([block], root=tmp_path)
    (snippets / "deep.py").write_text("SQUARES = [1, 2, 5, 10, 17]\n")
    assert fingerprint([block], root=tmp_path) != before
    (snippets / "squares.csv").write_text("0,1,4\n")  # a data file a snippet may read
    assert fingerprint([block], root=tmp_path) != before


@pytest.mark.parametrize("command", ["python -m snippets.helper", "python3 snippets/helper.py"])
def test_a_shell_block_depends_on_the_module_it_runs(tmp_path, command):
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    (snippets / "__init__.py").write_text("")
    (snippets / "helper.py").write_text("from snippets import deep\n")
    (snippets / "deep.py").write_text("print([0, 1, 4])\n")
    post = tmp_path / "post.md"
    post.write_text(f"```sh\n{command}\n```\n")
    [block] = read_blocks(expand(post, {"base_path": [str(tmp_path)], "check_paths": True}))
    names = [path.name for path in snippet_files([block], tmp_path)]
    assert names == ["__init__.py", "deep.py", "helper.py"]


def test_a_run_reports_every_project_file_it_used_however_it_reached_it(tmp_path):
    """Imports the code cannot show (a name computed at run time) and files opened anywhere in
    the project: the run itself says what it used (blog/child.py)."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "points.csv").write_text("1,2\n")
    (tmp_path / "hidden_helper.py").write_text("VALUE = 3\n")
    code = ("import importlib\n"
            "helper = importlib.import_module('hidden_' + 'helper')\n"
            "print(open('data/points.csv').read().strip(), helper.VALUE)\n")  # fmt: skip
    report = tmp_path / "report.json"
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{tmp_path}")
    subprocess.run([sys.executable, "-m", "blog.child", str(report)], cwd=tmp_path, env=env,
                   input=json.dumps([{"code": code, "filename": "<block 0>"}]), text=True,
                   check=True)  # fmt: skip
    [result] = json.loads(report.read_text())
    assert result["stdout"] == "1,2 3\n"
    assert {"data/points.csv", "hidden_helper.py"} <= set(result["loaded"])


def test_a_kept_run_is_reused_only_while_every_file_it_used_is_unchanged(tmp_path, monkeypatch):
    monkeypatch.setattr(outcomes, "ROOT", tmp_path)
    (tmp_path / "points.csv").write_text("1,2\n")
    kept = outcomes.hashes(["points.csv"])
    assert outcomes.unchanged(kept)
    (tmp_path / "points.csv").write_text("1,3\n")
    assert not outcomes.unchanged(kept)
    (tmp_path / "points.csv").unlink()
    assert not outcomes.unchanged(kept)


class Page:
    """What the hook reads of a MkDocs page: where its source file is."""

    def __init__(self, path):
        self.file = type("File", (), {"abs_src_path": str(path)})


class Config:
    docs_dir = str(ROOT / "docs")


def never(blocks):
    pytest.fail("blocks ran")


def test_a_build_never_runs_blocks(monkeypatch):
    serve_check.on_startup(command="build", dirty=False)
    monkeypatch.setattr(serve_check, "problems", never)
    post = Page(posts()[0].path)
    assert serve_check.on_page_markdown("# Post\n", post, Config, None) == "# Post\n"


def test_serve_leaves_pages_the_blog_generates_alone(monkeypatch):
    monkeypatch.setattr(serve_check, "serving", True)
    monkeypatch.setattr(serve_check, "problems", never)
    archive = Page("/tmp/mkdocs_blog/archive/2025.md")
    assert serve_check.on_page_markdown("# 2025\n", archive, Config, None) == "# 2025\n"
