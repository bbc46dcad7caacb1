"""One post: its front matter, where the blog publishes it, its blocks and what they depend on.

Every part of the project that asks a question about a post (is it a draft, what is its URL,
which snippet files does it run, has any of them changed) asks this model, so there is one
answer. ``posts()`` lists them; nothing anywhere keeps a list of posts by hand.
"""

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

import babel.dates
import yaml
from pymdownx.slugs import slugify

from blog.blocks import Block, chains, fingerprint, read_blocks, snippet_files
from blog.history import cited_results, last_changed
from blog.includes import ExpandedPost, expand, included_paths
from blog.project import (
    BLOCK_TIMEOUT_S,
    DEFAULT_LIMIT,
    ROOT,
    PostError,
    TimeLimit,
    plugin_options,
    snippet_options,
    time_limit,
    where,
)

POSTS = Path("docs") / "posts"


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
            f"{where(path)}: the front matter needs a date, e.g. date: {{created: 2026-01-31}}"
        )
    time_limit(meta, path)  # a bad or too-generous limit fails here, before anything runs
    return meta


@dataclass(frozen=True)
class Post:
    """A Markdown file under docs/posts/, as the blog plugin and the tests both see it."""

    path: Path
    meta: dict

    @classmethod
    def read(cls, path: Path) -> "Post":
        """Read a post's front matter; a mistake in it raises PostError naming the line."""
        return cls(Path(path).resolve(), front_matter(Path(path)))

    @property
    def time_limit(self) -> TimeLimit:
        """Seconds each chain of its blocks (and each notebook cell) may run."""
        return time_limit(self.meta, self.path)

    @property
    def draft(self) -> bool:
        """A draft is served by `make serve` but built into no page and no feed."""
        return bool(self.meta.get("draft"))

    @property
    def date(self) -> datetime.date:
        """The date the post was first published."""
        date = self.meta["date"]
        return date["created"] if isinstance(date, dict) else date

    @functools.cached_property
    def title(self) -> str:
        """The title in the front matter, else the first # heading, as the blog takes it."""
        if self.meta.get("title"):
            return str(self.meta["title"])
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
        return self.path.stem

    @property
    def slug(self) -> str:
        """The slug in the front matter, else the title slugified as the blog plugin does."""
        return self.meta.get("slug") or slugify(case="lower")(self.title, "-")

    @property
    def url(self) -> str:
        """The post's address relative to the site root, by the blog plugin's own rule."""
        blog = plugin_options("blog", self.root)
        date = babel.dates.format_date(
            self.date, format=blog.get("post_url_date_format", "yyyy/MM/dd"), locale="en"
        )
        pattern = blog.get("post_url_format", "{date}/{slug}")
        return pattern.format(date=date, slug=self.slug, categories="", file=self.path.stem) + "/"

    @property
    def root(self) -> Path:
        """The project the post belongs to: the nearest folder above it with a mkdocs.yml."""
        found = (folder for folder in self.path.parents if (folder / "mkdocs.yml").is_file())
        return next(found, ROOT)

    @functools.cached_property
    def expanded(self) -> ExpandedPost:
        """The post's text after snippet expansion, line origins kept."""
        return expand(self.path, snippet_options(self.root))

    @functools.cached_property
    def blocks(self) -> list[Block]:
        """Every fenced block a reader sees, outputs excepted, checked against the rules."""
        return read_blocks(self.expanded)

    @property
    def chains(self) -> list[list[Block]]:
        """The runnable blocks, grouped: each group runs in one fresh interpreter."""
        return chains(self.blocks)

    @property
    def snippet_files(self) -> list[Path]:
        """The snippet files the post's blocks come from or import."""
        return snippet_files(self.blocks, self.root)

    @property
    def included_files(self) -> list[str]:
        """The files the post names in its includes, as written: ["snippets/jit.py", ...]."""
        return included_paths(self.path.read_text(encoding="utf-8"))

    @property
    def sources(self) -> list[Path]:
        """Every file whose change changes the page: itself, includes, snippets, results."""
        text = self.path.read_text(encoding="utf-8")
        included = [self.root / name for name in self.included_files]
        cited = cited_results(text, self.root)
        return sorted({self.path, *included, *self.snippet_files, *cited})

    @functools.cached_property
    def updated(self) -> datetime.date | None:
        """The front matter's ``date.updated`` if typed, else the day git last changed a
        source; None when that is not after publication, or history cannot say.
        """
        date = self.meta["date"]
        if isinstance(date, dict) and date.get("updated"):
            return date["updated"]
        day = last_changed(self.sources, self.root)
        return day if day and day > self.date else None

    def fingerprint(self, *parts: str) -> str:
        """A hash of ``parts`` and of every snippet file the post's code uses."""
        return fingerprint(self.blocks, *parts, root=self.root)


def is_post(path: Path, root: Path = ROOT) -> bool:
    """Tell whether ``path`` is a post: Markdown under docs/posts/."""
    return path.suffix == ".md" and Path(path).resolve().is_relative_to(root / POSTS)


def posts(root: Path = ROOT, drafts: bool = False) -> list[Post]:
    """Every post of the project, oldest first; drafts only when asked for."""
    found = [Post.read(path) for path in sorted((root / POSTS).glob("**/*.md"))]
    return sorted((p for p in found if drafts or not p.draft), key=lambda p: (p.date, p.slug))


def time_limit_of(path: Path) -> TimeLimit:
    """The limit for blocks read from ``path``: its front matter's, else the project's default."""
    path = Path(path)
    if path.suffix == ".md" and path.read_text(encoding="utf-8").startswith("---\n"):
        return Post.read(path).time_limit
    return TimeLimit(BLOCK_TIMEOUT_S, DEFAULT_LIMIT)
