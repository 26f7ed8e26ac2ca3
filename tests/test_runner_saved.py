"""A reader's edits to runnable examples (docs/assets/runner/saved.js) in real Chromium against the built site.

Autosave survives a reload and an instant navigation; Reset forgets it; an edit made on an older version of an
example is offered, not applied; full or disabled storage costs one visible line. A share link round-trips the
edited code into a fresh browser context and never runs it before Run; hostile, malformed and oversized
fragments are inert. Every test has its own browser context (no saved edit leaks into another test), and all
but the round trip keep Pyodide from booting (hold_pyodide): they are about the page, not about Python.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.conftest import close_routed
from tests.test_quality_a11y import gated, hold_pyodide, run_axe, switch_palette
from tests.test_runner_browser import LAB, RUN_TIMEOUT_MS, instant_goto, open_editor, rewrite_sitemap, run_and_wait

pytestmark = pytest.mark.browser

STREAMS = "stderr line"  # the runner lab's stdout/stderr example (its third, position 2)
STORAGE_PREFIX = "asyncfit:edit:v1:"
SAVED_KEYS_JS = f"() => Object.keys(localStorage).filter((key) => key.startsWith({STORAGE_PREFIX!r}))"
OTHER_PAGE = "how-async-works/"  # a page with runnable examples, for instant navigation
# saved.js is the same file under both engines: what depends on the theme (instant navigation, the URL fragment,
# Python running) is tested on both builds, the module's own logic on one.
SAME_MODULE = pytest.mark.mkdocs_only(reason="saved.js's own logic: the same file under both engines")


@pytest.fixture
def new_context(browser: Any, site_url: str) -> Iterator[Any]:
    """A factory of fresh browser contexts (instant navigation enabled; uncaught errors on `page.errors`)."""
    contexts: list[BrowserContext] = []

    def make(*, python: bool = False, **options: Any) -> Page:
        context: BrowserContext = browser.new_context(**options)
        contexts.append(context)
        context.route("**/sitemap.xml", rewrite_sitemap(site_url))
        if not python:
            hold_pyodide(context)
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: page.errors.append(f"{exc}\n{exc.stack}"))  # type: ignore[attr-defined]
        return page

    yield make
    for context in contexts:
        close_routed(context)  # the offline worker may still be fetching sitemap.xml


def lab_example(page: Page, *, editor: bool = True) -> Locator:
    """The runner lab's stdout/stderr example, with its editor opened unless `editor` is false (created on demand)."""
    example = page.locator(f'div.af-runnable.af-enhanced[data-af-source*="{STREAMS}"]')
    if editor:
        open_editor(example)
    else:
        expect(example.locator(".af-edit")).to_be_attached()
    return example


def editor_text(example: Locator) -> str:
    """The code the example shows: in its Ace editor, or (not opened yet) in the static block, as Ace would."""
    return example.evaluate(
        "(root) => root.dataset.afEditor === 'open' ? ace.edit(root.querySelector('.af-editor')).getValue() "
        ": root.querySelector('.af-static-code code').textContent.replace(/\\n$/, '')"
    )


def append_code(example: Locator, text: str) -> None:
    """Edit through Ace's API, as typing does (the autosave test also types for real)."""
    open_editor(example)
    example.evaluate(
        "(root, text) => { const editor = ace.edit(root.querySelector('.af-editor')); editor.navigateFileEnd(); "
        "editor.insert(text); }",
        text,
    )


def fragment(code: str, position: int, example_id: str, version: str = "1") -> str:
    """A share-link fragment as saved.js makes it: deflate-raw, then base64url without padding."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = base64.urlsafe_b64encode(packer.compress(code.encode()) + packer.flush()).rstrip(b"=").decode()
    return f"#run={version}.{position}.{example_id}.{data}"


def visible_notes(page: Page) -> Locator:
    return page.locator(".af-saved-note:not([hidden])")


def test_autosave_survives_a_reload_and_an_instant_navigation_and_reset_forgets_it(
    new_context: Any, site_url: str
) -> None:
    page = new_context()
    page.goto(site_url + LAB)
    example = lab_example(page)
    marker = example.locator(".af-edited")
    expect(marker).to_be_hidden()
    expect(example.get_by_role("button", name="Copy link")).to_be_hidden()

    # Typed for real: Ace's own input path reports the edit.
    example.locator(".ace_content").click()
    expect(example.locator("textarea.ace_text-input")).to_be_focused()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nprint('typed edit')")
    expect(marker).to_have_text("Edited")
    expect(example.get_by_role("button", name="Copy link")).to_be_visible()
    page.wait_for_function(f"() => ({SAVED_KEYS_JS})().length === 1")

    page.reload()
    example = lab_example(page)
    assert editor_text(example).endswith("print('typed edit')")
    expect(example.locator(".af-edited")).to_have_text("Edited")

    # Edited just before leaving by instant navigation (no time for the delayed save): kept all the same.
    append_code(example, "\nprint('second edit')")
    page.evaluate("document.body.dataset.afProbe = 'kept'")
    instant_goto(page, site_url + OTHER_PAGE)
    instant_goto(page, site_url + LAB)
    assert page.evaluate("document.body.dataset.afProbe") == "kept"  # no reload happened
    example = lab_example(page)
    assert editor_text(example).endswith("print('typed edit')\nprint('second edit')")
    expect(example.locator(".af-edited")).to_have_text("Edited")
    expect(page.locator(".af-edited:not([hidden])")).to_have_count(1)  # the other examples are untouched

    example.get_by_role("button", name="Reset").click()
    expect(example.locator(".af-edited")).to_be_hidden()
    assert "typed edit" not in editor_text(example)
    assert page.evaluate(SAVED_KEYS_JS) == []
    page.reload()
    assert "typed edit" not in editor_text(lab_example(page))
    assert page.errors == []  # type: ignore[attr-defined]


@SAME_MODULE
def test_editing_back_to_the_original_clears_the_marker(new_context: Any, site_url: str) -> None:
    page = new_context()
    page.goto(site_url + LAB)
    example = lab_example(page)
    original = editor_text(example)
    append_code(example, "#")
    expect(example.locator(".af-edited")).to_be_visible()
    example.evaluate("(root) => ace.edit(root.querySelector('.af-editor')).remove('left')")
    assert editor_text(example) == original
    expect(example.locator(".af-edited")).to_be_hidden()
    assert page.evaluate(SAVED_KEYS_JS) == []


@SAME_MODULE
def test_an_edit_of_an_older_version_of_the_example_is_offered_not_applied(new_context: Any, site_url: str) -> None:
    page = new_context()
    page.goto(site_url + LAB)
    example = lab_example(page)
    original = editor_text(example)
    key = page.evaluate(f"() => {STORAGE_PREFIX!r} + location.pathname + '#2'")
    page.evaluate(
        "(key) => localStorage.setItem(key, JSON.stringify({id: '000000000000', code: 'print(\"old edit\")', "
        "shared: false, at: 1}))",
        key,
    )
    page.reload()
    example = lab_example(page)
    note = example.locator(".af-saved-note")
    expect(note).to_contain_text("Your edit was made on an older version of this example")
    assert editor_text(example) == original  # not applied silently...
    assert page.evaluate("(key) => localStorage.getItem(key) !== null", key)  # ...nor lost
    expect(example.locator(".af-edited")).to_be_hidden()
    note.get_by_role("button", name="Use my older edit").click()
    assert editor_text(example) == 'print("old edit")'
    expect(example.locator(".af-edited")).to_have_text("Edited")
    expect(note).to_be_hidden()
    page.reload()
    example = lab_example(page)
    assert editor_text(example) == 'print("old edit")'  # saved against the current version now
    expect(example.locator(".af-saved-note")).to_be_hidden()


BROKEN_STORAGE = {
    "full": "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };",
    "turned off": "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('no', "
    "'SecurityError'); } });",
}


@SAME_MODULE
@pytest.mark.parametrize("kind", sorted(BROKEN_STORAGE))
def test_full_or_disabled_storage_costs_one_visible_line(new_context: Any, site_url: str, kind: str) -> None:
    page = new_context()
    page.context.add_init_script(BROKEN_STORAGE[kind])
    page.goto(site_url + LAB)
    example = lab_example(page)
    append_code(example, "\nprint('not stored')")
    note = example.locator(".af-saved-note")
    expect(note).to_contain_text("could not be saved in this browser")
    append_code(example, "\nprint('still not stored')")
    append_code(page.locator('div.af-runnable.af-enhanced[data-af-source*="def parse_port"]'), "\n# another")
    expect(page.locator(".af-edited:not([hidden])")).to_have_count(2)
    example.get_by_role("button", name="Copy link").click()  # the page keeps working
    expect(visible_notes(page)).to_have_count(1)  # one line for the page, however many examples are edited
    expect(example.locator(".af-edited")).to_have_text("Edited")
    example.get_by_role("button", name="Reset").click()
    expect(example.locator(".af-edited")).to_be_hidden()
    # With storage turned off, Material's own bundle throws on its palette and tab memories; the runner never does.
    assert [error for error in page.errors if "/assets/runner/" in error] == []  # type: ignore[attr-defined]


def test_share_link_round_trips_into_a_fresh_context_and_never_runs_before_run(new_context: Any, site_url: str) -> None:
    """Copy link on an edit; a fresh context opens it: the code is there, marked, not run; Run runs it."""
    author = new_context(permissions=["clipboard-read", "clipboard-write"])
    author.goto(site_url + LAB)
    example = lab_example(author)
    # Hostile-looking: HTML that would run script if it were ever parsed as markup, and Python reaching for js.
    shared = "\nimport js\nprint('<img src=x onerror=\"window.__afPwned = 1\">', 'shared run')"
    append_code(example, shared)
    example.get_by_role("button", name="Copy link").click()
    expect(example.locator(".af-status")).to_have_text("Link copied.")
    link = author.evaluate("() => navigator.clipboard.readText()")
    assert link.startswith(site_url + LAB + "#run=1.2.")
    assert "shared run" not in link  # compressed, not in clear

    reader = new_context(python=True)
    reader.goto(link)
    example = reader.locator(f'div.af-runnable.af-enhanced[data-af-source*="{STREAMS}"]')
    expect(example.locator(".af-edited")).to_have_text("Edited (from a shared link)", timeout=RUN_TIMEOUT_MS)
    expect(example.locator(".af-saved-note")).to_contain_text("has not run")
    expect(example).to_be_in_viewport()
    assert editor_text(example).endswith(shared)
    assert "#run=" not in reader.url  # taken off the URL: a reload shows the saved edit, not the link again
    expect(example.locator(".af-status")).to_contain_text("Python is ready", timeout=RUN_TIMEOUT_MS)
    assert example.get_attribute("data-af-state") is None  # Python is ready, and nothing ran
    expect(example.locator(".af-output-label")).to_contain_text("Output at build time")
    assert reader.locator("img[src=x]").count() == 0
    assert run_and_wait(example) == "done"
    expect(example.locator(".af-output")).to_contain_text("shared run")
    expect(example.locator(".af-output")).to_contain_text('<img src=x onerror="window.__afPwned = 1">')
    assert reader.locator("img[src=x]").count() == 0
    assert reader.evaluate("window.__afPwned") is None
    reader.reload()
    example = lab_example(reader)
    expect(example.locator(".af-edited")).to_have_text("Edited (from a shared link)")  # kept in the reader's browser
    example.get_by_role("button", name="Reset").click()
    assert "shared run" not in editor_text(example)
    expect(example.locator(".af-edited")).to_be_hidden()
    assert reader.errors == []  # type: ignore[attr-defined]


@SAME_MODULE
def test_without_clipboard_permission_the_link_is_selected_in_a_field(new_context: Any, site_url: str) -> None:
    page = new_context()
    page.context.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));"
    )
    page.goto(site_url + LAB)
    example = lab_example(page)
    append_code(example, "\nprint('by hand')")
    example.get_by_role("button", name="Copy link").click()
    field = example.get_by_role("textbox", name="Link to your code")
    expect(field).to_be_focused()
    assert field.input_value().startswith(site_url + LAB + "#run=1.2.")
    assert page.evaluate("() => getSelection().toString() || document.activeElement.selectionEnd") != 0
    expect(example.locator(".af-status")).to_contain_text("copy it with Ctrl+C")


BOMB = "\n" * (1024 * 1024)  # 1 MiB of newlines: about a kilobyte compressed, over the 64 KB cap decompressed


@SAME_MODULE
@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("malformed", lambda i: "#run=not-a-link", "it is malformed"),
        ("unknown version", lambda i: fragment("print(1)", 2, i, version="9"), "a format this page does not know"),
        ("not deflate", lambda i: f"#run=1.2.{i}.AAAAAAAA", "its code is damaged"),
        ("oversized", lambda i: f"#run=1.2.{i}." + "A" * 20_000, "over the limit of 16000"),
        ("decompression bomb", lambda i: fragment(BOMB, 2, i), "larger than 64 KB once decompressed"),
        ("unknown example", lambda i: fragment("print(1)", 99, "0" * 12), "not on this page any more"),
    ],
)
def test_bad_fragments_are_ignored_with_one_visible_line(
    new_context: Any, site_url: str, name: str, make: Any, expected: str
) -> None:
    page = new_context()
    page.goto(site_url + LAB)
    example_id = lab_example(page).get_attribute("data-af-id")
    page.goto("about:blank")  # a new document, not a same-page fragment change
    page.goto(site_url + LAB + make(example_id))
    example = lab_example(page)
    expect(visible_notes(page)).to_have_count(1)
    expect(visible_notes(page)).to_contain_text("The shared link was ignored: ")
    expect(visible_notes(page)).to_contain_text(expected)
    expect(page.locator(".af-edited:not([hidden])")).to_have_count(0)
    assert STREAMS in editor_text(example)  # the examples keep their code and work
    append_code(example, "#")
    expect(example.locator(".af-edited")).to_have_text("Edited")
    assert page.errors == [], name  # type: ignore[attr-defined]


def test_hostile_code_in_a_link_is_shown_as_text_and_heading_anchors_still_work(
    new_context: Any, site_url: str, engine: str
) -> None:
    page = new_context()
    page.goto(site_url + LAB)
    example_id = lab_example(page).get_attribute("data-af-id")
    hostile = '</textarea><script>window.__afPwned = 1</script><img src=x onerror="window.__afPwned = 2">'
    page.goto("about:blank")
    page.goto(site_url + LAB + fragment(hostile, 2, example_id or ""))
    example = lab_example(page, editor=False)  # shown as text in the static block, no editor
    expect(example.locator(".af-edited")).to_have_text("Edited (from a shared link)")
    assert editor_text(example) == hostile
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("window.__afPwned") is None
    assert example.get_attribute("data-af-state") is None
    # A heading anchor is no share link: it scrolls to its heading and leaves the examples alone.
    page.goto("about:blank")
    page.goto(site_url + LAB + "#a-timeline")
    lab_example(page, editor=False)  # (opening an editor would scroll to it)
    assert page.evaluate("location.hash") == "#a-timeline"
    if engine == "mkdocs":  # Zensical 0.0.73 does not scroll to a heading's fragment on load, with or without us
        expect(page.locator("#a-timeline")).to_be_in_viewport()
    runnable = page.locator('div.af-runnable[data-af-runs="pyodide"]').count()
    expect(page.locator(".af-edited")).to_have_count(runnable)  # every runnable example has a marker...
    expect(example.locator(".af-edited")).to_have_text("Edited (from a shared link)")  # ...this one kept its edit
    expect(visible_notes(page)).to_have_count(0)
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.mkdocs_only(reason="the runner's JavaScript and CSS are the same files under both engines")
def test_edited_example_with_its_notes_has_no_serious_axe_violation(browser: Any, site_url: str) -> None:
    context: BrowserContext = browser.new_context(bypass_csp=True)
    try:
        hold_pyodide(context)
        context.add_init_script("navigator.clipboard.writeText = () => Promise.reject(new Error('denied'));")
        page = context.new_page()
        page.goto(site_url + LAB)
        example = lab_example(page)
        append_code(example, "\nprint('edited')")
        example.get_by_role("button", name="Copy link").click()
        expect(example.get_by_role("textbox", name="Link to your code")).to_be_visible()
        page.mouse.move(0, 0)  # not hovering the button (Material's hover colours are its own, checked elsewhere)
        problems = gated(run_axe(page), LAB, " (edited, link field) [light]")
        switch_palette(page, "slate")
        problems += gated(run_axe(page), LAB, " (edited, link field) [dark]")
        assert problems == [], "\n".join(problems)
    finally:
        close_routed(context)


@SAME_MODULE
def test_a_link_made_for_an_older_version_of_the_example_says_so(new_context: Any, site_url: str) -> None:
    page = new_context()
    page.goto(site_url + LAB + fragment("print('from an older version')", 2, "0" * 12))
    example = lab_example(page)
    expect(example.locator(".af-edited")).to_have_text("Edited (from a shared link)")
    expect(example.locator(".af-saved-note")).to_contain_text("written for an older version of this example")
    assert editor_text(example) == "print('from an older version')"


def test_share_link_format_never_collides_with_heading_anchors(engine_site: Any) -> None:
    """Heading ids and #afNNN anchors never contain '=' or '.', which every share-link fragment does."""
    ids = set()
    for html_file in engine_site.path.rglob("*.html"):
        if "vendor" in html_file.parts:
            continue
        ids.update(re.findall(r'<h[1-6][^>]*\sid="([^"]*)"', html_file.read_text(encoding="utf-8")))
    assert "a-timeline" in ids
    assert any(re.fullmatch(r"af\d{3}", anchor) for anchor in ids)
    assert [anchor for anchor in ids if "=" in anchor] == []
