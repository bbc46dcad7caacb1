"""Expand a post exactly as MkDocs will, keeping track of where every line came from."""

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import yaml
from mkdocs.utils.yaml import yaml_load
from pymdownx.snippets import SnippetMissingError, SnippetPreprocessor

ROOT = Path(__file__).resolve().parents[2]
INCLUDE = re.compile(
    r"""^\s*-+8<-+\s+(["'])(?P<path>[^:"']+)(?::(?P<section>[a-z][-_0-9a-z]*))?\1\s*$"""
)


class PostError(Exception):
    """A mistake in a post or its snippets; the message starts with the file and line."""


def where(path: Path, line: int | None = None) -> str:
    """Name a file (relative to the project when it is inside it) and optionally a line."""
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return f"{shown}:{line}" if line else str(shown)


@dataclass
class ExpandedPost:
    """A post's text after snippet expansion, with the origin of each expanded line."""

    path: Path
    lines: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)  # "snippets/jit.py:12" or "docs/...md:40"
    post_lines: list[int] = field(default_factory=list)  # the post line that produced each line

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@functools.cache
def snippet_config(mkdocs_yml: Path = ROOT / "mkdocs.yml") -> dict:
    """pymdownx.snippets' options exactly as mkdocs.yml sets them, base paths made absolute."""
    with open(mkdocs_yml, encoding="utf-8") as f:
        extensions = yaml_load(f)["markdown_extensions"]
    for entry in extensions:
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            options = dict(entry["pymdownx.snippets"] or {})
            base = options.get("base_path", ["."])
            base = [base] if isinstance(base, str) else base
            options["base_path"] = [str(mkdocs_yml.parent / b) for b in base]
            return options
    raise PostError(f"{where(mkdocs_yml)}: pymdownx.snippets is not configured")


def preprocessor(options: dict) -> SnippetPreprocessor:
    """The very preprocessor MkDocs runs, built from the same options."""
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": options}
    )
    return md.preprocessors["snippet"]


def check_front_matter(path: Path) -> dict:
    """A blog post opens with YAML front matter that parses and gives its date."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---\n" not in text[3:]:
        raise PostError(f"{where(path, 1)}: a post starts with front matter between --- lines")
    try:
        meta = yaml.safe_load(text[4 : text.index("\n---\n", 3)]) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark else 1  # +1 for the opening ---, +1 to count from 1
        raise PostError(f"{where(path, line)}: the front matter is not valid YAML: {err}") from None
    date = meta.get("date")
    created = date.get("created") if isinstance(date, dict) else date
    if not created:
        raise PostError(
            f"{where(path)}: the front matter needs a date, e.g. date: {{created: 2026-01-31}}"
        )
    return meta


def expand(path: Path, options: dict | None = None) -> ExpandedPost:
    """Expand ``path`` line by line (to know each line's origin), then check a one-pass
    expansion, as MkDocs does it, gives the same text."""
    options = options or snippet_config()
    snippets = preprocessor(options)
    source = path.read_text(encoding="utf-8").splitlines()
    post = ExpandedPost(path)
    for number, text in enumerate(source, 1):
        try:
            produced = snippets.run([text])
        except SnippetMissingError as err:
            raise PostError(f"{where(path, number)}: {err}{sections_hint(text, options)}") from None
        post.lines += produced
        post.origins += origins(text, produced, options) or [where(path, number)] * len(produced)
        post.post_lines += [number] * len(produced)
    if post.lines != snippets.run(list(source)):
        raise PostError(
            f"{where(path)}: a multi-line '--8<--' block cannot be traced to its lines; "
            'include one file or section per line: --8<-- "snippets/x.py:section"'
        )
    for number, text in zip(post.post_lines, post.lines, strict=True):
        if "--8<--" in text:
            raise PostError(
                f"{where(path, number)}: a '--8<--' marker would show on the page: {text.strip()}"
            )
    return post


def snippet_file(relative: str, options: dict) -> Path | None:
    """Find an included file the way pymdownx does: the first base path that has it."""
    for base in options["base_path"]:
        if (Path(base) / relative).is_file():
            return Path(base) / relative
    return None


def origins(text: str, produced: list[str], options: dict) -> list[str] | None:
    """Origins ("file:line") of the lines an include line produced; None if not an include."""
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
    return [where(file, n) for n in numbers[: len(produced)]] + [where(file)] * (
        len(produced) - len(numbers)
    )


def section_marker(line: str) -> tuple[str, str] | None:
    """("start", name) or ("end", name) for a snippet section marker line, else None."""
    match = SnippetPreprocessor.RE_SNIPPET_SECTION.match(line)
    return (match["type"].lower(), match["name"]) if match else None


def sections_hint(text: str, options: dict) -> str:
    """For a missing section, list the sections the file does have."""
    match = INCLUDE.match(text)
    file = match and match["section"] and snippet_file(match["path"], options)
    if not file:
        return ""
    names = [
        m[1]
        for line in file.read_text(encoding="utf-8").splitlines()
        if (m := section_marker(line)) and m[0] == "start"
    ]
    return f" in {where(file)}; its sections are: {', '.join(names) or '(none)'}"
