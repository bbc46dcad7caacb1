"""The blog's engine: a post as MkDocs publishes it, and every block in it run and checked.

config.py        where the project is, what mkdocs.yml says, the time limits
store.py         every store under .cache/, when reuse is allowed, one tally
includes.py      a post expanded by pymdownx.snippets, each line's origin kept
blocks.py        the block grammar: fenced blocks (pytest-codeblocks' parser), marks, outputs
post.py          Post: one record of a post, its blocks, its snippets, its run
runs.py          one run per post: its cells in the reader's environment, in an empty folder
child.py         the runner inside that interpreter (standard library only)
reader_env.py    the reader's environment: jax, numpy and a Jupyter kernel, nothing of ours
verify.py        one way to judge a page's blocks: for the tests and `make serve`
outputs.py       `make outputs`: rewrite the outputs a post shows from what its blocks print
claims.py        which other runs (a JAX series, a GPU) a page may say it was checked on
notebook.py      each post's notebook: the same cells, with the run's outputs
page.py          what a page says about its own code: a line under the title, a box at the end
wheel.py         the snippets package as a wheel the site serves
pytest_plugin.py every Markdown file under docs/ as pytest items, one per block
finish/          the finishing steps over the built site, in written order (the CSP last)
"""
