"""The include grammar, defined once, and a post expanded exactly as MkDocs expands it.

A post includes code with one line, ``--8<-- "snippets/jit.py:timing"``, and a snippet file
marks what it offers with ``# --8<-- [start:timing]`` / ``# --8<-- [end:timing]``. Expansion
uses pymdownx's own preprocessor, configured from mkdocs.yml, so the tests and the site can
never disagree; this module only keeps track of where each expanded line came from.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import markdown
from pymdownx.snippets import SnippetMissingError, SnippetPreprocessor

from engine.config import ROOT, PostError, snippet_options, where

INCLUDE = re.compile(
    r"""^\s*-+8<-+\s+(["'])(?P<path>[^:"']+)(?::(?P<section>[a-z][-_0-9a-z]*))?\1\s*$"""
)
# Comment lines in a snippet file that only tools read: section markers and isort splits.
TOOLING_LINE = re.compile(r"^\s*# (--8<-- \[(start|end):[\w-]+\]|isort: split)\s*$")


class Origin(NamedTuple):
    """Where an expanded line was written: a file, named as ``where`` names it, and its line
    (None for a line a section's end produced).
    """

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class ExpandedPost:
    """A post's text after snippet expansion, with the origin of each expanded line."""

    path: Path
    root: Path = ROOT
    lines: list[str] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)  # snippets/jit.py, 12; docs/...md, 40
    post_lines: list[int] = field(default_factory=list)  # the post line that produced each line

    def at(self, index: int) -> str:
        """The post file and line that produced expanded line ``index``."""
        return where(self.path, self.post_lines[index], self.root)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def section_marker(line: str) -> tuple[str, str] | None:
    """("start", name) or ("end", name) for a snippet section marker line, else None."""
    match = SnippetPreprocessor.RE_SNIPPET_SECTION.match(line)
    return (match["type"].lower(), match["name"]) if match else None


def sections(file: Path) -> list[str]:
    """The names of the sections a snippet file offers, in order."""
    lines = file.read_text(encoding="utf-8").splitlines()
    return [m[1] for line in lines if (m := section_marker(line)) and m[0] == "start"]


def for_readers(source: str) -> str:
    """A snippet file without the comment lines that only tools read."""
    return "".join(
        line for line in source.splitlines(keepends=True) if not TOOLING_LINE.match(line)
    )


def preprocessor(options: dict) -> SnippetPreprocessor:
    """The very preprocessor MkDocs runs, built from the same options."""
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": options}
    )
    return md.preprocessors["snippet"]


def expand(path: Path, options: dict | None = None, root: Path = ROOT) -> ExpandedPost:
    """Expand ``path`` line by line (to know each line's origin), then check a one-pass
    expansion, as MkDocs does it, gives the same text.
    """
    options = options or snippet_options()
    snippets = preprocessor(options)
    source = path.read_text(encoding="utf-8").splitlines()
    post = ExpandedPost(path, root)
    for number, text in enumerate(source, 1):
        try:
            produced = snippets.run([text])
        except SnippetMissingError as err:
            raise PostError(
                f"{where(path, number, root)}: {err}{sections_hint(text, options, root)}"
            ) from None
        post.lines += produced
        here = [Origin(where(path, root=root), number)] * len(produced)
        post.origins += origins(text, produced, options, root) or here
        post.post_lines += [number] * len(produced)
    if post.lines != snippets.run(list(source)):
        raise PostError(
            f"{where(path, root=root)}: a multi-line '--8<--' block cannot be traced to its lines; "
            'include one file or section per line: --8<-- "snippets/x.py:section"'
        )
    for number, text in zip(post.post_lines, post.lines, strict=True):
        if "--8<--" in text:
            raise PostError(
                f"{where(path, number, root)}: a '--8<--' marker would show on the page: "
                f"{text.strip()}"
            )
    return post


def snippet_file(relative: str, options: dict) -> Path | None:
    """Find an included file the way pymdownx does: the first base path that has it."""
    for base in options["base_path"]:
        if (Path(base) / relative).is_file():
            return Path(base) / relative
    return None


def origins(text: str, produced: list[str], options: dict, root: Path) -> list[Origin] | None:
    """Origins of the lines an include line produced; None if not an include."""
    match = INCLUDE.match(text)
    file = match and snippet_file(match["path"], options)
    if not file:
        return None
    lines = file.read_text(encoding="utf-8").splitlines()
    first = 0
    if match["section"]:
        starts = [
            i for i, line in enumerate(lines) if section_marker(line) == ("start", match["section"])
        ]
        first = starts[0] + 1
    numbers = [i + 1 for i in range(first, len(lines)) if not section_marker(lines[i])]
    named, past_the_end = where(file, root=root), len(produced) - len(numbers)
    return [Origin(named, n) for n in numbers[: len(produced)]] + [Origin(named)] * past_the_end


def sections_hint(text: str, options: dict, root: Path) -> str:
    """For a missing section, list the sections the file does have."""
    match = INCLUDE.match(text)
    file = match and match["section"] and snippet_file(match["path"], options)
    offered = ", ".join(sections(file)) if file else ""
    return f" in {where(file, root=root)}; its sections are: {offered or '(none)'}" if file else ""
