"""The fenced blocks of an expanded post, read by pytest-codeblocks' parser, and their rules.

pytest-codeblocks reads the markers (HTML comments, invisible on the page) and pairs each
block with the output shown under it. What it leaves to us: Material attributes in the info
string (``python title="x.py"``), where each line came from, and the rules below.
"""

import ast
import hashlib
import importlib.util
import io
import re
import shlex
import sys
import threading
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from blog.includes import ExpandedPost, Origin
from blog.project import ROOT, PostError, where


def codeblocks_parser():
    """pytest-codeblocks' parser, its main.py, which imports only the standard library. Its
    package's __init__ also loads its pytest plugin, and with it pytest: reading a post, as
    `make serve` and `make outputs` do, needs no test runner, so the file is loaded alone.
    """
    package = importlib.util.find_spec("pytest_codeblocks")  # found, not imported
    path = Path(package.origin).with_name("main.py")
    spec = importlib.util.spec_from_file_location("blog._codeblocks_parser", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


extract_from_buffer = codeblocks_parser().extract_from_buffer

# Chains are keyed in several threads at once, and CPython 3.11's parser is not safe to run so:
# "SystemError: AST constructor recursion depth mismatch" (python/cpython#106905), seen here
# under load. One parse at a time.
PARSING = threading.Lock()
RUNNABLE = {"python": "python", "py": "python", "sh": "sh", "bash": "bash"}
# The output a block prints on another backend, or another JAX series, kept in the post but
# not shown:
# <!-- output on gpu:          <!-- output on jax 0.11:
# ...                          ...
# -->                          -->
RUN_NAME = r"\w+|jax \d+\.\d+"  # a backend (gpu) or a JAX series (jax 0.11)
OTHER_OUTPUT = re.compile(rf"^<!-- output on ({RUN_NAME}):$")
# What says something to the harness and nothing to a reader: a marker line, and a whole output
# kept for another run. Every page drops them (hooks/verified_on.py, blog/finish/tooling.py).
MARKER_LINE = re.compile(r"^[ \t]*<!--[-\s]*pytest[.-].*?-->[ \t]*\n", re.MULTILINE)
KEPT_OUTPUT = re.compile(rf"^<!-- output on (?:{RUN_NAME}):\n.*?^-->[ \t]*\n", re.M | re.S)
SHOWN_OUTPUT = "<!-- pytest-codeblocks:expected-output -->"


def without_tooling(text: str, keep_lines: bool = False) -> str:
    """``text`` (Markdown or HTML) without the markers and kept outputs; with ``keep_lines``,
    a blank line stands where each was, so the fences around it stay apart.
    """
    gone = "\n" if keep_lines else ""
    return KEPT_OUTPUT.sub(gone, MARKER_LINE.sub(gone, text))


def is_series(name: str | None) -> bool:
    """Tell whether a run's name is a JAX series ("jax 0.11"), not a backend ("gpu")."""
    return (name or "").startswith("jax ")


def mark_line(shown_on: str) -> str:
    """The marker that says what a block's shown output was printed on: a backend or a series."""
    if is_series(shown_on):
        return f'<!-- pytest.mark.output_jax("{shown_on.removeprefix("jax ")}") -->'
    return f'<!-- pytest.mark.output_backend("{shown_on}") -->'


def kept_output(on: str, printed: list[str]) -> list[str]:
    """The lines that keep, unshown, what a block prints in a run ``on``."""
    return [f"<!-- output on {on}:", *printed, "-->"]


def shown_output(printed: list[str]) -> list[str]:
    """The lines that show a block's output under it."""
    return [SHOWN_OUTPUT, '```text title="Output"', *printed, "```"]


@dataclass(frozen=True)
class Mark:
    """A block's marker, ``<!-- pytest.mark.NAME(ARGS) -->``, read as data: no pytest needed.

    Only pytest.mark names with literal arguments are markers; the pytest plugin hands each to
    pytest, which refuses a name that pyproject.toml does not register.
    """

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    @classmethod
    def read(cls, text: str) -> "Mark":
        """Read ``pytest.mark.name`` or ``pytest.mark.name(literal, key=literal)``."""
        with PARSING:
            node = ast.parse(text.strip(), mode="eval").body
        call = node if isinstance(node, ast.Call) else None
        target = call.func if call else node
        if ast.unparse(target).rpartition(".")[0] != "pytest.mark":
            raise ValueError("a marker reads pytest.mark.<name>(...)")
        args = tuple(ast.literal_eval(arg) for arg in call.args) if call else ()
        kwargs = {word.arg: ast.literal_eval(word.value) for word in call.keywords} if call else {}
        return cls(target.attr, args, kwargs)


@dataclass
class Block:
    """One fenced block as a reader sees it, with what the harness needs to run and check it."""

    post: ExpandedPost
    language: str
    attributes: dict[str, str]
    code: str
    # Indices in post.lines of its fence lines: opening, closing, then, when it shows an output,
    # that output's opening and closing.
    fences: tuple[int, ...]
    expected_output: str | None = None
    ignore_whitespace: bool = False
    marks: list[Mark] = field(default_factory=list)
    other_outputs: dict[str, str] = field(default_factory=dict)  # run -> what it prints

    @property
    def fence(self) -> int:
        """The index in post.lines of the block's opening fence."""
        return self.fences[0]

    @property
    def line(self) -> int:
        """The line of the post that holds the block's opening fence."""
        return self.post.post_lines[self.fence]

    @property
    def output_where(self) -> str:
        """The post file and line where the output shown under the block begins."""
        return where(self.post.path, self.post.post_lines[self.fences[2]] + 1)

    @property
    def last_line(self) -> int:
        """The line of the post that ends the block, or the output shown under it."""
        return self.post.post_lines[self.fences[-1]]

    @property
    def where(self) -> str:
        """The post file and line of the opening fence: what an author should open."""
        return where(self.post.path, self.line)

    def origin(self, code_line: int) -> Origin:
        """Where line ``code_line`` (1-based) of the block's code was written."""
        return self.post.origins[self.fence + code_line]

    def mark(self, name: str) -> Mark | None:
        return next((mark for mark in self.marks if mark.name == name), None)

    @property
    def shown_on(self) -> str | None:
        """What the shown output was printed on, when it depends on it.

        A backend (``output_backend("cpu")``) or a JAX series (``output_jax("0.10")``, named
        "jax 0.10"); other runs' outputs are kept unshown under the same kind of name.
        """
        if mark := self.mark("output_backend"):
            return mark.args[0]
        if mark := self.mark("output_jax"):
            return f"jax {mark.args[0]}"
        return None

    def kept_under(self, on: tuple[str, ...]) -> str:
        """The name a run ``on`` (backend, JAX series) keeps this block's output under."""
        backend, series = on
        return series if is_series(self.shown_on) else backend

    def output_for(self, on: tuple[str, ...]) -> str | None:
        """What the block must print in a run ``on``: the shown output or one kept unshown."""
        if self.shown_on is None or self.shown_on in on:
            return self.expected_output
        return self.other_outputs.get(self.kept_under(on))

    @property
    def runner(self) -> str | None:
        """ "python", "sh" or "bash" when the block runs; None when it is marked not to."""
        return None if self.mark("norun") else RUNNABLE.get(self.language)


def read_blocks(post: ExpandedPost) -> list[Block]:
    """Every fenced block of ``post`` except the outputs shown under blocks."""
    for number, text in zip(post.post_lines, post.lines, strict=True):
        if "pytest-codeblocks:cont" in text:
            raise PostError(
                f"{where(post.path, number)}: use <!-- pytest.mark.continues --> instead of "
                "pytest-codeblocks:cont, so each block's own output is still checked"
            )
    try:
        found = extract_from_buffer(io.StringIO(post.text))
    except RuntimeError as err:
        raise PostError(f"{where(post.path)}: {err}") from None
    fences = iter(every_fence_read(post, found))
    # The fences belong to the blocks in turn: two each, and two more for an output shown.
    blocks = [to_block(post, raw, tuple(islice(fences, 2 if raw.expected_output is None else 4)))
              for raw in found]  # fmt: skip
    attach_other_outputs(post, blocks)
    return [check(block) for block in blocks]


def attach_other_outputs(post: ExpandedPost, blocks: list[Block]) -> None:
    """Give each block the outputs on other backends kept after it in the post."""
    for i, line in enumerate(post.lines):
        match = OTHER_OUTPUT.match(line)
        if not match:
            continue
        owner = [b for b in blocks if b.fence < i][-1:]
        if not owner or owner[0].shown_on in (None, match[1]) or not same_kind(owner[0], match[1]):
            raise PostError(
                f"{where(post.path, post.post_lines[i])}: an output on {match[1]} belongs after "
                'the output of a block marked pytest.mark.output_backend("another backend") '
                '(or, for an output on a JAX series, output_jax("another series"))'
            )
        end = post.lines.index("-->", i)
        owner[0].other_outputs[match[1]] = "".join(f"{text}\n" for text in post.lines[i + 1 : end])


def same_kind(block: Block, on: str) -> bool:
    """Tell whether ``on`` names what the block's shown output names: a backend, or a series."""
    return is_series(on) == is_series(block.shown_on)


def every_fence_read(post: ExpandedPost, found: list) -> list[int]:
    """Each fence line belongs to a block or an output the parser read: nothing slips past.
    Return them, in order, as indices in post.lines.
    """
    fences = [i for i, line in enumerate(post.lines) if line.lstrip().startswith(("```", "~~~"))]
    tildes = [i for i in fences if post.lines[i].lstrip().startswith("~~~")]
    if tildes:
        raise PostError(
            f"{where(post.path, post.post_lines[tildes[0]])}: use ``` fences; "
            "~~~ fences are not read by the harness, so they would never run"
        )
    read = 2 * (len(found) + sum(raw.expected_output is not None for raw in found))
    if len(fences) != read:
        raise PostError(
            f"{where(post.path)}: {len(fences)} fence lines, but only {read} belong to "
            "blocks the harness read; is a fence unclosed or nested?"
        )
    return fences


def to_block(post: ExpandedPost, raw: object, fences: tuple[int, ...]) -> Block:
    language, _, rest = (raw.syntax or "").strip().partition(" ")
    block = Block(
        post,
        language,
        attributes(rest),
        raw.code,
        fences,
        raw.expected_output,
        raw.expected_output_ignore_whitespace,
    )
    for text in raw.marks:
        try:
            block.marks.append(Mark.read(text))
        except Exception as err:
            raise PostError(f"{block.where}: bad marker <!-- {text} -->: {err}") from None
    return block


def attributes(info: str) -> dict[str, str]:
    """Material's attributes from a fence's info string: title="x" hl_lines="2 3" ..."""
    return dict(
        pair.split("=", 1)
        for pair in shlex.split(info.replace("{", "").replace("}", ""))
        if "=" in pair
    )


def check(block: Block) -> Block:
    """Refuse what would otherwise pass unnoticed: unrun blocks, dead highlights, bad reasons."""
    norun = block.mark("norun")
    if norun and not (norun.kwargs.get("reason") or norun.args):
        raise PostError(
            f'{block.where}: pytest.mark.norun needs a reason="..." that says why it must not run'
        )
    if not norun and block.language not in RUNNABLE:
        raise PostError(
            f"{block.where}: a ```{block.language or '(no language)'} block is neither run "
            "(python, sh, bash) nor shown as a block's output; mark it "
            '<!-- pytest.mark.norun(reason="...") --> if readers should only read it'
        )
    check_title(block)
    lines = block.code.count("\n")
    for number in re.findall(r"\d+", block.attributes.get("hl_lines", "")):
        if not 1 <= int(number) <= lines:
            raise PostError(
                f"{block.where}: hl_lines names line {number}, but the block has {lines} lines"
            )
    return block


def check_title(block: Block) -> None:
    """A reader copies by file: the title names the one snippet file a block shows, and
    says "(continued)" when, and only when, the block needs the blocks above it.
    """
    code_lines = range(1, block.code.count("\n") + 1)
    files = sorted({block.origin(n).file for n in code_lines} - {where(block.post.path)})
    if not any(f.startswith("snippets/") for f in files):
        return
    if len(files) > 1:
        raise PostError(
            f"{block.where}: the block shows code from {', '.join(files)}; show one "
            "file per block, so that its title can name it"
        )
    expected = files[0] + (" (continued)" if block.mark("continues") else "")
    if block.attributes.get("title") != expected:
        raise PostError(
            f'{block.where}: give the block title="{expected}": readers copy by file, '
            'and a block that needs the blocks above it says "(continued)"'
        )


def chains(blocks: list[Block]) -> list[list[Block]]:
    """Group runnable blocks: one marked ``continues`` runs after the chain before it."""
    groups: list[list[Block]] = []
    for block in blocks:
        if not block.runner:
            continue
        if block.mark("continues"):
            if not groups or groups[-1][-1].runner != "python" or block.runner != "python":
                raise PostError(
                    f"{block.where}: pytest.mark.continues needs a python block right before it"
                )
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


def snippet_files(blocks: list[Block], root: Path = ROOT) -> list[Path]:
    """List the snippet files blocks come from, and those they import, transitively."""
    snippets = root / "snippets"
    origins = {root / block.origin(line).file
               for block in blocks for line in range(1, block.code.count("\n") + 1)}  # fmt: skip
    found = {path for path in origins if path.parent == snippets}
    texts = [block.code for block in blocks] + [path.read_text("utf-8") for path in found]
    return sorted(found | imported_files(texts, root))


def imported_files(texts: list[str], root: Path = ROOT) -> set[Path]:
    """The snippet files that ``texts`` import, and those they import in turn."""
    snippets, found, texts = root / "snippets", set(), list(texts)
    while texts:
        for module in imported_snippets(texts.pop()):
            path = snippets / f"{module}.py"
            if path.exists() and path not in found:
                found.add(path)
                texts.append(path.read_text(encoding="utf-8"))
    return found


def imported_snippets(source: str) -> set[str]:
    """Name the snippets modules ``source`` imports, in any form, at any depth of its code.

    ``import snippets.x``, ``from snippets import x``, ``from snippets.x import f``, the
    relative forms a snippet uses for its neighbours, an import inside a function, and a
    module named in a string (``importlib.import_module("snippets.x")``). ``__init__``, the
    package itself, runs before any of them.
    """
    try:
        with PARSING:
            tree = ast.parse(source)
    except SyntaxError:  # a shell block (python -m snippets.jit), or a block that will fail
        return named_in_commands(source)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # A relative import can only be a snippet's, of its neighbours in the package.
            relative = ".".join(filter(None, ["snippets", node.module]))
            module = relative if node.level else node.module or ""
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "snippets":  # the package's __init__ runs before any of its modules
                found.update(["__init__", *parts[1:2]])
    return found


NAMED_MODULE = re.compile(r"\bsnippets[./](\w+)")  # snippets.jit, snippets/jit.py
PACKAGE_RUN = re.compile(r"-m\s+snippets(?![\w./])")  # python -m snippets: its __main__


def named_in_commands(source: str) -> set[str]:
    """The snippets modules a shell block runs or names: ``python -m snippets.jit`` runs jit."""
    found = set(NAMED_MODULE.findall(source)) | (
        {"__main__"} if PACKAGE_RUN.search(source) else set()
    )
    return found | {"__init__"} if found else set()


def fingerprint(blocks: list[Block], *parts: str, root: Path = ROOT) -> str:
    """Hash ``parts``, the snippet files the blocks come from or import, and the package's
    data files (any snippet may read one).
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
    data = [path for path in (root / "snippets").iterdir() if path.suffix != ".py"]
    for path in [*snippet_files(blocks, root), *sorted(p for p in data if p.is_file())]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()
