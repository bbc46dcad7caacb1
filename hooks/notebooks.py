"""MkDocs hook: every post gets a companion notebook, built from the same snippets, and run.

At each build the hook turns a post's runnable python blocks (expanded from snippets/ exactly
as the page shows them) into a notebook under .cache/notebooks/, and adds it to the site as
notebooks/<slug>.ipynb. mkdocs-jupyter executes it (errors fatal, each cell under the engine's
block time limit) and offers it for download. The notebook's metadata holds a hash of the
snippet files its code comes from or imports: mkdocs-jupyter caches on a notebook's bytes, so
an edit to any of them, even one only imported, runs the notebook again.
"""

import json
import os
from pathlib import Path

import nbformat
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from blog.post import Post, is_post, posts
from blog.project import BLOCK_TIMEOUT_S, ROOT

OUT = ROOT / ".cache" / "notebooks"
JUPYTER_CONFIG = ROOT / ".cache" / "jupyter"


def notebook_of(post: Post, url: str) -> nbformat.NotebookNode:
    """Return the post's runnable python blocks, in order, as one notebook."""
    intro = (f"# {post.title}: the notebook\n\nThe code of the post [{post.title}]({url}), "
             "cell by cell, as it runs on the page. Run it from the top.")  # fmt: skip
    cells = [nbformat.v4.new_markdown_cell(intro)]
    code = [block for block in post.blocks if block.runner == "python"]
    cells += [nbformat.v4.new_code_cell(block.code.rstrip("\n")) for block in code]
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # not random: the cache is keyed on the notebook's bytes
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}  # fmt: skip
    notebook.metadata["snippets_sha256"] = post.fingerprint()  # what the code runs
    return notebook


def on_config(config):
    """Give nbconvert the engine's time limit per cell; keep kernels from grabbing a GPU.

    nbconvert takes one limit for every notebook of a build: the largest any post sets in
    its front matter (``time_limit_s``, itself under the project's ceiling), else the default.
    """
    JUPYTER_CONFIG.mkdir(parents=True, exist_ok=True)
    seconds = max([BLOCK_TIMEOUT_S, *(post.time_limit for post in posts())])
    limit = {"ExecutePreprocessor": {"timeout": float(seconds)}}
    (JUPYTER_CONFIG / "jupyter_nbconvert_config.json").write_text(json.dumps(limit))
    os.environ["JUPYTER_CONFIG_PATH"] = str(JUPYTER_CONFIG)
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    return config


@event_priority(100)  # before mkdocs-jupyter looks for notebooks among the files
def on_files(files, config):
    """Write each published post's notebook, if it changed, and add it to the site."""
    OUT.mkdir(parents=True, exist_ok=True)
    for file in list(files):
        if not (file.abs_src_path and is_post(Path(file.abs_src_path))):
            continue
        post = Post.read(Path(file.abs_src_path))
        if post.draft:
            continue
        text = nbformat.writes(notebook_of(post, config.site_url + post.url))
        path = OUT / f"{post.slug}.ipynb"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        # A plain File whose source folder is .cache/: mkdocs-jupyter's wrapper finds the path
        # through src_dir, which a File.generated(...) leaves empty.
        urls = config.use_directory_urls
        notebook = File(f"notebooks/{post.slug}.ipynb", str(OUT.parent), config.site_dir, urls)
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
