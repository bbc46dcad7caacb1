"""mkdocs-macros module: a post's figures, tables and charts, from its results files.

A post that sets ``render_macros: true`` writes ``{% set cpu = results("cpu", "bench") %}``
and then ``{{ cpu.ratio("numpy_loop", "jit_fori") }}``; lab/results.py formats every number
from docs/results/ at build time.
"""

from lab.results import CITATIONS, Results, has_results
from lab.schema import ResultsError


def define_env(env) -> None:
    """Register ``results`` and ``has_results`` for the posts."""
    env.macro(Results, "results")
    env.macro(has_results)


def on_pre_page_macros(env) -> None:
    """Start counting the results files this page cites."""
    CITATIONS.start()


def on_post_page_macros(env) -> None:
    """Fail the build if the page set two differing results files side by side, unqualified."""
    if problems := CITATIONS.unnamed():
        raise ResultsError(f"{env.page.file.src_uri}: " + "; ".join(problems))
