"""``make post SLUG=... TITLE="..."``: start a draft post, its snippet module and its test.

The three files work together from the start: ``make test`` runs the post's block, checks its
output and runs the module's test. The post is a draft, so it stays out of the built site and
the feed until its front matter loses ``draft: true``. Nothing is overwritten.
"""

import argparse
import datetime
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

POST = """---
date:
  created: {date}
slug: {slug}
draft: true  # remove when the post is ready: until then, no page and no feed entry
authors: [team]
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

MODULE = '''"""The code behind the post "{title}".

Run it with ``python -m snippets.{module}``: it prints what the post shows.
"""

# --8<-- [start:example]
import jax
import jax.numpy as jnp


def squares(n: int) -> jax.Array:
    """Return the first n squares, computed by JAX."""
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


def files(slug: str, title: str, root: Path) -> dict[Path, str]:
    """Return the three files, by path, with their text."""
    module = slug.replace("-", "_")
    today = datetime.date.today().isoformat()
    return {
        root / "docs" / "posts" / f"{slug}.md": POST.format(
            date=today, slug=slug, title=title, module=module
        ),
        root / "snippets" / f"{module}.py": MODULE.format(title=title, module=module),
        root / "tests" / f"test_{module}.py": TEST.format(module=module),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="make post", description=__doc__)
    parser.add_argument("slug", help="lowercase words joined by hyphens: my-post")
    parser.add_argument("title", help="the post's title")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not SLUG.match(args.slug) or not args.title.strip():
        sys.exit('make post SLUG=lowercase-words TITLE="A title": both are needed')
    made = files(args.slug, args.title.strip(), args.root)
    if taken := [p for p in made if p.exists()]:
        sys.exit(f"make post: {taken[0].relative_to(args.root)} exists; pick another SLUG")
    for path, text in made.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(args.root)}")
    print("Next: make serve, and edit the post; make test POST=docs/posts/" + f"{args.slug}.md")


if __name__ == "__main__":
    main()
