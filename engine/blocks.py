"""The block grammar (CONTRIBUTING.md shows it): an expanded post's fenced blocks, found by
pytest-codeblocks' parser, with their markers, the output shown under each, and the outputs kept,
unshown, for other runs (``<!-- output on gpu with jax 0.11, 0.12: ... -->``).
"""

import ast
import io
import re
import shlex
from dataclasses import dataclass, field
from typing import NamedTuple

from pytest_codeblocks.main import extract_from_buffer

from engine.config import PostError, where
from engine.includes import ExpandedPost, Origin

RUNNABLE = {"python": "python", "py": "python", "sh": "sh", "bash": "bash"}
DRAWN = {"mermaid"}  # a diagram, drawn when the site is built: shown, and nothing to run
MARKS = {"norun", "output_timings", "raises"}
CONTINUED = " (continued)"
SHOWN_OUTPUT = "<!-- pytest-codeblocks:expected-output -->"
KEPT = re.compile(r"^(\s*)<!-- output on (\w+) with jax (\d+\.\d+(?:, \d+\.\d+)*):$")
# What says something to the harness and nothing to a reader: marker lines and kept outputs.
MARKER_LINE = re.compile(r"^[ \t]*<!--[-\s]*pytest[.-].*?-->[ \t]*\n", re.M)
KEPT_OUTPUT = re.compile(r"^[ \t]*<!-- output on \w+ with jax [\d., ]+:\n.*?^[ \t]*-->[ \t]*\n",
                         re.M | re.S)  # fmt: skip


def without_tooling(text: str) -> str:
    """``text`` (Markdown or HTML) without markers and kept outputs; a blank line stands where
    each was, so that a fence never lands right under another and joins its paragraph.
    """
    return KEPT_OUTPUT.sub("\n", MARKER_LINE.sub("\n", text))


class Run(NamedTuple):
    """What a run is, as far as outputs go: the backend and the JAX version it ran with."""

    backend: str
    jax: str  # "0.12.0.1"

    @property
    def series(self) -> str:
        return ".".join(self.jax.split(".")[:2])

    def __str__(self) -> str:
        return f"{self.backend} with jax {self.jax}"

    @property
    def in_words(self) -> str:
        return f"JAX {self.jax} on a {self.backend.upper()}"


def kept_lines(backend: str, series: list[str], printed: str, indent: str = "") -> list[str]:
    """The lines that keep, unshown, what runs on ``backend`` with ``series`` print."""
    body = [indent + line for line in printed.splitlines()]
    return [
        f"{indent}<!-- output on {backend} with jax {', '.join(series)}:",
        *body,
        f"{indent}-->",
    ]


def shown_lines(printed: str, title: str = "Output", indent: str = "") -> list[str]:
    """The lines that show a block's output under it."""
    body = [indent + line for line in printed.splitlines()]
    return [indent + SHOWN_OUTPUT, f'{indent}```text title="{title}"', *body, f"{indent}```"]


def read_mark(text: str) -> tuple[str, object]:
    """A marker, ``pytest.mark.NAME`` or ``pytest.mark.NAME(VALUE)``, read as data (no pytest)."""
    node = ast.parse(text.strip(), mode="eval").body
    call = node if isinstance(node, ast.Call) else None
    target = call.func if call else node
    if ast.unparse(target).rpartition(".")[0] != "pytest.mark":
        raise ValueError("a marker reads pytest.mark.<name>(...)")
    values = [*call.args, *(word.value for word in call.keywords)] if call else []
    return target.attr, ast.literal_eval(values[0]) if values else None


@dataclass
class Kept:
    """An output kept for other runs: one backend, the JAX series that print the same."""

    backend: str
    series: list[str]
    text: str
    first: int  # indices in the expanded post of its opening and closing lines
    last: int

    def covers(self, run: Run) -> bool:
        return run.backend == self.backend and run.series in self.series


@dataclass
class Block:
    """One fenced block as a reader sees it, and what the harness needs to run and check it."""

    post: ExpandedPost
    index: int
    language: str
    attributes: dict[str, str]
    code: str
    fence: int  # indices in post.lines: the opening and closing fences
    close: int
    indent: str = ""
    marks: dict[str, object] = field(default_factory=dict)  # marker name -> its value
    shown: str | None = None  # the output the page shows under it
    output: tuple[int, int] | None = None  # its fences
    output_title: str = ""
    ignore_whitespace: bool = False
    kept: list[Kept] = field(default_factory=list)

    @property
    def line(self) -> int:
        """The line of the post that holds the opening fence."""
        return self.post.post_lines[self.fence]

    @property
    def where(self) -> str:
        return where(self.post.path, self.line, self.post.root)

    @property
    def end(self) -> int:
        """The index of the block's last line in the expanded post: its output's, or a kept
        one's.
        """
        return max([self.close, *(self.output or ()), *(k.last for k in self.kept)])

    def origin(self, code_line: int) -> Origin:
        """Where line ``code_line`` (from 1) of the block's code was written."""
        return self.post.origins[self.fence + code_line]

    @property
    def runner(self) -> str | None:
        """The runner: "python", "sh" or "bash" when the block runs; None if marked not to."""
        return None if "norun" in self.marks else RUNNABLE.get(self.language)

    @property
    def continues(self) -> bool:
        return self.attributes.get("title", "").endswith(CONTINUED)

    @property
    def raises(self) -> str | None:
        """The exception the block raises on purpose, by name, if it is marked so."""
        return str(self.marks["raises"]) if "raises" in self.marks else None

    @property
    def reason(self) -> str | None:
        """Why a block marked norun never runs."""
        return str(self.marks["norun"]).rstrip(".") if self.marks.get("norun") else None

    def expected(self, run: Run) -> str | None:
        """What the block must print in ``run``: a kept output that covers it, else the shown."""
        return next((k.text for k in self.kept if k.covers(run)), self.shown)


def read_blocks(post: ExpandedPost) -> list[Block]:
    """Every fenced block of ``post`` except the outputs shown under blocks, checked."""
    for number, text in zip(post.post_lines, post.lines, strict=True):
        if "pytest-codeblocks:cont" in text:
            raise PostError(
                f"{where(post.path, number, post.root)}: a block that continues the one before "
                'it says so in its title: title="snippets/x.py (continued)"'
            )
    try:
        found = extract_from_buffer(io.StringIO(post.text))
    except RuntimeError as err:
        raise PostError(f"{where(post.path, root=post.root)}: {err}") from None
    blocks = [to_block(post, i, raw) for i, raw in enumerate(found)]
    check_every_fence_read(post, blocks)
    attach_kept(post, blocks)
    return [check(block, blocks[:i]) for i, block in enumerate(blocks)]


def to_block(post: ExpandedPost, index: int, raw: object) -> Block:
    fence = raw.lineno - 1
    opening = post.lines[fence]
    indent = opening[: len(opening) - len(opening.lstrip())]
    language, _, rest = (raw.syntax or "").strip().partition(" ")
    close, code = fenced(post, fence, indent)
    block = Block(post, index, language, attributes(rest), code, fence, close, indent)
    for text in raw.marks:
        try:
            name, value = read_mark(text)
        except (SyntaxError, ValueError) as err:
            raise PostError(f"{block.where}: bad marker <!-- {text} -->: {err}") from None
        if name not in MARKS:
            raise PostError(f"{block.where}: unknown marker {name}; the markers are "
                            f"{', '.join(sorted(MARKS))}")  # fmt: skip
        block.marks[name] = value
    if raw.expected_output is not None:
        after = range(close + 1, len(post.lines))
        start = next(i for i in after if post.lines[i].lstrip().startswith("```"))
        end, block.shown = fenced(post, start, indent)
        block.output, block.ignore_whitespace = (start, end), raw.expected_output_ignore_whitespace
        block.output_title = attributes(post.lines[start].strip().lstrip("`")[4:]).get("title", "")
    return block


def fenced(post: ExpandedPost, fence: int, indent: str) -> tuple[int, str]:
    """The closing fence of the fence at ``fence``, and the text between, less ``indent``.

    (pytest-codeblocks finds the blocks; it drops the blank lines of an indented one, so their
    text is read here.)
    """
    opening = post.lines[fence].lstrip()
    ticks = opening[: len(opening) - len(opening.lstrip("`"))]
    after = range(fence + 1, len(post.lines))
    close = next((i for i in after if post.lines[i].lstrip().startswith(ticks)), None)
    if close is None:
        raise PostError(f"{post.at(fence)}: a fence never closes")
    return close, "".join(
        line.removeprefix(indent) + "\n" for line in post.lines[fence + 1 : close]
    )


def check_every_fence_read(post: ExpandedPost, blocks: list[Block]) -> None:
    """Every fence line belongs to a block or an output the parser read: nothing slips past."""
    read = {i for b in blocks for i in (b.fence, b.close, *(b.output or ()))}
    for i, line in enumerate(post.lines):
        if line.lstrip().startswith(("```", "~~~")) and i not in read:
            hint = ("~~~ fences are not read by the harness; use ```" if "~~~" in line
                    else "is a fence unclosed, nested, or an output without a block?")  # fmt: skip
            raise PostError(f"{post.at(i)}: a fence no block owns: {hint}")


def attach_kept(post: ExpandedPost, blocks: list[Block]) -> None:
    """Give each block the outputs kept for other runs right after it (blank lines between)."""
    attached = set()
    for block in blocks:
        i = block.end + 1
        while i < len(post.lines) and (not post.lines[i].strip() or KEPT.match(post.lines[i])):
            if match := KEPT.match(post.lines[i]):
                ends = [j for j in range(i + 1, len(post.lines)) if post.lines[j].strip() == "-->"]
                if not ends:
                    raise PostError(f"{post.at(i)}: a kept output never closes with a --> line")
                text = "".join(
                    f"{ln.removeprefix(match[1])}\n" for ln in post.lines[i + 1 : ends[0]]
                )
                block.kept.append(Kept(match[2], match[3].split(", "), text, i, ends[0]))
                attached.add(i)
                i = ends[0]
            i += 1
    for i, line in enumerate(post.lines):
        if KEPT.match(line) and i not in attached:
            raise PostError(
                f"{post.at(i)}: a kept output belongs right after a block or its output"
            )


def attributes(info: str) -> dict[str, str]:
    """Material's attributes from a fence's info string: title="x" hl_lines="2 3" ..."""
    try:
        words = shlex.split(info.replace("{", "").replace("}", ""))
    except ValueError:
        words = []
    return dict(word.split("=", 1) for word in words if "=" in word)


def check(block: Block, before: list[Block]) -> Block:
    """Refuse what would otherwise pass unnoticed: unrun blocks, wrong titles, dead highlights."""
    if "norun" in block.marks and not block.reason:
        raise PostError(f'{block.where}: pytest.mark.norun needs reason="..." saying why')
    if "norun" not in block.marks and block.language not in {*RUNNABLE, *DRAWN}:
        raise PostError(
            f"{block.where}: a ```{block.language or '(no language)'} block is neither run "
            "(python, sh, bash) nor shown as a block's output; mark it "
            '<!-- pytest.mark.norun(reason="...") --> if readers should only read it'
        )
    check_title(block, before)
    lines = block.code.count("\n")
    for number in re.findall(r"\d+", block.attributes.get("hl_lines", "")):
        if not 1 <= int(number) <= lines:
            raise PostError(f"{block.where}: hl_lines names line {number}; the block has {lines}")
    if (
        block.raises
        and block.shown is not None
        and f"raises {block.raises}" not in block.output_title
    ):
        raise PostError(
            f"{block.where}: it raises {block.raises} on purpose: title its output "
            f'"Output (raises {block.raises})" (make outputs writes it)'
        )
    return block


def check_title(block: Block, before: list[Block]) -> None:
    """A reader copies by file: a python block shows one snippet file and its title names it,
    saying "(continued)" when it needs the python block before it.
    """
    lines = range(1, block.code.count("\n") + 1)
    files = sorted({block.origin(n).file for n in lines} - {block.post.origins[block.fence].file})
    if block.language in ("python", "py") and block.runner and not files:
        raise PostError(f"{block.where}: python blocks show code from snippets/: include it with "
                        '--8<-- "snippets/x.py:section"')  # fmt: skip
    if not files:
        return
    if len(files) > 1 or not files[0].startswith("snippets/"):
        raise PostError(f"{block.where}: the block shows code from {', '.join(files)}; "
                        "show one snippet file per block, so its title can name it")  # fmt: skip
    title = block.attributes.get("title", "")
    if title.removesuffix(CONTINUED) != files[0]:
        raise PostError(
            f'{block.where}: give the block title="{files[0]}" (or, if it needs the '
            f'block before it, title="{files[0]}{CONTINUED}"): readers copy by file'
        )
    runnable = [b for b in before if b.runner]
    if block.continues and not (runnable and runnable[-1].runner == "python" == block.runner):
        raise PostError(f"{block.where}: a block titled (continued) runs after the python block "
                        "before it; there is none")  # fmt: skip


def chains(blocks: list[Block]) -> list[list[Block]]:
    """Group the runnable blocks: each chain starts afresh; a (continued) block joins the last."""
    groups: list[list[Block]] = []
    for block in blocks:
        if block.runner and block.continues and groups:
            groups[-1].append(block)
        elif block.runner:
            groups.append([block])
    return groups
