"""One post, read once: its front matter, where the blog publishes it, its blocks, the files its
code needs, when it last changed, and the numbers its prose cites from what its blocks print.

Every part of the project that asks about a post (the tests, the site, `make outputs`) asks this
record; ``read`` hands back the same one while the file is unchanged, and ``posts()`` lists them.
"""

import ast
import datetime
import decimal
import functools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import babel.dates
import yaml
from pymdownx.slugs import slugify

from engine.blocks import Block, chains, read_blocks
from engine.config import ROOT, PostError, plugin_options, snippet_options, time_limit, where
from engine.includes import INCLUDE, ExpandedPost, expand

POSTS = Path("docs") / "posts"
SNIPPETS = "snippets"
CITED_RESULTS = re.compile(r"""results\(\s*["'](\w+)["']\s*,\s*["'](\w+)["']""")
PRINTED = re.compile(r"""printed\(\s*(["'])(.+?)\1\s*(?:,\s*digits\s*=\s*(\d+)\s*)?\)""")
NUMBER = r"-?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?"


def front_matter(path: Path) -> dict:
    """A post's YAML front matter, which must parse and give a date."""
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
    if not (date.get("created") if isinstance(date, dict) else date):
        raise PostError(
            f"{where(path)}: the front matter needs a date: date: {{created: 2026-01-31}}"
        )
    time_limit(meta, path)  # a bad limit fails here, before anything runs
    return meta


@dataclass(frozen=True)
class Post:
    """A Markdown file under docs/posts/, as the blog plugin and the tests both see it."""

    path: Path
    meta: dict
    root: Path = ROOT

    @property
    def time_limit(self) -> tuple[float, str]:
        """Seconds each chain of its blocks may run, and where that limit was set."""
        return time_limit(self.meta, self.path)

    @property
    def draft(self) -> bool:
        return bool(self.meta.get("draft"))

    @property
    def date(self) -> datetime.date:
        date = self.meta["date"]
        return date["created"] if isinstance(date, dict) else date

    @functools.cached_property
    def title(self) -> str:
        """The front matter's title, else the first # heading, as the blog plugin takes it."""
        heading = re.search(r"^# (.+)$", self.path.read_text(encoding="utf-8"), re.M)
        return str(self.meta.get("title") or (heading[1].strip() if heading else self.path.stem))

    @property
    def slug(self) -> str:
        return self.meta.get("slug") or slugify(case="lower")(self.title, "-")

    @property
    def url(self) -> str:
        """The post's address under the site, by the blog plugin's own rule."""
        blog = plugin_options("blog", self.root)
        date = babel.dates.format_date(
            self.date, format=blog.get("post_url_date_format", "yyyy/MM/dd"), locale="en"
        )
        pattern = blog.get("post_url_format", "{date}/{slug}")
        return pattern.format(date=date, slug=self.slug, categories="", file=self.path.stem) + "/"

    @functools.cached_property
    def expanded(self) -> ExpandedPost:
        return expand(self.path, snippet_options(self.root), self.root)

    @functools.cached_property
    def blocks(self) -> list[Block]:
        return read_blocks(self.expanded)

    @property
    def chains(self) -> list[list[Block]]:
        return chains(self.blocks)

    @functools.cached_property
    def carried(self) -> list[Path]:
        """What the post's code needs besides jax and numpy: the snippet modules it imports or
        runs, in any form, with those they import, and the data files any of them names.
        """
        runs = [block.code for block in self.blocks if block.runner]
        modules = imported_files(runs, self.root)
        texts = runs + [path.read_text(encoding="utf-8") for path in modules]
        data = sorted(p for p in (self.root / SNIPPETS / "data").glob("*") if p.is_file())
        return sorted(modules) + [p for p in data if any(p.name in text for text in texts)]

    @property
    def cited_results(self) -> list[tuple[str, str]]:
        """The results files its prose cites: ("cpu", "bench") for docs/results/cpu/bench.json."""
        return list(dict.fromkeys(CITED_RESULTS.findall(self.path.read_text(encoding="utf-8"))))

    @property
    def sources(self) -> list[Path]:
        """Every file whose change changes the page: itself, includes, code, cited results."""
        text = self.path.read_text(encoding="utf-8")
        included = {
            self.root / m["path"] for line in text.splitlines() if (m := INCLUDE.match(line))
        }
        cited = {self.root / "docs" / "results" / b / f"{n}.json" for b, n in self.cited_results}
        return sorted({self.path, *included, *self.carried, *cited})

    @functools.cached_property
    def updated(self) -> datetime.date | None:
        """The day git last changed a source, when that is after publication; None when
        history cannot say (no git, or a shallow clone, which would date every file alike).
        """
        day = last_changed(self.sources, self.root)
        return day if day and day > self.date else None

    @functools.cached_property
    def cites(self) -> dict[tuple[str, int | None], str]:
        """Each number the prose cites with ``printed("name", digits=N)``, as the page shows it,
        read from the outputs the page shows (which the tests hold to what the blocks print).
        """
        text = self.path.read_text(encoding="utf-8")
        found = {}
        for match in PRINTED.finditer(text):
            name, digits = match[2], int(match[3]) if match[3] else None
            line = text.count("\n", 0, match.start()) + 1
            found[name, digits] = printed_value(
                self, name, digits, where(self.path, line, self.root)
            )
        return found


def printed_value(post: Post, name: str, digits: int | None, at: str) -> str:
    """The one number printed as ``name: 2.4648`` (or ``name = ...``) in the post's shown
    outputs, with ``digits`` decimals, rounded half to even; never more digits than printed.
    """
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}\s*[:=]\s*({NUMBER})")
    hits = [(b, m[1]) for b in post.blocks if b.shown for m in pattern.finditer(b.shown)]
    if len(hits) != 1:
        lines = [f"{b.where}: {n}" for b, n in hits] or ["(none)"]
        raise PostError(
            f"{at}: printed({name!r}) must match one number shown as '{name}: ...' or "
            f"'{name} = ...' in the post's outputs; found:\n  " + "\n  ".join(lines)
        )
    number = hits[0][1].replace(",", "")
    if digits is None:
        return hits[0][1]
    shown = len(number.partition(".")[2]) if "e" not in number else 0
    if digits > shown:
        raise PostError(
            f"{at}: printed({name!r}, digits={digits}) asks for more decimals than "
            f"the block printed ({hits[0][1]}, at {hits[0][0].where})"
        )
    rounded = decimal.Decimal(number).quantize(decimal.Decimal(1).scaleb(-digits))
    return f"{rounded:,}" if "," in hits[0][1] else str(rounded)


def last_changed(paths: list[Path], root: Path) -> datetime.date | None:
    """The day of the newest commit touching any of ``paths``; None if history cannot say."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
        return done.stdout.strip() if done.returncode == 0 else ""

    try:
        found = git("log", "-1", "--format=%H %cs", "--", *map(str, paths))
        shallow = Path(root, git("rev-parse", "--git-path", "shallow") or "-")
    except (OSError, subprocess.SubprocessError):
        return None
    if not found or (shallow.is_file() and found.split()[0] in shallow.read_text()):
        return None
    return datetime.date.fromisoformat(found.split()[1])


def imported_files(texts: list[str], root: Path) -> set[Path]:
    """The snippet files ``texts`` import or run, in any form, and those they import in turn."""
    snippets, found, texts = root / SNIPPETS, set(), list(texts)
    while texts:
        for module in imported_snippets(texts.pop()):
            path = snippets / f"{module}.py"
            if path.exists() and path not in found:
                found.add(path)
                texts.append(path.read_text(encoding="utf-8"))
    return found


def imported_snippets(source: str) -> set[str]:
    """Name the snippets modules ``source`` imports: ``import snippets.x``, ``from snippets import
    x``, ``from snippets.x import f``, a relative import between snippets, an import inside a
    function, and a module named in a string. A shell command names them as it runs them.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a shell block: python -m snippets.jit
        named = set(re.findall(r"\bsnippets[./](\w+)", source))
        named |= {"__main__"} if re.search(r"-m\s+snippets(?![\w./])", source) else set()
        return named | {"__init__"} if named else set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = ".".join(filter(None, [SNIPPETS, node.module])) if node.level else node.module
            names = [module or ""] + [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == SNIPPETS:  # the package's __init__ runs before any of its modules
                found.update(["__init__", *parts[1:2]])
    return found


_READ: dict[Path, tuple[tuple, Post]] = {}


def read(path: Path, root: Path = ROOT) -> Post:
    """The post at ``path``: the same record while neither it nor any file of the snippets package
    changed, so that a build or a test session reads, expands and parses each post once.
    """
    path = Path(path).resolve()
    files = [path, *sorted(p for p in (root / SNIPPETS).rglob("*") if p.is_file())]
    stamp = (root, *((f, f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if path not in _READ or _READ[path][0] != stamp:
        _READ[path] = (stamp, Post(path, front_matter(path), root))
    return _READ[path][1]


def is_post(path: Path, root: Path = ROOT) -> bool:
    """Tell whether ``path`` is a post: Markdown under docs/posts/."""
    return path.suffix == ".md" and Path(path).resolve().is_relative_to(root / POSTS)


def posts(root: Path = ROOT, drafts: bool = False) -> list[Post]:
    """Every post of the project, oldest first; drafts only when asked for."""
    found = [read(path, root) for path in sorted((root / POSTS).glob("**/*.md"))]
    return sorted((p for p in found if drafts or not p.draft), key=lambda p: (p.date, p.slug))
