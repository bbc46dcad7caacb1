"""Load the docs harness, so pytest runs every block of every post under docs/."""

pytest_plugins = ["tests.harness.plugin"]
