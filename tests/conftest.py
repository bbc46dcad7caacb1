import functools

import pytest


@functools.cache
def jax_backend() -> str:
    import jax

    return jax.default_backend()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """GPU tests run where JAX found a GPU; elsewhere they are skipped, and say why."""
    for item in items:
        if item.get_closest_marker("gpu") and jax_backend() != "gpu":
            item.add_marker(
                pytest.mark.skip(reason=f"needs a GPU; JAX's backend here is {jax_backend()}")
            )
