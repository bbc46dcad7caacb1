"""hooks/notebook_styles.py: notebook pages link one small stylesheet instead of 590 kB inline."""

import re

from blog.finish.notebook_styles import stylesheet_of

PAGE = """<html><head><title>t</title></head><body>
<div class="jupyter-wrapper"><div class="jp-Cell shown"><span class="selection"></span>
<style type="text/css">
.shown{color:red}.absent{color:blue}.shown,.absent{margin:0}
.jupyter-wrapper :root{--icon:url(data:x)}:root{--kept:1}
.shown:not(.absent){padding:0}
.jupyter-wrapper ::selection{background:blue}.shown::-moz-selection{background:blue}
.shown .selection{color:red}
@media (max-width:10px){.shown{top:0}.absent{top:1px}}
@media print{.absent{top:2px}}
@keyframes spin{to{transform:rotate(1turn)}}
</style>
<style>
['pre { line-height: 125%; }\\n.shown { color: green }']
</style>
</div></div></body></html>"""


def test_the_rules_that_can_match_the_page_are_kept_in_order():
    _, css = stylesheet_of(PAGE)
    assert css.splitlines()[1:] == [
        ".shown{color:red}.shown{margin:0}:root{--kept:1}.shown:not(.absent){padding:0}"
        ".shown .selection{color:red}"
        "@media (max-width:10px){.shown{top:0}}@keyframes spin{to{transform:rotate(1turn)}}"
    ]


def test_the_page_keeps_no_style_element_and_the_stylesheet_declares_its_charset():
    page, css = stylesheet_of(PAGE)
    assert "<style" not in page
    assert '<div class="jp-Cell shown">' in page
    assert css.startswith('@charset "UTF-8";\n')


def test_every_notebook_page_links_a_small_stylesheet_that_styles_its_cells(site):
    notebooks = sorted(site.glob("notebooks/*/index.html"))
    assert notebooks
    for page in notebooks:
        html = page.read_text(encoding="utf-8")
        assert "<style" not in html, page
        links = re.findall(r'<link rel="stylesheet" href="([^"]*assets/notebooks/\w+\.css)">', html)
        assert len(links) == 1, page
        css = (page.parent / links[0]).resolve().read_text(encoding="utf-8")
        assert len(css.encode()) < 60_000  # from 590 kB inline
        for used in (".jp-Cell", ".jp-OutputArea-output", ".highlight-ipynb"):
            assert used in css and used[1:] in html, (page, used)
        assert "[data-md-color-scheme=slate] .jupyter-wrapper" in css  # dark mode too
