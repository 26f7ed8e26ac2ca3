"""HTTP examples that really run in the browser: the service worker's delay endpoint, and the share of examples
that have a Run button.

The site's service worker (docs/sw.js) answers `<site root>__delay__/?ms=N&id=X` itself, after N ms. The fan-out
and timeout examples (snippets/delay_fanout.py, delay_timeout.py) make real `pyfetch` calls to it from the runner's
Python worker; when the service worker does not control the page, they stop with one line saying so.

On a first visit the service worker takes over the page, and the Python worker already running, with
clients.claim(); a Python worker whose script was still being fetched at that moment is left out (claim() skips
clients that are not yet execution ready), and the runner replaces it (docs/assets/runner/runner.js, "Service worker
control"). The first browser test pins the usual order (the Python worker running before the service worker
activates: taken over, never replaced), the second forces the other one.

Four page visits in all: two first visits with the service worker (the endpoint, then both examples, Pyodide booted
once; the forced race, Pyodide booted twice), one with service workers blocked (the clear line), none for the share.
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

from tests.conftest import ROOT, RUN_TIMEOUT_MS, BuiltSite, Held, close_routed, wait_for_async
from tests.test_runner_browser import (
    WORKER_PATH,
    instant_goto,
    rewrite_sitemap,
    run_and_wait,
    runner_worker,
    settled_worker_count,
)

pytestmark = pytest.mark.usefixtures("patient_expectations")

SHINES = "where-async-shines/"
TIMEOUTS = "tasks-timeouts-backpressure/"

#: The committed floor of the share of examples that run in the browser (`make build` prints the current share).
#: Raise it when you make more examples runnable; lowering it needs a reason in the commit.
BROWSER_SHARE_FLOOR = Fraction(33, 78)


def assert_fanout_counts(output: str) -> None:
    """delay_fanout.py's counts: this program's own are exact; the endpoint's, for gather, depend on the machine.

    The program sends all ten before it can read any answer: gather queues every task's first step at once, and
    no answer can come back sooner than 200 ms later, so "10 here" holds. At the endpoint, the first answer leaves
    200 ms after the first request arrives: if the ten take longer than that to reach it (a loaded CI machine; 9
    was seen once), it holds fewer at once, and the program then says so on the next line. One after another is
    exact at both ends: each request is sent only after the answer before it has arrived.
    """
    one_by_one = r"one after another: [\d.]+ s; waiting at once: 1 here, at most 1 at the endpoint$"
    assert re.search(one_by_one, output, re.MULTILINE), output
    together = r"asyncio\.gather: +[\d.]+ s; waiting at once: 10 here, at most (\d+) at the endpoint$"
    gathered = re.search(together, output, re.MULTILINE)
    assert gathered, output
    at_endpoint = int(gathered[1])
    fewer = "(the endpoint held fewer at once: its first answer left before the last request reached it)"
    assert 1 <= at_endpoint <= 10, output
    assert (fewer in output) == (at_endpoint < 10), output


# In the runner's worker (assets/runner/worker.js): whether its requests reach the service worker's endpoint.
WORKER_CONTROLLED_JS = """async () => {
  const response = await fetch(new URL("../../__delay__/?ms=0", location.href));
  return response.headers.get("x-asyncfit-delay") === "service-worker";
}"""
# On the page: the service worker is active and controls it (it claims the page on activation).
PAGE_CONTROLLED_JS = "async () => (await navigator.serviceWorker.ready) && !!navigator.serviceWorker.controller"

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


def test_the_service_worker_serves_the_path_the_runner_and_the_examples_use() -> None:
    """sw.js (a classic script: it cannot import protocol.js) spells the endpoint again; the two must agree."""
    endpoint = re.search(
        r'export const DELAY_ENDPOINT = "([^"]+)";', (ROOT / "docs/assets/runner/protocol.js").read_text()
    )
    served = re.search(r"const DELAY_PATH = `\$\{SCOPE\.pathname\}([^`]+)`;", (ROOT / "docs/sw.js").read_text())
    assert endpoint, "protocol.js no longer spells DELAY_ENDPOINT as expected"
    assert served, "sw.js no longer spells DELAY_PATH as expected"
    assert endpoint[1] == served[1]
    assert endpoint[1] in endpoint_section("delay_fanout.py")


def test_under_cpython_the_fanout_talks_to_its_local_server_with_the_same_overlap() -> None:
    """The build-time output is honest too: real sockets to a local asyncio server, one then ten in flight."""
    proc = subprocess.run(
        [sys.executable, "-X", "dev", str(ROOT / "snippets" / "delay_fanout.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # No unclosed sockets or stray task warnings in development mode. It also turns on asyncio's debug mode, which
    # logs each step that held the loop over 100 ms ("Executing <...> took 0.123 seconds"): on a busy machine that
    # is the machine, not the program, so those lines are left out.
    slow_step = re.compile(r"Executing .* took \d+\.\d+ seconds")
    assert [line for line in proc.stderr.splitlines() if not slow_step.fullmatch(line)] == [], proc.stderr
    assert "each answered after 200 ms by a local asyncio server" in proc.stdout
    assert_fanout_counts(proc.stdout)


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
    # A first visit, in its usual order made certain: the service worker activates once the Python worker runs.
    service_worker = Held("sw.js")
    context.route("**/sw.js", service_worker)
    page = context.new_page()
    started: list[str] = []
    page.on("worker", lambda worker: started.append(worker.url))
    try:
        page.goto(site_url + SHINES)
        fanout = example(page, "delay_fanout.py")
        expect(fanout.locator(".af-status")).to_contain_text("Python is ready")
        service_worker.wait_until_holding(page)  # registered at the load event, its script not yet fetched
        service_worker.release()
        # The service worker claims the open page, and the running Python worker, once it activates (sw.js).
        wait_for_async(page, PAGE_CONTROLLED_JS)
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

        state = run_and_wait(fanout)
        output = fanout.locator(".af-output").inner_text()
        assert state == "done", output
        assert "each answered after 200 ms by this site's service worker" in output
        assert_fanout_counts(output)  # one request at a time, then all ten at once
        assert re.search(r"gather was [\d.]+x faster: the waits overlapped", output), output

        instant_goto(page, site_url + TIMEOUTS)
        timeout = example(page, "delay_timeout.py")
        # The quick answer (0.1 s) leaves 0.4 s under its 0.5 s timeout for the trip from Pyodide to the service
        # worker and back, which a busy machine can use up. Load can make it time out, never answer early: so up
        # to three runs for the quick one to answer. The 2 s answer must time out in every run.
        answered = r"answer after 0\.1 s, asyncio\.timeout\(0\.5\): answered \(id 100\) after [\d.]+ s"
        gave_up = r"answer after {} s, asyncio\.timeout\(0\.5\): TimeoutError, request given up after [\d.]+ s"
        for _ in range(3):
            assert run_and_wait(timeout) == "done"
            lines = timeout.locator(".af-output").inner_text().strip().splitlines()
            assert len(lines) == 2, lines
            assert re.fullmatch(gave_up.format(r"2\.0"), lines[1]), lines
            quick_answered = re.fullmatch(answered, lines[0])
            assert quick_answered or re.fullmatch(gave_up.format(r"0\.1"), lines[0]), lines
            if quick_answered:
                break
        assert quick_answered, lines
        # Taken over while running, so the runner's control probe found nothing to repair: one Python start only.
        assert [url for url in started if url.endswith(WORKER_PATH)] == [site_url.rstrip("/") + WORKER_PATH]
    finally:
        close_routed(context)


@pytest.mark.mkdocs_only(reason="the service worker and the runner are the same files under both engines")
def test_a_python_worker_the_claim_left_out_is_replaced_and_the_example_runs_without_a_reload(
    browser: object, site_url: str
) -> None:
    """The first-visit race, forced: the service worker activates while the runner's worker script is still being
    fetched, so clients.claim() leaves that worker out. The runner finds out (its control probe) and, once Python
    has started there, replaces the worker; the fan-out example then reaches the service worker, without a reload."""
    context: BrowserContext = browser.new_context()  # type: ignore[attr-defined]
    service_worker, worker_script, pyodide = Held("sw.js"), Held(WORKER_PATH), Held("Pyodide")
    context.route("**/sw.js", service_worker)
    context.route(f"**{WORKER_PATH}", worker_script)
    context.route("**/vendor/pyodide/**", pyodide)
    page = context.new_page()
    try:
        page.goto(site_url + SHINES)
        page.evaluate("document.body.dataset.afNotReloaded = 'yes'")  # gone if the page reloads
        worker_script.wait_until_holding(page)  # the Python worker exists, its script not yet fetched
        service_worker.wait_until_holding(page)
        service_worker.release()
        wait_for_async(page, PAGE_CONTROLLED_JS)  # registered, activated and claimed meanwhile
        worker_script.release()
        pyodide.wait_until_holding(page)  # the left-out worker runs; its Python cannot start, so it stays
        first = runner_worker(page)
        assert first.evaluate(WORKER_CONTROLLED_JS) is False  # type: ignore[attr-defined]

        # Once its Python has started, the runner replaces it (Stop's restart), and the fresh worker is controlled.
        with (
            page.expect_worker(lambda worker: worker.url.endswith(WORKER_PATH), timeout=RUN_TIMEOUT_MS) as fresh,
            first.expect_event("close", timeout=RUN_TIMEOUT_MS),  # type: ignore[attr-defined]
        ):
            pyodide.release()
        assert fresh.value.evaluate(WORKER_CONTROLLED_JS) is True
        fanout = example(page, "delay_fanout.py")
        expect(fanout.locator(".af-status")).to_contain_text("Python is ready")  # the restart's stages, as after Stop
        state = run_and_wait(fanout)
        output = fanout.locator(".af-output").inner_text()
        assert state == "done", output
        assert "each answered after 200 ms by this site's service worker" in output
        assert_fanout_counts(output)
        assert page.evaluate("document.body.dataset.afNotReloaded") == "yes"
        assert settled_worker_count(page) == 1  # the fresh one
    finally:
        close_routed(context)


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
        close_routed(context)
