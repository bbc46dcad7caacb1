"""snippets/jit.py: the empty program, the fixed fit, the loop that stays a loop, the timing."""

import json
import re
import subprocess
import sys

import jax
import numpy as np

from lab.results import RESULTS
from snippets import jit
from snippets.regression import fit_seed


def test_jit_removes_the_dead_work_before_xla_sees_it(data):
    x, y = data
    assert jit.fit_as_written(0.0, 0.0, x, y) is None
    handed = jit.fit_as_written.lower(0.0, 0.0, x, y).as_text()
    assert "func.func public @main() {" in handed  # no arguments, no work, before XLA
    assert jit.inspect(jit.fit_as_written.lower(0.0, 0.0, x, y)).startswith("0 arguments, ")


def test_with_keep_unused_xla_gets_the_steps_and_removes_them(data):
    x, y = data
    kept = jit.jax.jit(jit.fit_as_written.__wrapped__, keep_unused=True).lower(0.0, 0.0, x, y)
    summary = jit.inspect(kept)
    assert summary.startswith("4 arguments, ") and summary.endswith("XLA keeps 0 operations")
    assert len(kept.as_text().splitlines()) > 1000  # all 100 steps, handed to XLA


def test_jit_fit_equals_the_eager_fit(data, eager_answer):
    x, y = data
    np.testing.assert_allclose(jit.fit_jit(0.0, 0.0, x, y), eager_answer, atol=1e-5)


def test_unrolled_jit_fit_equals_the_eager_fit(data, eager_answer):
    x, y = data
    unrolled = jit.jax.jit(jit.fit_unrolled)(0.0, 0.0, x, y)
    np.testing.assert_allclose(unrolled, eager_answer, atol=1e-5)


def test_enough_steps_reach_the_closed_form(data):
    x, y = data
    exact = jit.closed_form(x, y)
    np.testing.assert_allclose(jit.fit_jit(0.0, 0.0, x, y, steps=5_000), exact, atol=2e-3)


def test_a_hundred_steps_have_not_converged(data):
    """The post says so: after 100 steps w is still far from the least-squares answer."""
    x, y = data
    w, _ = jit.fit_jit(0.0, 0.0, x, y)
    w_exact, _ = jit.closed_form(x, y)
    assert abs(float(w) - float(w_exact)) > 1.0


def test_fori_loop_program_does_not_grow_with_steps_but_unrolled_does():
    fori = [jit.program_lines(jit.fit_fori, steps) for steps in (10, 100)]
    unrolled = [jit.program_lines(jit.fit_unrolled, steps) for steps in (10, 100)]
    assert fori[0] == fori[1]
    assert unrolled[1] > 9 * unrolled[0]


def test_the_loops_program_is_the_same_size_lowered_for_cuda():
    """The post: the 44 lines seen on the GPU machine were JAX 0.11, not the GPU."""
    for steps in (10, 100):
        assert jit.program_lines(jit.fit_fori, steps, platform="cuda") == jit.program_lines(
            jit.fit_fori, steps
        )


def test_unrolled_steps_are_not_fused_across_steps():
    """The post: the unrolled program compiles to the same fusions per step, every step."""
    per_step = [jit.fused_kernels(jit.fit_unrolled, s) / s for s in (10, 100)]
    assert per_step[0] == per_step[1] >= 1, per_step
    assert jit.fused_kernels(jit.fit_fori, 10) == jit.fused_kernels(jit.fit_fori, 100)


def test_under_jit_two_grad_calls_compile_to_what_one_does(data):
    """The post: XLA computes the forward pass the two grad calls share once."""
    x, y = data
    two_calls = jax.jit(fit_seed).lower(x, y)
    one_call = jax.jit(jit.fit_unrolled).lower(0.0, 0.0, x, y)
    assert len(two_calls.as_text()) > len(one_call.as_text()), "jit hands XLA both passes"
    fusions = [re.findall(r" fusion\(", f.compile().as_text()) for f in (two_calls, one_call)]
    assert len(fusions[0]) == len(fusions[1])


def test_the_loop_body_is_a_closed_call_in_stablehlo_before_jax_0_11_2_and_never_in_the_jaxpr(data):
    """The post: JAX 0.10 (and 0.11.0, by its source) lowers each iteration's body as a call to
    `closed_call`; JAX 0.11.2 (measured on a GPU machine) writes it inline in the loop."""
    traced = jax.jit(jit.fit_fori, static_argnames="steps").trace(0.0, 0.0, *data, steps=100)
    lowered = traced.lower().as_text()
    assert "closed_call" not in str(traced.jaxpr)
    if jax.__version_info__ >= (0, 11, 2):
        assert "func.func private" not in lowered, "the post: the body sits inline in the loop"
        return
    assert lowered.count("func.func private @closed_call(") == 1, lowered
    body = lowered.split("stablehlo.while", 1)[1]
    assert "func.call @closed_call(" in body, "called from inside the while loop"


TRACE_OR_COMPILE = """
import jax
jax.config.update("jax_num_cpu_devices", 2)
import jax.numpy as jnp
traces = 0
@jax.jit
def double(x):
    global traces
    traces += 1
    return 2 * x
first, second = jax.devices("cpu")  # two CPU devices on any machine, a GPU one too
double(jax.device_put(jnp.ones(4), first))
double(jax.device_put(jnp.ones(4), second))
print(traces, double._cache_size())
"""


def test_the_same_shape_on_another_device_is_compiled_again_not_traced_again():
    """The post: tracing and compiling are cached apart; a new device means a new compile."""
    run = subprocess.run([sys.executable, "-c", TRACE_OR_COMPILE], capture_output=True,
                         text=True, check=True, timeout=120)  # fmt: skip
    traces, executables = map(int, run.stdout.split())
    assert (traces, executables) == (1, 2), run.stdout


def test_jit_is_far_faster_than_the_eager_loop(data):
    """A ratio inside one process, against a wide floor: never an absolute time."""
    x, y = data
    jit.fit_jit(0.0, 0.0, x, y)  # compile outside the timing
    eager = jit.median_seconds(fit_seed, x, y, repeats=1)
    jitted = jit.median_seconds(jit.fit_jit, 0.0, 0.0, x, y, repeats=50)
    assert eager / jitted > 200, f"eager {eager:.3f} s, jit {jitted * 1e6:.1f} µs"


def test_the_timing_is_recorded_with_its_machine(tmp_path, monkeypatch):
    from lab import timing

    def shown_block() -> None:  # times two cheap calls with the block's own timer
        jit.median_seconds(lambda: 1, repeats=3), jit.median_seconds(lambda: 2, repeats=7)
        print(SHOWN, end="")

    monkeypatch.setattr(jit, "timing_report", shown_block)
    folder = timing.record(tmp_path)
    assert (folder / "jit_timing.txt").read_text() == SHOWN
    report = json.loads((folder / "jit_timing.json").read_text())
    assert [report["results"][n]["repeats"] for n in ("eager_seed", "jit_fori")] == [3, 7]
    assert report["versions"]["jax"] == jit.jax.__version__ and report["backend"] == folder.name


SHOWN = "eager, grad per parameter: 300.0 ms\njit with fori_loop: 50.0 µs\nspeedup: 6,000x\n"


def test_committed_timing_is_what_the_block_prints_and_the_prose_cites():
    for text in sorted(RESULTS.glob("*/jit_timing.txt")):
        lines = text.read_text().splitlines()
        assert [line.split(":")[0] for line in lines] == [
            "eager, grad per parameter", "jit with fori_loop", "speedup"]  # fmt: skip
        report = json.loads(text.with_suffix(".json").read_text())
        eager, jitted = (report["results"][n]["median_s"] for n in ("eager_seed", "jit_fori"))
        assert f"{eager * 1e3:8.1f} ms" in lines[0] and f"{jitted * 1e6:8.1f} µs" in lines[1]
