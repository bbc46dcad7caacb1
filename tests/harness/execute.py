"""Run a chain of blocks in a fresh process and check each one's output against the page."""

import difflib
import functools
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.harness.blocks import Block
from tests.harness.expand import ROOT


class BlockFailure(Exception):
    """A block raised, hung, or printed something other than what the page shows."""


@dataclass
class Outcome:
    """What one block did: its output, or why it did not get to run."""

    stdout: str = ""
    stderr: str = ""
    error: str | None = None


def environment() -> dict[str, str]:
    """The reader's environment: this project importable, this interpreter first on PATH."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


def run_chain(chain: list[Block], timeout: float) -> list[Outcome]:
    """Run the blocks of one chain in order, each python chain in its own interpreter."""
    if chain[0].runner != "python":
        return [run_shell(chain[0], timeout)]
    payload = [{"code": b.code, "filename": f"<block {i}>"} for i, b in enumerate(chain)]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "results.json"
        command = [sys.executable, "-m", "tests.harness.child", str(report)]
        done = run_in_project(command, timeout, stdin=json.dumps(payload))
        if done is None:
            return [timed_out(timeout)] * len(chain)
        if not report.exists():
            died = f"the interpreter died (exit {done.returncode}):\n{done.stderr}"
            return [Outcome(error=died)] * len(chain)
        outcomes = [Outcome(**r) for r in json.loads(report.read_text(encoding="utf-8"))]
    for outcome in outcomes:
        if outcome.error:
            outcome.error = traced_to_source(outcome.error, chain)
    failed_at = len(outcomes)
    not_run = Outcome(
        error=f"not run: the block it continues, at {chain[failed_at - 1].where}, failed"
    )
    return outcomes + [not_run] * (len(chain) - failed_at)


def run_shell(block: Block, timeout: float) -> Outcome:
    done = run_in_project([block.runner, "-e", "-c", block.code], timeout)
    if done is None:
        return timed_out(timeout)
    error = None if done.returncode == 0 else f"exit status {done.returncode}\n{done.stderr}"
    return Outcome(done.stdout, done.stderr, error)


def run_in_project(
    command: list[str], timeout: float, stdin: str | None = None
) -> subprocess.CompletedProcess | None:
    """Run ``command`` from the project root as a reader would; None if it timed out."""
    try:
        return subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=ROOT,
                              env=environment(), timeout=timeout)  # fmt: skip
    except subprocess.TimeoutExpired:
        return None


def timed_out(timeout: float) -> Outcome:
    return Outcome(error=f"timed out after {timeout:.0f} s (the codeblock_timeout setting)")


def traced_to_source(trace: str, chain: list[Block]) -> str:
    """Point each traceback frame at the post line and the snippet line behind it."""

    def replace(match: re.Match) -> str:
        block, line = chain[int(match[1])], int(match[2])
        path, _, source_line = block.origin(line).rpartition(":")
        return f'File "{path}", line {source_line} [line {line} of the block at {block.where}]'

    return re.sub(r'File "<block (\d+)>", line (\d+)', replace, trace)


@functools.cache
def backend() -> str:
    """JAX's backend here (cpu, gpu): outputs marked output_backend are checked on theirs."""
    import jax

    return jax.default_backend()


def check_output(block: Block, outcome: Outcome, backend: str) -> None:
    """Fail unless the block ran and printed exactly (or within tolerance) what the page shows."""
    if outcome.error:
        stderr = f"\nIt wrote to stderr:\n{outcome.stderr}" if outcome.stderr else ""
        raise BlockFailure(f"{block.where}: the block failed\n\n{outcome.error}{stderr}")
    shown, printed = block.expected_output, outcome.stdout
    if shown is None:
        if printed:
            raise BlockFailure(
                f"{block.where}: the block prints output the page does not show. Add it "
                f"under the block after <!-- pytest-codeblocks:expected-output -->:\n{printed}"
            )
        return
    recorded_on = block.mark("output_backend")
    if recorded_on and recorded_on.args[0] != backend:
        return  # ran without error; its output is that of another backend (see the post)
    tolerance = block.mark("output_tolerance")
    if tolerance:
        problem = within_factor(shown, printed, tolerance.kwargs["factor"])
    elif block.ignore_whitespace:
        problem = None if re.sub(r"\s+", "", shown) == re.sub(r"\s+", "", printed) else "differs"
    else:
        problem = None if shown == printed else "differs"
    if problem:
        diff = "".join(
            difflib.unified_diff(
                shown.splitlines(True), printed.splitlines(True), "shown on the page", "printed now"
            )
        )
        raise BlockFailure(f"{block.where}: the output shown under the block {problem}:\n{diff}")


NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def within_factor(shown: str, printed: str, factor: float) -> str | None:
    """None when the texts match word for word and every number within ``factor``."""

    def skeleton(text: str) -> str:
        return " ".join(NUMBER.sub("#", text).split())

    if skeleton(shown) != skeleton(printed):
        return "differs in its words"
    for a, b in zip(NUMBER.findall(shown), NUMBER.findall(printed), strict=True):
        x, y = float(a.replace(",", "")), float(b.replace(",", ""))
        if min(x, y) <= 0 or max(x, y) / min(x, y) > factor:
            return f"has {b} where the page shows {a}, more than {factor}x apart"
    return None
