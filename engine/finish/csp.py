"""The last step: a Content-Security-Policy <meta> tag on every page.

GitHub Pages cannot send headers, so the policy travels in the page. It allows the site's own
origin and, by hash, exactly the inline scripts and style attributes that this page carries
(Material's bootstrap scripts, which embed the page's base path, differ from page to page).
Nothing may load from anywhere else. It runs last: it hashes the inline code the page ends with.
"""

import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", re.S
)
STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
CHARSET = re.compile(r"<meta charset=[^>]*>")
POLICY = re.compile(r'\n\s*<meta http-equiv="Content-Security-Policy"[^>]*>')


def sha256(text: str) -> str:
    """Return a CSP source expression that allows exactly this text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def policy(html: str) -> str:
    """Return the policy for one page: self, plus its inline code by hash."""
    scripts = sorted({sha256(s) for s in INLINE_SCRIPT.findall(html)})
    styles = sorted({sha256(s) for s in STYLE_ELEMENT.findall(html)})
    attributes = sorted({sha256(s) for s in STYLE_ATTRIBUTE.findall(html)})
    style_src = ["'self'", *styles] + (["'unsafe-hashes'", *attributes] if attributes else [])
    return "; ".join([
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *scripts]),
        "style-src " + " ".join(style_src),
        "img-src 'self' data:",  # Material draws its icons from data: URLs in its CSS
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])  # fmt: skip


def with_policy(html: str) -> str:
    """Insert the policy right after <meta charset>, before any script can run; a policy the
    page had already (finished before) is replaced.
    """
    html = POLICY.sub("", html)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return CHARSET.sub(lambda match: match[0] + "\n    " + tag, html, count=1)


def step(html: str, page: str, site: Path) -> str:
    """Every HTML page of the site, 404.html included."""
    return with_policy(html)
