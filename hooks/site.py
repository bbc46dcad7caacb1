"""The MkDocs adapter, the only one: the engine's posts, runs and finishing step, handed to MkDocs.

- Files: each post is read once (engine/post.py) and its run fetched once (engine/runs.py). A
  build runs what is not kept yet; `make serve` serves at once and runs what is missing in the
  background, then rebuilds (the run store is watched) to show its flags. The site also serves
  each post's notebook (rendered by mkdocs-jupyter, and offered for download), the snippets
  package as a wheel, its modules, data files and licence.
- Pages: harness markers and kept outputs leave every page; a post gets its trust line, its
  "How this was checked" box and the date git last changed it; under `make serve` a failing
  block is flagged where it stands; a block's title links to its snippet file.
- After the build: the finishing steps over every page, in their written order (engine/finish/).
"""

import datetime
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from engine import page as post_page
from engine import runs
from engine.blocks import without_tooling
from engine.config import ROOT
from engine.finish import finish
from engine.includes import for_readers
from engine.notebook import notebook_of
from engine.post import Post, is_post, read
from engine.verify import problems
from engine.wheel import FOLDER, wheel
from lab.results import provenance_of

log = logging.getLogger("mkdocs.hooks.site")
STATE = {"serving": False, "root": ROOT, "posts": {}, "records": {}}
WORKER = ThreadPoolExecutor(max_workers=1)  # `make serve`'s runs, one at a time, in the background


def on_startup(command, dirty):
    STATE["serving"] = command == "serve"


@event_priority(100)  # before the RSS plugin reads its options
def on_config(config):
    """Find the project where mkdocs.yml is; give the feed an absolute image URL.

    RSS requires the image URL to be absolute; it is derived from site_url.
    """
    STATE["root"] = Path(config.config_file_path).resolve().parent
    rss = config.plugins.get("rss")
    if rss and not rss.config.image:
        rss.config.image = config.site_url.rstrip("/") + "/assets/images/favicon.png"
    return config


def on_serve(server, config, builder):
    """Rebuild when a post's run lands in the store, to show its outcome."""
    runs.STORE.folder.mkdir(parents=True, exist_ok=True)
    server.watch(str(runs.STORE.folder))
    return server


@event_priority(100)  # before mkdocs-jupyter looks for notebooks among the files
def on_files(files, config):
    root = STATE["root"]
    notebooks = root / ".cache" / "notebooks"  # each post's notebook, as the site serves it
    found = [read(Path(f.abs_src_path), root) for f in files
             if f.abs_src_path and is_post(Path(f.abs_src_path), root)]  # fmt: skip
    STATE["posts"] = {post.path: post for post in found if STATE["serving"] or not post.draft}
    STATE["records"] = records(list(STATE["posts"].values()))
    notebooks.mkdir(parents=True, exist_ok=True)
    for post in STATE["posts"].values():
        if any(b.runner == "python" for b in post.blocks) and not post.draft:
            text = notebook_of(post, STATE["records"].get(post.path), config.site_url + post.url)
            target = notebooks / f"{post.slug}.ipynb"
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
            # A File whose source folder is .cache/: mkdocs-jupyter reads the notebook by path.
            files.append(
                File(
                    f"notebooks/{post.slug}.ipynb",
                    str(notebooks.parent),
                    config.site_dir,
                    config.use_directory_urls,
                )
            )
    built = wheel(root)
    files.append(File.generated(config, f"{FOLDER}/{built.name}", abs_src_path=str(built)))
    for path in sorted((root / "snippets").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".md":
            name = path.relative_to(root).as_posix()
            content = (
                for_readers(path.read_text("utf-8")) if path.suffix == ".py" else path.read_bytes()
            )
            files.append(File.generated(config, name, content=content))
    files.append(File.generated(config, "LICENSE", abs_src_path=str(root / "LICENSE")))
    return files


def records(posts: list[Post]) -> dict[Path, runs.Record]:
    """Each post's run.

    A build runs what is missing, side by side; `make serve` takes what is at hand now and runs
    the rest in the background.
    """
    if not STATE["serving"]:
        with ThreadPoolExecutor() as pool:
            return dict(zip((p.path for p in posts), pool.map(runs.record, posts), strict=True))
    found = {post.path: runs.stored(post) for post in posts}
    for post in posts:
        if found[post.path] is None:
            WORKER.submit(quietly, post)
    return {path: record for path, record in found.items() if record}


def quietly(post: Post) -> None:
    try:
        runs.record(post)
    except Exception as problem:  # shown on the page at the next rebuild
        log.warning(f"{post.path.name}: its run failed: {problem}")


def on_page_markdown(markdown, page, config, files):
    markdown = without_tooling(markdown)
    post = STATE["posts"].get(Path(page.file.abs_src_path or "-"))
    if post is None:
        return markdown
    record = STATE["records"].get(post.path)
    page.meta["og_type"] = "article"  # overrides/main.html: a shared link's card
    if post.updated:
        when = datetime.datetime.combine(post.updated, datetime.time(), datetime.UTC)
        if getattr(page, "config", None) is not None and "date" in page.config:
            page.config.date["updated"] = when  # Material's blog shows it beside the date
        date = page.meta.get("date")
        page.meta["date"] = {
            **(date if isinstance(date, dict) else {"created": date}),
            "updated": when,
        }
    if STATE["serving"] and record:
        source = post.path.read_text(encoding="utf-8")
        markdown = post_page.with_flags(markdown, source, post, problems(post, record))
    notebook = (
        f"../notebooks/{post.slug}.ipynb"
        if any(b.runner == "python" for b in post.blocks)
        else None
    )
    series = post_page.series_line(post, list(STATE["posts"].values()))
    markdown = post_page.with_trust_line(
        markdown, f"{post_page.trust_line(post, record)}\n\n{series}"
    )
    return markdown + post_page.checked_box(
        post, record, notebook, provenance_of(post.cited_results)
    )


def on_page_content(html, page, config, files):
    """Link each block title that names a snippet file to it; refuse a leaked include marker."""
    if "--8&lt;--" in html or "--8<--" in html:
        raise PluginError(f"{page.file.src_uri}: a '--8<--' snippet marker would show on the page")

    def link(match):
        href = get_relative_url(match[1], page.url)
        return f'<span class="filename"><a href="{href}">{match[1]}</a>{match[2]}</span>'

    import re

    return re.sub(
        r'<span class="filename">(snippets/\w+\.py)((?: \(continued\))?)</span>', link, html
    )


def on_post_build(config):
    log.info(f"finish: {finish(Path(config.site_dir))} pages")
