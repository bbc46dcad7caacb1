"""``make test POST=docs/posts/x.md``: print the tests that belong to one post.

That is the post itself (its blocks) and ``tests/test_<module>.py`` for every snippet
module it includes, so an author can check one post in seconds.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INCLUDED_MODULE = re.compile(r"""-+8<-+\s+["']snippets/(\w+)\.py""")


def tests_for(post: Path) -> list[str]:
    """The post, then each included module's test file that exists."""
    if not post.is_file():
        raise SystemExit(f"POST={post}: no such post")
    modules = dict.fromkeys(INCLUDED_MODULE.findall(post.read_text(encoding="utf-8")))
    tests = [ROOT / "tests" / f"test_{module}.py" for module in modules]
    return [str(post)] + [str(t.relative_to(ROOT)) for t in tests if t.exists()]


if __name__ == "__main__":
    print(" ".join(tests_for(Path(sys.argv[1]))))
