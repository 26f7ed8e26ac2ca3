"""Shared fixtures: one real `mkdocs build --strict` per test session, served over HTTP, driven by real Chromium.

- `built_site`: the site built once per session into a temporary folder (set ASYNCFIT_SITE_DIR to reuse a build).
- `site_url`: that folder served by a real HTTP server on 127.0.0.1 (correct MIME types for .mjs and .wasm).
- `browser` / `page`: Debian's Chromium through Playwright (`executable_path`; Playwright's own download is not used).
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from find_chromium import find_chromium  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class BuiltSite:
    """A finished build: its output folder and what `mkdocs build` printed."""

    path: Path
    log: str


def build_site(dest: Path) -> BuiltSite:
    """Run a real strict MkDocs build into dest and return it (raises on failure with the log)."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{log}")
    return BuiltSite(dest, log)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    reuse = os.environ.get("ASYNCFIT_SITE_DIR")
    if reuse:
        return BuiltSite(Path(reuse), "")
    return build_site(tmp_path_factory.mktemp("site"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - mirrors the base class attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a static HTTP server for directory on a free loopback port; return it and its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    server, url = serve(built_site.path)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        pytest.fail("no Chromium found: `make test` installs Debian's chromium package")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser context and page; console errors are collected on `page.console_errors`."""
    context = browser.new_context()  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda msg: msg.type == "error" and pg.console_errors.append(msg.text))
    pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))
    yield pg
    context.close()
