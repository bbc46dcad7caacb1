"""MkDocs hook: give Material's search dialog an accessible name.

Material marks the search panel role="dialog" without naming it, which axe-core reports as
serious (aria-dialog-name). Naming it here beats copying Material's template to change one tag.
"""

UNNAMED_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED_DIALOG = UNNAMED_DIALOG.replace(">", ' aria-label="Search">')


def on_post_page(output, page, config):
    """Name the dialog on every page built from Markdown."""
    return output.replace(UNNAMED_DIALOG, NAMED_DIALOG)


def on_post_template(output_content, template_name, config):
    """And on 404.html, which is built from a template alone."""
    return output_content.replace(UNNAMED_DIALOG, NAMED_DIALOG)
