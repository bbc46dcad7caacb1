import functools

import pytest

# Nothing here imports JAX at load time: blog/pytest_plugin.py configures it first.


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
    """(w, b) from the eager loop as first written: the reference every fit must match.

    Computed once: the eager loop is the slowest thing the tests run.
    """
    from snippets.regression import fit_seed

    return fit_seed(*data)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--lighthouse-every-page",
        action="store_true",
        help="Lighthouse audits every page, not the heaviest of each kind (make audit)",
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site, built once per session with `mkdocs build --strict`."""
    from blog.project import ROOT
    from tests.project import mkdocs_build

    site = tmp_path_factory.mktemp("site")
    built = mkdocs_build(ROOT, site)
    assert built.returncode == 0, f"mkdocs build --strict failed:\n{built.stderr}"
    return site


@pytest.fixture(scope="session")
def server(site):
    """The built site on a free loopback port, served as GitHub Pages serves it (gzip)."""
    from tests.static_host import serving

    with serving(site) as url:
        yield url


@pytest.fixture(scope="session")
def site_bytes(site):
    """A hash of the built site's files: what the browser's observations depend on."""
    from tests.reuse import site_hash

    return site_hash(site)


@pytest.fixture(scope="session")
def planted(tmp_path_factory):
    """One copy of the project with what the authoring and fault tests plant, built once."""
    from tests.project import plant_and_build

    return plant_and_build(tmp_path_factory.mktemp("planted"))
