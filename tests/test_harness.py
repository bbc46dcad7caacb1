"""The harness refuses bad input with the file and line, and never lets a block slip past."""

import subprocess
import sys
from pathlib import Path

import pytest

from blog.blocks import chains, read_blocks
from blog.includes import expand
from blog.post import front_matter
from blog.project import PostError
from blog.run import BlockFailure, check_output, run_chain, words

SNIPPET = """\
import math

# --8<-- [start:ratio]
def ratio(a, b):
    return a / b
    # --8<-- [end:ratio]

# --8<-- [start:use]
print(ratio(1, 4))
# --8<-- [end:use]
"""


@pytest.fixture
def write_post(tmp_path):
    """Write a snippet file and a post in tmp_path; return a function that reads the post."""
    (tmp_path / "snip.py").write_text(SNIPPET)
    options = {"base_path": [str(tmp_path)], "check_paths": True}

    def write(markdown: str) -> list:
        post = tmp_path / "post.md"
        post.write_text(markdown)
        return read_blocks(expand(post, options))

    return write


def run(blocks: list, timeout: float = 60) -> list:
    return [outcome for chain in chains(blocks) for outcome in run_chain(chain, timeout)]


def python(*lines: str) -> str:
    return "```python\n" + "\n".join(lines) + "\n```\n"


OUTPUT = "<!-- pytest-codeblocks:expected-output -->\n```text\n{}\n```\n"


def test_missing_snippet_file_names_the_post_and_line(write_post):
    with pytest.raises(PostError, match=r"post\.md:4: .*'nowhere\.py' could not be found"):
        write_post("# Title\n\n" + python('--8<-- "nowhere.py:ratio"'))


def test_missing_section_names_the_line_and_lists_the_sections(write_post):
    with pytest.raises(PostError, match=r"post\.md:3: .*'ratoi'.*its sections are: ratio, use"):
        write_post("\n" + python('--8<-- "snip.py:ratoi"'))


def test_a_block_that_raises_shows_type_traceback_post_line_and_snippet_line(write_post):
    blocks = write_post(python('--8<-- "snip.py:ratio"', "ratio(1, 0)"))
    [outcome] = run(blocks)
    with pytest.raises(BlockFailure) as failure:
        check_output(blocks[0], outcome, ("cpu", "jax 0.10"))
    message = str(failure.value)
    assert message.startswith(str(Path(blocks[0].post.path)) + ":1: the block failed")
    assert "Traceback (most recent call last)" in message
    assert "ZeroDivisionError: division by zero" in message
    post, snippet = blocks[0].post.path, blocks[0].post.path.parent / "snip.py"
    assert f'File "{post}", line 3 [line 3 of the block at {post}:1], in <module>' in message
    assert f'File "{snippet}", line 5 [line 2 of the block at {post}:1], in ratio' in message


def test_output_that_drifted_fails_with_a_diff(write_post):
    blocks = write_post(
        python('--8<-- "snip.py:ratio"', '--8<-- "snip.py:use"') + OUTPUT.format("0.2")
    )
    [outcome] = run(blocks)
    assert outcome.stdout == "0.25\n"
    with pytest.raises(BlockFailure, match=r"differs:\n--- shown on the page\n\+\+\+ printed now"):
        check_output(blocks[0], outcome, ("cpu", "jax 0.10"))
    with pytest.raises(BlockFailure, match=r"post\.md:7: the output shown under the block at line"):
        # the line to edit, and the block it belongs to
        check_output(blocks[0], outcome, ("cpu", "jax 0.10"))


def test_output_shown_correctly_passes(write_post):
    blocks = write_post(
        python('--8<-- "snip.py:ratio"', '--8<-- "snip.py:use"') + OUTPUT.format("0.25")
    )
    check_output(blocks[0], run(blocks)[0], ("cpu", "jax 0.10"))


def test_a_block_that_prints_what_the_page_does_not_show_fails(write_post):
    blocks = write_post(python("print('surprise')"))
    with pytest.raises(BlockFailure, match="prints output the page does not show"):
        check_output(blocks[0], run(blocks)[0], ("cpu", "jax 0.10"))


def test_a_failure_shows_what_the_block_wrote_to_stderr(write_post):
    blocks = write_post(
        python("import sys", "print('warned', file=sys.stderr)", "raise SystemExit(3)")
    )
    with pytest.raises(BlockFailure, match=r"SystemExit: 3\n\nIt wrote to stderr:\nwarned"):
        check_output(blocks[0], run(blocks)[0], ("cpu", "jax 0.10"))


def test_blocks_run_as_main_in_a_fresh_interpreter(write_post):
    blocks = write_post(python("print(__name__)") + OUTPUT.format("__main__"))
    check_output(blocks[0], run(blocks)[0], ("cpu", "jax 0.10"))


def test_a_continued_block_sees_the_names_before_it_and_fails_if_they_failed(write_post):
    blocks = write_post(
        python("a = 1 / 0")
        + "<!-- pytest.mark.continues -->\n"
        + python("print(a)")
        + "<!-- pytest.mark.continues -->\n"
        + python("print('never')")
    )
    first, second, third = run(blocks)
    assert "ZeroDivisionError" in first.error
    assert (
        second.error
        == third.error
        == "not run: the block it continues, at post.md:1, failed".replace(
            "post.md", str(blocks[0].post.path)
        )
    )


def test_a_hung_block_times_out(write_post):
    blocks = write_post(python("while True:", "    pass"))
    [outcome] = run(blocks, timeout=1)
    assert "timed out after 1 s" in outcome.error


def test_a_block_that_is_neither_run_nor_marked_is_refused(write_post):
    with pytest.raises(PostError, match=r"post\.md:3: a ```yaml block is neither run"):
        write_post("Config:\n\n```yaml\nkey: value\n```\n")


def test_norun_needs_a_reason(write_post):
    with pytest.raises(PostError, match=r"post\.md:2: pytest\.mark\.norun needs a reason"):
        write_post("<!-- pytest.mark.norun -->\n```bash\nrm -rf /\n```\n")


def test_norun_with_a_reason_is_not_run(write_post):
    [block] = write_post('<!-- pytest.mark.norun(reason="needs a GPU") -->\n```bash\nexit 1\n```\n')
    assert block.runner is None
    assert chains([block]) == []


def test_stock_cont_is_refused_because_it_hides_outputs(write_post):
    with pytest.raises(PostError, match=r"post\.md:5: use <!-- pytest\.mark\.continues -->"):
        write_post(python("a = 1") + "\n<!-- pytest-codeblocks:cont -->\n" + python("print(a)"))


def test_highlighting_a_line_the_block_does_not_have_is_refused(write_post):
    with pytest.raises(PostError, match="hl_lines names line 9, but the block has 2 lines"):
        write_post('```python hl_lines="1 9"\n--8<-- "snip.py:ratio"\n```\n')


def test_material_attributes_do_not_hide_a_block(write_post):
    [block] = write_post('```python title="snip.py" linenums="1"\n--8<-- "snip.py:ratio"\n```\n')
    assert block.runner == "python"
    assert block.attributes == {"title": "snip.py", "linenums": "1"}


def test_tilde_fences_are_refused_not_skipped(write_post):
    with pytest.raises(PostError, match="use ``` fences"):
        write_post("~~~python\nprint(1)\n~~~\n")


def test_a_marker_that_would_show_on_the_page_is_refused(write_post):
    with pytest.raises(PostError, match="a '--8<--' marker would show on the page"):
        write_post(python(';--8<-- "snip.py:use"'))


def test_a_multi_line_include_block_is_refused(write_post):
    with pytest.raises(PostError, match="multi-line '--8<--' block"):
        write_post("```python\n--8<--\nsnip.py\n--8<--\n```\n")


def test_timings_are_compared_by_their_words_alone(write_post):
    marked = "<!-- pytest.mark.output_timings -->\n"
    blocks = write_post(marked + python("print('took 3.5 ms, 1,900x')") + OUTPUT.format(
        "took 100.0 ms, 2,000x"))  # fmt: skip
    check_output(blocks[0], run(blocks)[0], ("cpu", "jax 0.10"))
    assert words("took 100.0 ms, 2,000x") != words("lasted 100.0 ms, 2,000x")
    blocks = write_post(marked + python("print('lasted 3.5 ms')") + OUTPUT.format("took 1 ms"))
    with pytest.raises(BlockFailure, match="differs in its words"):
        check_output(blocks[0], run(blocks)[0], ("cpu", "jax 0.10"))


OTHER = "<!-- output on gpu:\n{}\n-->\n"
ON_CPU = '<!-- pytest.mark.output_backend("cpu") -->\n'


def test_an_output_that_differs_by_backend_is_checked_on_the_backend_that_runs(write_post):
    blocks = write_post(
        ON_CPU + python("print('gpu')") + OUTPUT.format("cpu") + OTHER.format("gpu")
    )
    check_output(blocks[0], run(blocks)[0], ("gpu", "jax 0.10"))
    with pytest.raises(BlockFailure, match="differs"):
        check_output(blocks[0], run(blocks)[0], ("cpu", "jax 0.10"))


def test_a_backend_with_no_output_kept_fails_and_says_how_to_add_one(write_post):
    blocks = write_post(ON_CPU + python("print('tpu')") + OUTPUT.format("cpu"))
    with pytest.raises(BlockFailure, match="<!-- output on tpu:\ntpu\n-->"):
        check_output(blocks[0], run(blocks)[0], ("tpu", "jax 0.10"))


def test_an_output_on_another_backend_needs_a_block_marked_with_the_shown_one(write_post):
    with pytest.raises(PostError, match=r"post\.md:8: an output on gpu belongs after"):
        write_post(python("print(1)") + OUTPUT.format("1") + OTHER.format("1"))


REGRESSION = '--8<-- "snippets/regression.py:{}"\n'


@pytest.mark.parametrize(
    ("markdown", "problem"),
    [
        (
            '```python title="loss"\n' + REGRESSION.format("loss") + "```\n",
            r'post\.md:1: give the block title="snippets/regression\.py"',
        ),
        (
            '```python title="snippets/regression.py"\n' + REGRESSION.format("data") + "```\n"
            "<!-- pytest.mark.continues -->\n"
            '```python title="snippets/regression.py"\n' + REGRESSION.format("loss") + "```\n",
            r'post\.md:5: .*title="snippets/regression\.py \(continued\)"',
        ),
        (
            '```python title="snippets/jit.py"\n--8<-- "snippets/jit.py:imports"\n'
            + REGRESSION.format("loss")
            + "```\n",
            r"shows code from snippets/jit\.py, snippets/regression\.py",
        ),
    ],
    ids=["names its file", "says it continues", "one file per block"],
)
def test_a_title_names_the_one_snippet_file_a_block_shows(tmp_path, markdown, problem):
    post = tmp_path / "post.md"
    post.write_text(markdown)
    with pytest.raises(PostError, match=problem):
        read_blocks(expand(post))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("# No front matter\n", r"post\.md:1: a post starts with front matter"),
        ("---\ntitle: x\n---\n# Undated\n", r"post\.md: the front matter needs a date"),
        ("---\ndate:\n  updated: 2026-01-02\n---\n", r"post\.md: the front matter needs a date"),
        ("---\ndate: [2026\ntags: x\n---\n", r"post\.md:3: the front matter is not valid YAML"),
    ],
)
def test_front_matter_mistakes_name_the_post(tmp_path, text, problem):
    post = tmp_path / "post.md"
    post.write_text(text)
    with pytest.raises(PostError, match=problem):
        front_matter(post)


def test_both_forms_of_date_are_accepted(tmp_path):
    post = tmp_path / "post.md"
    for date in ("date: 2026-01-02", "date:\n  created: 2026-01-02"):
        post.write_text(f"---\n{date}\n---\n# Dated\n")
        assert front_matter(post)


def test_a_post_may_raise_its_own_time_limit_and_the_timeout_names_it(tmp_path):
    from blog.outcomes import cached_run
    from blog.post import Post

    post = tmp_path / "slow.md"
    post.write_text("---\ndate: 2026-01-31\ntime_limit_s: 1\n---\n\n```python\nwhile True:\n"
                    "    pass\n```\n")  # fmt: skip
    [chain] = Post.read(post).chains
    [outcome], _ = cached_run(chain, reuse=False)
    assert "timed out after 1 s (time_limit_s in the front matter of" in outcome.error


def test_a_time_limit_over_the_ceiling_fails_naming_both_limits(tmp_path):
    from blog.post import Post

    post = tmp_path / "greedy.md"
    post.write_text("---\ndate: 2026-01-31\ntime_limit_s: 9999\n---\n\nText.\n")
    with pytest.raises(PostError, match=r"9999 s is over the project's ceiling of 600 s \(MAX_"):
        Post.read(post)


def test_without_its_own_limit_a_post_gets_the_projects_default(write_post):
    blocks = write_post(python("print(1)"))
    from blog.post import time_limit_of

    assert "BLOCK_TIMEOUT_S in blog/project.py" in time_limit_of(blocks[0].post.path).source


ON_JAX = '<!-- pytest.mark.output_jax("0.10") -->\n'


def test_an_output_that_differs_by_jax_series_is_checked_by_the_series_that_runs(write_post):
    kept = "<!-- output on jax 0.11:\n{}\n-->\n"
    blocks = write_post(ON_JAX + python("print('new')") + OUTPUT.format("old") + kept.format("new"))
    check_output(blocks[0], run(blocks)[0], ("gpu", "jax 0.11"))  # whatever the backend
    with pytest.raises(BlockFailure, match="differs"):
        check_output(blocks[0], run(blocks)[0], ("cpu", "jax 0.10"))
    with pytest.raises(BlockFailure, match=r"<!-- output on jax 0\.12:\nnew\n-->"):
        check_output(blocks[0], run(blocks)[0], ("cpu", "jax 0.12"))


def test_an_output_on_a_series_needs_a_block_marked_with_a_series(write_post):
    with pytest.raises(PostError, match=r"an output on jax 0\.11 belongs after"):
        write_post(ON_CPU + python("print(1)") + OUTPUT.format("1")
                   + "<!-- output on jax 0.11:\n1\n-->\n")  # fmt: skip


@pytest.mark.parametrize(
    ("marker", "problem"),
    [
        ("pytest.mark.norun(reason=open('x').read())", "malformed node"),
        ("pytest.mark.norun.now(reason='x')", "a marker reads pytest.mark"),
        ("pytest.mark.norun(reason='unclosed", "unterminated string"),
    ],
)
def test_a_marker_is_read_as_data_never_run(write_post, marker, problem):
    with pytest.raises(PostError, match=rf"post\.md:2: bad marker .*{problem}"):
        write_post(f"<!-- {marker} -->\n```python\nprint(1)\n```\n")


def test_reading_every_post_needs_no_test_runner():
    """`make serve` and `make outputs` read posts; pytest is the test suite's, not theirs."""
    code = ("import sys; from blog.post import posts; [p.blocks for p in posts()]; "
            "print('pytest' in sys.modules, 'pytest_codeblocks' in sys.modules)")  # fmt: skip
    read = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert read.stdout.split() == ["False", "False"]  # its parser's file, loaded alone
