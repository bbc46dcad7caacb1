"""Run code blocks in order in this fresh interpreter, as a reader pasting them would.

Reads a JSON list of {"code", "filename"} on stdin; writes one {"stdout", "stderr",
"error"} per block that ran to the JSON file named on the command line. Stops at the
first block that raises. ``__name__`` is "__main__", as it is for the reader.
"""

import contextlib
import io
import json
import linecache
import sys
import traceback


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
        results.append({"stdout": stdout.getvalue(), "stderr": stderr.getvalue(), "error": error})
        if error:
            break
    return results


if __name__ == "__main__":
    results = run(json.load(sys.stdin))
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(results, out)
