"""What measured a result, and what else could have moved it.

Every results file names its machine, its libraries' versions, the settings that change timings,
and how busy the machine was.
"""

import os
import platform
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib.metadata import PackageNotFoundError, version

import jax

LIBRARIES = ("jax", "jaxlib", "numpy", "torch")
# Settings that change timings: JAX's and XLA's own, the GPU's, the thread pools'.
SETTINGS = re.compile(r"^(JAX_|XLA_|CUDA_VISIBLE|NVIDIA_|OMP_|OPENBLAS_|MKL_|TORCH)")


def cpu_model() -> str:
    """The processor's name where Linux reports it, else a guess."""
    with suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def versions() -> dict[str, str]:
    """Python's version and each library's that is installed here."""
    found = {"python": platform.python_version()}
    for name in LIBRARIES:
        with suppress(PackageNotFoundError):
            found[name] = version(name)
    return found


def provenance(benchmark: str, timed: str) -> dict:
    """The fields every results file starts with: what was timed, on what, with what."""
    device = jax.devices()[0]
    return {
        "format": 3,
        "benchmark": benchmark,
        "timed": timed,
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "device_kind": device.device_kind,
            "system": f"{platform.system()} {platform.machine()}",
        },
        "versions": versions(),
        "backend": jax.default_backend(),
        "device": f"{device.platform}:{device.id}",
        "date": time.strftime("%Y-%m-%d"),
        "environment": {k: v for k, v in sorted(os.environ.items()) if SETTINGS.match(k)},
    }


def busy_seconds() -> float:
    """Seconds of CPU time the whole machine has spent working since it started (Linux)."""
    with open("/proc/stat", encoding="utf-8") as stat:
        fields = [int(n) for n in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle and waiting for I/O
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@contextmanager
def other_work(found: list[float]) -> Iterator[None]:
    """Measure, around what runs inside, how many cores other work kept busy on average.

    That is the machine's CPU time less what this process and its children spent, over the wall
    time.
    """
    start, ours, wall = busy_seconds(), os.times(), time.perf_counter()
    yield
    now = os.times()
    mine = sum(now[:4]) - sum(ours[:4])
    found.append(max(0.0, (busy_seconds() - start - mine) / (time.perf_counter() - wall)))
