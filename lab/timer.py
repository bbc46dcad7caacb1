"""Time a call as the results files record it: every repeat kept, then summarized."""

import time
from collections.abc import Callable

import jax

from lab.schema import spread


def samples(call: Callable[[], object], repeats: int) -> list[float]:
    """Return the seconds each of ``repeats`` calls took, waiting for JAX's results."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(call())  # JAX returns before the work is done
        times.append(time.perf_counter() - start)
    return times


def timed(call: Callable[[], object], repeats: int) -> dict:
    """Return the spread of ``repeats`` calls: median, range and the median's 95% CI."""
    return spread(samples(call, repeats))
