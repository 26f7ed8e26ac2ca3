"""Editors cost nothing until a reader opens one (issue 14): docs/assets/runner/runner.js in real Chromium.

A page with examples shows the build's highlighted code and loads no editor script; Run runs that code. Edit
(reached with Tab, activated with Enter) or a click on the code creates exactly that example's editor. A saved
edit restored on reload is shown without an editor and is what Run runs. One page visit (and one reload) checks
all of it, with real Pyodide.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import close_routed
from tests.test_runner_browser import LAB, RUN_TIMEOUT_MS, run_and_wait

pytestmark = [
    pytest.mark.browser,
    pytest.mark.mkdocs_only(reason="runner.js's own behaviour: the same file under both engines"),
]

ACE_LOADED_JS = """() => typeof globalThis.ace !== "undefined"
    || performance.getEntriesByType("resource").some((entry) => entry.name.includes("/vendor/ace/"))"""


def example_with(page: Page, marker: str) -> Any:
    return page.locator(f'div.af-runnable.af-enhanced[data-af-source*="{marker}"]')


def assert_no_editor(page: Page, ace_requests: list[str]) -> None:
    """No editor on the page, no editor script requested or run."""
    expect(page.locator(".ace_editor, .af-textarea")).to_have_count(0)
    assert not page.evaluate(ACE_LOADED_JS)
    assert ace_requests == []


def open_by_click(page: Page, example: Any) -> None:
    """A click on the example's code opens its editor, focused, with the cursor where the code was clicked."""
    code = example.locator(".af-static-code")
    box = code.bounding_box()
    assert box is not None
    code.click(position={"x": 40, "y": box["height"] * 0.6})
    expect(example.locator("textarea.ace_text-input")).to_be_focused()
    row = example.evaluate("(root) => ace.edit(root.querySelector('.af-editor')).getCursorPosition().row")
    assert row > 0


def test_editors_are_created_only_when_opened_and_run_works_with_and_without_one(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        ace_requests: list[str] = []
        page.on("request", lambda request: "/vendor/ace/" in request.url and ace_requests.append(request.url))
        page.goto(site_url + LAB)
        streams = example_with(page, "stderr line")
        expect(streams.locator(".af-status")).to_contain_text("Python is ready", timeout=RUN_TIMEOUT_MS)

        # At load: the static highlighted code, an Edit button per example, no editor and no editor script.
        examples = page.locator('div.af-runnable.af-enhanced[data-af-runs="pyodide"]')
        assert examples.count() >= 3
        expect(page.locator(".af-edit")).to_have_count(examples.count())
        expect(streams.locator(".af-static-code")).to_be_visible()
        assert streams.locator(".af-static-code code span").count() > 0  # still the build's highlighting
        assert_no_editor(page, ace_requests)

        # Run needs no editor: it runs the code as built.
        assert run_and_wait(streams) == "done"
        expect(streams.locator(".af-output")).to_contain_text("stdout line 0")
        assert_no_editor(page, ace_requests)

        # Keyboard: Tab from Reset reaches Edit (named for screen readers); Enter opens that editor, focused.
        streams.locator(".af-reset").focus()
        page.keyboard.press("Tab")
        edit = streams.get_by_role("button", name="Edit code")
        expect(edit).to_be_focused()
        page.keyboard.press("Enter")
        expect(streams.locator("textarea.ace_text-input")).to_be_focused()
        expect(page.locator(".ace_editor")).to_have_count(1)  # exactly this example's
        expect(streams.locator(".af-static-code")).to_be_hidden()
        expect(edit).to_be_hidden()
        assert ace_requests  # the editor's script came now, not at load
        expect(streams.locator("textarea.ace_text-input")).to_have_attribute("role", "textbox")
        page.keyboard.press("Control+End")
        page.keyboard.type("\nprint('lazy edit')")
        expect(streams).to_have_attribute("data-af-edited", "edit")
        page.keyboard.press("Control+Enter")  # runs from inside the editor, as before
        expect(streams.locator(".af-output")).to_contain_text("lazy edit", timeout=RUN_TIMEOUT_MS)
        expect(streams).to_have_attribute("data-af-state", "done")

        open_by_click(page, example_with(page, "def parse_port"))
        expect(page.locator(".ace_editor")).to_have_count(2)

        # Reload: the saved edit is shown as text without an editor, and it is what Run runs.
        ace_requests.clear()
        page.reload()
        streams = example_with(page, "stderr line")
        expect(streams).to_have_attribute("data-af-edited", "edit")
        expect(streams.locator(".af-static-code")).to_contain_text("print('lazy edit')")
        assert_no_editor(page, ace_requests)
        assert run_and_wait(streams) == "done"
        expect(streams.locator(".af-output")).to_contain_text("lazy edit")
        streams.locator(".af-reset").click()  # the build's highlighted code again, still without an editor
        expect(streams.locator(".af-static-code")).not_to_contain_text("lazy edit")
        assert streams.locator(".af-static-code code span").count() > 0
    finally:
        close_routed(context)
