"""MkDocs hook: every post gets a companion notebook, built from the same snippets, and run.

At each build the hook turns a post's runnable python blocks (expanded from snippets/ exactly
as the page shows them) into a notebook under .cache/notebooks/, and adds it to the site as
notebooks/<slug>.ipynb. mkdocs-jupyter executes it (errors fatal, a time limit per cell from
jupyter/jupyter_nbconvert_config.json) and offers it for download. The notebook's metadata
holds a hash of the snippet files its code comes from or imports: mkdocs-jupyter caches on a
notebook's bytes, so an edit to any of them, even one only imported, runs the notebook again.
"""

import os
import sys
from pathlib import Path

import babel.dates
import nbformat
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the harness lives in tests/, which is not installed
OUT = ROOT / ".cache" / "notebooks"
# nbconvert reads the execution time limit from the project's Jupyter configuration.
os.environ.setdefault("JUPYTER_CONFIG_PATH", str(ROOT / "jupyter"))

from tests.harness.blocks import fingerprint, read_blocks  # noqa: E402
from tests.harness.expand import check_front_matter, expand  # noqa: E402


def notebook_of(post: Path, title: str, url: str) -> nbformat.NotebookNode:
    """Return the post's runnable python blocks, in order, as one notebook."""
    intro = (f"# {title}: the notebook\n\nThe code of the post [{title}]({url}), cell by "
             "cell, as it runs on the page. Run it from the top.")  # fmt: skip
    cells = [nbformat.v4.new_markdown_cell(intro)]
    code = [block for block in read_blocks(expand(post)) if block.runner == "python"]
    cells += [nbformat.v4.new_code_cell(block.code.rstrip("\n")) for block in code]
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # not random: the cache is keyed on the notebook's bytes
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}  # fmt: skip
    notebook.metadata["snippets_sha256"] = fingerprint(code)  # what the code runs
    return notebook


def posts(files) -> list[tuple[File, dict]]:
    """Return the published posts: Markdown under posts/, not drafts."""
    found = []
    for file in files:
        if file.src_uri.startswith("posts/") and file.src_uri.endswith(".md"):
            meta = check_front_matter(Path(file.abs_src_path))
            if not meta.get("draft"):
                found.append((file, meta))
    return found


def post_url(config, meta: dict, slug: str) -> str:
    """Return the post's address by the blog plugin's own rule.

    It is absolute, so that it works from a downloaded notebook too.
    """
    blog = config.plugins["material/blog"].config
    created = meta["date"]["created"] if isinstance(meta["date"], dict) else meta["date"]
    date = babel.dates.format_date(created, format=blog.post_url_date_format, locale="en")
    return config.site_url + blog.post_url_format.format(date=date, slug=slug) + "/"


def slug_of(file: File, meta: dict) -> str:
    """Return the post's slug, as its URL has it."""
    return meta.get("slug") or Path(file.src_uri).stem


@event_priority(100)  # before mkdocs-jupyter looks for notebooks among the files
def on_files(files, config):
    """Write each post's notebook, if it changed, and add it to the site."""
    OUT.mkdir(parents=True, exist_ok=True)
    for file, meta in posts(files):
        slug, title = slug_of(file, meta), meta.get("title") or first_heading(file)
        url = post_url(config, meta, slug)
        text = nbformat.writes(notebook_of(Path(file.abs_src_path), title, url))
        path = OUT / f"{slug}.ipynb"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        # A plain File whose source folder is .cache/: mkdocs-jupyter's wrapper finds the path
        # through src_dir, which a File.generated(...) leaves empty.
        files.append(
            File(
                f"notebooks/{slug}.ipynb",
                src_dir=str(OUT.parent),
                dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls,
            )
        )
    return files


def first_heading(file: File) -> str:
    """Return a post's title: its first # heading."""
    for line in Path(file.abs_src_path).read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return Path(file.src_uri).stem


def on_page_content(html, page, config, files):
    """Keep notebooks out of search: their code is the posts' code, found there already."""
    if page.file.src_uri.startswith("notebooks/"):
        page.meta["search"] = {"exclude": True}
    return html


def on_page_markdown(markdown, page, config, files):
    """End each published post with a link to its notebook."""
    if not page.file.src_uri.startswith("posts/") or page.meta.get("draft"):
        return markdown
    slug = slug_of(page.file, page.meta)
    return markdown + (
        f'\n\n!!! tip "Run it yourself"\n    Every block of this post, in order, is in '
        f"[its notebook](../notebooks/{slug}.ipynb), executed when the site was built: read it "
        "here, or download it for Jupyter or Colab.\n"
    )
