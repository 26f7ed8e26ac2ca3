"""Accessibility gates: axe-core in real Chromium on every built page, both palettes, wizard states, keyboard.

How it works:
- Every HTML page of the real build is discovered from the built folder (`built_pages`), never from a list, so a
  new page is checked the day it lands. 404.html links its assets under site_url's path (/asyncfit/...): a
  Playwright route maps that prefix onto the local server (`open_site_page`).
- axe-core comes from node_modules (npm devDependency, pinned) and is injected with `page.add_script_tag(path=...)`.
  An injected script is inline, which the site's own Content-Security-Policy forbids, so these contexts use
  `bypass_csp=True`; tests/test_quality_security.py checks the CSP itself with the policy enforced.
- Gate: no violation of impact "serious" or "critical". Lesser findings are not gated.

The helpers at the top are reused by tests/test_quality_security.py and tests/test_quality_robustness.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT, BuiltSite, close_routed

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
GATED_IMPACTS = frozenset({"serious", "critical"})
PALETTES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's data-md-color-scheme
MATERIAL_TEMPLATES = Path(__import__("material").__file__).parent / "templates"
OVERRIDES = ROOT / "overrides"
SETTLE_TIMEOUT_MS = 20_000
RUN_TIMEOUT_MS = 60_000
LAB = "runner-lab/"  # the hidden page exercising the runner (docs/runner-lab.md)


def site_path_prefix() -> str:
    """The path of mkdocs.yml's site_url without slashes ("asyncfit"): 404.html links its assets under it."""
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    return urlsplit(match.group(1)).path.strip("/") if match else ""


def built_pages(site: Path) -> list[str]:
    """Every HTML page of the build, as a URL relative to the site root ("", "rules/", "404.html", ...)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if rel.parts[0] in {"vendor", "assets"}:
            continue
        posix = rel.as_posix()
        pages.append(posix.removesuffix("index.html") if path.name == "index.html" else posix)
    return pages


# The rule pages (rules/af101/ ... ) are one template filled from the catalogue. The MkDocs build checks every one;
# under Zensical the every-page checks take these two (one runnable example, one CPython-only), which the rules tests
# also check in both engines. Every other page is checked under both engines.
ZENSICAL_RULE_PAGES = ("rules/af101/", "rules/af201/")
RULE_PAGE_RE = re.compile(r"^rules/af\d{3}/$")


def pages_to_check(engine: str, site: Path) -> list[str]:
    """The built pages an every-page check visits under this engine (see ZENSICAL_RULE_PAGES)."""
    pages = built_pages(site)
    if engine == "mkdocs":
        return pages
    return [rel for rel in pages if not RULE_PAGE_RE.match(rel) or rel in ZENSICAL_RULE_PAGES]


SETTLED_JS = """() => {
    // Material's bundle has run (it swaps html.no-js for html.js), every runnable example is enhanced (its toolbar
    // with Edit: editors are created on demand) and every wizard shows its verdict (with the link's problems, if
    // any) or says its table failed to load. Mounting comes first: the table is fetched after it (wizard.mjs).
    const material = document.documentElement.classList.contains("js");
    const examples = [...document.querySelectorAll('div.af-runnable[data-af-runs="pyodide"]')].every(
        (el) => el.classList.contains("af-enhanced") && !!el.querySelector(".af-edit, .ace_editor, textarea"));
    const wizards = [...document.querySelectorAll("[data-af-wizard]")].every(
        (el) => el.dataset.afReady || el.dataset.afTableError);
    return material && examples && wizards;
}"""


def open_site_page(page: Any, site_url: str, rel: str) -> None:
    """Load one built page and wait until its scripts have settled (see SETTLED_JS).

    Not "networkidle": a page with examples starts downloading Pyodide when idle, which is not part of what the
    reader sees first and would make every check wait for a Python boot.
    """
    prefix = site_path_prefix()
    if rel == "404.html" and prefix:
        page.route(
            f"{site_url}{prefix}/**",
            lambda route: route.continue_(url=route.request.url.replace(f"/{prefix}/", "/", 1)),
        )
    page.goto(site_url + rel, wait_until="load")
    page.wait_for_function(SETTLED_JS, timeout=SETTLE_TIMEOUT_MS)


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Inject axe-core and return its violations: [{id, impact, help, targets, why}].

    why is axe's failure summary of the first node (for colour contrast it names both colours and the ratio).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
                why: v.nodes[0]?.failureSummary ?? "",
            }));
        }"""
    )


# Serious findings in files this gate's owner does not own, reported to their owners: (page path, axe rule id,
# text in the target selector) -> what and where. Matching findings are not gated; everything else is. Remove an
# entry as soon as its owner fixes it (the gate then keeps it fixed).
KNOWN_ISSUES: dict[tuple[str, str, str], str] = {}  # none open today


def known_issue(rel: str, violation: dict[str, Any]) -> str | None:
    """The KNOWN_ISSUES entry that covers this finding on page rel (query string ignored), if any."""
    path = rel.split("?", 1)[0]
    for (page, rule, target), why in KNOWN_ISSUES.items():
        if path == page and violation["id"] == rule and any(target in t for t in violation["targets"]):
            return why
    return None


def gated(violations: list[dict[str, Any]], rel: str, label: str = "") -> list[str]:
    """The serious/critical violations on page rel that are not known issues, as readable lines."""
    return [
        f"/{rel}{label}: {v['impact']} {v['id']} ({v['help']}) at {', '.join(v['targets'])}: {v.get('why', '')}"
        for v in violations
        if v["impact"] in GATED_IMPACTS and not known_issue(rel, v)
    ]


def hold_pyodide(context: Any) -> None:
    """Keep Pyodide loading forever in this context: pages stay in their first "Loading Python" state.

    Examples start downloading Pyodide once the page is idle; booting it takes a CPU core for seconds, which
    would triple axe's time on every page with examples. The ready state is checked once, on the runner lab.
    pyodide.mjs is answered with a module whose top-level await never settles, so its import never finishes.
    """
    context.route(
        "**/vendor/pyodide/pyodide.mjs",
        lambda route: route.fulfill(body="await new Promise(() => {});\n", content_type="text/javascript"),
    )


@pytest.fixture
def axe_context(browser: Any) -> Iterator[Any]:
    """A factory of browser contexts that let axe be injected (CSP bypassed), closed after the test."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(bypass_csp=True, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        close_routed(context)


# ---------------------------------------------------------------------------------------------------------------
# Wizard and runner discovery (shared with the security and robustness gates)


def wizard_radio_groups(page: Any) -> dict[str, list[str]]:
    """The wizard form's radio groups on the current page: {name: [values in page order]}."""
    return page.evaluate(
        """() => {
            const groups = {};
            for (const input of document.querySelectorAll("[data-af-wizard] form input[type=radio]")) {
                (groups[input.name] ??= []).push(input.value);
            }
            return groups;
        }"""
    )


def answered_query(groups: dict[str, list[str]]) -> str:
    """A valid permalink query answering every question with its last option (usually not the default)."""
    return urlencode({name: values[-1] for name, values in groups.items()})


# ---------------------------------------------------------------------------------------------------------------
# axe on every page, both palettes


def switch_palette(page: Any, scheme: str) -> None:
    """Click the header's palette toggle until the page shows scheme ("default" or "slate")."""
    for _ in range(len(PALETTES)):
        if page.evaluate("() => document.body.dataset.mdColorScheme") == scheme:
            return
        page.locator("form[data-af-palette] label:visible").first.click()
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == scheme
    # The runner's editors follow the palette a moment later (Ace loads the theme, then marks a dark one with
    # .ace_dark) and repaint in Ace's next render-loop frame; a size change re-renders them 50 ms after Ace's
    # ResizeObserver reports it. Wait for all of that, let two frames pass (ResizeObserver reports within a frame)
    # and wait again. The gutter's colour fix (quality.css) is keyed on the Ace theme, so it is never drawn on the
    # other theme's background in between.
    dark = scheme == PALETTES["dark"]
    page.wait_for_function(EDITORS_SETTLED_JS, arg=dark, timeout=SETTLE_TIMEOUT_MS)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_function(EDITORS_SETTLED_JS, arg=dark, timeout=SETTLE_TIMEOUT_MS)


EDITORS_SETTLED_JS = """(dark) => [...document.querySelectorAll(".ace_editor")].every((el) => {
    const renderer = el.env?.editor?.renderer;
    const busy = renderer?.$loop?.pending || renderer?.$resizeTimer?.isPending();
    return el.classList.contains("ace_dark") === dark && !busy;
})"""


@pytest.mark.browser
def test_axe_every_page_in_both_palettes_has_no_serious_violation(
    engine: str, engine_site: BuiltSite, site_url: str, axe_context: Any
) -> None:
    # Each page is loaded in the light palette and checked with every axe rule, then switched to the dark palette
    # with Material's toggle and checked again (the DOM is the same; colours are what change).
    context = axe_context(color_scheme="light")
    hold_pyodide(context)
    page = context.new_page()
    pages = pages_to_check(engine, engine_site.path)
    assert len(pages) >= 10, pages
    problems: list[str] = []
    for rel in pages:
        open_site_page(page, site_url, rel)
        switch_palette(page, PALETTES["light"])
        problems += gated(run_axe(page), rel, " [light]")
        switch_palette(page, PALETTES["dark"])
        problems += gated(run_axe(page), rel, " [dark]")
        switch_palette(page, PALETTES["light"])  # stored by Material: the next page loads light again
    assert problems == []


@pytest.mark.browser
@pytest.mark.parametrize("rel", ["rules/", "rules/af101/", "rules/af201/"])  # index, browser example, CPython one
def test_axe_rules_index_and_rule_pages_have_no_serious_violation(site_url: str, axe_context: Any, rel: str) -> None:
    """The same gate as the every-page test, on the rules pages alone (quick to run with -k rules)."""
    context = axe_context(color_scheme="light")
    hold_pyodide(context)
    page = context.new_page()
    open_site_page(page, site_url, rel)
    switch_palette(page, PALETTES["light"])
    problems = gated(run_axe(page), rel, " [light]")
    switch_palette(page, PALETTES["dark"])
    problems += gated(run_axe(page), rel, " [dark]")
    assert problems == []


@pytest.mark.browser
def test_dark_preference_loads_the_dark_palette(site_url: str, axe_context: Any) -> None:
    page = axe_context(color_scheme="dark").new_page()
    open_site_page(page, site_url, "")
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == PALETTES["dark"]
    assert gated(run_axe(page), "", " [dark, from prefers-color-scheme]") == []


@pytest.mark.browser
def test_palette_toggle_switches_and_persists_across_pages(site_url: str, page: Any) -> None:
    # Also proves the palette script moved out of line (overrides/partials/javascripts/palette.html) still works.
    page.emulate_media(color_scheme="light")
    open_site_page(page, site_url, "")
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == "default"
    page.locator("label.md-header__button[for^='__palette_']:visible").first.click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    open_site_page(page, site_url, "rules/")  # a full load: the stored choice is applied before first paint
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == "slate"
    assert page.console_errors == []


# Records, from before the page's first byte, what palette-toggle.js and absolute-stylesheets.js are there to
# avoid: the body's colour attributes written again while the page loads, and stylesheet links rewritten once the
# body exists (each restyles every element of the page). `bodyParsed` is whether the body existed when the change
# was reported: absolute-stylesheets.js runs in the head, Material's instant navigation once the bundle starts.
LOAD_RESTYLES_JS = """
window.__afRestyles = {recolours: [], stylesheetHrefs: []};
new MutationObserver((records) => {
  for (const record of records) {
    const el = record.target;
    if (el.localName === "body" && record.attributeName !== "data-md-color-media") {
      window.__afRestyles.recolours.push(`${record.attributeName}=${el.getAttribute(record.attributeName)}`);
    }
    if (el.localName === "link" && el.rel === "stylesheet" && record.attributeName === "href") {
      window.__afRestyles.stylesheetHrefs.push({href: el.getAttribute("href"), bodyParsed: document.body !== null});
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: [
  "href", "data-md-color-scheme", "data-md-color-primary", "data-md-color-accent", "data-md-color-switching",
]});
"""
HEADER_COLOUR_JS = """() => '#' + getComputedStyle(document.querySelector('[data-md-component=header]'))
    .backgroundColor.match(/\\d+/g).slice(0, 3).map((v) => Number(v).toString(16).padStart(2, '0')).join('')"""
THEME_COLOR_FILLED_JS = "() => /^#[0-9a-f]{6}$/.test(document.querySelector('meta[name=theme-color]')?.content ?? '')"


@pytest.mark.browser
def test_loading_a_page_restyles_nothing_for_the_palette_or_the_stylesheet_links(site_url: str, page: Any) -> None:
    # A first visit in the light palette, under the site's CSP: the page already has its colours, so nothing
    # writes them again, and the stylesheet links are absolute before the body is styled
    # (docs/performance.md#main-thread-at-load).
    page.emulate_media(color_scheme="light")
    hold_pyodide(page.context)
    page.add_init_script(LOAD_RESTYLES_JS)
    open_site_page(page, site_url, "how-async-works/")
    page.wait_for_function(THEME_COLOR_FILLED_JS, timeout=SETTLE_TIMEOUT_MS)  # filled once the page is idle
    restyles = page.evaluate("() => window.__afRestyles")
    assert restyles["recolours"] == []
    links = page.evaluate("() => document.querySelectorAll('link[rel=stylesheet]').length")
    assert len(restyles["stylesheetHrefs"]) == links > 0
    assert all(change["bodyParsed"] is False for change in restyles["stylesheetHrefs"]), restyles
    assert all(change["href"].startswith(site_url) for change in restyles["stylesheetHrefs"]), restyles
    assert page.evaluate("() => document.querySelector('meta[name=color-scheme]')?.content") == ""

    # Enter on the focused palette input moves to the next palette, as with Material's component: the colours
    # change once, with transitions off while they do, and the meta tags follow the header.
    page.focus("#__palette_0")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    page.wait_for_function("() => !document.body.hasAttribute('data-md-color-switching')")
    recolours = page.evaluate("() => window.__afRestyles.recolours")
    assert recolours[0] == "data-md-color-switching=", recolours
    assert recolours[-1] == "data-md-color-switching=null", recolours
    assert "data-md-color-scheme=slate" in recolours
    assert page.evaluate("() => document.querySelector('meta[name=color-scheme]').content") == "dark"
    assert page.evaluate(HEADER_COLOUR_JS) == page.evaluate(
        "() => document.querySelector('meta[name=theme-color]').content"
    )
    assert page.locator("form[data-md-component=palette]").count() == 0  # the theme's own component is not mounted
    assert page.console_errors == []


# ---------------------------------------------------------------------------------------------------------------
# Wizard states


@pytest.mark.browser
@pytest.mark.parametrize("scheme", sorted(PALETTES))
def test_axe_wizard_states_have_no_serious_violation(site_url: str, axe_context: Any, scheme: str) -> None:
    context = axe_context(color_scheme=scheme)
    hold_pyodide(context)
    page = context.new_page()
    open_site_page(page, site_url, "wizard/")
    groups = wizard_radio_groups(page)
    if not groups:
        pytest.skip("the wizard page has no [data-af-wizard] form yet")
    states = {
        "default": "wizard/",
        "answered via query": f"wizard/?{answered_query(groups)}",
        "bad link": "wizard/?" + urlencode({next(iter(groups)): "no-such-answer", "unknown_question": "x"}),
    }
    problems: list[str] = []
    for state, rel in states.items():
        open_site_page(page, site_url, rel)
        problems += gated(run_axe(page), rel, f" ({state}) [{scheme}]")
    assert problems == []


# ---------------------------------------------------------------------------------------------------------------
# Runner: after a run, and its live regions


@pytest.mark.browser
def test_runner_after_a_run_has_no_serious_violation_and_announces_output(site_url: str, axe_context: Any) -> None:
    page = axe_context().new_page()
    open_site_page(page, site_url, LAB)
    examples = page.locator('div.af-runnable.af-enhanced[data-af-runs="pyodide"]')
    assert examples.count() >= 2
    for example in (examples.nth(1), examples.nth(2)):  # the lab's exception and its two output streams
        example.locator(".af-run").click()
        expect(example.locator(".af-run")).to_be_enabled(timeout=RUN_TIMEOUT_MS)
        assert example.get_attribute("data-af-state") in {"done", "raised"}
    timeline = page.locator('div.af-runnable.af-enhanced[data-af-timeline="1"]').first
    timeline.locator(".af-run").click()
    expect(timeline.locator(".af-timeline")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    page.mouse.move(0, 0)  # not hovering a button: the state after the runs, not a transient hover style
    assert gated(run_axe(page), LAB, " (after runs)") == []
    # Output and status are live regions: screen readers announce new output and "Done in 0.12 s." lines.
    live = page.evaluate(
        """() => [...document.querySelectorAll('div.af-runnable.af-enhanced[data-af-runs="pyodide"]')].map((ex) => {
            const out = ex.querySelector(".af-output");
            const status = ex.querySelector(".af-status");
            const polite = (el) => !!el && (["polite", "assertive"].includes(el.getAttribute("aria-live"))
                                            || ["status", "log", "alert"].includes(el.getAttribute("role")));
            return {output: polite(out), status: polite(status)};
        })"""
    )
    assert live
    assert all(entry == {"output": True, "status": True} for entry in live), live


# ---------------------------------------------------------------------------------------------------------------
# Keyboard: Tab reaches every control in the content, and focus is visible

CONTROLS_JS = """() => {
    // Rendered and not hidden (checkVisibility is false inside a closed <details> or a visibility:hidden box);
    // a visually hidden radio counts when its label is rendered.
    const rendered = (el) => el.checkVisibility({visibilityProperty: true});
    const shown = (el) => rendered(el) || !!(el.labels && el.labels[0] && rendered(el.labels[0]));
    const controls = [...document.querySelectorAll(".md-content :is(button, input, select, textarea)")]
        .filter((el) => !el.disabled && !el.closest("[hidden], [inert]") && el.tabIndex >= 0 && shown(el));
    // One key per Tab stop: a radio group is a single stop, so its radios share the group's key.
    controls.forEach((el, i) => { el.dataset.afqKey = el.type === "radio" ? `radio:${el.name}` : `c${i}`; });
    const what = (el) => `${el.tagName.toLowerCase()} ${el.name || el.textContent.trim().slice(0, 30)}`;
    return controls.map((el) => ({key: el.dataset.afqKey, what: what(el)}));
}"""

STOP_JS = """() => {
    // Describe the focused element: its key (set by CONTROLS_JS), a readable name, whether it matches
    // :focus-visible, and whether focus shows: an outline, or a box-shadow, background or border colour that
    // differs from the same element unfocused (for a visually hidden radio/checkbox, its label's style).
    const el = document.activeElement;
    if (!el || el === document.body || !el.closest(".md-content")) return null;
    const tiny = el.getBoundingClientRect().width < 2;
    const target = el.matches("input[type=radio], input[type=checkbox]") && tiny && el.labels?.[0] ? el.labels[0] : el;
    const look = () => {
        const s = getComputedStyle(target);
        return {outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0,
                other: [s.boxShadow, s.backgroundColor, s.borderColor].join("|")};
    };
    const info = {key: el.dataset.afqKey || "", tag: el.tagName.toLowerCase(), cls: String(el.className || ""),
                  name: (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().slice(0, 40),
                  focusVisible: el.matches(":focus-visible"),
                  shown: el.checkVisibility({visibilityProperty: true}) || target !== el};
    const focused = look();
    el.blur();
    const unfocused = look();
    el.focus();
    info.indicator = focused.outline || focused.other !== unfocused.other;
    return info;
}"""


def tab_through_content(page: Any, wanted: set[str], limit: int = 1500) -> list[dict[str, Any]]:
    """Press Tab from the start of the article until focus leaves it or every wanted key was reached.

    Returns a description of each stop (see STOP_JS).
    """
    page.evaluate("""() => { const c = document.querySelector(".md-content"); c.tabIndex = -1; c.focus(); }""")
    stops: list[dict[str, Any]] = []
    missing = set(wanted)
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(STOP_JS)
        if stop is None:
            break
        stops.append(stop)
        missing.discard(stop["key"])
        if not missing:
            break
    return stops


@pytest.mark.browser
def test_keyboard_reaches_every_content_control_with_visible_focus(
    engine: str, engine_site: BuiltSite, site_url: str, axe_context: Any
) -> None:
    # Every page whose article holds controls once its scripts ran (runnable examples, the wizard, ...).
    context = axe_context()
    hold_pyodide(context)
    page = context.new_page()
    problems: list[str] = []
    checked = []
    for rel in pages_to_check(engine, engine_site.path):
        open_site_page(page, site_url, rel)
        controls = page.evaluate(CONTROLS_JS)
        if not controls:
            continue
        checked.append(rel)
        stops = tab_through_content(page, {c["key"] for c in controls})
        reached = {stop["key"] for stop in stops}
        problems += [f"/{rel}: Tab never reaches {c['what']}" for c in controls if c["key"] not in reached]
        problems += [
            f"/{rel}: no visible focus on {s['tag']}.{s['cls']} {s['name']!r}"
            for s in stops
            if s["shown"] and not (s["focusVisible"] and s["indicator"])
        ]
    assert {"wizard/", LAB, "rules/af101/"} <= set(checked), checked  # rule pages hold runnable examples
    assert problems == []


# ---------------------------------------------------------------------------------------------------------------
# Our overrides of Material's partials stay identical to Material's except for the documented change


def _strip_comments(template: str) -> str:
    return re.sub(r"\{#-?.*?-?#\}\s*", "", template, flags=re.DOTALL).strip()


OVERRIDDEN_PARTIALS = {
    # partial: (Material's text, our text): the one change each override makes
    "partials/search.html": (' role="dialog">', ' role="dialog" aria-label="{{ lang.t(\'search\') }}">'),
    "partials/progress.html": ('role="progressbar">', 'role="progressbar" aria-label="Loading page">'),
    "partials/source.html": (' data-md-component="source"', ""),
}


@pytest.mark.parametrize("partial", sorted(OVERRIDDEN_PARTIALS))
def test_overridden_partial_differs_from_material_only_by_its_fix(partial: str) -> None:
    old, new = OVERRIDDEN_PARTIALS[partial]
    material = _strip_comments((MATERIAL_TEMPLATES / partial).read_text(encoding="utf-8"))
    ours = _strip_comments((OVERRIDES / partial).read_text(encoding="utf-8"))
    assert material.count(old) == 1, f"Material's {partial} changed: re-copy it into overrides/ and re-apply the fix"
    assert ours == material.replace(old, new)
