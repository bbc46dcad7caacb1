"""``make post SLUG=... TITLE="..."``: start a draft post, its snippet module and its test.

The three files work together from the start: ``make test`` runs the post's block, checks
its output and runs the module's test. The post is a draft, so it stays out of the built
site and the feed until its front matter loses ``draft: true``. Nothing is overwritten.
"""

import argparse
import datetime
import re
import sys
import textwrap
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
MAX_SLUG = 40  # the module's name fits the snippets' 80 columns

POST = """---
date:
  created: {date}
slug: {slug}
draft: true  # remove when the post is ready: until then, no page and no feed entry
authors: [{author}]
categories: [JAX]
tags: [jax]
description: >-
  {title}: one sentence on what a reader will learn, for search results and link previews.
---

# {title}

The question this post answers, and why a NumPy user would ask it.

<!-- more -->

## A first example

```python title="snippets/{module}.py"
--8<-- "snippets/{module}.py:example"

--8<-- "snippets/{module}.py:show_example"
```
<!-- pytest-codeblocks:expected-output -->
```text title="Output"
squares: [ 0  1  4  9 16]
```
"""

MODULE = '''"""Run it: ``python -m snippets.{module}``.

{about}
"""

# --8<-- [start:example]
import jax
import jax.numpy as jnp


def squares(n: int) -> jax.Array:
    """Return the first ``n`` squares, computed by JAX."""
    return jnp.arange(n) ** 2
    # --8<-- [end:example]


def main() -> None:
    """Print what the post shows."""
    # --8<-- [start:show_example]
    print("squares:", squares(5))
    # --8<-- [end:show_example]


if __name__ == "__main__":
    main()
'''

TEST = '''"""Tests of snippets/{module}.py."""

from snippets.{module} import squares


def test_squares_are_the_squares_of_the_first_integers():
    assert squares(5).tolist() == [0, 1, 4, 9, 16]
'''


def first_author(root: Path) -> str:
    """Return the first author listed in docs/.authors.yml."""
    authors = yaml.safe_load((root / "docs" / ".authors.yml").read_text(encoding="utf-8"))
    return next(iter(authors["authors"]))


def plan(root: Path, slug: str, title: str, author: str) -> dict[Path, str]:
    """Return the three files to write, with their text."""
    module = slug.replace("-", "_")
    about = f'The post "{title}" (docs/posts/{slug}.md) shows it section by section.'
    about = textwrap.fill(about, 76)
    fields = {"slug": slug, "title": title, "module": module, "author": author, "about": about,
              "date": datetime.date.today().isoformat()}  # fmt: skip
    return {
        root / "docs" / "posts" / f"{slug}.md": POST.format(**fields),
        root / "snippets" / f"{module}.py": MODULE.format(**fields),
        root / "tests" / f"test_{module}.py": TEST.format(**fields),
    }


def start_post(root: Path, slug: str, title: str, author: str | None = None) -> list[Path]:
    """Write the files, or raise ValueError (writing nothing) if the slug is bad or taken."""
    if not SLUG.match(slug):
        raise ValueError(f"SLUG={slug!r}: use lowercase letters, digits and single hyphens")
    if len(slug) > MAX_SLUG:
        raise ValueError(f"SLUG={slug!r}: keep it to {MAX_SLUG} characters (a URL, a module name)")
    if not title.strip():
        raise ValueError('TITLE is empty: make post SLUG=my-post TITLE="My post"')
    files = plan(root, slug, title.strip(), author or first_author(root))
    taken = [path.relative_to(root) for path in files if path.exists()]
    if taken:
        listed = ", ".join(map(str, taken))
        raise ValueError(f"SLUG={slug!r} is taken ({listed} exists); nothing was written")
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)


def main() -> None:
    """Parse SLUG and TITLE, start the post, say what to do next."""
    parser = argparse.ArgumentParser(prog="make post", description=__doc__)
    parser.add_argument("slug")
    parser.add_argument("title")
    parser.add_argument("--author", help="an id from docs/.authors.yml (default: the first)")
    args = parser.parse_args()
    try:
        written = start_post(ROOT, args.slug, args.title, args.author)
    except ValueError as problem:
        sys.exit(f"make post: {problem}")
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    post = f"docs/posts/{args.slug}.md"
    print(f"next: make serve, and write {post}; make test POST={post} checks it alone")


if __name__ == "__main__":
    main()
