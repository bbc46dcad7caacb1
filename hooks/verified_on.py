"""MkDocs hook: stamp each post with what verified it, and keep tooling out of the pages.

- Appends to every post the JAX, jaxlib and Python versions and the backend of the environment
  that builds the site, which is the one that ran its blocks in ``make test``, and today's date.
- Removes the harness's markers (``<!-- pytest... -->``) and the outputs kept for other
  backends (``<!-- output on gpu: ... -->``), which say nothing to a reader.
- Refuses a page on which a ``--8<--`` include marker survived, in ``serve`` as in ``build``.
- Points the RSS feed's image at the site's favicon, under whatever ``site_url`` is in force
  (the RSS plugin would otherwise write ``<url>None</url>``).
"""

import datetime
import functools
import importlib.metadata
import platform
import re

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from blog.blocks import RUN_NAME

HARNESS_MARKER = re.compile(r"^[ \t]*<!--[-\s]*pytest[.-].*-->[ \t]*\n", re.MULTILINE)
# A block's output on another backend, kept for the tests (blog/blocks.py: OTHER_OUTPUT).
OTHER_OUTPUT = re.compile(rf"^<!-- output on (?:{RUN_NAME}):\n.*?^-->\n", re.MULTILINE | re.DOTALL)


@functools.cache
def verified_note() -> str:
    """Return the admonition that ends every post, filled in from this environment."""
    import jax  # imported here so that MkDocs pays for it only once, and only for posts

    jax_version, jaxlib_version = (importlib.metadata.version(n) for n in ("jax", "jaxlib"))
    return (
        '\n\n!!! success "Verified"\n'
        f"    Every code block on this page ran, and its output was checked, with "
        f"JAX {jax_version}, jaxlib {jaxlib_version} and Python {platform.python_version()} "
        f"on the {jax.default_backend()} backend. This page was built on "
        f"{datetime.date.today().isoformat()}.\n"
    )


@event_priority(100)  # before the RSS plugin reads its options
def on_config(config):
    """Give the feed an absolute image URL, which RSS requires, derived from site_url."""
    rss = config.plugins.get("rss")
    if rss and not rss.config.image:
        rss.config.image = config.site_url.rstrip("/") + "/assets/images/favicon.png"
    return config


def on_page_markdown(markdown, page, config, files):
    """Drop the harness's markers; end each post with the note saying what verified it."""
    markdown = OTHER_OUTPUT.sub("", HARNESS_MARKER.sub("", markdown))
    if page.file.src_uri.startswith("posts/"):
        markdown += verified_note()
    return markdown


def on_page_content(html, page, config, files):
    """Fail the build (and warn in serve) if an include marker would reach a reader."""
    if "--8&lt;--" in html or "--8<--" in html:
        raise PluginError(f"{page.file.src_uri}: a '--8<--' snippet marker would show on the page")
    return html
