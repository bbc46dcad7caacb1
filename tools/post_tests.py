"""Print the tests that belong to one post, or to every snippet module.

``python -m tools.post_tests docs/posts/x.md`` (``make test POST=...``): the post itself (its
blocks), ``tests/test_<module>.py`` for each snippet module it shows, and
``tests/test_lab_<module>.py`` for each lab module whose results file it cites. An author checks
one post in seconds, and a module's tests are found by its name alone.
``python -m tools.post_tests --snippets`` (``make test JAX=0.11``): every snippet module's tests.
"""

import sys
from pathlib import Path

from engine.config import ROOT, PostError
from engine.post import read
from lab.schema import ResultsError, load


def tests_for(path: Path) -> list[str]:
    try:
        post = read(path)
        _ = post.blocks  # a mistake in the post fails here, naming its line
        files = dict.fromkeys(o.file for o in post.expanded.origins)  # what it shows
        modules = [Path(f).stem for f in files if f.startswith("snippets/") and f.endswith(".py")]
        for backend, name in post.cited_results:
            results = load(ROOT / "docs" / "results" / backend / f"{name}.json")
            modules.append(f"lab_{results['benchmark']}")
    except (OSError, PostError, ResultsError) as problem:
        raise SystemExit(f"POST={path}: {problem}") from None
    tests = (ROOT / "tests" / f"test_{module}.py" for module in dict.fromkeys(modules))
    return [str(path)] + [str(t.relative_to(ROOT)) for t in tests if t.exists()]


def snippet_tests() -> list[str]:
    found = (ROOT / "tests" / f"test_{m.stem}.py" for m in sorted((ROOT / "snippets").glob("*.py")))
    return [str(t.relative_to(ROOT)) for t in found if t.exists()]


if __name__ == "__main__":
    found = snippet_tests() if sys.argv[1] == "--snippets" else tests_for(Path(sys.argv[1]))
    print(" ".join(found))
