"""MkDocs hook, for `make serve` only: run each page's blocks, and flag at a block what fails.

`make test` is where rot fails the build. This shows it to the author where it happens, while
writing. Each chain of blocks runs outside this process (a fresh interpreter, with a timeout),
and its outcome is cached by blog/outcomes.py, which `make test` shares. An unchanged page
reloads from the cache, and an edited snippet re-runs exactly the chains that use it. Shown
outputs are compared on every reload.
"""

import difflib
from pathlib import Path

from blog.blocks import Block
from blog.project import PostError
from blog.verify import blocks_of, problems

serving = False


def on_startup(command, dirty):
    """Run blocks under `mkdocs serve` only: `build` must stay fast and deterministic."""
    global serving
    serving = command == "serve"


def on_page_markdown(markdown, page, config, files):
    """Flag, after each block that fails or whose output drifted, what went wrong."""
    source = Path(page.file.abs_src_path or "")
    if not serving or not source.is_file() or not source.is_relative_to(config.docs_dir):
        return markdown  # a build, or a page the blog plugin generated
    try:
        blocks = blocks_of(source)  # a post's front matter is checked here too
    except PostError as problem:
        return flag(str(problem)) + "\n" + markdown
    return with_flags(markdown, source.read_text(encoding="utf-8"), blocks, problems(blocks))


def with_flags(markdown: str, source: str, blocks: list[Block], found: dict[int, str]) -> str:
    """Insert each problem after its block (after the output shown under it, if any).

    A block knows the line of the post where it ends; MkDocs hands the hook the post without
    its front matter (and other hooks may have added to it), so the post's lines are matched to
    the markdown's, not counted. A block whose end cannot be matched has its flag at the top.
    """
    lines = markdown.splitlines()
    matcher = difflib.SequenceMatcher(None, source.splitlines(), lines, autojunk=False)
    line_of = {a + k: b + k for a, b, size in matcher.get_matching_blocks() for k in range(size)}
    after: dict[int, list[str]] = {}
    for index, problem in sorted(found.items()):
        end = line_of.get(blocks[index].last_line - 1, -1)  # -1: before the first line
        after.setdefault(end, []).append(flag(problem))
    out = [text for flagged in after.get(-1, []) for text in (flagged, "")]
    for i, line in enumerate(lines):
        out += [line, *(text for flagged in after.get(i, []) for text in ("", flagged))]
    return "\n".join(out) + "\n"


def flag(problem: str) -> str:
    """Return a Material admonition that shows the problem on the page."""
    body = "\n".join("    " + line for line in ["```text", *problem.splitlines(), "```"])
    return f'!!! failure "`make serve`: this block does not run as shown"\n\n{body}\n'
