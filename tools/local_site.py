"""Serving a built site on the loopback interface, and the Chromium flags, for the tests and the benchmarks.

One place for what tests/conftest.py, tools/bench_runner.py and tools/bench_quality.py all need:

- `CHROMIUM_ARGS`: flags for Debian's Chromium in a container (no sandbox, no GPU, no background traffic);
- `StaticHandler`: a quiet static file handler with the MIME types ES modules and Pyodide need (`.mjs`, `.wasm`,
  `.whl`), optionally sending a Cache-Control header (`cache_control`, as GitHub Pages does);
- `serve(directory)`: a threaded server for that folder on a free port, and its base URL.
"""

from __future__ import annotations

import functools
import http.server
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


def serve(directory: Path, handler: type[StaticHandler] = StaticHandler) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a static HTTP server for directory on a free loopback port; return it and its base URL.

    Stop it with `server.shutdown()` and `server.server_close()`.
    """
    bound = functools.partial(handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), bound)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
