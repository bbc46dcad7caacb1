"""The blog's engine: a post as MkDocs publishes it, and every block in it run and checked.

project.py    where the project is, what mkdocs.yml says, the time limits
cache.py      every store under .cache/, when reuse is allowed, one tally
includes.py   the include grammar, and a post expanded by pymdownx.snippets, line origins kept
blocks.py     the block grammar: fenced blocks (pytest-codeblocks' parser), markers, outputs
post.py       Post: front matter, draft, date, slug, URL, blocks, chains, snippet files
history.py    when a post or anything it shows last changed, from git
run.py        runs a chain of blocks in a fresh interpreter (child.py) and checks its output
outcomes.py   the outcomes of chains, reused while nothing they used has changed
verify.py     one way to judge a page's blocks: for the tests and `make serve`
outputs.py    `make outputs`: rewrite the outputs a post shows from what its blocks print
notebooks.py  each post's notebook, carrying its snippets, executed as a reader would
reader_env.py the reader's environment: jax, numpy and a Jupyter kernel, nothing of ours
downloads.py  the snippets package as a wheel the site serves
verified.py   what each post's page says ran: blocks, times, what never runs and why
finish/       the finishing steps over the built site, in written order (the CSP last)
pytest_plugin.py  every Markdown file under docs/ as pytest items, one per block
"""
