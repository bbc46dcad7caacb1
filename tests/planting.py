"""Small projects planted in a temporary root, and site builds, for the tests.

``plant`` makes a project with the blog's configuration and no post of its own, then plants a
post that uses every authoring feature (tabs with blocks inside, math, a diagram, code
annotations, grid cards, a footnote, an error raised on purpose, a cited number, a data file),
a draft, the scaffold's new post, and a page whose Markdown never rendered; it builds it once.
"""

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from engine.config import ROOT

DRAFT_WORD = "Zyzzyva"  # the draft's title: it must appear nowhere in the site
KEPT = ["mkdocs.yml", "LICENSE", "pyproject.toml", "requirements.lock", "hooks", "overrides",
        "snippets/__init__.py", "docs/about.md", "docs/tags.md", "docs/.authors.yml",
        "docs/assets", "docs/stylesheets"]  # fmt: skip

MODULE = '''"""Planted by the tests: the code behind a post that uses every authoring feature."""

import importlib.resources

import jax.numpy as jnp
import numpy as np


def points() -> list[str]:
    """The rows of the package's data file, read wherever the package is."""
    data = importlib.resources.files("snippets") / "data" / "planted.csv"
    return data.read_text(encoding="utf-8").split()


def main() -> None:
    """Print what the post shows."""
    # --8<-- [start:numpy]
    print("numpy total:", int(np.arange(4).sum()))
    # --8<-- [end:numpy]
    # --8<-- [start:jax]
    print("jax total:", int(jnp.arange(4).sum()))
    # --8<-- [end:jax]
    # --8<-- [start:data]
    print("rows:", len(points()))  # (1)!
    # --8<-- [end:data]
    # --8<-- [start:divide]
    print("before")
    print(1 / 0)
    # --8<-- [end:divide]
'''

FEATURES = """---
date:
  created: 2026-01-05
authors: [team]
categories: [JAX]
render_macros: true
description: A planted post that uses every authoring feature of the blog.
---

# Every feature, planted

A sum, $\\sum_i x_i$, inline.

<!-- more -->

=== "NumPy"

    ```python title="snippets/planted.py"
    --8<-- "snippets/planted.py:numpy"
    ```
    <!-- pytest-codeblocks:expected-output -->
    ```text title="Output"
    numpy total: 6
    ```

=== "JAX"

    ```python title="snippets/planted.py"
    --8<-- "snippets/planted.py:jax"
    ```
    <!-- pytest-codeblocks:expected-output -->
    ```text title="Output"
    jax total: 6
    ```

The total was {{ printed("jax total") }}, and so was NumPy's.[^same]

$$
\\frac{1}{n} \\sum_{i=1}^{n} x_i^2
$$

```python title="snippets/planted.py"
--8<-- "snippets/planted.py:data"
```

1.  The data file travels with the package, the wheel and the notebook.

<!-- pytest-codeblocks:expected-output -->
```text title="Output"
rows: 3
```

<!-- pytest.mark.raises("ZeroDivisionError") -->
```python title="snippets/planted.py"
--8<-- "snippets/planted.py:divide"
```
<!-- pytest-codeblocks:expected-output -->
```text title="Output (raises ZeroDivisionError)"
before
ZeroDivisionError: division by zero
```

```mermaid
flowchart LR
  accTitle: Two steps
  accDescr: The first step leads to the second.
  first --> second
```

<div class="grid cards" markdown>

-   __One__

    The first card.

-   __Two__

    The second card.

</div>

[^same]: Both sum 0, 1, 2 and 3.
"""

DRAFT = f"""---
date:
  created: 2026-01-02
draft: true
---

# {DRAFT_WORD} draft

Not ready.
"""

RAW = """# Not rendered

A macro on a page that does not render macros: {{ not_rendered }}

<div>
!!! note "an admonition inside raw HTML, which Markdown leaves alone"
=== "a tab there too"
```python
</div>
"""


@dataclass(frozen=True)
class Planted:
    root: Path
    site: Path


def plant_root(folder: Path) -> Path:
    """The blog's configuration and engine in a new root, with no post of its own."""
    root = folder / "project"
    for name in KEPT:
        source, target = ROOT / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target)
    (root / "node_modules").symlink_to(ROOT / "node_modules")  # KaTeX and Mermaid
    (root / "docs" / "posts").mkdir()
    (root / "docs" / "index.md").write_text("# Planted\n\nA blog planted by the tests.\n")
    config = root / "mkdocs.yml"  # a page outside the menu, as the notebooks are
    config.write_text(config.read_text().replace("not_in_nav: |\n", "not_in_nav: |\n  raw.md\n"))
    return root


def plant(folder: Path) -> Planted:
    root = plant_root(folder)
    (root / "snippets" / "data").mkdir()
    (root / "snippets" / "data" / "planted.csv").write_text("1,2\n3,4\n5,6\n")
    (root / "snippets" / "planted.py").write_text(MODULE)
    (root / "docs" / "posts" / "features.md").write_text(FEATURES)
    (root / "docs" / "posts" / "unfinished.md").write_text(DRAFT)
    (root / "docs" / "raw.md").write_text(RAW)
    new_post(root, "first-steps", "First steps")
    scaffold = root / "docs" / "posts" / "first-steps.md"
    scaffold.write_text(scaffold.read_text().replace("draft: true", "draft: false"))
    return Planted(root, build(root, folder / "site"))


def new_post(root: Path, slug: str, title: str) -> str:
    """Run `make post`'s tool in ``root``; return what it printed."""
    command = [sys.executable, "-m", "tools.new_post", slug, title, "--root", str(root)]
    return subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout


class Warnings(logging.Handler):
    """Keeps what MkDocs warns about, to say why a strict build failed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


def build(root: Path, site: Path) -> Path:
    """`mkdocs build --strict` of ``root`` into ``site``, in this process (never -q or -v,
    which turn the anchor check off); a failure names every warning."""
    config = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(site))
    warnings, logger, here = Warnings(), logging.getLogger("mkdocs"), os.getcwd()
    logger.addHandler(warnings)
    os.chdir(root)  # pymdownx.snippets finds included files from the working folder
    try:
        config.plugins.on_startup(command="build", dirty=False)
        mkdocs_build(config)
        config.plugins.on_shutdown()
    except BaseException as failure:
        raise AssertionError(
            f"the strict build of {root} failed: {failure}\n" + "\n".join(warnings.seen)
        ) from None
    finally:
        logger.removeHandler(warnings)
        os.chdir(here)
    return site
