"""Run a post's cells in this interpreter, as its notebook runs them. Standard library only: this
file runs in the reader's environment (engine/reader_env.py), where nothing of ours is installed.

Reads a job on stdin: {"setup": code, "limit": seconds, "chains": [[{"code", "filename",
"raises"}, ...], ...]}. The setup cell runs first; then each chain, in a fresh namespace whose
``__name__`` is "__main__", under the time limit. A chain stops at a block that raises anything
but what it says it raises. Writes to the file named on the command line one result per block:
{"stdout", "error", "raised", "seconds"} (null for a block never reached), and the setup's
error.
"""

import contextlib
import importlib
import io
import json
import linecache
import os
import signal
import sys
import time
import traceback


class TimeLimit(BaseException):
    """The chain ran out of time (raised by the alarm, so no ``except Exception`` swallows it)."""


def on_alarm(signum: int, frame: object) -> None:
    raise TimeLimit


def run_cell(code: str, filename: str, namespace: dict, raises: str | None) -> dict:
    """Run one cell's code; say what it printed, and what it raised."""
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    out, started, error, raised = io.StringIO(), time.perf_counter(), None, None
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(code, filename, "exec"), namespace)
        except TimeLimit:
            raise
        except BaseException as exc:  # a block's SystemExit is a failure too
            if raises and type(exc).__name__ == raises:
                raised = "".join(traceback.format_exception_only(exc))
            else:
                error = "".join(
                    traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next)
                )
    return {"stdout": out.getvalue(), "error": error, "raised": raised,
            "seconds": time.perf_counter() - started}  # fmt: skip


def run(job: dict) -> dict:
    sys.path.insert(0, os.getcwd())  # as a notebook's kernel finds files beside the notebook
    setup = run_cell(job["setup"], "<setup>", {"__name__": "__main__"}, None)
    importlib.invalidate_caches()
    results = []
    for chain in job["chains"] if not setup["error"] else []:
        results += run_chain(chain, job["limit"])
    return {"setup_error": setup["error"], "cells": results}


def run_chain(chain: list[dict], limit: float) -> list[dict | None]:
    """Run one chain's cells in a fresh namespace; None for each cell it did not reach."""
    namespace, done = {"__name__": "__main__"}, []
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        for cell in chain:
            done.append(run_cell(cell["code"], cell["filename"], namespace, cell["raises"]))
            if done[-1]["error"]:
                break
    except TimeLimit:
        done.append({"stdout": "", "error": f"timed out after {limit:g} s", "raised": None,
                     "seconds": limit})  # fmt: skip
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return done + [None] * (len(chain) - len(done))


if __name__ == "__main__":
    signal.signal(signal.SIGALRM, on_alarm)
    report = run(json.load(sys.stdin))
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(report, out)
