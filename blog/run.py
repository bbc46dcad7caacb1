"""Run a chain of blocks in a fresh process and check each one's output against the page."""

import difflib
import functools
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from blog.blocks import SHOWN_OUTPUT, Block, kept_output
from blog.project import ROOT


class BlockFailure(Exception):
    """A block raised, hung, or printed something other than what the page shows."""


@dataclass
class Outcome:
    """What one block did: its output, or why it did not get to run."""

    stdout: str = ""
    stderr: str = ""
    error: str | None = None
    loaded: list[str] = field(default_factory=list)  # project files the chain used so far


def environment() -> dict[str, str]:
    """The reader's environment: this project importable, this interpreter first on PATH."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    # Chains run side by side: on a GPU, each must not reserve 75% of its memory up front.
    env.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


def run_chain(chain: list[Block], timeout: float) -> list[Outcome]:
    """Run the blocks of one chain in order, each python chain in its own interpreter."""
    if chain[0].runner != "python":
        return [run_shell(chain[0], timeout)]
    payload = [{"code": b.code, "filename": f"<block {i}>"} for i, b in enumerate(chain)]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "results.json"
        command = [sys.executable, "-m", "blog.child", str(report)]
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
    """Say the chain ran out of time, and which limit that was (blog/project.py: TimeLimit)."""
    source = getattr(timeout, "source", "the limit its caller gave")
    return Outcome(error=f"timed out after {timeout:.0f} s ({source})")


def traced_to_source(trace: str, chain: list[Block]) -> str:
    """Point each traceback frame at the post line and the snippet line behind it."""

    def replace(match: re.Match) -> str:
        block, line = chain[int(match[1])], int(match[2])
        origin, at = block.origin(line), f"line {line} of the block at {block.where}"
        return f'File "{origin.file}", line {origin.line} [{at}]'

    return re.sub(r'File "<block (\d+)>", line (\d+)', replace, trace)


@functools.cache
def backend() -> str:
    """JAX's backend here (cpu, gpu)."""
    import jax

    return jax.default_backend()


@functools.cache
def jax_series() -> str:
    """JAX's release series here, as a post names it: "jax 0.10"."""
    import jax

    return "jax " + ".".join(jax.__version__.split(".")[:2])


def run_on() -> tuple[str, str]:
    """What this run is, in the words an output kept for one names: its backend and JAX series."""
    return backend(), jax_series()


def check_output(block: Block, outcome: Outcome, on: tuple[str, ...]) -> None:
    """Fail unless the block ran and printed what the page shows for a run ``on`` (run_on())."""
    if outcome.error:
        stderr = f"\nIt wrote to stderr:\n{outcome.stderr}" if outcome.stderr else ""
        raise BlockFailure(f"{block.where}: the block failed\n\n{outcome.error}{stderr}")
    shown, printed = block.output_for(on), outcome.stdout
    if shown is None:
        if block.expected_output is not None:
            key = block.kept_under(on)
            raise BlockFailure(
                f"{block.where}: the page shows this block's output on {block.shown_on}, and "
                f"the post keeps none for {key}. Add it after the shown output "
                "(make outputs does):\n" + "\n".join(kept_output(key, printed.splitlines()))
            )
        if printed:
            raise BlockFailure(
                f"{block.where}: the block prints output the page does not show. Add it "
                f"under the block after {SHOWN_OUTPUT}:\n{printed}"
            )
        return
    if block.mark("output_timings"):
        problem = None if words(shown) == words(printed) else "differs in its words"
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
        if shown is block.expected_output:
            place = block.output_where
            what = f"the output shown under the block at line {block.line}"
        else:
            place, what = block.where, f"the output kept for {backend} after the block"
        raise BlockFailure(f"{place}: {what} {problem}:\n{diff}")


NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def words(text: str) -> str:
    """The text with every number replaced by #: what a timing's output must keep."""
    return " ".join(NUMBER.sub("#", text).split())
