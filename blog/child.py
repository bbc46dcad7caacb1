"""Run code blocks in order in this fresh interpreter, as a reader pasting them would.

Reads a JSON list of {"code", "filename"} on stdin; writes one {"stdout", "stderr",
"error", "loaded"} per block that ran to the JSON file named on the command line. Stops at
the first block that raises. ``__name__`` is "__main__", as it is for the reader. "loaded"
names the project's files the run has used so far: every module imported from the project,
in any way, and every file opened in it (data files too), so that a kept outcome is reused
only while they are unchanged (blog/outcomes.py).
"""

import contextlib
import io
import json
import linecache
import os
import sys
import traceback
from pathlib import Path

ROOT = Path.cwd()  # the project: blog/run.py starts every chain there
NOT_THE_PROJECT = (".venv", ".cache", "node_modules", "__pycache__")
OPENED: set[str] = set()


def watch_opens(event: str, args: tuple) -> None:
    """An audit hook: note each file opened, to sort out later (it must be cheap)."""
    if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        OPENED.add(os.fsdecode(args[0]))


def project_files() -> list[str]:
    """The project's files this interpreter has used: imported modules and opened files."""
    used = {getattr(module, "__file__", None) for module in list(sys.modules.values())}
    found = set()
    for name in used | OPENED:
        if not name:
            continue
        path = (ROOT / name).resolve()
        if path.is_file() and path.is_relative_to(ROOT):
            relative = path.relative_to(ROOT)
            metadata = relative.parts[0].endswith((".egg-info", ".dist-info"))  # pip writes it
            if not (metadata or set(relative.parts) & set(NOT_THE_PROJECT)):
                found.add(relative.as_posix())
    return sorted(found)


def run(blocks: list[dict]) -> list[dict]:
    namespace = {"__name__": "__main__"}
    results = []
    for block in blocks:
        # Register the source so tracebacks show the block's own lines.
        lines = block["code"].splitlines(keepends=True)
        linecache.cache[block["filename"]] = (len(block["code"]), None, lines, block["filename"])
        stdout, stderr, error = io.StringIO(), io.StringIO(), None
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                exec(compile(block["code"], block["filename"], "exec"), namespace)
            except BaseException as exc:  # a block's SystemExit is a failure too
                error = "".join(
                    traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next)
                )
        results.append({"stdout": stdout.getvalue(), "stderr": stderr.getvalue(), "error": error,
                        "loaded": project_files()})  # fmt: skip
        if error:
            break
    return results


if __name__ == "__main__":
    blocks = json.load(sys.stdin)
    sys.addaudithook(watch_opens)
    results = run(blocks)
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(results, out)
