"""The built site on loopback, served as GitHub Pages serves it: text files gzipped.

Measurements of weight and load time (tests/test_lighthouse.py) are only honest if the bytes
travel as they do for a reader, and GitHub Pages compresses HTML, CSS, JavaScript, JSON and the
like. Run it by hand with `python -m tests.static_host site` (port 8000, or a second argument).
"""

import functools
import gzip
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# What GitHub Pages compresses among what the site holds; images and fonts travel as they are.
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".py", ".ipynb", ".map"}


@functools.lru_cache(maxsize=256)
def compressed(path: Path, mtime_ns: int, size: int) -> bytes:
    """Gzip a file once per version of it: the server's work stays out of what is measured."""
    return gzip.compress(path.read_bytes())


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it and the type is text."""

    def log_message(self, *args: object) -> None:
        """Stay quiet: the tests report what matters."""

    def do_GET(self) -> None:
        """Serve a text file gzipped, and everything else as the standard handler does."""
        path = self.file_for(self.path)
        if path is None or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().do_GET()
        stat = path.stat()
        body = compressed(path, stat.st_mtime_ns, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)
        return None

    def file_for(self, url_path: str) -> Path | None:
        """Return the compressible file a URL names (a folder's index.html), if there is one."""
        path = Path(self.translate_path(url_path))
        if url_path.split("?")[0].endswith("/"):
            path = path / "index.html"
        return path if path.is_file() and path.suffix in COMPRESSED else None


@contextmanager
def serving(site: Path, port: int = 0) -> Iterator[str]:
    """Serve ``site`` on loopback (a free port by default) and yield its base URL."""
    handler = functools.partial(Handler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


if __name__ == "__main__":
    site, port = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 8000
    with serving(site, port) as url:
        print(f"Serving {site} at {url} (gzip, as GitHub Pages); Ctrl-C stops.")
        threading.Event().wait()
