"""HTTP examples that really run in the browser: the service worker's delay endpoint, and the share of examples
that have a Run button.

The site's service worker (docs/sw.js) answers `<site root>__delay__/?ms=N&id=X` itself, after N ms. The fan-out
and timeout examples (snippets/delay_fanout.py, delay_timeout.py) make real `pyfetch` calls to it from the runner's
Python worker; when the service worker does not control the page, they stop with one line saying so.

Three page visits in all: one context with the service worker (the endpoint, then both examples, Pyodide booted
once), one with service workers blocked (the clear line), and none for the share.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from fractions import Fraction

import pytest
from asyncfit_docs.browser_share import count
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import ROOT, BuiltSite, wait_for_async
from tests.test_runner_browser import instant_goto, rewrite_sitemap, run_and_wait, runner_worker

pytestmark = pytest.mark.usefixtures("patient_expectations")

SHINES = "where-async-shines/"
TIMEOUTS = "tasks-timeouts-backpressure/"

#: The committed floor of the share of examples that run in the browser (`make build` prints the current share).
#: Raise it when you make more examples runnable; lowering it needs a reason in the commit.
BROWSER_SHARE_FLOOR = Fraction(33, 78)

# In the runner's worker (assets/runner/worker.js): whether its requests reach the service worker's endpoint.
WORKER_CONTROLLED_JS = """async () => {
  const response = await fetch(new URL("../../__delay__/?ms=0", location.href));
  return response.headers.get("x-asyncfit-delay") === "service-worker";
}"""

ENDPOINT_CHECKS = """async (root) => {
  const url = (query) => new URL(`__delay__/${query}`, root).href;
  const get = async (query) => {
    const response = await fetch(url(query));
    return {status: response.status, delay: response.headers.get("x-asyncfit-delay"),
            cache: response.headers.get("cache-control"), body: await response.text()};
  };
  const good = await get("?ms=300&id=echo-me");
  const bad = await Promise.all(["?ms=abc", "?ms=10001", "?id=no-ms", "?ms=-5"].map(get));
  const kept = await (await caches.open("asyncfit-offline-v1")).match(url("?ms=300&id=echo-me"));
  return {good, bad, kept: kept !== undefined};
}"""


def example(page: Page, filename: str) -> object:
    found = page.locator(f'div.af-runnable.af-enhanced[data-af-file="{filename}"]')
    expect(found).to_have_count(1)
    return found


def endpoint_section(name: str) -> str:
    text = (ROOT / "snippets" / name).read_text(encoding="utf-8")
    return text.split("# --8<-- [start:endpoint]")[1].split("# --8<-- [end:endpoint]")[0]


def test_both_http_examples_share_one_endpoint_helper() -> None:
    assert endpoint_section("delay_fanout.py") == endpoint_section("delay_timeout.py")


def test_under_cpython_the_fanout_talks_to_its_local_server_with_the_same_overlap() -> None:
    """The build-time output is honest too: real sockets to a local asyncio server, one then ten in flight."""
    proc = subprocess.run(
        [sys.executable, "-X", "dev", str(ROOT / "snippets" / "delay_fanout.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert proc.stderr == ""  # no unclosed sockets or stray task warnings in development mode
    assert "each answered after 200 ms by a local asyncio server" in proc.stdout
    assert re.search(r"one after another: [\d.]+ s, at most 1 in flight", proc.stdout), proc.stdout
    assert re.search(r"asyncio\.gather: +[\d.]+ s, at most 10 in flight", proc.stdout), proc.stdout


def test_browser_share_does_not_drop(built_site: BuiltSite) -> None:
    share = count(built_site.path)
    assert share.total > 0
    assert Fraction(share.browser, share.total) >= BROWSER_SHARE_FLOOR, (
        f"{share}: below the committed floor {BROWSER_SHARE_FLOOR} ({float(BROWSER_SHARE_FLOOR):.0%})"
    )


@pytest.mark.mkdocs_only(reason="the service worker and the runner are the same files under both engines")
def test_delay_endpoint_and_http_examples_run_in_the_browser(browser: object, site_url: str) -> None:
    context: BrowserContext = browser.new_context()  # type: ignore[attr-defined]
    context.route("**/sitemap.xml", rewrite_sitemap(site_url))
    page = context.new_page()
    try:
        page.goto(site_url + SHINES)
        # A first visit: the service worker claims the open page once it activates (sw.js, clients.claim()).
        wait_for_async(
            page, "async () => (await navigator.serviceWorker.ready) && !!navigator.serviceWorker.controller"
        )
        checks = page.evaluate(ENDPOINT_CHECKS, site_url)
        good = checks["good"]
        assert (good["status"], good["delay"], good["cache"]) == (200, "service-worker", "no-store")
        reply = json.loads(good["body"])
        assert (reply["id"], reply["ms"]) == ("echo-me", 300)
        assert reply["answered"] - reply["received"] >= 299  # a timer never fires early (1 ms for clock rounding)
        for bad in checks["bad"]:
            assert bad["status"] == 400
            assert bad["body"].startswith("__delay__: ms must be a whole number of milliseconds from 0 to 10000")
            assert bad["body"].count("\n") == 1
        assert checks["kept"] is False  # never cached

        # clients.claim() does not always take over a Python worker that was still starting when the service
        # worker activated (seen once in CI): then, as the example itself says, a reload gives it one.
        if not runner_worker(page).evaluate(WORKER_CONTROLLED_JS):  # type: ignore[attr-defined]
            page.reload()
            assert runner_worker(page).evaluate(WORKER_CONTROLLED_JS)  # type: ignore[attr-defined]
        fanout = example(page, "delay_fanout.py")
        state = run_and_wait(fanout)
        output = fanout.locator(".af-output").inner_text()
        assert state == "done", output
        assert "each answered after 200 ms by this site's service worker" in output
        # The program's own count, on the endpoint's clock: one request at a time, then all ten at once.
        assert re.search(r"one after another: [\d.]+ s, at most 1 in flight at the endpoint", output), output
        assert re.search(r"asyncio\.gather: +[\d.]+ s, at most 10 in flight at the endpoint", output), output
        assert re.search(r"gather was [\d.]+x faster: the waits overlapped", output), output

        instant_goto(page, site_url + TIMEOUTS)
        timeout = example(page, "delay_timeout.py")
        assert run_and_wait(timeout) == "done"
        lines = timeout.locator(".af-output").inner_text().strip().splitlines()
        assert re.fullmatch(
            r"answer after 0\.1 s, asyncio\.timeout\(0\.5\): answered \(id 100\) after [\d.]+ s", lines[0]
        )
        assert re.fullmatch(
            r"answer after 2\.0 s, asyncio\.timeout\(0\.5\): TimeoutError, request given up after [\d.]+ s", lines[1]
        )
        assert len(lines) == 2
    finally:
        context.close()


@pytest.mark.mkdocs_only(reason="the service worker and the runner are the same files under both engines")
def test_without_the_service_worker_the_example_says_so_in_one_line(browser: object, site_url: str) -> None:
    context: BrowserContext = browser.new_context(service_workers="block")  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(site_url + SHINES)
        fanout = example(page, "delay_fanout.py")
        assert run_and_wait(fanout) == "raised"
        lines = fanout.locator(".af-output").inner_text().strip().splitlines()
        assert lines == [
            "SystemExit: This site's service worker is not answering this page's requests yet (a first visit, or a"
            " browser without service workers): reload the page and press Run again."
        ]
    finally:
        context.close()
