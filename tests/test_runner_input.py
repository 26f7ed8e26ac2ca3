"""input() in the in-browser runner (docs/assets/runner/stdin.js, worker.js) in real Chromium against the built site.

Two page visits: the runner lab as GitHub Pages serves it (not cross-origin isolated: input() suspends through
stack switching, Stop restarts the worker; Playwright's fake clock jumps past the time limit during a read), and
the gotcha page made cross-origin isolated by a Playwright route adding COOP/COEP headers (input() blocks in
Atomics.wait, so the loop stalls as in CPython, and Stop interrupts the read in place).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import isolated_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("patient_expectations"),
    pytest.mark.mkdocs_only(reason="the runner's JavaScript and CSS are the same files under both engines"),
]

WAITING = "Python is waiting for input"
WORKER_PATH = "/assets/runner/worker.js"


def reading_example(page: Page) -> Locator:
    example = page.locator("div.af-runnable.af-enhanced[data-af-stdin]")
    expect(example).to_have_count(1)
    expect(example.locator(".af-status")).to_contain_text("Python is ready")
    return example


def start_and_wait_for_field(example: Locator, label: str) -> Locator:
    """Click Run; return the input field once the program asks, checking its label, focus and announcement."""
    example.locator(".af-run").click()
    field = example.locator(".af-stdin-field")
    expect(field).to_be_focused()
    expect(example.get_by_label(label, exact=True)).to_have_count(1)
    expect(example.locator(".af-status")).to_contain_text(WAITING)  # the status line is a live region
    return field


def test_input_reads_typed_lines_and_stop_during_a_read_leaves_a_working_runner(page: Page, site_url: str) -> None:
    page.clock.install()  # the page's timers, so the time limit can be jumped past without waiting for it
    page.goto(site_url + "runner-lab/")
    assert page.evaluate("crossOriginIsolated") is False
    example = reading_example(page)

    # Stop while the program waits for a line: the field goes, the run is stopped, the runner still works.
    start_and_wait_for_field(example, "Who is there?")
    example.locator(".af-stop").click()
    expect(example).to_have_attribute("data-af-state", "stopped")
    expect(example.locator(".af-stdin")).to_have_count(0)

    # input() then sys.stdin.readline(): each typed line is echoed after its prompt and read by the program.
    field = start_and_wait_for_field(example, "Who is there?")
    # The time limit (30 s here) does not count the reader's typing: it is paused while a read is pending.
    page.clock.fast_forward("01:00")
    expect(example.locator(".af-status")).to_contain_text(WAITING)
    assert example.get_attribute("data-af-state") is None  # not "time-limit"
    field.press_sequentially("Grace")
    field.press("Enter")
    field = example.locator(".af-stdin-field")
    expect(example.get_by_label("Input for the program:", exact=True)).to_have_count(1)
    expect(field).to_be_focused()
    field.press_sequentially("line two")
    example.locator(".af-stdin-send").click()
    expect(example).to_have_attribute("data-af-state", "done")
    output = example.locator(".af-output")
    expect(output).to_contain_text("Who is there? Grace")
    expect(output).to_contain_text("Hello, Grace!")
    expect(output).to_contain_text("sys.stdin.readline() read 'line two\\n'")
    expect(example.locator(".af-stdin")).to_have_count(0)


def test_on_a_cross_origin_isolated_page_input_blocks_the_loop(browser: object, site_url: str) -> None:
    with isolated_page(browser, site_url + "the-gotcha/") as (page, started, _errors):
        example = reading_example(page)

        # Stop lands in a blocked read (the interrupt buffer, checked between Atomics.wait slices): in place.
        start_and_wait_for_field(example, "Your name?")
        example.locator(".af-stop").click()
        expect(example).to_have_attribute("data-af-state", "stopped")
        expect(example.locator(".af-output")).to_contain_text("KeyboardInterrupt")
        expect(example.locator(".af-stdin")).to_have_count(0)

        field = start_and_wait_for_field(example, "Your name?")
        field.press_sequentially("Ada")
        field.press("Enter")
        expect(example).to_have_attribute("data-af-state", "done")
        output = example.locator(".af-output")
        expect(output).to_contain_text("Your name? Ada")
        expect(output).to_contain_text("Hello, Ada. (Pyodide in the browser)")
        expect(output).to_contain_text("ticked 0 times meanwhile")  # the blocked worker ran no other task
        expect(output).to_contain_text("The event loop stalled")
        assert [url for url in started if url.endswith(WORKER_PATH)] == [site_url.rstrip("/") + WORKER_PATH]
