"""blog/finish/: the steps over the built site, in their written order."""

import re

from blog.finish import STEPS, csp, finish

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<style>.jp-Cell { color: red } .unused { color: blue }</style>
<script>var x = 1;</script></head>
<body><div class="md-search" data-md-component="search" role="dialog"></div>
<div class="highlight-ipynb jp-Cell">code</div></body></html>
"""


def test_the_policy_is_the_last_step_and_hashes_what_the_others_leave(tmp_path):
    assert STEPS[-1] is csp.step
    page = tmp_path / "notebooks" / "post" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE)
    assert finish(tmp_path) == 1
    html = page.read_text()
    assert "<style>" not in html  # moved to a linked file, which the policy allows as 'self'
    assert 'href="../../assets/notebooks/' in html
    assert 'aria-label="Search"' in html and 'tabindex="0" class="highlight-ipynb' in html
    [policy] = re.findall(r'Content-Security-Policy" content="([^"]*)"', html)
    assert csp.sha256("var x = 1;") in policy
    [css] = (tmp_path / "assets" / "notebooks").glob("*.css")
    assert ".jp-Cell" in css.read_text() and ".unused" not in css.read_text()


def test_finishing_a_finished_site_changes_nothing(tmp_path):
    for name in ("index.html", "notebooks/post/index.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(PAGE)
    finish(tmp_path)
    once = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    finish(tmp_path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == once


def test_a_code_block_wider_than_a_phone_is_reachable_by_keyboard(tmp_path):
    wide = "pip install https://example.org/downloads/a_long_wheel_name-1.0-py3-none-any.whl"
    blocks = [f"<pre><span></span><code>{code}</code></pre>" for code in (wide, "x = 1")]
    (tmp_path / "index.html").write_text(PAGE.replace("code</div>", "code</div>" + "".join(blocks)))
    finish(tmp_path)
    html = (tmp_path / "index.html").read_text()
    assert f'<code tabindex="0">{wide}</code>' in html
    assert "<code>x = 1</code>" in html  # a short block is no tab stop


def test_markers_and_kept_outputs_leave_a_page_another_builder_wrote(tmp_path):
    kept = "<!-- output on jax 0.11:\n44 lines\n-->\n"
    page = PAGE.replace("<body>", "<body>\n<!-- pytest.mark.continues -->\n" + kept)
    (tmp_path / "index.html").write_text(page)
    finish(tmp_path)
    html = (tmp_path / "index.html").read_text()
    assert "pytest.mark" not in html and "output on" not in html and "44 lines" not in html
