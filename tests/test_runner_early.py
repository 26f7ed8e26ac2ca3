"""A returning reader's Python starts from the page's <head> (docs/assets/runner/head.js and early.js).

In real Chromium against the built site, both engines: a first visit starts nothing early; once a start-up
snapshot is stored, the next visit starts the worker from the head and the runner adopts that one worker (not a
second); with the snapshot gone, nothing starts early again. And only pages with an example that runs in the
browser load head.js.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.conftest import BuiltSite
from tests.test_runner_browser import (
    LAB,
    RESTORED_JS,
    SNAPSHOT_CACHE,
    WORKER_PATH,
    run_and_wait,
    runner_worker,
    wait_for_one_snapshot,
)

HEAD_JS = "assets/runner/head.js"
EARLY_STARTS_JS = "() => performance.getEntriesByName('asyncfit:early-start').length"
DROP_SNAPSHOTS_JS = f"""async () => {{
    const cache = await caches.open("{SNAPSHOT_CACHE}");
    for (const request of await cache.keys()) await cache.delete(request);
}}"""
HEAD_RE = re.compile(r"<head>(.*?)</head>", re.DOTALL)


def test_only_pages_with_an_example_run_in_the_browser_load_head_js(engine_site: BuiltSite) -> None:
    with_examples, without = [], []
    for path in sorted(engine_site.path.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        head = HEAD_RE.search(html)
        if head is None:
            continue  # a redirect stub or a vendored file, not a page of the theme
        runs_in_browser = 'data-af-runs="pyodide"' in html[head.end() :]
        (with_examples if runs_in_browser else without).append(path)
        assert (HEAD_JS in head.group(1)) == runs_in_browser, path
        if runs_in_browser:  # async: it never holds up the parser
            assert re.search(r'<script type="module" async src="[^"]*assets/runner/head\.js">', head.group(1)), path
    assert with_examples
    assert without


def test_a_returning_readers_python_starts_from_the_head_in_the_one_worker(page: Page, site_url: str) -> None:
    started: list[str] = []
    page.on("worker", lambda worker: started.append(worker.url))
    example = page.locator('div.af-runnable.af-enhanced[data-af-source*="stderr line"]')

    page.goto(site_url + LAB)  # first visit: no snapshot yet, so nothing starts early
    expect(example.locator(".af-status")).to_contain_text("Python is ready")
    assert page.evaluate(EARLY_STARTS_JS) == 0
    wait_for_one_snapshot(page)

    started.clear()
    page.reload()  # returning reader: head.js starts the worker, runner.js adopts it
    expect(example.locator(".af-status")).to_contain_text("Python is ready")
    assert page.evaluate(EARLY_STARTS_JS) == 1
    assert runner_worker(page).evaluate(RESTORED_JS) == 1  # type: ignore[attr-defined]
    assert run_and_wait(example) == "done"
    expect(example.locator(".af-output")).to_contain_text("stdout line 2")
    assert [url for url in started if url.endswith(WORKER_PATH)] == [site_url.rstrip("/") + WORKER_PATH]

    page.evaluate(DROP_SNAPSHOTS_JS)  # the bucket is still there, empty: as good as a first visit
    started.clear()
    page.reload()
    expect(example.locator(".af-status")).to_contain_text("Python is ready")
    assert page.evaluate(EARLY_STARTS_JS) == 0
    assert run_and_wait(example) == "done"
    assert [url for url in started if url.endswith(WORKER_PATH)] == [site_url.rstrip("/") + WORKER_PATH]
