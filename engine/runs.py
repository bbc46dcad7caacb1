"""Run a post's code once, where a reader runs it, and keep what it did.

The python blocks run as the post's notebook runs them (engine/notebook.py): one interpreter of
the reader's environment (engine/reader_env.py), started in an empty folder, runs the setup cell,
which writes the snippet files the code needs, then each chain of blocks in a fresh namespace.
The shell blocks then run in that folder, with that interpreter first on PATH. Nothing else of
the project is within reach, so a module the post needs but does not carry fails the run.

The record is kept under a key of everything the run could read: the cells (the setup cell holds
every carried file's text), the shell commands, the time limit, the Python and library versions
and the backend. So it is reused only while all of those are unchanged (engine/store.py).
"""

import functools
import json
import os
import re
import subprocess
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from pathlib import Path

from engine import reader_env
from engine.blocks import Block, Run
from engine.notebook import setup_code
from engine.post import Post
from engine.store import Store, count, digest

CHILD = Path(__file__).with_name("child.py")
STORE = Store("runs")


@dataclass
class Outcome:
    """What one block did: what it printed, what it raised on purpose, or why it failed."""

    stdout: str = ""
    error: str | None = None
    raised: str | None = None
    seconds: float | None = None


@dataclass
class Record:
    """What a post's run did: each runnable block's outcome, by its index, and where it ran."""

    run: Run
    outcomes: dict[int, Outcome] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"run": list(self.run),
                "outcomes": {str(i): asdict(o) for i, o in self.outcomes.items()}}  # fmt: skip

    @classmethod
    def from_json(cls, kept: dict) -> "Record":
        outcomes = {int(i): Outcome(**o) for i, o in kept["outcomes"].items()}
        return cls(Run(*kept["run"]), outcomes)


def environment() -> dict[str, str]:
    """How a child runs: this environment, minus what would let it reach the project."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{reader_env.python().parent}{os.pathsep}{env.get('PATH', '')}"
    # Posts run side by side: on a GPU, none may reserve 75% of its memory up front.
    env.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    return env


@functools.cache
def this_run() -> tuple[Run, str]:
    """The backend and versions the reader's environment runs with, and a key of them."""
    ask = ("import sys, jax, jaxlib, numpy; print(jax.default_backend(), jax.__version__, "
           "jaxlib.__version__, numpy.__version__, sys.version.split()[0])")  # fmt: skip
    command = [reader_env.python(), "-I", "-c", ask]
    done = subprocess.run(command, capture_output=True, text=True, env=environment())
    if done.returncode:
        raise RuntimeError(f"the reader's environment cannot run JAX:\n{done.stderr}")
    backend, jax, *_ = done.stdout.split()
    return Run(backend, jax), done.stdout.strip()


def code_key(post: Post) -> str:
    """Everything of the post that decides its run: its cells, its commands, its time limit."""
    cells = [json.dumps([b.index, b.runner, b.code, b.raises]) for b in post.blocks if b.runner]
    return digest(setup_code(post), *cells, str(post.time_limit[0]))


def key_of(post: Post) -> str:
    """Everything that decides a post's run: its code, and where it runs."""
    return digest(code_key(post), this_run()[1])


_RUNNING: dict[str, Future] = {}
_LOCK = threading.Lock()


def record(post: Post) -> Record:
    """The post's run: kept from before (engine/store.py), or run now, once per process even
    when several threads ask at once.
    """
    key = key_of(post)
    with _LOCK:
        future, first = _RUNNING.get(key), key not in _RUNNING
        if first:
            future = _RUNNING[key] = Future()
    if not first:
        return future.result()
    try:
        if kept := STORE.get(key):
            found = Record.from_json(kept)
            count("runs", reused=True)
        else:
            found = run(post)
            if not any(o.error for o in found.outcomes.values()):
                STORE.put(key, found.to_json())  # only clean runs are kept
            count("runs", reused=False)
        future.set_result(found)
    except BaseException as problem:
        future.set_exception(problem)
        with _LOCK:
            del _RUNNING[key]
        raise
    return found


def stored(post: Post) -> Record | None:
    """The post's run if one is at hand (this process's, or kept), without running anything."""
    key = key_of(post)
    with _LOCK:
        future = _RUNNING.get(key)
    if future and future.done() and not future.exception():
        return future.result()
    kept = STORE.get(key)
    return Record.from_json(kept) if kept else None


def run(post: Post) -> Record:
    """Run the post's blocks in an empty folder with the reader's interpreter."""
    python_chains = [c for c in post.chains if c[0].runner == "python"]
    limit, source = post.time_limit
    # A traceback names a block as its notebook does: by its cell's number.
    by_cell = dict(enumerate((b for b in post.blocks if b.runner == "python"), 1))
    cells = {b.index: {"code": b.code, "filename": f"<cell {n}>", "raises": b.raises}
             for n, b in by_cell.items()}  # fmt: skip
    chains = [[cells[block.index] for block in chain] for chain in python_chains]
    job = {"setup": setup_code(post), "limit": limit, "chains": chains}
    outcomes: dict[int, Outcome] = {}
    with tempfile.TemporaryDirectory(prefix="post-") as folder:
        report = Path(folder, ".report.json")
        command = [reader_env.python(), "-I", str(CHILD), str(report)]
        try:
            done = subprocess.run(command, input=json.dumps(job), capture_output=True, text=True,
                                  cwd=folder, env=environment(),
                                  timeout=limit * (len(python_chains) + 1))  # fmt: skip
            died = None if report.exists() else f"the interpreter died:\n{done.stderr}"
        except subprocess.TimeoutExpired:
            died = f"the post's run outlasted its limits ({limit:g} s a chain, {source})"
        result = {} if died else json.loads(report.read_text(encoding="utf-8"))
        problem, results = died or result["setup_error"], iter(result.get("cells") or [])
        for chain in python_chains:
            outcomes |= python_outcomes(chain, results, problem, by_cell, source)
        for chain in post.chains:
            if chain[0].runner != "python":
                outcomes[chain[0].index] = run_shell(chain[0], folder, limit, source)
    run_on, _ = this_run()
    return Record(run_on, outcomes)


def python_outcomes(chain: list[Block], results: object, problem: str | None,
                    by_cell: dict[int, Block], source: str) -> dict:  # fmt: skip
    """Each block's outcome from the child's results; a block never reached says why."""
    found = {}
    for position, block in enumerate(chain):
        result = None if problem else next(results)
        if problem:
            found[block.index] = Outcome(error=f"not run: {problem}")
        elif result is None:
            found[block.index] = Outcome(error=f"not run: the block it continues, at "
                                         f"{chain[position - 1].where}, failed")  # fmt: skip
        else:
            outcome = Outcome(**result)
            if outcome.error:
                outcome.error = traced_to_source(outcome.error, by_cell, source)
            found[block.index] = outcome
    return found


def run_shell(block: Block, folder: str, limit: float, source: str) -> Outcome:
    """Run a shell block in the run's folder, the reader's interpreter first on PATH."""
    try:
        done = subprocess.run([block.runner, "-e", "-c", block.code], capture_output=True,
                              text=True, cwd=folder, env=environment(), timeout=limit)  # fmt: skip
    except subprocess.TimeoutExpired:
        return Outcome(error=f"timed out after {limit:g} s ({source})")
    error = None if done.returncode == 0 else f"exit status {done.returncode}\n{done.stderr}"
    return Outcome(done.stdout, error)


def traced_to_source(trace: str, by_cell: dict[int, Block], source: str) -> str:
    """Point each frame of a traceback at the post line and the snippet line behind it."""

    def replace(match: re.Match) -> str:
        block, line = by_cell[int(match[1])], int(match[2])
        return f'File "{block.origin(line)}" [line {line} of the block at {block.where}]'

    trace = re.sub(r'File "<cell (\d+)>", line (\d+)', replace, trace)
    return trace + (f" ({source})" if trace.startswith("timed out") else "")
