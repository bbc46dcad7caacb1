"""``make test POST=docs/posts/x.md``: print the tests that belong to one post.

That is the post itself (its blocks), ``tests/test_<module>.py`` for every snippet module
its blocks come from or import, ``tests/test_lab_<module>.py`` for every lab module whose
results the post cites (``results("cpu", "name")`` names docs/results/cpu/name.json, whose
``benchmark`` field names the module that wrote it), and for a published post, the test that
its page builds (a strict build of the site: a figure whose macro cannot render fails there).
An author checks one post in seconds, and a benchmark's tests are found by their name alone.
"""

import re
import sys
from pathlib import Path

from blog.post import Post
from blog.project import ROOT, PostError
from lab.schema import ResultsError, load

PUBLISHED = "tests/test_site.py::test_each_post_says_what_ran_what_did_not_and_why"
CITED = re.compile(r"""\b(?:results|has_results)\(\s*["'](\w+)["'](?:\s*,\s*["'](\w+)["'])?""")


def lab_modules(post: Post) -> list[str]:
    """Name the lab modules whose results files the post cites, in the order it cites them."""
    text = post.path.read_text(encoding="utf-8")
    modules = []
    for backend, name in CITED.findall(text):
        path = ROOT / "docs" / "results" / backend / f"{name or 'bench'}.json"
        try:
            modules.append(load(path).benchmark if path.exists() else name or "bench")
        except ResultsError as problem:
            raise SystemExit(str(problem)) from None
    return list(dict.fromkeys(modules))


def tests_for(path: Path) -> list[str]:
    """The post, then each snippet module's and each cited lab module's test file that exists."""
    if not path.is_file():
        raise SystemExit(f"POST={path}: no such post")
    try:
        post = Post.read(path)
        modules = [file.stem for file in post.snippet_files]
    except PostError as problem:
        raise SystemExit(str(problem)) from None
    tests = [ROOT / "tests" / f"test_{module}.py" for module in modules]
    tests += [ROOT / "tests" / f"test_lab_{module}.py" for module in lab_modules(post)]
    found = [str(path)] + [str(t.relative_to(ROOT)) for t in dict.fromkeys(tests) if t.exists()]
    # A published post's page must build: a macro that cannot render fails the strict build.
    return found + ([] if post.draft else [f"{PUBLISHED}[{post.slug}]"])


if __name__ == "__main__":
    print(" ".join(tests_for(Path(sys.argv[1]))))
