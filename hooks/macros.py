"""mkdocs-macros module: a post's figures, tables and charts, from its results files.

A post that sets ``render_macros: true`` writes ``{% set cpu = results("cpu", "bench") %}``
and then ``{{ cpu.ratio("numpy_loop", "jit_fori") }}``; lab/results.py formats every number
from docs/results/ at build time. ``{{ install_snippets }}`` is the command that installs the
snippets package from the wheel the site serves (blog/downloads.py); ``{{ run_times() }}`` is
the table of every post's timed blocks, slowest first (blog/verified.py).
"""

from blog import verified
from blog.downloads import install_command
from blog.post import posts
from lab.results import CITATIONS, Results, has_results
from lab.schema import ResultsError


def define_env(env) -> None:
    """Register ``results``, ``has_results``, ``install_snippets`` and ``run_times``."""
    env.macro(Results, "results")
    env.macro(has_results)
    env.variables["install_snippets"] = install_command(env.conf["site_url"])
    env.macro(lambda: verified.table(posts()), "run_times")


def on_pre_page_macros(env) -> None:
    """Start counting the results files this page cites."""
    CITATIONS.start()


def on_post_page_macros(env) -> None:
    """Fail the build if the page set two differing results files side by side, unqualified."""
    if problems := CITATIONS.unnamed():
        raise ResultsError(f"{env.page.file.src_uri}: " + "; ".join(problems))
