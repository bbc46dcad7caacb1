"""MkDocs hook: after every build, the finishing step over the built site (blog/finish/)."""

import logging
from pathlib import Path

from blog.finish import finish

log = logging.getLogger("mkdocs.hooks.finish")


def on_post_build(config):
    """Every page is written: finish them all, in the order blog/finish/ writes down."""
    log.info(f"finish: {finish(Path(config.site_dir))} pages")
