"""Exercises (tools/asyncfit_docs/exercise.py, docs/assets/runner/exercise.js) in real Chromium on the built site.

Every exercise on the site: Run on the starting code shows a failing verdict that says what was measured; with
the solution in the editor, Run shows a pass and marks the exercise passed. Then: the marker and the revealed
hints survive a reload, hints come one at a time from the keyboard, the page without JavaScript shows the whole
exercise, and axe finds nothing serious after a run in either palette.
One browser context is shared by the tests that run Python, so Pyodide loads once (as in test_runner_browser.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from asyncfit_docs import exercise
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.conftest import close_routed
from tests.test_quality_a11y import PALETTES, gated, run_axe, switch_palette
from tests.test_runner_browser import current_page, instant_goto, open_editor, rewrite_sitemap, run_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expectations")]

FIRST = "how-async-works/"  # the page of the first exercise, overlap-downloads


def exercise_pages() -> dict[str, str]:
    """Exercise name -> the page (site-relative URL) holding it, from the Markdown sources."""
    pages = {}
    for path in sorted((exercise.ROOT / "docs").glob("*.md")):
        for name in re.findall(r"^```exercise\n(\S+)\n```$", path.read_text(encoding="utf-8"), re.MULTILINE):
            pages[name] = f"{path.stem}/"
    return pages


PAGES = exercise_pages()


@pytest.fixture(scope="module")
def shared(browser: Any, site_url: str) -> Iterator[Page]:
    context: BrowserContext = browser.new_context()
    context.route("**/sitemap.xml", rewrite_sitemap(site_url))
    page = context.new_page()
    page.goto(site_url + FIRST)
    expect(page.locator("div.af-runnable.af-enhanced .af-status").first).to_contain_text("Python is ready")
    yield page
    close_routed(context)


def open_exercise(page: Page, site_url: str, name: str) -> Locator:
    """The enhanced exercise `name`, navigating to its page (instant navigation: the worker is kept)."""
    url = site_url + PAGES[name]
    if current_page(page) != url:
        instant_goto(page, url)
    section = page.locator(f'section.af-exercise.af-exercise-enhanced[data-af-exercise="{name}"]')
    expect(section).to_have_count(1)
    expect(section.locator(".af-runnable.af-enhanced")).to_have_count(1)
    return section


def set_code(section: Locator, code: str) -> None:
    open_editor(section.locator(".af-runnable"))
    section.locator(".ace_editor").evaluate("(host, code) => host.env.editor.setValue(code, 1)", code)


def run_verdict(section: Locator) -> str:
    """Run the exercise's code; return the feedback's text once the check's verdict is shown."""
    feedback = section.locator(".af-exercise-feedback")
    section.evaluate("(root) => root.querySelector('.af-exercise-feedback').removeAttribute('data-af-verdict')")
    assert run_and_wait(section.locator(".af-runnable")) == "done"
    expect(feedback).to_have_attribute("data-af-verdict", re.compile(r"^(pass|fail)$"))
    return feedback.inner_text()


SAME_FILES = (
    "exercise.js and the runner are the same files under both engines; the first test runs every exercise on both"
)


def test_every_exercise_fails_on_its_starting_code_and_passes_with_its_solution(shared: Page, site_url: str) -> None:
    assert sorted(PAGES) == exercise.names()
    problems = []
    for name in PAGES:
        section = open_exercise(shared, site_url, name)
        feedback = section.locator(".af-exercise-feedback")
        marker = section.locator(".af-exercise-progress")
        expect(marker).to_have_text("not passed yet")
        start = run_verdict(section)
        if feedback.get_attribute("data-af-verdict") != "fail" or not re.search(r"Not yet\. .*\d", start):
            problems.append(f"{name}: the starting code did not fail with a measurement: {start}")
        set_code(section, exercise.load(name).solution)
        solved = run_verdict(section)
        if feedback.get_attribute("data-af-verdict") != "pass" or not solved.startswith("Passed."):
            problems.append(f"{name}: the solution did not pass: {solved}")
            continue
        expect(marker).to_have_text("✓ passed")
        assert section.get_attribute("data-af-progress") == "passed"
    assert problems == []


@pytest.mark.mkdocs_only(SAME_FILES)
def test_hints_come_one_at_a_time_from_the_keyboard(shared: Page, site_url: str) -> None:
    section = open_exercise(shared, site_url, "bound-fanout")
    hints = section.locator(".af-exercise-hint-list li")
    total = hints.count()
    assert total == len(exercise.load("bound-fanout").hints) >= 2
    button = section.locator(".af-exercise-hint-button")
    expect(section.locator(".af-exercise-hint-list li:visible")).to_have_count(0)
    for shown in range(1, total + 1):
        expect(button).to_have_text(f"Show a hint ({shown} of {total})")
        button.focus()
        shared.keyboard.press("Enter")
        expect(section.locator(".af-exercise-hint-list li:visible")).to_have_count(shown)
    expect(button).to_be_hidden()
    expect(hints.nth(total - 1)).to_be_focused()  # focus is not lost with the button


@pytest.mark.mkdocs_only(SAME_FILES)
def test_progress_and_hints_survive_a_reload(shared: Page, site_url: str) -> None:
    section = open_exercise(shared, site_url, "overlap-downloads")
    set_code(section, exercise.load("overlap-downloads").solution)
    assert run_verdict(section).startswith("Passed.")
    section.locator(".af-exercise-hint-button").click()
    shared.reload()
    section = shared.locator('section.af-exercise.af-exercise-enhanced[data-af-exercise="overlap-downloads"]')
    expect(section.locator(".af-exercise-progress")).to_have_text("✓ passed")
    expect(section.locator(".af-exercise-hint-list li:visible")).to_have_count(1)
    expect(section.locator(".af-exercise-feedback")).to_contain_text("Press Run")


def test_without_javascript_the_page_shows_task_code_hints_and_solution(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + FIRST)
        section = page.locator('section.af-exercise[data-af-exercise="overlap-downloads"]')
        ex = exercise.load("overlap-downloads")
        expect(section.locator(".af-exercise-title")).to_contain_text(ex.title)
        expect(section.locator(".af-exercise-task")).to_contain_text("download(n)")
        expect(section.locator(".af-runnable .highlight")).to_contain_text("results.append(await download(n))")
        expect(section.locator(".af-exercise-verdict")).to_contain_text("the starting code fails the check")
        expect(section.locator("details.af-exercise-hints li")).to_have_count(len(ex.hints))
        section.locator("details.af-exercise-solution summary").click()
        expect(section.locator("details.af-exercise-solution .highlight")).to_contain_text("asyncio.gather")
    finally:
        close_routed(context)


@pytest.mark.mkdocs_only(SAME_FILES)
def test_exercise_after_a_run_has_no_serious_axe_violation_in_either_palette(browser: Any, site_url: str) -> None:
    context = browser.new_context(bypass_csp=True)  # axe is injected inline (see test_quality_a11y.py)
    try:
        page = context.new_page()
        page.goto(site_url + "where-async-shines/")
        section = page.locator('section.af-exercise.af-exercise-enhanced[data-af-exercise="bound-fanout"]')
        expect(section.locator(".af-runnable.af-enhanced")).to_have_count(1)  # Run works with no editor opened
        assert "Not yet." in run_verdict(section)
        section.locator(".af-exercise-hint-button").click()
        section.locator("details.af-exercise-solution summary").click()
        page.mouse.move(0, 0)  # not hovering a button: the state after the run, not a transient hover style
        problems = []
        for name, scheme in PALETTES.items():
            switch_palette(page, scheme)
            problems += gated(run_axe(page), "where-async-shines/", f" (exercise after a run, {name})")
        assert problems == []
    finally:
        close_routed(context)
