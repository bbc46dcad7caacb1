"""MkDocs hook, for `make serve` only: run each page's blocks, and flag at a block what fails.

`make test` is where rot fails the build. This shows it to the author where it happens, while
writing. Each chain of blocks runs outside this process (a fresh interpreter, with a timeout),
and its outcome is cached by blog/outcomes.py, which `make test` shares. An unchanged page
reloads from the cache, and an edited snippet re-runs exactly the chains that use it. Shown
outputs are compared on every reload.
"""

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
    return with_flags(markdown, blocks, problems(blocks))


def with_flags(markdown: str, blocks: list[Block], found: dict[int, str]) -> str:
    """Insert each problem after its block (after the output shown under it, if any)."""
    if not found:
        return markdown
    ends = []  # for each fence of the page, in order: the block it belongs to, if it ends it
    for i, block in enumerate(blocks):
        ends += [None, i] if block.expected_output is not None else [i]
    out, closed, inside = [], 0, False
    for line in markdown.splitlines():
        out.append(line)
        if not line.lstrip().startswith("```"):
            continue
        if inside:  # this line closes the page's fence number `closed`
            owner = ends[closed] if closed < len(ends) else None
            if owner in found:
                out += ["", flag(found[owner])]
            closed += 1
        inside = not inside
    return "\n".join(out) + "\n"


def flag(problem: str) -> str:
    """Return a Material admonition that shows the problem on the page."""
    body = "\n".join("    " + line for line in ["```text", *problem.splitlines(), "```"])
    return f'!!! failure "`make serve`: this block does not run as shown"\n\n{body}\n'
