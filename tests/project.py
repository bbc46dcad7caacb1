"""Helpers for tests that need a copy of the project: build it, or change it safely.

The authoring and fault tests share one copy and one build (``planted``): a copy holding every
change they plant, built once, on which each test then checks its own part. Only a fault that
stops a build early (a missing snippet section) needs a copy of its own.
"""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from blog import cache
from blog.post import posts
from blog.project import BUILD_TIMEOUT_S, ROOT, copy_project

__all__ = ["copy_project", "mkdocs_build", "new_post", "plant_and_build"]

DRAFT_WORD = "Zyzzyva"  # the unfinished draft's title: it must appear nowhere in the site
DEAD_ANCHOR = "no-such-heading"  # a link to it is added to the first post
NEW_POST = ("first-steps", "First steps")  # `make post`, left a draft
# `make post KIND=measured`, then published; its title is long on purpose
MEASURED_POST = ("sum-timed", "Sum, timed: how long one reduction takes in JAX and in NumPy, "
                 "at every size")  # fmt: skip


def mkdocs_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict`, never with -q or -v (either one turns the anchor check off)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    # Copies share the project's stores of what depends only on its inputs (blog/cache.py):
    # a notebook runs again only if its code changed, the reader's environment is made once.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1") | cache.sharing()
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, env=env, timeout=BUILD_TIMEOUT_S
    )


def new_post(project: Path, slug: str, title: str, *options: str) -> str:
    """Run `make post`'s tool in ``project``; return what it printed."""
    command = [sys.executable, "-m", "tools.new_post", slug, title, *options]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=True).stdout


@dataclass(frozen=True)
class Planted:
    """The planted copy, what `make post` printed for each new post, and its one build."""

    project: Path
    made: dict[str, str]  # slug -> what `make post` printed
    site: Path
    built: subprocess.CompletedProcess

    def problems_besides_the_dead_anchor(self) -> list[str]:
        """The build's warnings and errors other than the one planted on purpose."""
        return [line for line in self.built.stderr.splitlines()
                if line.startswith(("WARNING", "ERROR")) and DEAD_ANCHOR not in line]  # fmt: skip


def plant_and_build(folder: Path) -> Planted:
    """Copy the project into ``folder``, plant an unfinished draft, a new post, a new measured
    post (published for the build, then put back as `make post` wrote it) and a dead anchor in
    the first post; build it once."""
    project = copy_project(folder / "project")
    draft = "---\ndate:\n  created: 2026-01-02\ndraft: true\n---\n\n# {} draft\n\nNot ready.\n"
    (project / "docs" / "posts" / "unfinished.md").write_text(draft.format(DRAFT_WORD))
    made = {NEW_POST[0]: new_post(project, *NEW_POST),
            MEASURED_POST[0]: new_post(project, *MEASURED_POST, "--kind", "measured")}  # fmt: skip
    first = project / posts()[0].path.relative_to(ROOT)
    first.write_text(first.read_text() + f"\n[A dead link](#{DEAD_ANCHOR})\n")
    measured = project / "docs" / "posts" / f"{MEASURED_POST[0]}.md"
    as_made = measured.read_text()
    measured.write_text(as_made.replace("draft: true", "draft: false"))
    built = mkdocs_build(project, folder / "site")
    measured.write_text(as_made)
    return Planted(project, made, folder / "site", built)
