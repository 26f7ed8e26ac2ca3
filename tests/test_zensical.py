"""Build parity with Zensical (docs/building.md): the same mkdocs.yml and docs/ build with both engines.

The comparison helpers at the top read two finished builds and return human-readable differences (an empty list
means parity); the tests at the bottom run them on the MkDocs build (`built_site`) and the Zensical build
(`zensical_site`, tests/conftest.py). The helpers are themselves tested against the MkDocs build and deliberately
damaged copies of it, so they are known to catch what they claim even where Zensical is not installed.

What may differ between engines is listed in ENGINE_SPECIFIC with the reason; everything else must match: the
set of pages and copied files, every anchor inside a page's content, the text of each page (digits masked, since
build-time examples measure time), the build-time outputs of ```pyrun examples, and the site's own CSS/JS per page.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import jinja2
import pytest

from tests.conftest import ROOT, ZENSICAL_BIN, BuiltSite, close_routed, serve, zensical_unavailable_reason

# Output paths each engine writes for itself, with why they may differ. Prefix match on the site-relative path.
ENGINE_SPECIFIC: dict[str, str] = {
    "assets/javascripts/": "the theme's JavaScript bundle and search worker: each engine ships its own",
    "assets/stylesheets/": "the theme's CSS: each engine ships its own (Zensical's sits under classic/ or modern/)",
    "search/": "MkDocs' lunr search index; Zensical writes search.json instead",
    "search.json": "Zensical's search index",
    "sitemap.xml.gz": "MkDocs also writes a gzipped sitemap; both write sitemap.xml",
    "assets/asyncfit-theme/md-scope.js": "Material's base script out of line; pages built by MkDocs load it",
    "assets/asyncfit-theme/zensical-base.js": "Zensical's base script out of line; pages built by Zensical load it "
    "instead (overrides/partials/javascripts/base.html)",
    "assets/asyncfit-theme/zensical.css": "fixes to Zensical's own theme CSS: pages built by Zensical load it "
    "(overrides/main.html)",
    "assets/_markdown_exec_": "markdown-exec's MkDocs plugin adds its Pyodide-fence CSS/JS to every page; Zensical "
    "runs markdown-exec as a superfences fence without them (the site uses no markdown-exec pyodide fence)",
}

# Ids inside a page's content that a theme adds for itself, with why they may differ.
THEME_ANCHORS: dict[str, str] = {
    "__skip": "Zensical's skip-to-content target (<a id=__skip> atop the article); Material's skip link points at "
    "the page's first heading instead",
}

# A failed markdown-exec block renders its traceback into the page. MkDocs --strict fails the build on it (the
# plugin logs a warning); Zensical 0.0.73 --strict does not, so the tests look for the traceback's frame name.
MARKDOWN_EXEC_FAILURE = "<code block: "

DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
SPACE = re.compile(r"\s+")
# Page text may differ by a few words in a row: build-time measurements print verdicts such as "(no gain)" or
# "(noise?)" that depend on the run. A longer difference (a missing block, raw fence source) is a parity bug.
MAX_WORDS_DIFFERING = 4


def site_prefix() -> str:
    """The path of mkdocs.yml's site_url ("/asyncfit/"): 404.html links its files under it, absolute."""
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    return urlsplit(match.group(1)).path if match else "/"


SITE_PREFIX = site_prefix()


def is_engine_specific(rel: str) -> bool:
    """True when the site-relative path is one that each engine writes its own way (ENGINE_SPECIFIC)."""
    return any(rel.startswith(prefix) for prefix in ENGINE_SPECIFIC)


def mask(text: str) -> str:
    """Text with every number replaced by '#' and whitespace collapsed: timings differ run to run."""
    return SPACE.sub(" ", DIGITS.sub("#", text)).strip()


@dataclass
class PageFacts:
    """What the comparison looks at in one built HTML page."""

    anchors: set[str] = field(default_factory=set)  # id attributes inside the page's <article>
    text: list[str] = field(default_factory=list)  # visible text inside <article>, outside build-time outputs
    outputs: list[str] = field(default_factory=list)  # text of each <pre class="af-output"> (pyrun build output)
    output_labels: list[str] = field(default_factory=list)  # text of each <p class="af-output-label">
    assets: set[str] = field(default_factory=set)  # site-relative script src and stylesheet href, own files only
    links: set[str] = field(default_factory=set)  # site-relative page paths linked from the page (nav included)
    raw: str = ""


class _PageParser(HTMLParser):
    """Collects PageFacts; `page` is the page's site-relative URL path ("" for the home page, "rules/" ...)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = "/" + page
        self.facts = PageFacts()
        self.article_depth = 0
        self.hidden_depth = 0  # inside <script>/<style>/<svg> within the article
        self.capture: list[str] | None = None  # the list the current af-output/af-output-label text goes to
        self.capture_tag = ""

    def _site_path(self, url: str) -> str | None:
        """The site-relative path of a same-site URL (no query/fragment, "." segments resolved), None for others."""
        parts = urlsplit(urljoin("http://site" + self.base, url))
        if parts.netloc != "site":
            return None
        path = parts.path
        if url.startswith("/") and path.startswith(SITE_PREFIX):  # 404.html: absolute under site_url's path
            path = "/" + path.removeprefix(SITE_PREFIX)
        normal = posixpath.normpath(path)
        if path.endswith(("/", "/.")) and normal != "/":
            normal += "/"
        return normal.lstrip("/")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        classes = attr.get("class", "").split()
        if tag == "article":
            self.article_depth += 1
        elif tag == "script" and attr.get("src"):
            self._asset(attr["src"])
        elif tag == "link" and attr.get("rel") == "stylesheet":
            self._asset(attr.get("href", ""))
        elif tag == "a" and attr.get("href"):
            path = self._site_path(attr["href"])
            if path is not None and path != self.base.lstrip("/") and (path == "" or path.endswith(("/", ".html"))):
                self.facts.links.add(path)  # links to other pages; a page's links to itself are theme detail
        if not self.article_depth:
            return
        if attr.get("id") and attr["id"] not in THEME_ANCHORS:
            self.facts.anchors.add(attr["id"])
        if tag in {"script", "style", "svg"}:
            self.hidden_depth += 1
        elif tag == "pre" and "af-output" in classes:
            self.facts.outputs.append("")
            self.capture, self.capture_tag = self.facts.outputs, tag
        elif tag == "p" and "af-output-label" in classes:
            self.facts.output_labels.append("")
            self.capture, self.capture_tag = self.facts.output_labels, tag

    def _asset(self, url: str) -> None:
        path = self._site_path(url)
        if path is not None and not is_engine_specific(path):
            self.facts.assets.add(path)
        elif path is None:
            self.facts.assets.add(url)  # a third-party URL: always reported, it must not exist

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.article_depth = max(0, self.article_depth - 1)
        elif self.article_depth and tag in {"script", "style", "svg"}:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif self.capture is not None and tag == self.capture_tag:
            self.capture = None

    def handle_data(self, data: str) -> None:
        if self.capture is not None:
            self.capture[-1] += data
        elif self.article_depth and not self.hidden_depth:
            self.facts.text.append(data)


def page_facts(site: Path, rel_html: str) -> PageFacts:
    """Parse one built page (rel_html like "rules/index.html") into PageFacts."""
    raw = (site / rel_html).read_text(encoding="utf-8")
    page = rel_html.removesuffix("index.html")
    parser = _PageParser(page)
    parser.feed(raw)
    parser.close()
    parser.facts.raw = raw
    return parser.facts


def site_files(site: Path) -> set[str]:
    """Every file of a build (site-relative, '/' separators), minus the engine-specific ones."""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    return {rel for rel in files if not is_engine_specific(rel)}


def html_pages(site: Path) -> list[str]:
    """The built HTML pages of a site, sorted (vendored files excluded)."""
    return sorted(rel for rel in site_files(site) if rel.endswith(".html") and not rel.startswith("vendor/"))


def compare_files(a: Path, b: Path) -> list[str]:
    """Differences in the sets of pages and copied files (engine-specific paths ignored)."""
    files_a, files_b = site_files(a), site_files(b)
    return [f"only in {a.name}: {rel}" for rel in sorted(files_a - files_b)] + [
        f"only in {b.name}: {rel}" for rel in sorted(files_b - files_a)
    ]


def compare_copied_files(a: Path, b: Path, docs: Path) -> list[str]:
    """Files under docs/ that are not Markdown (CSS, JS, vendored Pyodide, redirect stubs) must be copied
    byte-identical by both builds: "missing" or "differs" for each one that is not. Dotfiles (such as the
    Makefile's vendor/.stamp) are skipped: neither engine publishes them."""
    problems: list[str] = []
    for source in sorted(p for p in docs.rglob("*") if p.is_file() and p.suffix != ".md"):
        rel = source.relative_to(docs).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        missing = [site.name for site in (a, b) if not (site / rel).is_file()]
        if missing:
            problems.append(f"{rel}: missing in {', '.join(missing)}")
        elif (a / rel).read_bytes() != (b / rel).read_bytes():
            problems.append(f"{rel}: differs between {a.name} and {b.name}")
    return problems


def _compare_pages(a: Path, b: Path, aspect: str) -> list[str]:
    """Compare one aspect of PageFacts on every page both builds have."""
    problems: list[str] = []
    for rel in sorted(set(html_pages(a)) & set(html_pages(b))):
        fa, fb = page_facts(a, rel), page_facts(b, rel)
        if aspect in {"anchors", "assets", "links"}:
            sa, sb = getattr(fa, aspect), getattr(fb, aspect)
            if sa != sb:
                problems.append(
                    f"{rel}: {aspect} only in {a.name}: {sorted(sa - sb)}, only in {b.name}: {sorted(sb - sa)}"
                )
        elif aspect == "text":
            problems += [f"{rel}: page text differs: {diff}" for diff in text_differences(fa, fb)]
        elif aspect == "outputs":
            problems += _compare_outputs(rel, (a.name, fa), (b.name, fb))
    return problems


def text_differences(fa: PageFacts, fb: PageFacts) -> list[str]:
    """Runs of more than MAX_WORDS_DIFFERING words (numbers masked) that differ between two pages' content text."""
    wa, wb = mask(" ".join(fa.text)).split(), mask(" ".join(fb.text)).split()
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return [
        f"{' '.join(wa[i1:i2])[:300]!r} vs {' '.join(wb[j1:j2])[:300]!r}"
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal" and max(i2 - i1, j2 - j1) > MAX_WORDS_DIFFERING
    ]


def _compare_outputs(rel: str, *builds: tuple[str, PageFacts]) -> list[str]:
    """Build-time outputs: same count and labels (digits masked) on both sides, none empty, no markdown-exec failure."""
    problems: list[str] = []
    (name_a, fa), (name_b, fb) = builds
    if len(fa.outputs) != len(fb.outputs):
        problems.append(f"{rel}: {len(fa.outputs)} build-time outputs in {name_a}, {len(fb.outputs)} in {name_b}")
    if [mask(x) for x in fa.output_labels] != [mask(x) for x in fb.output_labels]:
        problems.append(f"{rel}: output labels differ: {fa.output_labels} vs {fb.output_labels}")
    for name, facts in builds:
        problems += [f"{rel}: empty build-time output #{i} in {name}" for i, out in enumerate(facts.outputs) if not out]
        if MARKDOWN_EXEC_FAILURE in facts.raw.replace("&lt;", "<"):
            problems.append(f"{rel}: a markdown-exec block failed in {name} (its traceback is on the page)")
    return problems


def compare_anchors(a: Path, b: Path) -> list[str]:
    """Ids inside each page's content that exist in one build only (rule anchors like #af101 included)."""
    return _compare_pages(a, b, "anchors")


def compare_text(a: Path, b: Path) -> list[str]:
    """Pages whose content text (numbers masked) differs by more than a few words: markdown-exec output included."""
    return _compare_pages(a, b, "text")


def compare_outputs(a: Path, b: Path) -> list[str]:
    """Differences in the build-time CPython outputs of ```pyrun examples, and failed markdown-exec blocks."""
    return _compare_pages(a, b, "outputs")


def compare_assets(a: Path, b: Path) -> list[str]:
    """Pages whose own scripts/stylesheets (extra_css, extra_javascript, theme overrides) differ."""
    return _compare_pages(a, b, "assets")


def compare_links(a: Path, b: Path) -> list[str]:
    """Pages whose set of linked pages differs (navigation, footer, content links)."""
    return _compare_pages(a, b, "links")


def catalogue_anchors() -> set[str]:
    """Rule anchors of the catalogue (wizard/data/catalogue.toml ids, lowercased): af101 ..."""
    path = ROOT / "wizard" / "data" / "catalogue.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = {m.group(0).lower() for m in re.finditer(r"\bAF\d{3}\b", repr(data))}
    assert found, f"{path}: no rule ids (AF101 ...) found"
    return found


def pinned_zensical() -> str:
    """The zensical version pinned in requirements-zensical.txt."""
    text = (ROOT / "requirements-zensical.txt").read_text(encoding="utf-8")
    match = re.search(r"^zensical==(\S+)", text, re.MULTILINE)
    assert match, "requirements-zensical.txt: no `zensical==` pin"
    return match.group(1)


# --------------------------------------------------------------------------------------------------------------
# The comparison logic, checked against the MkDocs build (runs with or without Zensical).


def first_pyrun_page(site: Path) -> str:
    """The first built page (site-relative) with a ```pyrun example."""
    pages = [rel for rel in html_pages(site) if 'class="af-runnable' in (site / rel).read_text(encoding="utf-8")]
    assert pages, f"{site}: no ```pyrun example in the build"
    return pages[0]


@pytest.fixture(scope="module")
def mkdocs_copy(built_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plain copy of the MkDocs build without vendor/ (nothing else is ignored by the comparison)."""
    copy = tmp_path_factory.mktemp("parity") / "mkdocs"
    shutil.copytree(built_site.path, copy, ignore=shutil.ignore_patterns("vendor"))
    return copy


@pytest.fixture(scope="module")
def damaged(mkdocs_copy: Path) -> Path:
    """A copy of mkdocs_copy with the FAQ page gone, one rules-page anchor renamed, one pyrun output emptied and
    a markdown-exec traceback marker added."""
    copy = mkdocs_copy.parent / "damaged"
    shutil.copytree(mkdocs_copy, copy)
    shutil.rmtree(copy / "faq")
    rules = copy / "rules" / "index.html"
    anchor = sorted(page_facts(copy, "rules/index.html").anchors)[0]
    rules.write_text(rules.read_text(encoding="utf-8").replace(f'id="{anchor}"', 'id="renamed"', 1), "utf-8")
    page = copy / first_pyrun_page(copy)
    output = re.compile(r'(<pre class="af-output"><code>).*?(</code></pre>)', re.S)
    html = output.sub(r"\1\2", page.read_text("utf-8"), count=1)
    page.write_text(html.replace("</article>", "<p>&lt;code block: n1&gt; extra words</p></article>", 1), "utf-8")
    with (copy / "assets" / "asyncfit.css").open("a", encoding="utf-8") as css:
        css.write("/* changed */\n")
    return copy


def test_comparison_finds_no_difference_between_a_build_and_its_copy(built_site: BuiltSite, mkdocs_copy: Path) -> None:
    assert html_pages(built_site.path), "the MkDocs build has no pages"
    for compare in (compare_anchors, compare_text, compare_outputs, compare_assets, compare_links):
        assert compare(built_site.path, mkdocs_copy) == [], compare.__name__


def test_comparison_catches_a_missing_page_anchor_and_output(mkdocs_copy: Path, damaged: Path) -> None:
    assert "only in mkdocs: faq/index.html" in compare_files(mkdocs_copy, damaged)
    anchors = compare_anchors(mkdocs_copy, damaged)
    assert any(p.startswith("rules/index.html: anchors") and "renamed" in p for p in anchors), anchors
    outputs = compare_outputs(mkdocs_copy, damaged)
    assert any("empty build-time output #0 in damaged" in p for p in outputs), outputs
    assert any("markdown-exec block failed in damaged" in p for p in outputs), outputs
    assert any("page text differs" in p for p in compare_text(mkdocs_copy, damaged))
    assert any("faq/" in p for p in compare_links(mkdocs_copy, damaged)) is False  # links still point at faq/
    copied = [
        p
        for p in compare_copied_files(mkdocs_copy, damaged, ROOT / "docs")
        if not p.startswith("vendor/") and not p.endswith("missing in mkdocs, damaged")  # vendor/ and newer files
    ]
    assert copied == ["assets/asyncfit.css: differs between mkdocs and damaged"]


def test_engine_specific_paths_are_ignored_and_own_assets_are_not() -> None:
    assert is_engine_specific("search/search_index.json")
    assert is_engine_specific("assets/javascripts/bundle.77dd0ce9.min.js")
    assert not is_engine_specific("assets/runner/runner.js")
    assert not is_engine_specific("assets/asyncfit.css")
    assert mask("10 waits of 0.2 s took 0.21 s") == mask("10 waits of 0.2 s  took 0.20 s")


def test_page_facts_reads_anchors_and_pyrun_outputs(built_site: BuiltSite) -> None:
    assert page_facts(built_site.path, "rules/index.html").anchors
    facts = page_facts(built_site.path, first_pyrun_page(built_site.path))
    assert facts.outputs
    assert all(facts.outputs)
    assert len(facts.outputs) == len(facts.output_labels)


# --------------------------------------------------------------------------------------------------------------
# Packaging and the Makefile switch.


def test_requirements_zensical_extends_the_mkdocs_set_and_pins_zensical() -> None:
    lines = (ROOT / "requirements-zensical.txt").read_text(encoding="utf-8").splitlines()
    assert "-r requirements.txt" in lines
    for line in lines:
        if line and not line.startswith(("#", "-r ")):
            assert re.fullmatch(r"[A-Za-z0-9_.-]+==[\w.]+", line), f"requirements-zensical.txt: not pinned: {line}"
    assert pinned_zensical()


def test_gitignore_covers_zensical_venv_cache_and_temporary_configs() -> None:
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    for entry in ("/.venv-zensical/", "/.cache/", "/.zensical-*"):
        assert entry in lines


def make_dry_run(*args: str) -> str:
    """`make -n` with args: the commands make would run, nothing executed."""
    proc = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("build",), ".venv/bin/mkdocs build --strict"),
        (("serve",), ".venv/bin/mkdocs serve --strict"),
        (("build", "ENGINE=zensical"), ".venv-zensical/bin/zensical build --strict --clean"),
        (("serve", "ENGINE=zensical"), ".venv-zensical/bin/zensical serve"),
        (("build", "ENGINE=hugo"), "ENGINE must be mkdocs or zensical, not 'hugo'"),
    ],
)
def test_makefile_engine_switch(args: tuple[str, ...], expected: str) -> None:
    assert expected in make_dry_run(*args)


# Other work can edit the sources while the two builds of a session run one after the other; a difference is
# then no parity bug. SESSION_START is taken when pytest imports this module, before either build starts.
SESSION_START = time.time()
SOURCES = ("docs", "snippets", "tools", "overrides", "wizard", "mkdocs.yml", "CHANGELOG.md")


def sources_changed_during_session() -> list[str]:
    """Source files (docs/vendor aside) modified since SESSION_START, repository-relative."""
    changed: list[str] = []
    for name in SOURCES:
        top = ROOT / name
        files = [top] if top.is_file() else [p for p in top.rglob("*") if p.is_file()]
        changed += [
            p.relative_to(ROOT).as_posix()
            for p in files
            if "vendor" not in p.relative_to(ROOT).parts and "__pycache__" not in p.parts
            if p.stat().st_mtime > SESSION_START
        ]
    return sorted(changed)


def assert_parity(problems: list[str]) -> None:
    """No differences between the builds; a skip naming the files when the sources changed between the builds."""
    if problems and (changed := sources_changed_during_session()):
        pytest.skip(f"sources changed while the two builds ran ({', '.join(changed[:5])}): not comparable")
    assert problems == []


def test_parity_difference_is_skipped_only_when_sources_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "SESSION_START", time.time() + 3600)  # nothing changed "since"
    assert_parity([])
    with pytest.raises(AssertionError):
        assert_parity(["a difference"])
    monkeypatch.setattr(module, "SESSION_START", 0.0)  # everything changed "since"
    with pytest.raises(pytest.skip.Exception, match="sources changed while the two builds ran"):
        assert_parity(["a difference"])


# --------------------------------------------------------------------------------------------------------------
# The Zensical build itself (skips only when Zensical is not installed; fails then under CI=true).


def test_installed_zensical_is_the_pinned_version() -> None:
    reason = zensical_unavailable_reason()
    if reason:
        pytest.skip(reason)
    proc = subprocess.run([str(ZENSICAL_BIN), "--version"], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == pinned_zensical()


def test_zensical_strict_build_reports_no_issue(zensical_site: BuiltSite) -> None:
    if not zensical_site.log:
        pytest.skip("ASYNCFIT_ZENSICAL_SITE_DIR reuses a build: no log")
    assert "No issues found" in zensical_site.log, zensical_site.log
    assert "Warning" not in zensical_site.log, zensical_site.log


def test_same_pages_and_files(built_site: BuiltSite, zensical_site: BuiltSite) -> None:
    assert_parity(compare_files(built_site.path, zensical_site.path))


def test_files_from_docs_are_copied_identically(built_site: BuiltSite, zensical_site: BuiltSite) -> None:
    assert_parity(compare_copied_files(built_site.path, zensical_site.path, ROOT / "docs"))


def test_same_anchors_on_every_page(built_site: BuiltSite, zensical_site: BuiltSite) -> None:
    assert_parity(compare_anchors(built_site.path, zensical_site.path))


def test_same_rule_anchors(built_site: BuiltSite, zensical_site: BuiltSite) -> None:
    rules = catalogue_anchors()
    mkdocs = page_facts(built_site.path, "rules/index.html").anchors & rules
    zensical = page_facts(zensical_site.path, "rules/index.html").anchors & rules
    problems = [
        f"#{anchor}: missing in the {name} build"
        for name, found in (("MkDocs", mkdocs), ("Zensical", zensical))
        for anchor in sorted(rules - found)
    ]
    assert_parity(problems)  # every catalogue rule is anchored on /rules/ in both builds


def test_every_rule_has_its_page_in_both_builds(built_site: BuiltSite, zensical_site: BuiltSite) -> None:
    problems = [
        f"/rules/{anchor}/: missing in the {name} build"
        for name, site in (("MkDocs", built_site), ("Zensical", zensical_site))
        for anchor in sorted(catalogue_anchors())
        if f"rules/{anchor}/index.html" not in html_pages(site.path)
    ]
    assert_parity(problems)  # docs/rules.md (/rules/) and docs/rules/af101.md (/rules/af101/) coexist in both


def test_build_time_output_appears_in_both(built_site: BuiltSite, zensical_site: BuiltSite) -> None:
    assert_parity(compare_outputs(built_site.path, zensical_site.path))


def test_same_page_text_including_executed_markdown(built_site: BuiltSite, zensical_site: BuiltSite) -> None:
    assert_parity(compare_text(built_site.path, zensical_site.path))


def test_same_own_scripts_and_stylesheets_per_page(built_site: BuiltSite, zensical_site: BuiltSite) -> None:
    assert_parity(compare_assets(built_site.path, zensical_site.path))


def test_same_navigation_and_links(built_site: BuiltSite, zensical_site: BuiltSite) -> None:
    assert_parity(compare_links(built_site.path, zensical_site.path))


# --------------------------------------------------------------------------------------------------------------
# The Zensical build in the browser: the same pages, enhanced the same way, side by side with the MkDocs build.
# The whole browser suite also runs against it (tests/conftest.py: `--engines=all` is the default).

KEY_PAGES = ("", "how-async-works/", "wizard/")
# Console errors the Zensical build is known to log, with why (docs/building.md, "Differences found").
KNOWN_ZENSICAL_CONSOLE_ERRORS: dict[str, str] = {}  # none since the CSP allows Zensical's search CSS
CONTROLS = "article button, article input, article select, article textarea, article a[href]"


@dataclass
class Visit:
    """What one page showed after its scripts ran."""

    controls: int  # buttons, inputs and links inside the content, after JavaScript enhanced it
    runnable: int  # ```pyrun examples on the page
    foreign_requests: list[str]  # requests that left 127.0.0.1
    console_errors: list[str]


def visit(browser: Any, base_url: str, rel: str) -> Visit:
    """Open base_url + rel in a fresh context, let it settle and report what it did."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: urlsplit(req.url).hostname != "127.0.0.1" and foreign.append(req.url))
    try:
        page.goto(base_url + rel, wait_until="load")
        page.wait_for_load_state("networkidle", timeout=60_000)
        return Visit(
            controls=page.locator(CONTROLS).count(),
            runnable=page.locator("article .af-runnable").count(),
            foreign_requests=foreign,
            console_errors=errors,
        )
    finally:
        close_routed(context)


@pytest.fixture(scope="module")
def both_urls(built_site: BuiltSite, zensical_site: BuiltSite) -> Iterator[dict[str, str]]:
    """Both builds served side by side: {"mkdocs": url, "zensical": url}."""
    servers = {name: serve(site.path) for name, site in (("mkdocs", built_site), ("zensical", zensical_site))}
    yield {name: url for name, (_, url) in servers.items()}
    for server, _ in servers.values():
        server.shutdown()
        server.server_close()


@pytest.mark.browser
@pytest.mark.parametrize("rel", KEY_PAGES)
def test_zensical_page_is_enhanced_like_mkdocs_and_stays_on_the_site(
    browser: Any, both_urls: dict[str, str], rel: str
) -> None:
    mkdocs, zensical = (visit(browser, both_urls[name], rel) for name in ("mkdocs", "zensical"))
    assert zensical.foreign_requests == []
    assert (zensical.runnable, zensical.controls) == (mkdocs.runnable, mkdocs.controls)
    unknown = [e for e in zensical.console_errors if not any(k in e for k in KNOWN_ZENSICAL_CONSOLE_ERRORS)]
    assert unknown == []


@pytest.mark.browser
def test_zensical_search_ui_is_allowed_by_the_csp(browser: Any, both_urls: dict[str, str]) -> None:
    assert visit(browser, both_urls["zensical"], "").console_errors == []


@pytest.mark.browser
def test_zensical_header_has_its_search_button(zensical_site: BuiltSite) -> None:
    assert 'class="md-search__button"' in (zensical_site.path / "index.html").read_text(encoding="utf-8")


ZENSICAL_PACKAGE = next((ROOT / ".venv-zensical" / "lib").glob("python3*/site-packages/zensical"), None)


def _zensical_template(rel: str) -> str:
    """A template of the installed Zensical without its "generated" comment (skips when Zensical is missing)."""
    if ZENSICAL_PACKAGE is None:
        pytest.skip("Zensical is not installed (`make test` creates .venv-zensical)")
    text = (ZENSICAL_PACKAGE / "templates" / rel).read_text(encoding="utf-8")
    return re.sub(r"\{#-?.*?-?#\}\s*", "", text, count=1, flags=re.DOTALL)


@pytest.mark.parametrize(
    ("ours", "theirs", "substitution"),
    [
        (
            "partials/zensical/header.html",
            "partials/header.html",
            ('"partials/search.html"', '"partials/zensical/search.html"'),
        ),
        ("partials/zensical/search.html", "partials/search.html", ("", "")),
    ],
)
def test_zensical_partial_copies_match_the_installed_zensical(
    ours: str, theirs: str, substitution: tuple[str, str]
) -> None:
    """overrides/partials/zensical/* (used under Zensical only, overrides/main.html) are Zensical's own partials."""
    expected = _zensical_template(theirs)
    if substitution[0]:
        assert expected.count(substitution[0]) == 1, f"Zensical's {theirs} changed: copy it again"
        expected = expected.replace(*substitution)
    text = (ROOT / "overrides" / ours).read_text(encoding="utf-8")
    assert re.sub(r"\{#-?.*?-?#\}\s*", "", text, count=1, flags=re.DOTALL) == expected


def test_zensical_base_script_is_zensicals_code() -> None:
    """assets/asyncfit-theme/zensical-base.js is Zensical's inline base script, scope read from data-md-scope."""
    template = _zensical_template("partials/javascripts/base.html")
    bodies = re.findall(r"<script>(.*?)</script>", template, re.DOTALL)
    assert len(bodies) == 1, "Zensical's partials/javascripts/base.html changed: copy it again"
    scope = '"{{ config.extra.scope | d(base_url, true) }}"'
    assert bodies[0].count(scope) == 1
    code = (ROOT / "overrides" / "assets" / "asyncfit-theme" / "zensical-base.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/\s*", "", code, count=1, flags=re.DOTALL).strip()
    assert code == bodies[0].replace(scope, "document.currentScript.dataset.mdScope").strip()


# --------------------------------------------------------------------------------------------------------------
# Engine detection in the theme override (overrides/main.html sets asyncfit_zensical; docs/building.md). Tested
# both ways: on the two real builds, and on the expression itself.

DETECTION = '{% set asyncfit_zensical = generator is defined and "zensical" in generator %}'
# Markup only pages rendered by Zensical carry, and markup only pages rendered by MkDocs carry: (text, origin).
ZENSICAL_ONLY_MARKUP = {
    "'sha256-NwSx/R2V/U4jnW0Tq5pQ53Y/rzPVJ4dqE7D6UTA/J1k='": "partials/csp.html: the Zensical policy's search CSS",
    '<button type="button" class="md-search__button">': "partials/zensical/search.html: Zensical's search button",
    "assets/asyncfit-theme/zensical-base.js": "partials/javascripts/base.html: Zensical's base script",
    "assets/asyncfit-theme/zensical.css": "main.html, block styles: fixes to Zensical's theme CSS",
}
MKDOCS_ONLY_MARKUP = {
    '<form class="md-search__form" name="search">': "partials/search.html: Material's search form",
    "assets/asyncfit-theme/md-scope.js": "partials/javascripts/base.html: Material's base script",
}


def themed_pages(site: Path) -> list[str]:
    """Pages the theme rendered (they have its header); copied files such as redirect stubs do not."""
    marker = 'data-md-component="header"'
    return [rel for rel in html_pages(site) if marker in (site / rel).read_text(encoding="utf-8")]


def engine_markup_problems(site: Path, present: dict[str, str], absent: dict[str, str]) -> list[str]:
    """On every themed page of site, in its <head> and header (before <main>, so not in what a page says about
    the markup, as /building/ does): each text of present that is missing, each text of absent that is there."""
    pages = themed_pages(site)
    assert len(pages) >= 10, f"{site}: only {len(pages)} themed pages"
    problems = []
    for rel in pages:
        html = (site / rel).read_text(encoding="utf-8").split('<main class="md-main"', 1)[0]
        problems += [f"{rel}: missing {why} ({text})" for text, why in present.items() if text not in html]
        problems += [f"{rel}: has {why} ({text})" for text, why in absent.items() if text in html]
    return problems


def test_engine_detection_mkdocs_build_has_no_zensical_markup(built_site: BuiltSite) -> None:
    assert engine_markup_problems(built_site.path, MKDOCS_ONLY_MARKUP, ZENSICAL_ONLY_MARKUP) == []


def test_engine_detection_zensical_build_has_all_zensical_markup(zensical_site: BuiltSite) -> None:
    assert engine_markup_problems(zensical_site.path, ZENSICAL_ONLY_MARKUP, MKDOCS_ONLY_MARKUP) == []


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({}, False),  # MkDocs: no `generator` in the context
        ({"mkdocs_version": "1.6.1", "config": {"theme": {"variant": "classic"}}}, False),  # not a config key
        ({"generator": "mkdocs-1.6.1, mkdocs-material-9.8.2"}, False),
        ({"generator": "zensical-0.0.73"}, True),  # what Zensical 0.0.73 sets
    ],
)
def test_engine_detection_expression(context: dict[str, Any], expected: bool) -> None:
    main = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    assert main.count(DETECTION) == 1, "overrides/main.html: the engine detection changed; update this test"
    # Rendered with Jinja2, MkDocs' template engine; Zensical renders the same syntax with its own engine.
    template = jinja2.Environment(autoescape=True).from_string(DETECTION + "{{ asyncfit_zensical }}")
    assert template.render(**context) == str(expected)


def test_overrides_detect_the_engine_only_through_asyncfit_zensical() -> None:
    """No template guesses the engine another way (config.theme.variant misfired under MkDocs once)."""
    problems = []
    for path in sorted((ROOT / "overrides").rglob("*.html")):
        code = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)  # comments aside
        rel = path.relative_to(ROOT).as_posix()
        problems += [f"{rel}: uses config.theme.variant" for _ in re.finditer(r"theme\.variant", code)]
        if rel != "overrides/main.html" or code.count("generator") != 2:  # the two in DETECTION
            problems += [f"{rel}: reads generator" for _ in re.finditer(r"\bgenerator\b", code)]
    assert problems == []
    theme = re.search(r"^theme:\n((?:[ #].*\n|\n)*)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert theme, "mkdocs.yml: no theme: section"
    assert not re.search(r"^\s+variant:", theme.group(1), re.M), "mkdocs.yml: a theme.variant key reaches MkDocs too"
