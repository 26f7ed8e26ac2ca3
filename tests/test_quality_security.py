"""Security gates: a strict Content-Security-Policy on every page, no HTML sinks, no third-party requests.

- Static: every built page carries the policy of overrides/partials/csp.html before any script, has no inline
  executable script, event-handler attribute or javascript: URL; our JavaScript (docs/assets/**, overrides/**)
  never feeds text to an HTML sink; the Material scripts we moved out of line are still Material's code.
- Browser, policy enforced: every page (and instant navigation between pages) loads without a CSP violation,
  console error or request to anything but the local server; the runner boots Pyodide under the policy and shows
  program output containing HTML as text; hostile wizard permalinks create no element and run no script.
Workflow permissions and pinned actions are tested in tests/test_workflows.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT, BuiltSite, close_routed
from tests.test_quality_a11y import (
    MATERIAL_TEMPLATES,
    OVERRIDES,
    answered_query,
    built_pages,
    open_site_page,
    pages_to_check,
)

CSP_PARTIAL = OVERRIDES / "partials" / "csp.html"
LAB = "runner-lab/"
RUN_TIMEOUT_MS = 60_000
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
NON_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json", "text/template", "text/plain"})
HTML_SINK = re.compile(r"\.(?:innerHTML|outerHTML)\s*\+?=|\.insertAdjacentHTML\s*\(|document\.write(?:ln)?\s*\(")
STATIC_ASSIGNMENT = re.compile(r"""\.(?:innerHTML|outerHTML)\s*=\s*(["'])[^"'`$]*\1\s*;?\s*$""")

# Collects violations in every document of the context (the page and any frame), before any page script runs.
CSP_LISTENER = """
window.__afCspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__afCspViolations.push([location.href,
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`]));
"""


# Zensical's search UI puts one <style> element into its shadow root; the Zensical build's policy allows exactly
# that text by its hash in style-src (overrides/partials/csp.html, docs/building.md). Nothing else may differ.
ZENSICAL_STYLE_HASHES = ("'sha256-NwSx/R2V/U4jnW0Tq5pQ53Y/rzPVJ4dqE7D6UTA/J1k='",)  # Zensical 0.0.73's search CSS


def expected_policy(engine: str = "mkdocs") -> str:
    """The policy text of overrides/partials/csp.html (the single source of truth) for the build of engine.

    The partial holds two policies: the first for MkDocs, the second for Zensical (chosen by asyncfit_zensical,
    overrides/main.html).
    """
    policies = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]+)"', CSP_PARTIAL.read_text("utf-8"))
    assert len(policies) == 2, f"{CSP_PARTIAL}: expected the MkDocs and the Zensical policy, found {len(policies)}"
    return policies[0] if engine == "mkdocs" else policies[1]


def parse_policy(policy: str) -> dict[str, list[str]]:
    """{directive: [sources]} of a policy string."""
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def allows_nothing(policy: str | None) -> bool:
    """True for a policy stricter than ours: every directive is 'none' (the redirect stubs carry one)."""
    if not policy:
        return False
    directives = parse_policy(policy)
    return directives.get("default-src") == ["'none'"] and all(s == ["'none'"] for s in directives.values())


# Console errors caused by files this gate's owner does not own, reported to their owners: (page path, text in
# the message) -> what and where. Remove an entry as soon as it is fixed.
KNOWN_CONSOLE_ERRORS: dict[tuple[str, str], str] = {}  # none open today
# CSP violations caused by files this gate's owner does not own: (page path, text in the report) -> why.
KNOWN_CSP_VIOLATIONS: dict[tuple[str, str], str] = {}  # none open today


def _unknown(found: list[tuple[str, str]], known: dict[tuple[str, str], str], site_url: str) -> list[str]:
    """(page URL, text) pairs that no entry of known covers, as readable lines."""
    lines = []
    for url, text in found:
        path = url.removeprefix(site_url).split("#", 1)[0].split("?", 1)[0]
        if not any(path == page and needle in text for (page, needle) in known):
            lines.append(f"{text} (on {url})")
    return lines


def unexpected_console_errors(messages: list[tuple[str, str]], site_url: str) -> list[str]:
    """Console errors that no KNOWN_CONSOLE_ERRORS entry covers."""
    return _unknown(messages, KNOWN_CONSOLE_ERRORS, site_url)


def unexpected_violations(violations: list[list[str]], site_url: str) -> list[str]:
    """CSP violations that no KNOWN_CSP_VIOLATIONS entry covers."""
    return _unknown([(url, text) for url, text in violations], KNOWN_CSP_VIOLATIONS, site_url)


# ---------------------------------------------------------------------------------------------------------------
# Static checks of the built pages


class _HeadScan(HTMLParser):
    """What the security checks need from one page: the CSP meta, scripts, handlers and javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.policy: str | None = None
        self.policy_in_head = False
        self.scripts_before_policy = 0
        self.inline_scripts: list[str] = []
        self.handlers: list[str] = []
        self.js_urls: list[str] = []
        self._in_head = False
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "head":
            self._in_head = True
        elif tag == "body":
            self._in_head = False
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.policy = values.get("content")
            self.policy_in_head = self._in_head
        if tag == "script":
            if self.policy is None:
                self.scripts_before_policy += 1
            if "src" not in values and values.get("type", "").lower() not in NON_SCRIPT_TYPES:
                self._in_inline_script = True
        self.handlers += [f"<{tag} {name}>" for name in values if name.startswith("on")]
        self.js_urls += [
            f"<{tag} {name}={value[:40]}>"
            for name, value in values.items()
            if name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith("javascript:")
        ]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.inline_scripts.append(data.strip()[:80])


def test_zensical_policy_is_the_mkdocs_policy_plus_its_search_style_hash() -> None:
    mkdocs, zensical = parse_policy(expected_policy("mkdocs")), parse_policy(expected_policy("zensical"))
    assert zensical.pop("style-src") == mkdocs.pop("style-src") + list(ZENSICAL_STYLE_HASHES)
    assert zensical == mkdocs


@pytest.mark.parametrize("policy_of", ["mkdocs", "zensical"])
def test_csp_policy_is_strict(policy_of: str) -> None:
    policy = parse_policy(expected_policy(policy_of))
    if policy_of == "zensical":  # its one extra source, checked above
        policy["style-src"] = [s for s in policy["style-src"] if s not in ZENSICAL_STYLE_HASHES]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert policy["worker-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    for directive, sources in policy.items():
        for source in sources:
            assert source in {"'self'", "'none'", "'wasm-unsafe-eval'", "data:", "'unsafe-inline'"}, (directive, source)
            assert source != "'unsafe-inline'" or directive == "style-src-attr", (directive, source)
    # A <meta> policy cannot carry these (browsers ignore them there and log an error on every page).
    assert not {"frame-ancestors", "report-uri", "sandbox"} & set(policy)


def test_every_built_page_carries_the_policy_and_no_inline_script(engine: str, engine_site: BuiltSite) -> None:
    policy = expected_policy(engine)
    problems: list[str] = []
    pages = built_pages(engine_site.path)
    assert len(pages) >= 10
    for rel in pages:
        path = engine_site.path / (rel if rel.endswith(".html") else rel + "index.html")
        scan = _HeadScan()
        scan.feed(path.read_text(encoding="utf-8"))
        if scan.policy != policy and not allows_nothing(scan.policy):
            problems.append(f"/{rel}: CSP meta is {scan.policy!r}")
        if not scan.policy_in_head or scan.scripts_before_policy:
            problems.append(f"/{rel}: CSP meta must be in <head> before every script")
        problems += [f"/{rel}: inline script {s!r}" for s in scan.inline_scripts]
        problems += [f"/{rel}: event-handler attribute {h}" for h in scan.handlers]
        problems += [f"/{rel}: javascript: URL {u}" for u in scan.js_urls]
    assert problems == []


def _material_inline_script(partial: str, marker: str = "") -> str:
    """The body of the inline <script> in Material's partial (the one containing marker)."""
    text = (MATERIAL_TEMPLATES / "partials" / "javascripts" / partial).read_text(encoding="utf-8")
    bodies = [body for body in re.findall(r"<script>(.*?)</script>", text, re.DOTALL) if marker in body]
    assert len(bodies) == 1, f"Material's {partial} changed: re-check overrides/partials/javascripts/{partial}"
    return bodies[0]


@pytest.mark.parametrize(
    ("partial", "marker", "ours", "substitution"),
    [
        (
            "base.html",
            "",
            "md-scope.js",
            ('"{{ config.extra.scope | d(base_url) }}"', "document.currentScript.dataset.mdScope"),
        ),
        ("palette.html", "", "md-palette.js", ("", "")),
        ("content.html", "tabbed-set", "md-tabs.js", ("", "")),
        ("content.html", "location.hash", "md-hash-target.js", ("", "")),
    ],
)
def test_material_scripts_moved_out_of_line_are_materials_code(
    partial: str, marker: str, ours: str, substitution: tuple[str, str]
) -> None:
    material = _material_inline_script(partial, marker)
    if substitution[0]:
        assert material.count(substitution[0]) == 1, f"Material's {partial} changed its scope expression"
        material = material.replace(*substitution)
    code = (OVERRIDES / "assets" / "asyncfit-theme" / ours).read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/\s*", "", code, count=1, flags=re.DOTALL).strip()
    assert code == material.strip(), f"{ours} differs from Material's {partial}: copy it again"
    # ...and our partial loads that file instead of inlining the script.
    template = (OVERRIDES / "partials" / "javascripts" / partial).read_text(encoding="utf-8")
    assert f"assets/asyncfit-theme/{ours}" in template
    assert "<script>" not in template


def _strip_js_comments(source: str) -> str:
    """JavaScript without /* */ and // comments (rough, but our files put no // inside strings on sink lines)."""
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)
    return re.sub(r"(^|[^:\"'`])//.*$", r"\1", source, flags=re.MULTILINE)


def test_no_html_sink_with_dynamic_text_in_site_javascript() -> None:
    files = sorted(
        p
        for base in (ROOT / "docs" / "assets", OVERRIDES)
        for p in base.rglob("*")
        if p.suffix in {".js", ".mjs"} and p.is_file()
    )
    assert any("runner" in p.parts for p in files) or files, "no site JavaScript found"
    problems = []
    for path in files:
        for number, line in enumerate(_strip_js_comments(path.read_text(encoding="utf-8")).splitlines(), 1):
            if HTML_SINK.search(line) and not STATIC_ASSIGNMENT.search(line):
                problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert problems == []


# ---------------------------------------------------------------------------------------------------------------
# In the browser, policy enforced


class Watch:
    """A browser context that records CSP violations, console errors and every non-loopback request (aborted)."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context()
        self.context.add_init_script(CSP_LISTENER)
        self.third_party: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console.append((self.page.url, m.text)))
        self.page.on("pageerror", lambda exc: self.console.append((self.page.url, str(exc))))

    def _route(self, route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob"} or parts.hostname in LOOPBACK_HOSTS:
            route.continue_()
            return
        self.third_party.append(f"{url} (from {self.page.url})")
        route.abort()

    def violations(self) -> list[list[str]]:
        """The CSP violations of the current document: [page URL, report]."""
        return self.page.evaluate("() => window.__afCspViolations || []")


@pytest.fixture
def watch(browser: Any) -> Iterator[Watch]:
    w = Watch(browser)
    yield w
    close_routed(w.context)


@pytest.mark.browser
def test_every_page_loads_without_csp_violation_console_error_or_third_party_request(
    engine: str, engine_site: BuiltSite, site_url: str, watch: Watch
) -> None:
    problems: list[str] = []
    for rel in pages_to_check(engine, engine_site.path):
        open_site_page(watch.page, site_url, rel)
        watch.page.wait_for_timeout(300)  # late work: palette, search worker start-up, idle-time loads
        problems += [f"CSP {v}" for v in unexpected_violations(watch.violations(), site_url)]
    assert problems == []
    assert watch.third_party == []
    assert unexpected_console_errors(watch.console, site_url) == []


def search(page: Any, engine: str, query: str) -> None:
    """Search the site the way a reader does with this engine's theme and wait for the result count.

    Material: "/" focuses the header's search field; its worker fetches the index and the result list's header
    says "N matching documents". Zensical: the header's Search button opens a dialog (its own <dialog> in a shadow
    root, which Playwright's locators pierce) whose input has focus; a status line says "N results".
    """
    if engine == "zensical":
        page.locator(".md-header .md-search__button").click()
        expect(page.get_by_role("combobox", name="Search")).to_be_focused()
        page.keyboard.type(query)
        expect(page.locator("dialog [role=status]")).to_contain_text(re.compile(r"\d+ results?"), timeout=15_000)
    else:
        page.keyboard.press("/")
        page.keyboard.type(query)
        expect(page.locator(".md-search-result__meta")).to_contain_text("matching", timeout=15_000)


@pytest.mark.browser
def test_instant_navigation_and_search_stay_within_the_policy(engine: str, site_url: str, watch: Watch) -> None:
    page = watch.page
    # Material's instant navigation only follows URLs listed in sitemap.xml, which names the production site.
    production = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text("utf-8"), re.MULTILINE)
    assert production

    def sitemap(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(production.group(1), site_url))

    page.route("**/sitemap.xml", sitemap)
    open_site_page(page, site_url, "")
    # Top-level entries (the rules catalogue sits in a collapsed section; every page's policy is checked elsewhere).
    for link_text in ("Style-guide kit", "Decision wizard", "FAQ"):
        page.locator(".md-nav--primary a.md-nav__link", has_text=link_text).first.click()
        expect(page.locator("h1")).to_be_visible()
        page.wait_for_function("() => document.documentElement.classList.contains('js')")
    search(page, engine, "gather")
    assert unexpected_violations(watch.violations(), site_url) == []
    assert watch.third_party == []
    assert unexpected_console_errors(watch.console, site_url) == []


@pytest.mark.browser
def test_runner_boots_pyodide_under_the_policy_and_prints_html_as_text(site_url: str, watch: Watch) -> None:
    page = watch.page
    open_site_page(page, site_url, LAB)
    example = page.locator("div.af-runnable.af-enhanced[data-af-runs=pyodide]").first
    hostile = (
        'print("<img src=x onerror=\\"window.__afPwned=1\\">")\n'
        'print("<script>window.__afPwned=2</script>")\n'
        "print(\"<b>bold</b> & '<svg onload=window.__afPwned=3>'\")\n"
    )
    example.locator(".af-edit").click()  # the editor (Ace, under the same policy) is created on demand
    expect(example).to_have_attribute("data-af-editor", "open")
    page.evaluate(
        """([root, code]) => {
            const host = root.querySelector(".af-editor");
            if (host && host.env && host.env.editor) host.env.editor.setValue(code, 1);
            else root.querySelector("textarea").value = code;
        }""",
        [example.element_handle(), hostile],
    )
    example.locator(".af-run").click()
    expect(example).to_have_attribute("data-af-state", "done", timeout=RUN_TIMEOUT_MS)
    output = example.locator(".af-output")
    expect(output).to_contain_text('<img src=x onerror="window.__afPwned=1">')
    expect(output).to_contain_text("<script>window.__afPwned=2</script>")
    expect(output).to_contain_text("<b>bold</b> &")
    assert output.locator("img, script, b, svg").count() == 0
    assert page.evaluate("() => window.__afPwned") is None
    assert unexpected_violations(watch.violations(), site_url) == []
    assert watch.third_party == []
    assert unexpected_console_errors(watch.console, site_url) == []


HOSTILE_VALUES = [
    "<script>window.__afPwned=1</script>",
    '<img src=x onerror="window.__afPwned=2">',
    "\"'><svg onload=window.__afPwned=3>",
    "javascript:window.__afPwned=4",
    "x" * 5000,
    "\u202eevil\u200b\U0001f600\u0000\ufffd",
]


@pytest.mark.browser
def test_hostile_wizard_permalinks_create_no_element_and_run_no_script(site_url: str, watch: Watch) -> None:
    page = watch.page
    open_site_page(page, site_url, "wizard/")
    groups = page.evaluate(
        """() => [...new Set([...document.querySelectorAll("[data-af-wizard] form input[type=radio]")]
                   .map((i) => i.name))]"""
    )
    assert groups, "the wizard page has no [data-af-wizard] form"
    dangerous = "script, img, svg, iframe, object, embed, [onerror], [onload]"
    baseline = page.locator(f"[data-af-wizard] :is({dangerous})").count()
    queries = []
    for value in HOSTILE_VALUES:
        queries.append(f"{groups[0]}={quote(value)}")  # a hostile answer to a real question
        queries.append(f"{quote(value)}=1")  # a hostile question name
    queries.append("&".join(f"{quote(v)}={quote(v)}" for v in HOSTILE_VALUES))
    queries.append("%ED%A0%80=%FF%FE&" + answered_query({groups[0]: ["%"]}))  # undecodable bytes
    problems = []
    for query in queries:
        open_site_page(page, site_url, f"wizard/?{query}")
        page.wait_for_timeout(100)
        injected = page.locator(f"[data-af-wizard] :is({dangerous})").count()
        if injected != baseline or page.evaluate("() => window.__afPwned") is not None:
            problems.append(f"?{query[:80]}: {injected} dangerous elements (baseline {baseline})")
        problems += [f"?{query[:80]}: CSP {v}" for v in unexpected_violations(watch.violations(), site_url)]
    assert problems == []
    assert watch.third_party == []
    assert unexpected_console_errors(watch.console, site_url) == []
