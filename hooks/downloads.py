"""MkDocs hook: the site serves the snippets package as a wheel, built by blog/downloads.py."""

from mkdocs.structure.files import File

from blog import downloads


def on_files(files, config):
    """Add the wheel, built unless its inputs are unchanged, to the site's files."""
    wheel = downloads.wheel()
    files.append(
        File.generated(config, f"{downloads.FOLDER}/{wheel.name}", abs_src_path=str(wheel))
    )
    return files
