"""The docs harness: every fenced block of every post, expanded as MkDocs expands it, then run.

expand.py   the post as MkDocs sees it, after pymdownx.snippets, with each line's origin
blocks.py   the fenced blocks of that text (pytest-codeblocks' parser) and the rules they obey
execute.py  runs a chain of blocks in a fresh interpreter (child.py) and checks what it printed
plugin.py   turns each Markdown file under docs/ into pytest items, one per block
"""
