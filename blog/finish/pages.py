"""What the finishing steps ask of a built page: its kind, and links from it."""

import posixpath

NOTEBOOKS = "notebooks/"  # where hooks/notebooks.py serves each post's notebook page


def is_notebook(page: str) -> bool:
    """Tell whether ``page`` (a path under the site, such as notebooks/x/index.html) is a
    notebook's page.
    """
    return page.startswith(NOTEBOOKS) and page.endswith(".html")


def relative_url(target: str, page: str) -> str:
    """The link from ``page`` to ``target``, both paths under the site."""
    return posixpath.relpath(target, posixpath.dirname(page))
