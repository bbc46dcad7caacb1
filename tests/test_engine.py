"""The engine, on posts planted in a temporary root: every block run where a reader runs it and
judged as the page shows it, failures named by post line and snippet line, runs reused only
while nothing they could read changed, outputs kept per run, and `make outputs` and `make
serve` built on the same judgement."""

import subprocess
import textwrap
import threading
from pathlib import Path

import pytest

from engine import runs, store
from engine.blocks import Run
from engine.config import PostError, locked_jax
from engine.notebook import notebook_of, setup_code
from engine.outputs import update
from engine.page import with_flags
from engine.post import read
from engine.verify import BlockFailure, check, problems
from tests.planting import plant_root

SHOWN = Run("cpu", locked_jax())
MODULE = '''"""A planted module."""


def main() -> None:
    # --8<-- [start:show]
    print("sum:", 1 + 2)
    # --8<-- [end:show]
    # --8<-- [start:fail]
    values = [1, 2]
    print(values[5])
    # --8<-- [end:fail]
    # --8<-- [start:quiet]
    values = [1, 2]
    # --8<-- [end:quiet]
'''


@pytest.fixture
def root(tmp_path):
    root = plant_root(tmp_path)
    (root / "snippets" / "planted.py").write_text(MODULE)
    return root


def post(root: Path, body: str, meta: str = "", name: str = "planted") -> Path:
    path = root / "docs" / "posts" / f"{name}.md"
    path.write_text(
        f"---\ndate:\n  created: 2026-01-01\n{meta}---\n\n# Planted\n\n{textwrap.dedent(body)}"
    )
    return path


def block(
    section: str, output: str | None = None, title: str = "snippets/planted.py", mark: str = ""
) -> str:
    shown = (
        f'<!-- pytest-codeblocks:expected-output -->\n```text title="Output"\n{output}```\n'
        if output
        else ""
    )
    return (
        f'{mark}```python title="{title}"\n--8<-- "snippets/planted.py:{section}"\n```\n{shown}\n'
    )


def judged(path: Path) -> dict[int, str]:
    p = read(path, path.parents[2])
    return problems(p, runs.record(p))


def test_a_block_that_runs_as_shown_passes(root):
    assert judged(post(root, block("show", "sum: 3\n"))) == {}


def test_a_failing_block_names_the_post_line_and_the_snippet_line(root):
    found = judged(post(root, "Text.\n\n" + block("fail")))
    assert "docs/posts/planted.md:10: the block failed" in found[0]
    assert "IndexError: list index out of range" in found[0]
    assert 'snippets/planted.py:10" [line 2 of the block at docs/posts/planted.md:10]' in found[0]
    assert "child.py" not in found[0], "the engine's own frame is left out"


def test_a_drifted_output_fails_at_its_line_with_a_diff(root):
    found = judged(post(root, block("show", "sum: 4\n")))
    assert "planted.md:13: the output shown under it (the block at line 8) differs" in found[0]
    assert "-sum: 4\n+sum: 3" in found[0]


def test_a_chain_that_outlasts_its_limit_fails_naming_the_limit(root):
    (root / "snippets" / "slow.py").write_text(
        '"""Slow."""\n\n# --8<-- [start:hang]\nimport time\n\ntime.sleep(30)\n# --8<-- [end:hang]\n'
    )
    path = post(root, '```python title="snippets/slow.py"\n--8<-- "snippets/slow.py:hang"\n```\n',
                meta="time_limit_s: 1\n")  # fmt: skip
    found = judged(path)
    assert "timed out after 1 s (time_limit_s in the front matter of" in found[0], found


RAISES = '<!-- pytest.mark.raises("{name}") -->\n'


@pytest.mark.parametrize(("name", "output", "problem"), [
    ("IndexError", "IndexError: list index out of range\n", None),
    ("IndexError", "IndexError: tuple index out of range\n", "differs"),
    ("KeyError", "KeyError: 5\n", "the block failed"),
])  # fmt: skip
def test_a_block_raises_on_purpose_only_what_it_says(root, name, output, problem):
    body = block("fail", output, mark=RAISES.format(name=name)).replace(
        '"Output"', f'"Output (raises {name})"'
    )
    found = judged(post(root, body))
    assert (problem in found[0]) if problem else found == {}, found


def test_a_block_marked_raising_that_raises_nothing_fails(root):
    body = block("show", "sum: 3\n", mark=RAISES.format(name="ValueError"))
    found = judged(post(root, body.replace('"Output"', '"Output (raises ValueError)"')))
    assert "it should raise ValueError, and raised nothing" in found[0]


IMPORT_STYLES = {
    "from snippets import helper": "from snippets import helper\nprint(helper.VALUE)",
    "import snippets.helper": "import snippets.helper\nprint(snippets.helper.VALUE)",
    "an import inside a function": (
        "def get():\n    from snippets.helper import VALUE\n    return VALUE\n\nprint(get())"
    ),
    "a module that imports it": "from snippets.middle import VALUE\nprint(VALUE)",
    "a data file it reads": "from snippets.reader import VALUE\nprint(VALUE)",
}


@pytest.mark.parametrize("style", IMPORT_STYLES)
def test_a_change_to_what_the_code_reads_runs_it_again(root, style):
    """Whatever the import style, the run sees the change: never a stale reuse."""
    (root / "snippets" / "helper.py").write_text('"""Helper."""\n\nVALUE = 1\n')
    (root / "snippets" / "middle.py").write_text(
        '"""Middle."""\n\nfrom snippets.helper import VALUE\n'
    )
    (root / "snippets" / "data").mkdir()
    (root / "snippets" / "data" / "value.txt").write_text("1\n")
    (root / "snippets" / "reader.py").write_text(
        '"""Reader."""\n\nimport importlib.resources\n\n'
        'VALUE = int((importlib.resources.files("snippets") / "data" / "value.txt").read_text())\n'
    )
    (root / "snippets" / "use.py").write_text(
        f'"""Use."""\n\n# --8<-- [start:s]\n{IMPORT_STYLES[style]}\n# --8<-- [end:s]\n'
    )
    path = post(
        root,
        '```python title="snippets/use.py"\n--8<-- "snippets/use.py:s"\n```\n'
        '<!-- pytest-codeblocks:expected-output -->\n```text title="Output"\n1\n```\n',
    )
    assert judged(path) == {}
    changed = root / "snippets" / ("data/value.txt" if "data" in style else "helper.py")
    changed.write_text(changed.read_text().replace("1", "2"))
    assert "-1\n+2" in judged(path)[0]


def test_a_change_to_the_code_a_block_shows_is_read_at_once(root):
    """A post is read once while nothing changes; an edit to a snippet it includes is seen."""
    path = post(root, block("show", "sum: 3\n"))
    assert judged(path) == {}
    module = root / "snippets" / "planted.py"
    module.write_text(module.read_text().replace("1 + 2", "1 + 3"))
    assert "-sum: 3\n+sum: 4" in judged(path)[0]


def test_the_code_reaches_nothing_of_the_project_it_does_not_carry(root):
    (root / "snippets" / "use.py").write_text(
        '"""Use."""\n\n# --8<-- [start:s]\nimport importlib\n\nname = "snip" + "pets.planted"\n'
        "importlib.import_module(name)\n# --8<-- [end:s]\n"
    )
    found = judged(
        post(root, '```python title="snippets/use.py"\n--8<-- "snippets/use.py:s"\n```\n')
    )
    assert "ModuleNotFoundError: No module named 'snippets'" in found[0], found


def test_the_readers_environment_holds_jax_and_numpy_and_nothing_of_ours():
    from engine.reader_env import python

    probe = (
        "import importlib.util as u; "
        "print([m for m in ('jax', 'numpy', 'mkdocs', 'pytest', 'engine') if u.find_spec(m)])"
    )
    done = subprocess.run(
        [python(), "-I", "-c", probe], capture_output=True, text=True, check=True, cwd="/"
    )
    assert done.stdout.strip() == "['jax', 'numpy']"


KEPT_BODY = block("show", "sum: 3\n") + "<!-- output on gpu with jax 0.11, 0.12:\nsum: 3.0\n-->\n"


def test_a_kept_output_is_expected_on_the_runs_it_names_and_the_shown_one_elsewhere(root):
    (only,) = read(post(root, KEPT_BODY), root).blocks
    assert (
        only.expected(Run("gpu", "0.11.2")) == only.expected(Run("gpu", "0.12.0")) == "sum: 3.0\n"
    )
    assert only.expected(SHOWN) == only.expected(Run("cpu", "0.11.2")) == "sum: 3\n"


def test_a_kept_output_that_drifted_names_its_run_and_its_line(root):
    (only,) = read(post(root, KEPT_BODY), root).blocks
    with pytest.raises(
        BlockFailure,
        match=(
            r"planted.md:16: the output kept for gpu with jax 0.11, 0.12 "
            r"\(the block at line 8\) differs"
        ),
    ):
        check(only, runs.Record(Run("gpu", "0.11.2"), {0: runs.Outcome("sum: 3.5\n")}))


def test_make_outputs_keeps_another_runs_output_by_backend_and_series_and_both_pass(root):
    path = post(root, block("show", "sum: 3\n"))
    printed = {
        Run("gpu", "0.11.2"): "sum: 3.0\n",
        Run("cpu", "0.11.2"): "sum: three\n",
        SHOWN: "sum: 3\n",
    }
    for run, text in printed.items():
        update(
            read(path, root),
            lambda p, run=run, text=text: runs.Record(run, {0: runs.Outcome(text)}),
        )
    (only,) = read(path, root).blocks
    assert {run: only.expected(run) for run in printed} == printed
    assert sorted((k.backend, k.series) for k in only.kept) == [
        ("cpu", ["0.11"]),
        ("gpu", ["0.11"]),
    ]


def test_make_outputs_keeps_nothing_for_a_block_that_prints_nothing_in_any_run(root):
    path = post(root, block("quiet"))
    run = Run("gpu", "0.11.2")
    assert update(read(path, root), lambda p: runs.Record(run, {0: runs.Outcome("")})) == 0
    assert update(read(path, root)) == 0 and "output on" not in path.read_text()


def test_make_outputs_restores_a_broken_output(root):
    path = post(root, block("show", "sum: 4\n"))
    assert update(read(path, root)) == 1
    assert judged(path) == {}
    assert 'title="Output"\nsum: 3\n```' in path.read_text()


def test_make_serve_flags_a_drifted_print_right_under_its_block(root):
    path = post(root, "Before.\n\n" + block("show", "sum: 4\n") + "After.\n")
    p = read(path, root)
    source = path.read_text()
    markdown = source.split("---\n", 2)[2]  # MkDocs hands over the page without front matter
    flagged = with_flags(markdown, source, p, judged(path))
    assert flagged.index("this block does not run as shown") > flagged.index("sum: 4")
    assert flagged.index("this block does not run as shown") < flagged.index("After.")


@pytest.mark.parametrize(
    ("cite", "shown"),
    [
        ('printed("sum")', "3.25"),
        ('printed("sum", digits=1)', "3.2"),
        ('printed("sum", digits=0)', "3"),
    ],
)
def test_a_cited_number_is_read_from_the_output_the_page_shows(root, cite, shown):
    (root / "snippets" / "planted.py").write_text(MODULE.replace("1 + 2", "3.25"))
    path = post(root, block("show", "sum: 3.25\n") + f"It is {{{{ {cite} }}}}.\n")
    assert list(read(path, root).cites.values()) == [shown]


@pytest.mark.parametrize(
    ("cite", "problem"),
    [
        ('printed("total")', "must match one number"),
        ('printed("sum", digits=2)', "more decimals than"),
    ],
)
def test_a_cited_number_that_is_not_printed_fails_naming_the_line(root, cite, problem):
    path = post(root, block("show", "sum: 3\n") + f"\nIt is {{{{ {cite} }}}}.\n")
    with pytest.raises(PostError, match=f"planted.md:17: .*{problem}"):
        read(path, root).cites  # noqa: B018


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("~~~python\nprint(1)\n~~~\n", "~~~ fences are not read"),
        (
            '<!-- pytest.mark.norun -->\n```python title="snippets/planted.py"\n'
            '--8<-- "snippets/planted.py:show"\n```\n',
            "needs reason",
        ),
        (
            '```python title="x.py"\n--8<-- "snippets/planted.py:show"\n```\n',
            'give the block title="snippets/planted.py"',
        ),
        (
            '```python title="snippets/planted.py (continued)"\n'
            '--8<-- "snippets/planted.py:show"\n```\n',
            "there is none",
        ),
        ("```python\nprint(1)\n```\n", "python blocks show code from snippets/"),
        ("```yaml\na: 1\n```\n", "neither run"),
        (
            '```python title="snippets/planted.py"\n--8<-- "snippets/planted.py:nope"\n```\n',
            "its sections are: show, fail, quiet",
        ),
        (
            '<!-- pytest.mark.skip -->\n```python title="snippets/planted.py"\n'
            '--8<-- "snippets/planted.py:show"\n```\n',
            "unknown marker skip",
        ),
    ],
)
def test_the_block_grammar_refuses_what_would_pass_unnoticed(root, body, problem):
    with pytest.raises(PostError, match=problem):
        read(post(root, body), root).blocks  # noqa: B018


TABS = """=== "One"

    {first}
=== "Two"

    {second}
"""


def test_blocks_inside_tabs_run_and_are_checked(root):
    indented = [
        textwrap.indent(block("show", out), "    ").strip() for out in ("sum: 3\n", "sum: 5\n")
    ]
    found = judged(post(root, TABS.format(first=indented[0], second=indented[1])))
    assert list(found) == [1] and "-sum: 5\n+sum: 3" in found[1], found


def test_the_notebook_holds_the_cells_the_engine_ran_and_their_outputs(root):
    (root / "snippets" / "helper.py").write_text('"""Helper."""\n\nVALUE = 1\n')
    (root / "snippets" / "use.py").write_text(
        '"""Use."""\n\n# --8<-- [start:s]\nfrom snippets import helper\n# --8<-- [end:s]\n'
    )
    body = (
        '```python title="snippets/use.py"\n--8<-- "snippets/use.py:s"\n```\n\n'
        + block("show", "sum: 3\n")
        + block(
            "fail", "IndexError: list index out of range\n", mark=RAISES.format(name="IndexError")
        ).replace('"Output"', '"Output (raises IndexError)"')
    )
    p = read(post(root, body), root)
    import nbformat

    notebook = nbformat.reads(
        notebook_of(p, runs.record(p), "https://example.org/p/"), as_version=4
    )
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].source == setup_code(p).rstrip("\n") and "snippets/__init__.py" in code[0].source
    assert "snippets/helper.py" in code[0].source and "planted.py" not in code[0].source
    assert [cell.source + "\n" for cell in code[1:]] == [b.code for b in p.blocks]
    assert code[2].outputs[0].text == "sum: 3\n"
    assert (
        code[3].metadata.tags == ["raises-exception"] and code[3].outputs[-1].ename == "IndexError"
    )


def test_a_post_runs_once_however_many_ask_at_once(root, monkeypatch):
    p = read(post(root, block("show", "sum: 3\n")), root)
    ran = []
    monkeypatch.setattr(runs, "STORE", store.Store("runs", root))
    monkeypatch.setattr(runs, "run", lambda post: ran.append(post) or runs.Record(SHOWN))
    monkeypatch.setattr(runs, "_RUNNING", {})
    threads = [threading.Thread(target=runs.record, args=(p,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ran) == 1


def test_ci_reuses_only_what_its_own_process_ran(tmp_path, monkeypatch):
    kept = store.Store("test", tmp_path)
    kept.put("a", {"x": 1})
    monkeypatch.setenv("CI", "true")
    assert kept.get("a") == {"x": 1}, "made here"
    assert store.Store("test", tmp_path).get("a") is None, "made by another process"
    monkeypatch.setenv("REUSE_CACHE", "true")
    assert store.Store("test", tmp_path).get("a") == {"x": 1}
