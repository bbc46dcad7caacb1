"""MkDocs hook: every post gets a companion notebook, built from the same snippets, run once.

At each build the engine (blog/notebooks.py) turns each published post's runnable python
blocks, expanded from snippets/ exactly as the page shows them, into a notebook, and executes
those whose code, snippets or environment changed, side by side. The hook adds the executed
copies to the site as notebooks/<slug>.ipynb; mkdocs-jupyter renders them as they are (its
execute is off) and offers them for download. The build log says how many ran.
"""

import logging
import os
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from blog import notebooks
from blog.post import Post, is_post

log = logging.getLogger("mkdocs.hooks.notebooks")


def on_config(config):
    """Keep the notebooks' kernels from grabbing a GPU each."""
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    return config


@event_priority(100)  # before mkdocs-jupyter looks for notebooks among the files
def on_files(files, config):
    """Make each published post's executed notebook current, and add it to the site."""
    published = [Post.read(Path(file.abs_src_path)) for file in files
                 if file.abs_src_path and is_post(Path(file.abs_src_path))]  # fmt: skip
    jobs = [(post, notebooks.notebook_of(post, config.site_url + post.url))
            for post in published if not post.draft]  # fmt: skip
    tally = notebooks.executed(jobs)
    log.info(f"notebooks: {tally['ran']} ran, {tally['reused']} reused (unchanged)")
    for post, _ in jobs:
        # A plain File whose source folder is .cache/: mkdocs-jupyter's wrapper finds the path
        # through src_dir, which a File.generated(...) leaves empty.
        urls = config.use_directory_urls
        notebook = File(f"notebooks/{post.slug}.ipynb", str(notebooks.OUT.parent),
                        config.site_dir, urls)  # fmt: skip
        files.append(notebook)
    return files


def on_page_content(html, page, config, files):
    """Keep notebooks out of search: their code is the posts' code, found there already."""
    if page.file.src_uri.startswith("notebooks/"):
        page.meta["search"] = {"exclude": True}
    return html


def on_page_markdown(markdown, page, config, files):
    """End each published post with a link to its notebook."""
    source = page.file.abs_src_path
    if not (source and is_post(Path(source))) or page.meta.get("draft"):
        return markdown
    slug = Post.read(Path(source)).slug
    return markdown + (
        f'\n\n!!! tip "Run it yourself"\n    Every block of this post, in order, is in '
        f"[its notebook](../notebooks/{slug}.ipynb), executed when the site was built: read it "
        "here, or download it for Jupyter or Colab.\n"
    )
