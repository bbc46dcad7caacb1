"""Runnable JAX examples behind the blog's posts, one module per topic.

Each module is included, section by section, into a post, and runs on its own as
``python -m snippets.<module>``. The code is MIT licensed (see LICENSE):
copy it freely.
"""
