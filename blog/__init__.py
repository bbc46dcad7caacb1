"""The blog's engine: a post as MkDocs publishes it, and every block in it run and checked.

project.py   where the project is, what mkdocs.yml says, the time limits
includes.py  the include grammar, and a post expanded by pymdownx.snippets, line origins kept
blocks.py    the fenced blocks of that text (pytest-codeblocks' parser) and the rules they obey
post.py      Post: front matter, draft, date, slug, URL, blocks, chains, snippet files
run.py       runs a chain of blocks in a fresh interpreter (child.py) and checks its output
outcomes.py  the outcomes of chains, cached by everything that decides them
outputs.py   `make outputs`: rewrite the outputs a post shows from what its blocks print
pytest_plugin.py  every Markdown file under docs/ as pytest items, one per block
"""
