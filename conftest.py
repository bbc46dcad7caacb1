"""Load the blog's engine, so pytest runs every block of every page under docs/."""

pytest_plugins = ["engine.pytest_plugin"]
