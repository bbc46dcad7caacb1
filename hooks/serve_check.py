"""MkDocs hook, for `make serve` only: run each page's blocks, and flag at a block what fails.

`make test` is where rot fails the build. This shows it to the author where it happens, while
writing. Each chain of blocks runs outside this process (a fresh interpreter, with a timeout),
and its outcome is cached under .cache/blocks/, keyed by the chain's code and every snippet
file it comes from or imports. An unchanged page reloads from the cache, and an edited snippet
re-runs exactly the chains that use it. Shown outputs are compared on every reload.
"""

import importlib.metadata
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

# MkDocs loads hooks by path; the harness lives in the project's tests/, which is not installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.harness.blocks import Block, chains, fingerprint, read_blocks
from tests.harness.execute import (
    BlockFailure,
    Outcome,
    backend,
    check_output,
    run_chain,
)
from tests.harness.expand import ROOT, PostError, expand

CACHE = ROOT / ".cache" / "blocks"
TIMEOUT_S = 120
serving = False


def on_startup(command, dirty):
    """Run blocks under `mkdocs serve` only: `build` must stay fast and deterministic."""
    global serving
    serving = command == "serve"


def on_page_markdown(markdown, page, config, files):
    """Flag, after each block that fails or whose output drifted, what went wrong."""
    source = Path(page.file.abs_src_path or "")
    if not serving or not source.is_file() or not source.is_relative_to(config.docs_dir):
        return markdown  # a build, or a page the blog plugin generated
    try:
        blocks = read_blocks(expand(source))
    except PostError as problem:
        return flag(str(problem)) + "\n" + markdown
    return with_flags(markdown, blocks, failures(blocks))


def failures(blocks: list[Block]) -> dict[int, str]:
    """Map the index of each failing block to what is wrong with it."""
    groups = chains(blocks)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        outcomes = list(pool.map(cached_run, groups))
    problems = {}
    for chain, results in zip(groups, outcomes, strict=True):
        for block, outcome in zip(chain, results, strict=True):
            try:
                check_output(block, outcome, backend())
            except BlockFailure as failure:
                problems[next(i for i, b in enumerate(blocks) if b is block)] = str(failure)
    return problems


def cached_run(chain: list[Block]) -> list[Outcome]:
    """Run a chain, or reuse the outcome of the same code over the same snippet files."""
    entry = CACHE / f"{chain_key(chain)}.json"
    if entry.exists():
        return [Outcome(**o) for o in json.loads(entry.read_text(encoding="utf-8"))]
    outcomes = run_chain(chain, TIMEOUT_S)
    if not any(o.error and o.error.startswith("timed out") for o in outcomes):
        CACHE.mkdir(parents=True, exist_ok=True)
        entry.write_text(json.dumps([asdict(o) for o in outcomes]), encoding="utf-8")
    return outcomes


def chain_key(chain: list[Block]) -> str:
    """Hash what decides a chain's outcome: its code, JAX's version, the snippets it uses."""
    jax_version = importlib.metadata.version("jax")
    return fingerprint(chain, jax_version, *(block.code for block in chain))


def with_flags(markdown: str, blocks: list[Block], problems: dict[int, str]) -> str:
    """Insert each problem after its block (after the output shown under it, if any)."""
    if not problems:
        return markdown
    ends = []  # for each fence of the page, in order: the block it belongs to, if it ends it
    for i, block in enumerate(blocks):
        ends += [None, i] if block.expected_output is not None else [i]
    out, closed, inside = [], 0, False
    for line in markdown.splitlines():
        out.append(line)
        if not line.lstrip().startswith("```"):
            continue
        if inside:  # this line closes the page's fence number `closed`
            owner = ends[closed] if closed < len(ends) else None
            if owner in problems:
                out += ["", flag(problems[owner])]
            closed += 1
        inside = not inside
    return "\n".join(out) + "\n"


def flag(problem: str) -> str:
    """Return a Material admonition that shows the problem on the page."""
    body = "\n".join("    " + line for line in ["```text", *problem.splitlines(), "```"])
    return f'!!! failure "`make serve`: this block does not run as shown"\n\n{body}\n'
