"""``make test POST=docs/posts/x.md``: print the tests that belong to one post.

That is the post itself (its blocks) and ``tests/test_<module>.py`` for every snippet
module its blocks come from or import, so an author can check one post in seconds.
"""

import sys
from pathlib import Path

from blog.post import Post
from blog.project import ROOT, PostError


def tests_for(path: Path) -> list[str]:
    """The post, then each included snippet module's test file that exists."""
    if not path.is_file():
        raise SystemExit(f"POST={path}: no such post")
    try:
        modules = [file.stem for file in Post.read(path).snippet_files]
    except PostError as problem:
        raise SystemExit(str(problem)) from None
    tests = [ROOT / "tests" / f"test_{module}.py" for module in modules]
    return [str(path)] + [str(t.relative_to(ROOT)) for t in tests if t.exists()]


if __name__ == "__main__":
    print(" ".join(tests_for(Path(sys.argv[1]))))
