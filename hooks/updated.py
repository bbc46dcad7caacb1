"""MkDocs hook: each post's ``updated`` date, derived from its history, on the page and in the feed.

``blog.post.Post.updated`` says when a post or anything it shows last changed (blog/history.py).
The hook hands that to Material's blog, which shows it beside the publication date, and to
mkdocs-rss-plugin, which reads ``date.updated`` from the page's metadata (mkdocs.yml,
``date_from_meta.as_update``). A post whose history cannot be read shows its publication date only.
"""

import datetime
from pathlib import Path

from blog.post import Post, is_post


def on_page_markdown(markdown, page, config, files):
    """Add the updated date to a post's metadata, as if its front matter had typed it."""
    source = page.file.abs_src_path
    if not (source and is_post(Path(source))):
        return markdown
    updated = Post.read(Path(source)).updated
    if updated is None:
        return markdown
    when = (
        updated
        if isinstance(updated, datetime.datetime)
        else datetime.datetime.combine(updated, datetime.time(), datetime.UTC)
    )
    if getattr(page, "config", None) is not None and "date" in page.config:
        page.config.date["updated"] = when  # Material's blog post: shown under the date
    date = page.meta.get("date")
    if isinstance(date, dict):
        date["updated"] = when
    else:
        page.meta["date"] = {"created": date, "updated": when}
    return markdown
