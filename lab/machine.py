"""What measured a result: every results file names its machine, and never travels without it."""

import os
import platform
import time

import jax

from lab.schema import FORMAT, Report, versions


def cpu_model() -> str:
    """Return the processor's name where Linux reports it, else a guess."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def device_name(device: jax.Device | None = None) -> str:
    """Name a JAX device the way results rows do: "cpu:0", "gpu:0"."""
    device = device or jax.devices()[0]
    return f"{device.platform}:{device.id}"


def provenance(benchmark: str, timed: str) -> dict:
    """The fields every results file starts with (lab/schema.py): what was timed, on what.

    Call it after the run: ``versions`` names every peer library the run imported.
    """
    device = jax.devices()[0]
    return {
        "format": FORMAT,
        "benchmark": benchmark,
        "timed": timed,
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "system": f"{platform.system()} {platform.machine()}",
            "device_kind": device.device_kind,
        },
        "versions": versions(),
        "backend": jax.default_backend(),
        "device": device_name(device),
        "matmul_precision": str(jax.config.jax_default_matmul_precision or "default"),
        "date": time.strftime("%Y-%m-%d"),
        "simulated": False,
    }


def machine_line(report: Report) -> str:
    """One line naming the machine behind a report: "AMD EPYC (2 cores), JAX 0.10.2, ..."."""
    m = report.machine
    line = f"{m['cpu']} ({m['cores']} cores), JAX {report.jax}, {report.backend} backend"
    if report.backend != "cpu":
        line += f" ({m['device_kind']})"
    return line
