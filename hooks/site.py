"""The MkDocs adapter, the only one: the engine's posts, runs and finishing step, handed to MkDocs.

- Files: each post is read once (engine/post.py) and its run fetched once (engine/runs.py). A
  build runs what is not kept yet; `make serve` serves at once, runs what is missing in the
  background, and rebuilds when a run ends, to show its flags. The site also serves each post's
  notebook (rendered by mkdocs-jupyter), the snippets package as a wheel, its files and licence.
- Pages: harness markers leave every page; a post gets its trust line, its series, its "How this
  was checked" box and the day git last changed it; under `make serve` a failing block is
  flagged where it stands; a block's title links to its snippet file.
- After the build: the finishing steps over every page, in their written order (engine/finish/).
"""

import datetime
import logging
import re
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
ENDED = runs.STORE.folder / ".ended"  # written when a background run ends: serve rebuilds


def on_startup(command, dirty):
    STATE["serving"] = command == "serve"


@event_priority(100)  # before the RSS plugin reads its options
def on_config(config):
    """The project is where mkdocs.yml is; the feed's image URL must be absolute (RSS)."""
    STATE["root"] = Path(config.config_file_path).resolve().parent
    rss = config.plugins.get("rss")
    if rss and not rss.config.image:
        rss.config.image = config.site_url.rstrip("/") + "/assets/images/favicon.png"
    return config


def on_serve(server, config, builder):
    ENDED.parent.mkdir(parents=True, exist_ok=True)
    server.watch(str(ENDED.parent))
    return server


@event_priority(100)  # before mkdocs-jupyter looks for notebooks among the files
def on_files(files, config):
    root, add = STATE["root"], files.append
    found = [read(Path(f.abs_src_path), root) for f in files
             if f.abs_src_path and is_post(Path(f.abs_src_path), root)]  # fmt: skip
    STATE["posts"] = {post.path: post for post in found if STATE["serving"] or not post.draft}
    STATE["records"] = records(list(STATE["posts"].values()))
    notebooks = root / ".cache" / "notebooks"  # mkdocs-jupyter reads each one by its path
    notebooks.mkdir(parents=True, exist_ok=True)
    for post in (p for p in STATE["posts"].values() if has_notebook(p) and not p.draft):
        text = notebook_of(post, STATE["records"].get(post.path), config.site_url + post.url)
        target = notebooks / f"{post.slug}.ipynb"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        add(File(target.relative_to(notebooks.parent).as_posix(), str(notebooks.parent),
                 config.site_dir, config.use_directory_urls))  # fmt: skip
    built = wheel(root)
    add(File.generated(config, f"{FOLDER}/{built.name}", abs_src_path=str(built)))
    for path in sorted((root / "snippets").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".md":
            name, text = path.relative_to(root).as_posix(), path.read_bytes()
            text = for_readers(text.decode("utf-8")) if path.suffix == ".py" else text
            add(File.generated(config, name, content=text))
    add(File.generated(config, "LICENSE", abs_src_path=str(root / "LICENSE")))
    return files


def has_notebook(post: Post) -> bool:
    return any(block.runner == "python" for block in post.blocks)


def records(posts: list[Post]) -> dict[Path, runs.Record]:
    """Each post's run: a build runs what is missing, side by side; `make serve` takes what is at
    hand and runs the rest in the background."""
    if not STATE["serving"]:
        with ThreadPoolExecutor() as pool:
            return dict(zip((p.path for p in posts), pool.map(runs.record, posts), strict=True))
    found = {post.path: runs.stored(post) for post in posts}
    for post in (p for p in posts if found[p.path] is None):
        WORKER.submit(run_then_rebuild, post)
    return {path: record for path, record in found.items() if record}


def run_then_rebuild(post: Post) -> None:
    try:
        runs.record(post)
    except Exception as problem:
        log.warning(f"{post.path.name}: its run failed: {problem}")
    ENDED.write_text(str(post.path), encoding="utf-8")


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
        date = page.meta.get("date")  # mkdocs-rss-plugin reads it here
        date = date if isinstance(date, dict) else {"created": date}
        page.meta["date"] = {**date, "updated": when}
    if STATE["serving"] and record:
        source = post.path.read_text(encoding="utf-8")
        markdown = post_page.with_flags(markdown, source, post, problems(post, record))
    every, notebook = list(STATE["posts"].values()), None
    if has_notebook(post):
        notebook = f"../notebooks/{post.slug}.ipynb"
    top = f"{post_page.trust_line(post, record, notebook)}\n\n{post_page.series_line(post, every)}"
    box = post_page.checked_box(post, record, notebook, provenance_of(post.cited_results))
    return post_page.with_trust_line(markdown, top) + post_page.next_line(post, every) + box


def on_page_content(html, page, config, files):
    """Link each block title that names a snippet file to it; refuse a leaked include marker."""
    if "--8&lt;--" in html or "--8<--" in html:
        raise PluginError(f"{page.file.src_uri}: a '--8<--' snippet marker would show on the page")

    def link(match: re.Match) -> str:
        href = get_relative_url(match[1], page.url)
        return f'<span class="filename"><a href="{href}">{match[1]}</a>{match[2]}</span>'

    title = r'<span class="filename">(snippets/\w+\.py)((?: \(continued\))?)</span>'
    return re.sub(title, link, html)


def on_post_build(config):
    log.info(f"finish: {finish(Path(config.site_dir))} pages")
