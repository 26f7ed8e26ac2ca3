"""Serving a built site on the loopback interface, and the Chromium flags, for the tests and the benchmarks.

One place for what tests/conftest.py, tools/bench_runner.py and tools/bench_quality.py all need:

- `CHROMIUM_ARGS`: flags for Debian's Chromium in a container (no sandbox, no GPU, no background traffic);
- `StaticHandler`: a quiet static file handler with the MIME types ES modules and Pyodide need (`.mjs`, `.wasm`,
  `.whl`), optionally sending a Cache-Control header (`cache_control`, as GitHub Pages does);
- `PagesHandler`: the same, compressing responses as GitHub Pages does (below), with its Cache-Control header;
- `serve(directory)`: a threaded server for that folder on a free port, and its base URL.

What GitHub Pages compresses. GitHub documents neither compression nor response headers for Pages; what it does
document (a GitHub staff answer, https://github.com/orgs/community/discussions/22863) is that its Content-Type
for a file comes from the mime-db project (https://github.com/jshttp/mime-db), which also marks each type
`compressible` or not. Observed on github.io sites: responses are gzip-encoded for text types (HTML, CSS,
JavaScript, JSON, SVG; https://stackoverflow.com/a/34636569), and for `.wasm` too (reported with the response
headers in https://github.com/maxence-charriere/go-app/issues/866, 2023; mime-db marks `application/wasm`
compressible since https://github.com/jshttp/mime-db/pull/97); already-compressed files (`.zip`, so also
Pyodide's `python_stdlib.zip` and our `.whl`, images, `woff2` fonts) are sent as they are, and brotli is not
offered. `PagesHandler` does that: gzip, only when the request's Accept-Encoding allows gzip, only for the
types in COMPRESSIBLE_TYPES, with `Vary: Accept-Encoding`. It compresses each file once (level 6, zlib's
default) and keeps the result in memory, as a CDN would have it cached; `precompress(directory)` fills that
cache up front so that no measurement pays for the compression.
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import io
import mimetypes
import os
import socket
import sys
import threading
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Content types GitHub Pages sends gzip-compressed (see the module docstring): text/* and these.
COMPRESSIBLE_TYPES = frozenset(
    {
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "application/wasm",
        "application/xml",
        "image/svg+xml",
    }
)
GZIP_LEVEL = 6


def is_compressible(content_type: str) -> bool:
    """Whether GitHub Pages would gzip a response of this Content-Type (parameters such as charset ignored)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("text/") or media in COMPRESSIBLE_TYPES


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header value allows a gzip-encoded response (RFC 9110, section 12.5.3).

    `gzip` or `x-gzip` or `*` with a non-zero quality value allows it; an explicit `gzip;q=0` refuses it even if
    `*` is listed; no header at all means no preference, and a server may then send identity, which we do.
    """
    if not accept_encoding:
        return False
    qualities: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name.strip():
            qualities[name.strip().lower()] = q
    for name in ("gzip", "x-gzip"):
        if name in qualities:
            return qualities[name] > 0
    return qualities.get("*", 0.0) > 0


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """A quiet static handler with the MIME types Pyodide and ES modules need."""

    extensions_map = {  # noqa: RUF012 - mirrors the base class attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
    }
    cache_control: str | None = None
    """A Cache-Control value sent with every response (None: no header, the browser's heuristics apply)."""

    def end_headers(self) -> None:
        """Add the Cache-Control header when one is set."""
        if self.cache_control:
            self.send_header("Cache-Control", self.cache_control)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


def content_type(path: Path) -> str:
    """Return the Content-Type StaticHandler sends for a file (its extensions map, then Python's mimetypes)."""
    return StaticHandler.extensions_map.get(path.suffix.lower()) or (
        mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )


_gzip_cache: dict[tuple[str, int, int], bytes] = {}
_gzip_lock = threading.Lock()


def gzipped(path: Path) -> bytes:
    """Return the gzip encoding of a file, computed once per (path, size, mtime) and kept in memory."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _gzip_lock:
        cached = _gzip_cache.get(key)
    if cached is None:
        cached = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
        with _gzip_lock:
            _gzip_cache[key] = cached
    return cached


class PagesHandler(StaticHandler):
    """StaticHandler that compresses as GitHub Pages does (module docstring) and sends its Cache-Control."""

    cache_control = "max-age=600"  # what GitHub Pages sends

    def send_head(self) -> io.BytesIO | object | None:
        """Send a gzip-encoded body when the type is compressible and the client accepts gzip; else as usual."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].split("#", 1)[0].endswith("/"):
                return super().send_head()  # the base class redirects to the slash form
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        ctype = self.guess_type(str(path))
        if not is_compressible(ctype):
            return super().send_head()
        if not accepts_gzip(self.headers.get("Accept-Encoding")):
            self._vary = True
            return super().send_head()
        body = gzipped(path)
        self.send_response(http.HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", email.utils.formatdate(path.stat().st_mtime, usegmt=True))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        """Send Vary for a compressible type sent uncompressed too, so that caches keep the variants apart."""
        if getattr(self, "_vary", False):
            self.send_header("Vary", "Accept-Encoding")
            self._vary = False
        super().end_headers()


def precompress(directory: Path) -> int:
    """Compress every compressible file under directory into PagesHandler's cache; return how many."""
    count = 0
    for root, _dirs, files in os.walk(directory):
        for name in files:
            path = Path(root) / name
            if is_compressible(content_type(path)):
                gzipped(path)
                count += 1
    return count


class QuietServer(http.server.ThreadingHTTPServer):
    """A threaded HTTP server that prints no traceback when the client drops the connection mid-response.

    A browser does that whenever it navigates away from a page still downloading (Pyodide, say): normal, not an
    error. Any other exception in a handler is still printed (socketserver's handle_error).
    """

    daemon_threads = True

    def handle_error(self, request: socket.socket, client_address: tuple[str, int]) -> None:
        """Ignore a dropped connection; print anything else as socketserver does."""
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError, ...
            return
        super().handle_error(request, client_address)


def serve(directory: Path, handler: type[StaticHandler] = StaticHandler) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a static HTTP server for directory on a free loopback port; return it and its base URL.

    Stop it with `server.shutdown()` and `server.server_close()`.
    """
    bound = functools.partial(handler, directory=str(directory))
    server = QuietServer(("127.0.0.1", 0), bound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
