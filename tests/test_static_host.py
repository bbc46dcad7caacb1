"""tests/static_host.py: the site is served as GitHub Pages serves it, text gzipped."""

import gzip
import urllib.request

from tests.static_host import serving


def fetch(url: str, encoding: str) -> tuple[str | None, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request) as response:
        return response.headers["Content-Encoding"], response.read()


def test_text_travels_gzipped_to_a_client_that_accepts_it(tmp_path):
    (tmp_path / "post").mkdir()
    (tmp_path / "post" / "index.html").write_text("<p>post</p>" * 100)
    (tmp_path / "picture.png").write_bytes(b"\x89PNG not text")
    with serving(tmp_path) as url:
        encoding, body = fetch(url + "post/", "gzip, deflate")
        assert encoding == "gzip"
        assert gzip.decompress(body) == b"<p>post</p>" * 100
        assert fetch(url + "post/", "identity") == (None, b"<p>post</p>" * 100)
        assert fetch(url + "picture.png", "gzip") == (None, b"\x89PNG not text")
