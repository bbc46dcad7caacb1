"""mkdocs-macros module: a post's figures, tables and charts, from its results files.

A post that sets ``render_macros: true`` writes ``{% set cpu = results("cpu", "bench") %}``
and then ``{{ cpu.ratio("numpy_loop", "jit_fori") }}``; lab/results.py formats every number
from docs/results/ at build time.
"""

from lab.results import Results, has_results


def define_env(env) -> None:
    """Register ``results`` and ``has_results`` for the posts."""
    env.macro(Results, "results")
    env.macro(has_results)
