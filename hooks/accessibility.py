"""MkDocs hook: two fixes that axe-core asks for and no setting provides.

- Material marks the search panel role="dialog" without naming it (aria-dialog-name). Naming
  it here beats copying Material's template to change one tag.
- On notebook pages, a code cell that scrolls sideways must be reachable by keyboard
  (scrollable-region-focusable), so each cell's code gets tabindex="0".
"""

UNNAMED_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED_DIALOG = UNNAMED_DIALOG.replace(">", ' aria-label="Search">')


NOTEBOOK_CODE = '<div class="highlight-ipynb'
FOCUSABLE_CODE = '<div tabindex="0" class="highlight-ipynb'


def on_post_page(output, page, config):
    """Name the dialog on every page; let keyboards reach notebook code that scrolls."""
    output = output.replace(UNNAMED_DIALOG, NAMED_DIALOG)
    if page.file.src_uri.endswith(".ipynb"):
        output = output.replace(NOTEBOOK_CODE, FOCUSABLE_CODE)
    return output


def on_post_template(output_content, template_name, config):
    """And on 404.html, which is built from a template alone."""
    return output_content.replace(UNNAMED_DIALOG, NAMED_DIALOG)
