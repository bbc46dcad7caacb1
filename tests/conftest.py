import functools

import pytest

# Nothing here imports JAX at load time: engine/pytest_plugin.py configures it first.


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


@pytest.fixture(scope="session")
def data():
    """The posts' 100 points."""
    from snippets.regression import make_data

    return make_data()


@pytest.fixture(scope="session")
def eager_answer(data):
    """(w, b) from the eager loop as first written, after ``steps`` steps: what every fit that
    repeats the same update must match. A few steps show it; an eager step costs milliseconds."""
    from snippets.regression import fit_two_grads

    return functools.cache(lambda steps: fit_two_grads(*data, steps))


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The blog, built once per session, strictly, after its posts' runs (shared with the tests
    of their blocks, so nothing runs twice)."""
    from engine.config import ROOT
    from tests.planting import build

    return build(ROOT, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def planted(tmp_path_factory):
    """A small project in a temporary root, with a post that uses every authoring feature, a
    draft, the scaffold's new post and a page of unrendered Markdown; built once."""
    from tests.planting import plant

    return plant(tmp_path_factory.mktemp("planted"))


@pytest.fixture(scope="session")
def server(site):
    """The built blog on a free loopback port, served as GitHub Pages serves it (gzip)."""
    from tests.static_host import serving

    with serving(site) as url:
        yield url
