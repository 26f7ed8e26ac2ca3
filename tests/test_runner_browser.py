"""The in-browser runner (docs/assets/runner/) in real Chromium against the built site.

One browser context is shared by the module's tests that only run examples, so Pyodide loads once; it moves
between pages with Material's instant navigation, as a reader does. Material only intercepts links listed in
sitemap.xml, whose URLs carry the production site_url: the shared context answers sitemap.xml with the URLs
rewritten to the local server, as if the site were deployed there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Route, expect

from tests.conftest import RUN_TIMEOUT_MS, BuiltSite, Held, close_routed, isolated_page, wait_for_async
from tests.test_precompiled_stdlib import NPM as NPM_STDLIB

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expectations")]

PRODUCTION_URL = "https://asyncfit.github.io/asyncfit/"
LAB = "runner-lab/"
WORKER_PATH = "/assets/runner/worker.js"


@dataclass(frozen=True)
class ExampleInfo:
    """One pyrun example as rendered at build time."""

    page: str  # site-relative URL, e.g. "how-async-works/"
    index: int  # position among the page's examples
    runs: str  # "pyodide" or "cpython"
    build_exit: int  # exit code at build time (non-zero: the example is meant to raise)
    endless: bool  # endless loops, or waits for typed input (tested by the Stop, time-limit and input tests instead)


class _ExampleCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "div" and "af-runnable" in (values.get("class") or "").split():
            self.found.append(values)


def discover_examples(site: Path) -> list[ExampleInfo]:
    """Every pyrun example in the built HTML, page by page."""
    examples: list[ExampleInfo] = []
    for html_file in sorted(site.rglob("index.html")):
        if "vendor" in html_file.parts:
            continue
        collector = _ExampleCollector()
        collector.feed(html_file.read_text(encoding="utf-8"))
        rel = html_file.parent.relative_to(site).as_posix()
        page = "" if rel == "." else f"{rel}/"
        for index, values in enumerate(collector.found):
            source = values.get("data-af-source") or ""
            examples.append(
                ExampleInfo(
                    page=page,
                    index=index,
                    runs=values.get("data-af-runs") or "pyodide",
                    build_exit=int(values.get("data-af-exit") or 0),
                    endless="press Stop" in source
                    or "with a 3 s time limit" in source
                    or values.get("data-af-stdin") is not None,
                )
            )
    return examples


def rewrite_sitemap(site_url: str) -> object:
    """A route handler answering sitemap.xml with its URLs pointing at site_url (enables instant navigation)."""

    def handler(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(PRODUCTION_URL, site_url))

    return handler


def instant_goto(page: Page, url: str) -> None:
    """Follow a link to url the way a reader does (Material intercepts the click: no page reload)."""
    page.evaluate(
        """url => {
            document.querySelector("article")?.setAttribute("data-af-left", "");
            const link = document.createElement("a");
            link.href = url;
            document.body.append(link);
            link.click();
            link.remove();
        }""",
        url,
    )
    expect(page).to_have_url(re.compile("^" + re.escape(url) + "(#.*)?$"))  # navigation.tracking adds anchors
    expect(page.locator("article[data-af-left]")).to_have_count(0)  # the old page's content is gone


def current_page(page: Page) -> str:
    """The page's URL without the fragment (Material's navigation.tracking keeps changing it)."""
    return page.url.split("#")[0]


def runnable(page: Page) -> Locator:
    return page.locator("div.af-runnable.af-enhanced")


def open_editor(example: Locator) -> None:
    """Open the example's editor: editors are created on demand (docs/assets/runner/runner.js, issue 14)."""
    if example.get_attribute("data-af-editor") != "open":
        example.locator(".af-edit").click()
    expect(example.locator(".ace_editor")).to_be_visible()


#: The data-af-state values a run ends with (runner.js Example); Run clears the attribute when it starts.
RUN_ENDED = re.compile(r"^(done|raised|stopped|error)$")


def run_and_wait(example: Locator) -> str:
    """Click Run on example and wait until the run ends; return its final state.

    Right after an instant navigation the theme may render the new page's content a second time (the runner
    enhances the new copy); a click that landed on the replaced copy is repeated on the live one.
    """
    started = re.compile(r"Waiting|Running|Done|Raised|Stopped|failed")
    for _ in range(3):
        example.locator(".af-run").click()
        try:
            expect(example.locator(".af-status")).to_have_text(started, timeout=10_000)
            break
        except AssertionError:
            continue
    expect(example).to_have_attribute("data-af-state", RUN_ENDED)
    expect(example.locator(".af-run")).to_be_enabled()
    return example.get_attribute("data-af-state") or ""


def our_workers(page: Page) -> list[str]:
    return [worker.url for worker in page.workers if worker.url.endswith(WORKER_PATH)]


def settled_worker_count(page: Page) -> int:
    """The number of runner workers once a terminated one has been reported closed (Playwright learns late)."""
    for _ in range(50):
        if len(our_workers(page)) <= 1:
            break
        page.wait_for_timeout(100)
    return len(our_workers(page))


@pytest.fixture(scope="module")
def shared(browser: object, site_url: str) -> Iterator[Page]:
    """One page for the whole module, on the runner lab, with Pyodide loaded once."""
    context: BrowserContext = browser.new_context()  # type: ignore[attr-defined]
    context.route("**/sitemap.xml", rewrite_sitemap(site_url))
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(f"{msg.text} at {msg.location}"))  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))  # type: ignore[attr-defined]
    page.goto(site_url + LAB)
    expect(runnable(page).first.locator(".af-status")).to_contain_text("Python is ready")
    yield page
    close_routed(context)


def lab_example(page: Page, site_url: str, snippet_marker: str) -> Locator:
    """The lab example whose source contains snippet_marker (navigating to the lab first if needed)."""
    if current_page(page) != site_url + LAB:
        instant_goto(page, site_url + LAB)
    example = page.locator(f'div.af-runnable.af-enhanced[data-af-source*="{snippet_marker}"]')
    expect(example).to_have_count(1)
    return example


def test_exception_shows_a_traceback_of_the_programs_own_lines(shared: Page, site_url: str) -> None:
    example = lab_example(shared, site_url, "def parse_port")
    assert run_and_wait(example) == "raised"
    output = example.locator(".af-output")
    expect(output).to_contain_text("parsing 8080 -> 8080")
    expect(output.locator(".af-stderr").first).to_contain_text("Traceback (most recent call last):")
    expect(output).to_contain_text('File "<example>", line 4, in parse_port')
    expect(output).to_contain_text("ValueError: port out of range: 99999")
    expect(output).not_to_contain_text("_pyodide")  # the runner's own frames are hidden
    expect(example.locator(".af-output-label")).to_contain_text("raised an exception")


def test_stdout_and_stderr_stream_in_order_and_are_distinguished(shared: Page, site_url: str) -> None:
    example = lab_example(shared, site_url, "stderr line")
    assert run_and_wait(example) == "done"
    lines = example.locator(".af-output .af-line")
    texts = [line.strip() for line in lines.all_text_contents()]
    assert texts == [f"{kind} line {i}" for i in range(3) for kind in ("stdout", "stderr")] + ["done"]
    assert example.locator(".af-output .af-stderr").count() == 3
    expect(example.locator(".af-output-label")).to_contain_text(re.compile(r"ran in \d+\.\d+ s"))


def test_timeline_draws_one_bar_per_task(shared: Page, site_url: str) -> None:
    example = lab_example(shared, site_url, "async def fetch")
    assert run_and_wait(example) == "done"
    rows = example.locator(".af-timeline-row")
    expect(rows).to_have_count(4)  # main + three fetches
    labels = [label.split(" (")[0] for label in example.locator(".af-timeline-label").all_text_contents()]
    assert labels == ["main", "fetch", "fetch", "fetch"]
    # Each bar's title: "fetch: <start> s to <end> s" (3 decimals; the shown width has 2, too coarse to compare).
    # A busy machine can make a task end late, never early, and timers fire in deadline order: so each fetch
    # lasts at least its sleep (1 ms for rounding), and they end in the order of their sleeps.
    titles = example.locator(".af-timeline-bar").evaluate_all("(bars) => bars.map((bar) => bar.title)")
    found = [re.fullmatch(r"fetch: ([\d.]+) s to ([\d.]+) s", title) for title in titles[1:]]
    spans = [(float(match[1]), float(match[2])) for match in found if match]
    assert len(spans) == 3, titles
    for (start, end), sleep in zip(spans, (0.1, 0.2, 0.3), strict=True):
        assert end - start >= sleep - 0.001, titles
    assert spans[0][1] <= spans[1][1] <= spans[2][1], titles


def wait_until_spinning(endless: Locator) -> None:
    """Wait until the endless example's browser run has printed its line.

    The build-time output (CPython's) says "spinning: press Stop" too, then "(CPython at build time: ...)": it
    stays until the browser run replaces it, so waiting for the first line alone could match it and Stop
    before the run had begun (seen under load: the Stop then waited out the fallback's 8 s).
    """
    output = endless.locator(".af-output")
    expect(output).not_to_contain_text("CPython at build time")
    expect(output).to_contain_text("spinning: press Stop")  # streamed while running


def test_endless_loop_is_stopped_page_stays_responsive_next_run_works(shared: Page, site_url: str) -> None:
    endless = lab_example(shared, site_url, "press Stop")
    endless.locator(".af-run").click()
    wait_until_spinning(endless)
    expect(endless.locator(".af-stop")).to_be_enabled()
    # The page is not frozen while Python spins: the main thread answers and the UI reacts.
    assert shared.evaluate("1 + 1") == 2
    other = lab_example(shared, site_url, "def parse_port")
    other.locator(".af-reset").click()
    expect(other.locator(".af-output-label")).to_contain_text("Output at build time")
    endless.locator(".af-stop").click()
    expect(endless).to_have_attribute("data-af-state", "stopped")
    expect(endless.locator(".af-output")).to_contain_text("Stopped by you")
    assert settled_worker_count(shared) <= 1  # the stopped worker is gone, at most its replacement runs
    follow_up = lab_example(shared, site_url, "stderr line")
    assert run_and_wait(follow_up) == "done"
    expect(follow_up.locator(".af-output")).to_contain_text("done")
    assert settled_worker_count(shared) == 1


def test_a_run_past_its_time_limit_is_stopped_and_the_edited_code_is_kept(shared: Page, site_url: str) -> None:
    example = lab_example(shared, site_url, "with a 3 s time limit")
    assert example.get_attribute("data-af-limit") == "3"
    open_editor(example)
    edited = "# my edit\n" + (example.get_attribute("data-af-source") or "")
    example.evaluate("(root, code) => ace.edit(root.querySelector('.af-editor')).setValue(code, -1)", edited)
    example.locator(".af-run").click()  # and nobody presses Stop
    expect(example).to_have_attribute("data-af-state", "time-limit", timeout=RUN_TIMEOUT_MS)
    expect(example.locator(".af-output")).to_contain_text("counting, with a 3 s time limit")
    expect(example.locator(".af-output")).to_contain_text("Stopped automatically after")
    expect(example.locator(".af-output")).to_contain_text("runs here are limited to 3 s. Your code is kept.")
    # (The status line then follows Python's restart, "Loading Python…", as after Stop; the output keeps the line.)
    code = example.evaluate("(root) => ace.edit(root.querySelector('.af-editor')).getValue()")
    assert code == edited
    assert settled_worker_count(shared) <= 1
    follow_up = lab_example(shared, site_url, "stderr line")
    assert run_and_wait(follow_up) == "done"  # the next run works, on the restarted (or interrupted) Python
    example.locator(".af-reset").click()  # the shared page's other tests get the original (and no saved edit)
    original = example.evaluate("(root) => ace.edit(root.querySelector('.af-editor')).getValue()")
    assert "# my edit" not in original
    assert original.strip() == edited.removeprefix("# my edit\n").strip()


def test_ctrl_enter_runs_and_escape_then_tab_leaves_the_editor(shared: Page, site_url: str) -> None:
    example = lab_example(shared, site_url, "stderr line")
    example.locator(".af-reset").click()
    open_editor(example)
    example.locator(".ace_content").click()
    shared.keyboard.press("Control+Enter")
    expect(example).to_have_attribute("data-af-state", "done")
    example.locator(".ace_content").click()
    # Ace moves focus to its text input on mousedown and again in a timer after it; wait for focus to settle at
    # each step rather than pressing keys into a focus change still in flight (this raced on a loaded CI machine).
    expect(example.locator("textarea.ace_text-input")).to_be_focused()
    shared.evaluate("new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)))")
    shared.keyboard.press("Escape")
    expect(example.locator(".ace_scroller")).to_be_focused()  # Esc: focus on the editor box, out of the text
    shared.keyboard.press("Tab")
    shared.wait_for_function("document.activeElement && !document.activeElement.closest('.ace_editor')")


def test_ace_theme_follows_the_palette(shared: Page, site_url: str) -> None:
    example = lab_example(shared, site_url, "stderr line")
    open_editor(example)
    editor = example.locator(".ace_editor")
    shared.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    expect(editor).to_have_class(re.compile(r"\bace-github-dark\b"))
    shared.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    expect(editor).not_to_have_class(re.compile(r"\bace-github-dark\b"))


def test_every_example_on_the_site_runs_in_the_browser(shared: Page, site_url: str, engine_site: BuiltSite) -> None:
    examples = discover_examples(engine_site.path)
    assert any(e.page == LAB for e in examples)
    assert any(e.page != LAB for e in examples), "no pyrun example outside the runner lab"
    problems: list[str] = []
    for info in examples:
        if info.endless:
            continue
        if current_page(shared) != site_url + info.page:
            instant_goto(shared, site_url + info.page)
        root = shared.locator("div.af-runnable").nth(info.index)
        name = f"{info.page or '/'} example {info.index + 1}"
        if info.runs == "cpython":
            expect(root.locator(".af-where")).to_contain_text("CPython only, because")
            if root.locator(".af-run").count() != 0:
                problems.append(f"{name}: runs=cpython but has a Run button")
            continue
        expect(root).to_have_class(re.compile(r"\baf-enhanced\b"))
        state = run_and_wait(root)
        output = root.locator(".af-output").inner_text().strip()
        expected = "raised" if info.build_exit != 0 else "done"
        if state != expected:
            problems.append(f"{name}: expected {expected}, got {state}:\n{output}")
        elif not output:
            problems.append(f"{name}: no output")
    assert problems == []
    assert settled_worker_count(shared) == 1


@pytest.mark.parametrize("rule", ["af101", "af205"])  # a timeline example and a plain one
def test_rules_page_example_runs_in_the_browser(shared: Page, site_url: str, rule: str) -> None:
    """A rule page (/rules/af101/) holds its own runnable example, and it runs on the shared worker."""
    instant_goto(shared, f"{site_url}rules/{rule}/")
    example = runnable(shared)
    expect(example).to_have_count(1)
    expect(shared.locator("h1")).to_contain_text(f"{rule.upper()}: ")
    assert run_and_wait(example) == "done"
    expect(example.locator(".af-output-label")).to_contain_text(re.compile(r"ran in \d+\.\d+ s"))
    assert example.locator(".af-output").inner_text().strip()
    if rule == "af101":
        expect(example.locator(".af-timeline-row").first).to_be_visible()
    assert settled_worker_count(shared) == 1


def test_instant_navigation_reuses_the_one_worker(shared: Page, site_url: str, engine_site: BuiltSite) -> None:
    other_pages = sorted({e.page for e in discover_examples(engine_site.path) if e.page != LAB and e.runs != "cpython"})
    assert other_pages, "needs a second page with a runnable example"
    lab_example(shared, site_url, "stderr line")
    shared.evaluate("document.body.dataset.afNavigationProbe = 'kept'")  # survives only without a reload
    started: list[str] = []
    shared.on("worker", lambda worker: started.append(worker.url))
    instant_goto(shared, site_url + other_pages[0])
    assert shared.evaluate("document.body.dataset.afNavigationProbe") == "kept"
    example = runnable(shared).first
    assert run_and_wait(example) in {"done", "raised"}
    instant_goto(shared, site_url + LAB)
    follow_up = lab_example(shared, site_url, "stderr line")
    assert run_and_wait(follow_up) == "done"
    assert [url for url in started if url.endswith(WORKER_PATH)] == []
    assert settled_worker_count(shared) == 1
    # Material's own bundle logs CSP notices during instant navigation (not the runner's doing): skip those.
    ours = [error for error in shared.console_errors if "/javascripts/bundle." not in error]  # type: ignore[attr-defined]
    assert ours == []


def test_failed_pyodide_load_keeps_the_code_and_explains_with_retry(page: Page, site_url: str) -> None:
    page.route("**/vendor/pyodide/**", lambda route: route.fulfill(status=404, body="not here"))
    page.goto(site_url + LAB)
    example = page.locator('div.af-runnable.af-enhanced[data-af-source*="stderr line"]')
    failure = example.locator(".af-load-error")
    expect(failure).to_be_visible()
    expect(failure).to_contain_text("Python could not be loaded in your browser")
    expect(failure.get_by_role("button", name="Retry")).to_be_visible()
    expect(example.locator(".af-static-code")).to_contain_text("async def main()")  # the code stays readable
    expect(example.locator(".af-output")).to_contain_text("stdout line 0")  # and its build-time output
    page.unroute("**/vendor/pyodide/**")
    failure.get_by_role("button", name="Retry").click()
    expect(example.locator(".af-status")).to_contain_text("Python is ready")
    assert run_and_wait(example) == "done"


def test_stop_while_python_loads_cancels_the_queued_run(page: Page, site_url: str) -> None:
    """Run clicked while Pyodide is still downloading is queued; Stop cancels it, says so, and a later Run works."""
    pyodide = Held("Pyodide")  # keeps Python in the loading state: Pyodide's files are answered once released
    page.route("**/vendor/pyodide/**", pyodide)
    page.goto(site_url + LAB)
    example = page.locator('div.af-runnable.af-enhanced[data-af-source*="stderr line"]')
    example.locator(".af-run").click()
    expect(example.locator(".af-status")).to_contain_text("Waiting for Python")
    expect(example.locator(".af-stop")).to_be_enabled()
    pyodide.wait_until_holding(page)  # the worker has asked for Pyodide's files: Python is loading, not just scheduled
    example.locator(".af-stop").click()
    expect(example).to_have_attribute("data-af-state", "cancelled")
    expect(example.locator(".af-status")).to_contain_text("Run cancelled before it started")
    expect(example.locator(".af-run")).to_be_enabled()
    expect(example.locator(".af-stop")).to_be_disabled()
    expect(example.locator(".af-output-label")).to_contain_text("Output at build time")  # nothing ran
    pyodide.release()
    expect(example.locator(".af-status")).to_contain_text("Python is ready")
    expect(example.locator(".af-output-label")).to_contain_text("Output at build time")  # the cancelled run stays so
    assert run_and_wait(example) == "done"
    expect(example.locator(".af-output")).to_contain_text("done")


def test_page_without_examples_downloads_no_pyodide(page: Page, site_url: str, engine_site: BuiltSite) -> None:
    with_examples = {e.page for e in discover_examples(engine_site.path)}
    candidates = [p for p in ("", "rules/", "faq/", "decide/") if p not in with_examples]
    assert candidates, "no page without examples to check"
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + candidates[0])
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2000)  # longer than the idle delay after which pages with examples start loading
    assert [url for url in requested if "/vendor/pyodide/" in url or "/vendor/ace/" in url] == []
    assert our_workers(page) == []


def test_worker_protocol_runs_the_wizard_engine(page: Page, site_url: str) -> None:
    """The wizard page can use the same engine: typed request, progress events, then {id, result} or {id, error}."""
    page.goto(site_url + LAB)
    replies = page.evaluate(
        """async (workerPath) => {
            const worker = new Worker(new URL(workerPath, location.href), { type: "module" });
            const replies = [];
            const ask = (request) => new Promise((resolve) => {
                worker.onmessage = (message) => {
                    replies.push(message.data);
                    if (!message.data.event) resolve();
                };
                worker.postMessage(request);
            });
            await ask({ id: 1, type: "wizard-decide", answers: {} });
            await ask({ id: 2, type: "wizard-decide", answers: { "no-such-question": "x" } });
            await ask({ id: 3, type: "no-such-type" });
            worker.terminate();
            return replies;
        }""",
        WORKER_PATH,
    )
    progress = [r["stage"] for r in replies if r.get("event") == "progress"]
    assert progress == ["downloading", "starting", "ready"]
    final = {r["id"]: r for r in replies if "event" not in r}
    assert final[1]["result"]["verdict"] in {"sync", "sync-threads", "sync-processes", "async", "async-offload"}
    assert "no-such-question" in final[2]["error"]["message"]
    assert "\n" not in final[2]["error"]["message"]  # one line, not a traceback
    assert final[3]["error"]["message"] == 'unknown message type "no-such-type"'


def test_stop_interrupts_in_place_when_cross_origin_isolated(browser: object, site_url: str) -> None:
    """With COOP/COEP headers (not on GitHub Pages) Stop uses Pyodide's interrupt buffer: the worker survives."""

    with isolated_page(browser, site_url + LAB) as (page, started, _errors):
        endless = page.locator('div.af-runnable.af-enhanced[data-af-source*="press Stop"]')
        expect(endless.locator(".af-status")).to_contain_text("Python is ready")
        endless.locator(".af-run").click()
        wait_until_spinning(endless)
        endless.locator(".af-stop").click()
        expect(endless).to_have_attribute("data-af-state", "stopped")
        expect(endless.locator(".af-output")).to_contain_text("KeyboardInterrupt")
        follow_up = page.locator('div.af-runnable.af-enhanced[data-af-source*="stderr line"]')
        assert run_and_wait(follow_up) == "done"
        assert [url for url in started if url.endswith(WORKER_PATH)] == [site_url.rstrip("/") + WORKER_PATH]


# Click Run, then Stop at the first moment the example says "Running…": the run request has just been posted to the
# worker (Example.execute sets the status, posts the request, then awaits it; a MutationObserver's callback runs
# right after), so the worker has not begun the program and has most likely not even received the request.
STOP_AS_IT_STARTS_JS = """(root) => new Promise((resolve) => {
    const status = root.querySelector(".af-status");
    const observer = new MutationObserver(() => {
        if (!status.textContent.startsWith("Running")) return;
        observer.disconnect();
        root.querySelector(".af-stop").click();
        resolve();
    });
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    root.querySelector(".af-run").click();
})"""
EARLY_STOP_CYCLES = 6


def stop_as_it_starts(example: Locator) -> tuple[str, str]:
    """Run example and Stop it at once (STOP_AS_IT_STARTS_JS); once the run has ended, its status and output."""
    example.evaluate(STOP_AS_IT_STARTS_JS)
    expect(example.locator(".af-run")).to_be_enabled()
    return example.locator(".af-status").inner_text(), example.locator(".af-output").inner_text()


def test_stop_pressed_as_the_run_starts_still_interrupts_in_place(browser: object, site_url: str) -> None:
    """Stop pressed before the worker has begun the program interrupts the program itself, in place.

    The page used to set the interrupt buffer at once. Pyodide polls it from whatever Python the worker runs next:
    the runner's and Pyodide's own code ahead of the program, where the KeyboardInterrupt either failed the run
    without the program hearing of it or was lost in Pyodide's event loop (the run then hung until Stop's 8 s
    fallback restarted Python). A short program (the one that raises) usually ends before the interrupt can land:
    it must then end as it would have, not break the end of the run. Several cycles, since where the interrupt
    landed depended on timing. Then Run and Stop in one task: the run has not been sent, so it is cancelled.
    About one early Stop in 25 on a loaded machine, Pyodide read the interrupt and raised nothing (the endless loop
    ran on until the restart): the page now sets it again while the run goes on, which this test covers too (320
    cycles under three CPU hogs passed with it, against a failure every 20 to 30 cycles without).
    """
    with isolated_page(browser, site_url + LAB) as (page, started, errors):
        one_worker = [site_url.rstrip("/") + WORKER_PATH]
        endless = page.locator('div.af-runnable.af-enhanced[data-af-source*="press Stop"]')
        short = page.locator('div.af-runnable.af-enhanced[data-af-source*="def parse_port"]')
        expect(endless.locator(".af-status")).to_contain_text("Python is ready")
        for cycle in range(1, EARLY_STOP_CYCLES + 1):
            status, output = stop_as_it_starts(endless)
            where = f"cycle {cycle}: status {status!r}, output {output[-300:]!r}"
            # Interrupted in place: the program got the KeyboardInterrupt, and Python was not restarted (that status
            # says "Python restarts in the background", and a second worker would start).
            assert endless.get_attribute("data-af-state") == "stopped", where
            assert "KeyboardInterrupt" in output, where
            assert status == "Stopped.", where
            status, output = stop_as_it_starts(short)
            where = f"cycle {cycle}, short program: status {status!r}, output {output[-300:]!r}"
            assert status == "Stopped.", where  # it raised (its ValueError, or the KeyboardInterrupt): no restart
            assert "ValueError: port out of range" in output or "KeyboardInterrupt" in output, where
            assert [url for url in started if url.endswith(WORKER_PATH)] == one_worker, where

        endless.evaluate("(root) => { root.querySelector('.af-run').click(); root.querySelector('.af-stop').click(); }")
        expect(endless).to_have_attribute("data-af-state", "cancelled")
        expect(endless.locator(".af-run")).to_be_enabled()

        follow_up = page.locator('div.af-runnable.af-enhanced[data-af-source*="stderr line"]')
        assert run_and_wait(follow_up) == "done"
        expect(follow_up.locator(".af-output")).to_contain_text("done")
        assert [url for url in started if url.endswith(WORKER_PATH)] == one_worker
        assert errors == []  # no KeyboardInterrupt escaped into the worker's JavaScript


SNAPSHOT_CACHE = "asyncfit-python-snapshot"
STORED_SNAPSHOTS_JS = f"""async () => {{
    const cache = await caches.open("{SNAPSHOT_CACHE}");
    return (await Promise.all((await cache.keys()).map(async (request) => (await cache.match(request)).arrayBuffer())))
        .map((buffer) => buffer.byteLength);
}}"""
RESTORED_JS = "() => performance.getEntriesByName('asyncfit:snapshot-restored').length"
# The unpacked length in the stored snapshot's header (docs/assets/runner/sparse.js: bytes 8 to 11).
UNPACKED_BYTES_JS = f"""async () => {{
    const cache = await caches.open("{SNAPSHOT_CACHE}");
    const [request] = await cache.keys();
    return new DataView(await (await cache.match(request)).arrayBuffer()).getUint32(8, true);
}}"""
# Python's `js` module must be the real globalThis whichever way Python started (a getter needing it as `this`).
# And `random` must not repeat itself: a restored snapshot holds the generator's state of the moment it was taken.
JS_MODULE_CODE = "import js, random\nprint(js.Math.max(3, 7), js.navigator.userAgent[:7])\nprint(random.random())\n"
# In a worker of the test's own: load, run `code`, then the wizard engine; report what came back.
OWN_WORKER_JS = """async ([workerPath, code]) => {
    const worker = new Worker(new URL(workerPath, location.href), { type: "module" });
    const lines = [];
    let id = 0;
    const ask = (request) => new Promise((resolve) => {
        worker.onmessage = (message) => {
            if (message.data.event === "stream") lines.push(message.data.text);
            else if (!message.data.event) resolve(message.data);
        };
        worker.postMessage({ id: ++id, ...request });
    });
    const load = await ask({ type: "load" });
    const run = await ask({ type: "run", code, timeline: false });
    const decide = await ask({ type: "wizard-decide", answers: {} });
    // A worker that started Python the ordinary way stores a snapshot a moment later: it is kept (referenced)
    // until the page goes away, so the test can wait for that snapshot (wait_for_one_snapshot).
    if (load.result.fromSnapshot) worker.terminate();
    else globalThis.__ownPythonWorker = worker;
    return { fromSnapshot: load.result.fromSnapshot, ok: run.result.ok, lines, verdict: decide.result.verdict };
}"""
VERDICTS = {"sync", "sync-threads", "sync-processes", "async", "async-offload"}


def runner_worker(page: Page) -> object:
    """The runner's live worker (Playwright handle), once it has started."""
    for _ in range(100):
        workers = [worker for worker in page.workers if worker.url.endswith(WORKER_PATH)]
        if workers:
            return workers[-1]
        page.wait_for_timeout(100)
    raise AssertionError("the runner's worker did not start")


def quiet_page(site: BuiltSite) -> str:
    """A page of the site without examples (so without a runner worker of its own)."""
    with_examples = {e.page for e in discover_examples(site.path)}
    return next(p for p in ("", "rules/", "faq/", "decide/", "building/") if p not in with_examples)


def wait_for_one_snapshot(page: Page) -> int:
    """Wait until exactly one start-up snapshot is stored (the worker saves it in the background); its size."""
    one_stored = (
        f"async () => {{ const s = await ({STORED_SNAPSHOTS_JS})(); return s.length === 1 && s[0] > 1e6 && s; }}"
    )
    sizes = wait_for_async(page, one_stored, timeout_ms=RUN_TIMEOUT_MS)
    return sizes[0]  # type: ignore[index]


# Which stdlib modules came from bytecode (tools/precompile_stdlib.mjs), and a traceback through one of them.
BYTECODE_CODE = """import inspect, sys, traceback
zipped = [getattr(m.__spec__, "origin", None) or "" for m in list(sys.modules.values()) if m.__spec__]
zipped = [o for o in zipped if o.startswith("/lib/python314.zip/")]
print(len([o for o in zipped if o.endswith(".pyc")]), sorted(o for o in zipped if not o.endswith(".pyc")))
try:
    inspect.signature(1)
except TypeError:
    print(traceback.format_exc())
"""
# A module nobody imported before the snapshot was taken: read from the standard library zip at run time.
LATE_IMPORT_CODE = "import json, statistics\nprint(statistics.mean([1, 2]), json.dumps([1]))\n"


def test_python_starts_from_bytecode_and_a_snapshot_survives_a_new_stdlib_zip(
    page: Page, site_url: str, engine_site: BuiltSite
) -> None:
    """Every module imported while Python starts comes from the bytecode tools/precompile_stdlib.mjs added to the
    standard library zip, and tracebacks through those modules still show their source lines.

    Then the zip changes under a stored snapshot (a later build of the site adds or moves entries; here Pyodide's
    own zip is served instead). The restored interpreter must not use its remembered layout of the old zip
    (zipimport's directory cache): without worker.js's RESTORED_PY dropping it, the late import fails with
    "bad local file header".
    """
    page.goto(site_url + quiet_page(engine_site))  # no runner worker of the page's own, only the test's
    first = page.evaluate(OWN_WORKER_JS, [WORKER_PATH, BYTECODE_CODE])
    assert (first["fromSnapshot"], first["ok"]) == (False, True), first
    count, from_source = first["lines"][0].split(" ", 1)
    assert int(count) >= 100
    assert from_source == "[]"  # nothing imported at start-up was compiled from source
    traceback_text = "".join(first["lines"][1:])
    assert 'File "/lib/python314.zip/inspect.py"' in traceback_text
    assert "raise TypeError('{!r} is not a callable object'.format(obj))" in traceback_text  # the source line
    wait_for_one_snapshot(page)

    page.route("**/vendor/pyodide/python_stdlib.zip", lambda route: route.fulfill(path=NPM_STDLIB))
    page.reload()
    again = page.evaluate(OWN_WORKER_JS, [WORKER_PATH, LATE_IMPORT_CODE])
    assert (again["fromSnapshot"], again["ok"], again["lines"][:1]) == (True, True, ["1.5 [1]"]), again


def test_returning_reader_starts_python_from_the_stored_snapshot(
    page: Page, site_url: str, engine_site: BuiltSite
) -> None:
    """First visit: Python starts the ordinary way and a snapshot is stored; the next visit restores it (examples,
    the `js` module and the wizard engine work); a snapshot Pyodide refuses is replaced, the page still works."""
    page.goto(site_url + quiet_page(engine_site))  # no examples: no runner worker, only the test's own
    first = page.evaluate(OWN_WORKER_JS, [WORKER_PATH, JS_MODULE_CODE])
    assert first["fromSnapshot"] is False
    assert (first["ok"], first["lines"][0]) == (True, "7 Mozilla")
    assert first["verdict"] in VERDICTS
    stored = wait_for_one_snapshot(page)
    # Stored without its zero pages (sparse.js): smaller than the memory it gives back (the header says how big).
    assert stored < page.evaluate(UNPACKED_BYTES_JS)

    page.goto(site_url + LAB)
    example = page.locator('div.af-runnable.af-enhanced[data-af-source*="stderr line"]')
    expect(example.locator(".af-status")).to_contain_text("Python is ready")
    assert runner_worker(page).evaluate(RESTORED_JS) == 1  # type: ignore[attr-defined]
    assert run_and_wait(example) == "done"
    expect(example.locator(".af-output")).to_contain_text("stdout line 2")
    again = page.evaluate(OWN_WORKER_JS, [WORKER_PATH, JS_MODULE_CODE])
    assert again["fromSnapshot"] is True
    assert (again["ok"], again["lines"][0]) == (True, "7 Mozilla")
    # The first visit drew its number from the state the snapshot then kept: without a reseed the restored
    # interpreter would draw the very same one.
    assert again["lines"][1] != first["lines"][1]
    assert again["verdict"] in VERDICTS

    # A snapshot Pyodide refuses (here: garbage, packed as worker.js packs, under the same key) is dropped and
    # replaced.
    page.evaluate(
        f"""async () => {{
            const {{ pack }} = await import("/assets/runner/sparse.js");
            const cache = await caches.open("{SNAPSHOT_CACHE}");
            const [request] = await cache.keys();
            await cache.put(request, new Response(pack(new Uint8Array(4096).fill(7))));
        }}"""
    )
    page.reload()
    expect(example.locator(".af-status")).to_contain_text("Python is ready")
    assert runner_worker(page).evaluate(RESTORED_JS) == 0  # type: ignore[attr-defined]
    assert run_and_wait(example) == "done"
    assert wait_for_one_snapshot(page) > 4096
