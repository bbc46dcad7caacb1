"""MkDocs hook: stamp each post with what verified it, and keep tooling out of the pages.

- Ends every post with what verified it (blog/verified.py): how many blocks the tests run, with
  which JAX and backend, how long its python blocks took in its notebook, which blocks never run
  and why, and the day its inputs last changed (never the clock's date).
- Removes the harness's markers (``<!-- pytest... -->``) and the outputs kept for other
  backends (``<!-- output on gpu: ... -->``), which say nothing to a reader.
- Refuses a page on which a ``--8<--`` include marker survived, in ``serve`` as in ``build``.
- Points the RSS feed's image at the site's favicon, under whatever ``site_url`` is in force
  (the RSS plugin would otherwise write ``<url>None</url>``).
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from blog import verified
from blog.blocks import without_tooling
from blog.post import Post, is_post
from blog.run import backend


@event_priority(100)  # before the RSS plugin reads its options
def on_config(config):
    """Give the feed an absolute image URL, which RSS requires, derived from site_url."""
    rss = config.plugins.get("rss")
    if rss and not rss.config.image:
        rss.config.image = config.site_url.rstrip("/") + "/assets/images/favicon.png"
    return config


def on_page_markdown(markdown, page, config, files):
    """Drop the harness's markers; end each post with the note saying what verified it."""
    # A blank line where each was: a fence right under another fence's close would be read
    # as a paragraph, and a <div> inside a <p> is not HTML.
    markdown = without_tooling(markdown, keep_lines=True)
    source = page.file.abs_src_path
    if source and is_post(Path(source)):
        page.meta["og_type"] = "article"  # overrides/main.html: a shared link's card
        markdown += verified.note(Post.read(Path(source)), backend())
    return markdown


def on_page_content(html, page, config, files):
    """Fail the build (and warn in serve) if an include marker would reach a reader."""
    if "--8&lt;--" in html or "--8<--" in html:
        raise PluginError(f"{page.file.src_uri}: a '--8<--' snippet marker would show on the page")
    return html
