"""When a post last changed: the newest commit that touched it or anything it shows.

A post's ``updated`` date is derived, never typed: the day of the newest commit that touched
the post, a file it includes, a snippet module its code runs or imports, or a results file it
cites (``results("cpu", "bench")`` reads docs/results/cpu/bench.json). A clone that cannot tell
(no git, not a repository, or a shallow clone whose boundary commit is the newest one found,
which would claim every file was changed on that day) gets no date rather than a wrong one.
"""

import datetime
import re
import subprocess
from pathlib import Path

CITED_RESULTS = re.compile(r"""results\(\s*["'](\w+)["']\s*,\s*["'](\w+)["']""")


def cited_results(text: str, root: Path) -> list[Path]:
    """The results files a post's macros read: docs/results/<backend>/<name>.json."""
    found = {root / "docs" / "results" / b / f"{n}.json" for b, n in CITED_RESULTS.findall(text)}
    return sorted(found)


def git(root: Path, *args: str) -> str | None:
    """Run git in ``root``; None when git is missing or the command fails."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def last_changed(paths: list[Path], root: Path) -> datetime.date | None:
    """The day of the newest commit touching any of ``paths``; None if history cannot say."""
    found = git(root, "log", "-1", "--format=%H %cs", "--", *(str(p) for p in paths))
    if not found:
        return None
    commit, day = found.split()
    shallow = git(root, "rev-parse", "--git-path", "shallow")
    boundary = Path(root, shallow) if shallow else None
    if boundary and boundary.is_file() and commit in boundary.read_text().split():
        return None  # a shallow clone's oldest commit seems to add every file
    return datetime.date.fromisoformat(day)
