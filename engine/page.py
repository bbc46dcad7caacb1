"""What a post's page says about its own code: one line under the title, and one collapsed box at
the end, "How this was checked", drawn from the post's run. Under `make serve`, a failing block
is flagged right under it.
"""

import difflib
import os
import re
import tomllib

from engine.claims import claimed
from engine.post import Post

TRUST_CLASS = "trust"


def trust_line(post: Post, record: object | None, notebook: str | None) -> str:
    """The line under the title: what the outputs are, where the proof is, how to run the code."""
    ran = [b for b in post.blocks if b.runner]
    if not ran:
        return ""
    versions = f", with {record.run.in_words}" if record else ""
    links = [f"[How this was checked]({post.path.name}#how-this-was-checked)"]
    links += [f"[Run it yourself]({notebook})"] if notebook else []
    if post.updated:
        links.append(f"Updated {day(post.updated)}, first published {day(post.date)}")
    # A link to the post's own file: it stays right in the excerpts the blog shows elsewhere.
    return (f'<p class="{TRUST_CLASS}" markdown>✓ Every output here is what the code above it '
            f"printed{versions}. "
            f"{' · '.join(links)}</p>")  # fmt: skip


def day(date: object) -> str:
    return f"{date.day} {date:%B %Y}"


def with_trust_line(markdown: str, line: str) -> str:
    """Put ``line`` right under the page's first # heading."""
    return re.sub(r"^(# .*\n)", lambda m: f"{m[1]}\n{line}\n", markdown, count=1, flags=re.M)


def series_of(post: Post, every: list[Post]) -> list[Post]:
    """The parts of the post's series (front matter: series: {name: ..., part: N}), in order."""
    name = (post.meta.get("series") or {}).get("name")
    return sorted((p for p in every if name and (p.meta.get("series") or {}).get("name") == name),
                  key=lambda p: p.meta["series"]["part"])  # fmt: skip


def link(post: Post, to: Post) -> str:
    return f"[{to.title}]({os.path.relpath(to.path, post.path.parent)})"


def series_line(post: Post, every: list[Post]) -> str:
    """One line under the title that names the post's series and links each part, in order."""
    if not (parts := series_of(post, every)):
        return ""
    links = " · ".join(f"**{p.title}**" if p is post else link(post, p) for p in parts)
    series = post.meta["series"]
    return (f'<p class="{TRUST_CLASS}" markdown>Part {series["part"]} of {len(parts)} in '
            f"*{series['name']}*: {links}</p>")  # fmt: skip


def next_line(post: Post, every: list[Post]) -> str:
    """The line that ends a post in a series: the next part, if there is one."""
    parts = series_of(post, every)
    later = parts[parts.index(post) + 1 :] if post in parts else []
    name = post.meta.get("series", {}).get("name")
    return f"\n\n**Next in *{name}*:** {link(post, later[0])}\n" if later else ""


def checked_box(post: Post, record: object | None, notebook: str | None, cited: list[str]) -> str:
    """The collapsed box that ends a post: what ran, where, how long, what never runs and why,
    what measured its timings, and how to run it yourself.
    """
    ran = [b for b in post.blocks if b.runner]
    said = []
    if ran and record:
        python = [b for b in ran if b.runner == "python"]
        seconds = sum(record.outcomes[b.index].seconds or 0 for b in python)
        others = "".join(f" They pass with {run.in_words} too, where the "
                         "post's source keeps any output that prints differently there."
                         for run in claimed(post))  # fmt: skip
        said.append(f"The blog's tests ran the {len(ran)} code block{'s' * (len(ran) > 1)} of this "
                    "page in order, as its notebook runs them, with only jax, numpy and what they "
                    f"need installed and {record.run.in_words}, and compared each output with the "
                    f"page ({seconds:.1f} s in all).{others}")  # fmt: skip
    elif ran:
        said.append("This page's code has not finished running yet.")
    for block in post.blocks:
        if block.reason:
            said.append(f"One {block.language} block is shown and never run: {block.reason}.")
    said += cited
    if notebook:
        said.append(
            f"To run it yourself, take [its notebook]({notebook}): every python block above "
            f"that runs, in order, for Jupyter or to upload to Colab. It needs {needs(post.root)}."
        )
    body = "\n\n".join("    " + re.sub(r"\n", "\n    ", text) for text in said)
    return (
        '\n\n??? success "How this was checked"\n\n    <span id="how-this-was-checked"></span>\n\n'
        f"{body}\n"
    )


def needs(root: object, python: bool = False) -> str:
    """What the snippets package needs, from its pyproject.toml: '`jax>=0.11` and `numpy>=2`'."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = [f"`{dependency}`" for dependency in project["dependencies"]]
    found = [f"Python {project['requires-python'].removeprefix('>=')} or later"] * python + found
    return ", ".join(found[:-1]) + f" and {found[-1]}"


def with_flags(markdown: str, source: str, post: Post, found: dict[int, str]) -> str:
    """Insert each problem right after its block. MkDocs hands over the post without its front
    matter, so the post's lines are matched to the Markdown's, not counted.
    """
    lines = markdown.splitlines()
    matcher = difflib.SequenceMatcher(None, source.splitlines(), lines, autojunk=False)
    line_of = {a + k: b + k for a, b, size in matcher.get_matching_blocks() for k in range(size)}
    after: dict[int, list[str]] = {}
    for index, problem in sorted(found.items()):
        end = post.expanded.post_lines[post.blocks[index].end] - 1
        after.setdefault(line_of.get(end, -1), []).append(flag(problem))
    out = [text for flagged in after.get(-1, []) for text in (flagged, "")]
    for i, line in enumerate(lines):
        out += [line, *(text for flagged in after.get(i, []) for text in ("", flagged))]
    return "\n".join(out) + "\n"


def flag(problem: str) -> str:
    """A Material admonition that shows the problem on the page."""
    body = "\n".join("    " + line for line in ["```text", *problem.splitlines(), "```"])
    return f'!!! failure "`make serve`: this block does not run as shown"\n\n{body}\n'
