"""The mkdocs-macros module: what a post's prose may cite, rendered when the site is built.

A post that sets ``render_macros: true`` may write:

- ``{{ printed("slope", digits=2) }}``: a number one of its blocks printed (``slope: 2.4648``),
  read from the output the page shows, which the tests hold to what the block prints;
- ``{% set cpu = results("cpu", "bench") %}`` then ``{{ cpu.time("jit_fori") }}`` and the
  like: figures from a results file that `make bench` wrote (lab/results.py);
- ``{{ install_snippets }}`` and ``{{ snippets_needs }}``: the command that installs the snippets
  package from this site, and what it needs.
"""

from pathlib import Path

from engine.page import needs
from engine.post import read
from engine.wheel import install_command
from lab import results
from lab.schema import ResultsError


def define_env(env) -> None:
    env.macro(results.Results, "results")
    env.variables["install_snippets"] = install_command(env.conf["site_url"])
    root = Path(env.conf["config_file_path"]).resolve().parent
    env.variables["snippets_needs"] = needs(root, python=True)

    @env.macro
    def printed(name: str, digits: int | None = None) -> str:
        """Return a number a block of this post printed, with ``digits`` decimals."""
        return read(Path(env.page.file.abs_src_path), root).cites[name, digits]


def on_pre_page_macros(env) -> None:
    results.CITED.clear()
    results.NAMED.clear()


def on_post_page_macros(env) -> None:
    """Fail the build if the page set two differing results files side by side, unqualified."""
    if problems := results.unnamed():
        raise ResultsError(f"{env.page.file.src_uri}: " + "; ".join(problems))
