"""What a screen reader gets from an example and an exercise: Chromium's accessibility tree, not only live regions.

axe (tests/test_quality_a11y.py) checks rules on the DOM; the live-region tests check announcements. This reads the
accessibility tree itself (Playwright's ARIA snapshot: the roles, names and states assistive technology is given)
on one Learn page, through the reader's path: an example before and after Run, its editor once opened, and the
page's exercise after a failed check. One page visit, real Pyodide.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.test_runner_browser import RUN_TIMEOUT_MS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.mkdocs_only(reason="runner.js and exercise.js are the same files under both engines"),
]

PAGE = "how-async-works/"


def tree(locator: object) -> str:
    """The ARIA snapshot of locator (YAML text: `- role "name" [state]: text`)."""
    return locator.aria_snapshot()  # type: ignore[attr-defined]


def test_an_example_and_an_exercise_read_well_in_the_accessibility_tree(page: Page, site_url: str) -> None:
    page.goto(site_url + PAGE)
    example = page.locator("div.af-runnable.af-enhanced").first  # the exercise comes last
    expect(example.locator(".af-status")).to_contain_text("Python is ready", timeout=RUN_TIMEOUT_MS)

    # Before Run: one named toolbar holds every control, with its state; the status line is a status region; the
    # code itself is readable (the build's highlighted block, no editor yet) and says how to change it.
    before = tree(example)
    toolbar = re.search(r'- toolbar "Example":\n((?:  - .*\n?)+)', before)
    assert toolbar, before
    controls = toolbar.group(1)
    for line in ('button "Run"', 'button "Stop" [disabled]', 'button "Reset"', 'button "Edit code"'):
        assert f"  - {line}" in controls, controls
    assert "  - status: Python is ready." in controls, controls
    assert re.search(r"^- code: .*asyncio", before, re.MULTILINE), before
    assert "press Edit or click the code" in before

    # After Run: the status says how it ended, the output says where it ran, and the timeline is a list of tasks.
    example.get_by_role("button", name="Run").click()
    expect(example.locator(".af-status")).to_contain_text("Done in", timeout=RUN_TIMEOUT_MS)
    after = tree(example)
    assert re.search(r"  - status: Done in [\d.]+ s\.", after), after
    assert "Output in your browser (Pyodide)" in after
    assert re.search(r"- list:\n  - listitem: main \(Task-\d+\)", after), after

    # The editor, once opened, sits in a group named for what it holds (Ace names its own text box after the
    # cursor, "Cursor at row 1"), and the hint now says how to leave it.
    example.get_by_role("button", name="Edit code").click()
    expect(example).to_have_attribute("data-af-editor", "open", timeout=RUN_TIMEOUT_MS)
    edited = tree(example)
    assert re.search(r'- group "Python code of the example \(editor\)":\n  - textbox ', edited), edited
    assert "press Esc then Tab to move on" in edited
    assert 'button "Edit code"' not in edited

    # The exercise: a named region; Run on the starting code ends in a status saying what the check measured, and
    # the hints and solution are a button and a group a reader can reach.
    exercise = page.locator("section.af-exercise, div.af-exercise").first
    exercise.scroll_into_view_if_needed()
    exercise.get_by_role("button", name="Run").click()
    expect(exercise.locator(".af-status").first).to_contain_text("Done in", timeout=RUN_TIMEOUT_MS)
    expect(exercise).to_contain_text("Not yet", timeout=RUN_TIMEOUT_MS)
    checked = tree(exercise)
    assert re.search(r'^- \'?region "Exercise: [^"]+"', checked), checked  # YAML quotes a name holding ": "
    assert re.search(r"- status:\n    - strong: Not yet\.\n    - text: .*\d", checked), checked
    assert re.search(r'- button "Show a hint \(1 of \d\)"', checked), checked
    assert "- group: Solution" in checked
