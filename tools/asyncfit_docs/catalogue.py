"""The rules catalogue: load and validate wizard/data/catalogue.toml, render it as Markdown for the rules pages.

The catalogue is data (one TOML table per rule ID, e.g. `[AF201]`); this module is the only code that turns it
into pages. It is a Python-Markdown extension, so MkDocs and Zensical both run it (no MkDocs plugin or hook):

    markdown_extensions:
      - asyncfit_docs.catalogue

A page then asks for the catalogue with a marker line on its own (an HTML comment, so without the extension the
page still builds, and the tests notice the missing anchors):

    <!-- asyncfit: rules-table -->    a summary table: ID (linking to the rule's page), title, lint codes
    <!-- asyncfit: rules -->          the index: per rule a heading anchored at its lowercase ID (#af201), its
                                      summary, its lint codes and a link to its page; no examples
    <!-- asyncfit: rule AF201 -->     one rule's page: title naming the ID, summary, What, Why, Example (a
                                      snippets/ file in a pyrun fence), Fix, Lint, See also, previous / next

The generated Markdown goes through the normal pipeline (snippets, superfences, attr_list, toc, MkDocs link
validation), so links are written as paths to .md files relative to the page: use `rules-table` and `rules` only
on pages at the root of docs/ (docs/rules.md) and `rule` only on pages in docs/rules/ (the stubs that
`python -m asyncfit_docs.rule_pages` writes, one per catalogue ID: docs/rules/af201.md renders at /rules/af201/).

Errors name the file and the key, e.g. `wizard/data/catalogue.toml: [AF201].example: no such file snippets/x.py`.
"""

from __future__ import annotations

import re
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_PATH = ROOT / "wizard" / "data" / "catalogue.toml"
REFS_PATH = Path(__file__).resolve().with_name("catalogue_refs.toml")
SNIPPETS_DIR = ROOT / "snippets"
DOCS_DIR = ROOT / "docs"

RULE_ID_RE = re.compile(r"^AF[1-3]\d\d$")
ANCHOR_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MARKER_RE = re.compile(r"^\s*<!--\s*asyncfit:\s*(rules-table|rules|rule)(?:\s+(\S+))?\s*-->\s*$")
# The generator's note atop each stub in docs/rules/; dropped from the page, so it never reaches the HTML.
GENERATED_RE = re.compile(r"^\s*<!--\s*asyncfit: generated\b.*-->\s*$")
# Inline link targets in catalogue text: written for the index at the docs root, e.g. `[AF207](#af207)` (an anchor
# on /rules/) or `[kit](style-guide.md)`; on a rule page in docs/rules/ they are rewritten (_relink).
LINK_TARGET_RE = re.compile(r"\]\((?P<target>[^)\s]+)\)")
RULE_ANCHOR_RE = re.compile(r"^#(af[1-3]\d\d)$")
RULES_DIR = "rules"  # rule pages: docs/rules/af201.md -> /rules/af201/

RUFF_DOCS = "https://docs.astral.sh/ruff/rules/{name}/"
FLAKE8_ASYNC_DOCS = "https://flake8-async.readthedocs.io/en/latest/rules.html"
GROUPS = {
    "AF1": "AF1xx: choosing sync or async",
    "AF2": "AF2xx: mixing sync and async",
    "AF3": "AF3xx: pools, limits and cancellation",
}
RUNS_VALUES = ("pyodide", "cpython")

# key -> (required for a live rule, type). `retired` rules need only title and summary.
RULE_FIELDS: dict[str, tuple[bool, type]] = {
    "title": (True, str),
    "summary": (True, str),
    "lint": (True, list),
    "what": (True, str),
    "why": (True, str),
    "fix": (True, str),
    "example": (True, str),
    "example_runs": (False, str),
    "example_timeline": (False, bool),
    "example_reason": (False, str),
    "see_also": (True, list),
    "retired": (False, str),
}


class CatalogueError(ValueError):
    """The catalogue or its references file is invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Page:
    """A page of this site a rule can link to."""

    url: str  # site path, e.g. "/the-gotcha/"
    title: str
    source: str  # Markdown source relative to docs/, e.g. "the-gotcha.md"


@dataclass(frozen=True)
class LintCode:
    """A ruff / flake8-async rule a catalogue entry cites."""

    code: str
    name: str
    tools: tuple[str, ...]
    checks: str

    @property
    def url(self) -> str:
        """Documentation URL: ruff's page for the rule when ruff has it, else flake8-async's rules page."""
        return RUFF_DOCS.format(name=self.name) if "ruff" in self.tools else FLAKE8_ASYNC_DOCS


@dataclass(frozen=True)
class Refs:
    """What a catalogue entry may point at: pages of this site and lint codes."""

    pages: dict[str, Page]
    lint: dict[str, LintCode]


@dataclass(frozen=True)
class Rule:
    """One catalogue entry. A retired rule keeps its ID and says why in `retired`."""

    id: str
    title: str
    summary: str
    lint: tuple[str, ...] = ()
    what: str = ""
    why: str = ""
    fix: str = ""
    example: str = ""
    example_runs: str = "pyodide"
    example_timeline: bool = False
    #: Why a "cpython" example cannot run in the browser: a key of runnable.CPYTHON_REASONS or the reason itself.
    example_reason: str = ""
    see_also: tuple[str, ...] = ()
    retired: str = ""

    @property
    def anchor(self) -> str:
        """The rule's anchor on /rules/ (public API): its lowercase ID."""
        return self.id.lower()

    @property
    def page(self) -> str:
        """The rule's page source relative to docs/, e.g. "rules/af201.md" (public URL: /rules/af201/)."""
        return f"{RULES_DIR}/{self.anchor}.md"

    @property
    def url(self) -> str:
        """The rule's page as a site path (public API), e.g. "/rules/af201/"."""
        return f"/{RULES_DIR}/{self.anchor}/"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogueError(f"{_show(path)}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{_show(path)}: invalid TOML: {exc}") from exc


def _show(path: Path) -> str:
    """Path as shown in errors: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def _page_source(url: str, docs_dir: Path) -> str | None:
    """Return the docs/ Markdown file that renders at site path url (use_directory_urls), or None."""
    stem = url.strip("/")
    candidates = ["index.md"] if not stem else [f"{stem}.md", f"{stem}/index.md"]
    return next((c for c in candidates if (docs_dir / c).is_file()), None)


def load_refs(path: Path = REFS_PATH, docs_dir: Path = DOCS_DIR) -> Refs:
    """Load and validate the references file (pages and lint codes)."""
    data = _read_toml(path)
    where = _show(path)
    unknown = set(data) - {"pages", "lint"}
    if unknown:
        raise CatalogueError(f"{where}: unknown top-level key(s) {sorted(unknown)}; expected 'pages' and 'lint'")
    pages: dict[str, Page] = {}
    for url, entry in data.get("pages", {}).items():
        key = f'[pages."{url}"]'
        if not (url.startswith("/") and url.endswith("/")):
            raise CatalogueError(f"{where}: {key}: a page path starts and ends with '/'")
        title = entry.get("title") if isinstance(entry, dict) else None
        if not isinstance(title, str) or not title:
            raise CatalogueError(f"{where}: {key}.title: must be a non-empty string")
        source = _page_source(url, docs_dir)
        if source is None:
            raise CatalogueError(f"{where}: {key}: no Markdown page renders at {url} under {_show(docs_dir)}")
        pages[url] = Page(url, title, source)
    lint: dict[str, LintCode] = {}
    for code, entry in data.get("lint", {}).items():
        key = f"[lint.{code}]"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{where}: {key}: must be a table")
        for field in ("name", "checks"):
            if not isinstance(entry.get(field), str) or not entry[field]:
                raise CatalogueError(f"{where}: {key}.{field}: must be a non-empty string")
        tools = entry.get("tools")
        if not isinstance(tools, list) or not tools or not set(tools) <= {"ruff", "flake8-async"}:
            raise CatalogueError(f"{where}: {key}.tools: must list 'ruff' and/or 'flake8-async'")
        lint[code] = LintCode(code, entry["name"], tuple(tools), entry["checks"])
    return Refs(pages, lint)


def _check_fields(rule_id: str, entry: Any, where: str) -> None:
    """Check one `[AFxxx]` table's shape: known keys, required keys present, value types."""
    if not RULE_ID_RE.match(rule_id):
        raise CatalogueError(f"{where}: [{rule_id}]: a rule ID is AF followed by three digits, first digit 1-3")
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: [{rule_id}]: must be a table")
    unknown = set(entry) - set(RULE_FIELDS)
    if unknown:
        raise CatalogueError(f"{where}: [{rule_id}]: unknown key(s) {sorted(unknown)}; known: {sorted(RULE_FIELDS)}")
    retired = "retired" in entry
    for key, (required, kind) in RULE_FIELDS.items():
        if key not in entry:
            if required and (not retired or key in {"title", "summary"}):
                raise CatalogueError(f"{where}: [{rule_id}].{key}: missing")
            continue
        value = entry[key]
        if not isinstance(value, kind):
            raise CatalogueError(f"{where}: [{rule_id}].{key}: must be a {kind.__name__}, got {type(value).__name__}")
        if kind is str and not value.strip():
            raise CatalogueError(f"{where}: [{rule_id}].{key}: must not be empty")
        if kind is list and not all(isinstance(item, str) for item in value):
            raise CatalogueError(f"{where}: [{rule_id}].{key}: must be a list of strings")
    if "\n" in entry["title"] or "\n" in entry["summary"]:
        raise CatalogueError(f"{where}: [{rule_id}]: title and summary are one line each")


def _check_rule(rule_id: str, entry: Any, where: str, refs: Refs, snippets_dir: Path) -> Rule:
    """Validate one `[AFxxx]` table (shape, then what it points at) and return it as a Rule."""
    _check_fields(rule_id, entry, where)
    for code in entry.get("lint", []):
        if code not in refs.lint:
            raise CatalogueError(f"{where}: [{rule_id}].lint: unknown code {code!r} (add it to {_show(REFS_PATH)})")
    example = entry.get("example")
    if example is not None and not (snippets_dir / example).is_file():
        raise CatalogueError(f"{where}: [{rule_id}].example: no such file {_show(snippets_dir / example)}")
    runs = entry.get("example_runs", "pyodide")
    if runs not in RUNS_VALUES:
        raise CatalogueError(f"{where}: [{rule_id}].example_runs: must be one of {RUNS_VALUES}, got {runs!r}")
    if (runs == "cpython") != ("example_reason" in entry):
        raise CatalogueError(
            f'{where}: [{rule_id}].example_reason: required with example_runs = "cpython" (why the example cannot'
            " run in the browser: threads, processes, sockets, sleep, to_thread, signals, or your own words), and"
            " only then"
        )
    for link in entry.get("see_also", []):
        path, _, fragment = link.partition("#")
        if path not in refs.pages or (fragment and not ANCHOR_RE.match(fragment)):
            raise CatalogueError(
                f"{where}: [{rule_id}].see_also: {link!r} is not a page listed in {_show(REFS_PATH)} "
                "(write site paths such as '/the-gotcha/' or '/faq/#event-loop-is-closed')"
            )
    return Rule(
        id=rule_id,
        title=entry["title"],
        summary=entry["summary"],
        lint=tuple(entry.get("lint", [])),
        what=entry.get("what", ""),
        why=entry.get("why", ""),
        fix=entry.get("fix", ""),
        example=entry.get("example", ""),
        example_runs=runs,
        example_timeline=entry.get("example_timeline", False),
        example_reason=entry.get("example_reason", ""),
        see_also=tuple(entry.get("see_also", [])),
        retired=entry.get("retired", ""),
    )


def load_catalogue(
    path: Path = CATALOGUE_PATH, refs: Refs | None = None, snippets_dir: Path = SNIPPETS_DIR
) -> list[Rule]:
    """Load and validate the catalogue; return its rules sorted by ID. Raises CatalogueError naming file and key."""
    refs = refs if refs is not None else load_refs()
    where = _show(path)
    data = _read_toml(path)
    if not data:
        raise CatalogueError(f"{where}: no rules")
    rules = [_check_rule(rule_id, entry, where, refs, snippets_dir) for rule_id, entry in data.items()]
    return sorted(rules, key=lambda rule: rule.id)


# ---------------------------------------------------------------------------------------------------------------
# Rendering: Markdown text, converted afterwards by the page's own Markdown pipeline.


def _link(url: str, refs: Refs, up: str = "") -> str:
    """Return a Markdown link to a site path (optionally with #fragment) as a path to its .md source.

    up is "../" on a page in a subfolder of docs/ (a rule page).
    """
    path, _, fragment = url.partition("#")
    page = refs.pages[path]
    return f"[{page.title}]({up}{page.source}{'#' + fragment if fragment else ''})"


def _lint_line(codes: tuple[str, ...], refs: Refs) -> str:
    if not codes:
        return "No linter rule catches this one: it is a design decision, so put it in code review."
    items = []
    for code in codes:
        lint = refs.lint[code]
        who = " and ".join(lint.tools) if len(lint.tools) > 1 else f"{lint.tools[0]} only"
        items.append(f"- [`{code}`]({lint.url}) `{lint.name}` ({who}): {lint.checks}.")
    return "\n".join(items)


def _relink(target: str) -> str:
    """Return one link target of catalogue text, rewritten from the docs root to a rule page in docs/rules/.

    Another rule's anchor (#af207) becomes that rule's page (af207.md), any other anchor of /rules/ goes to the
    index, a relative path climbs one folder; absolute URLs stay.
    """
    rule = RULE_ANCHOR_RE.match(target)
    if rule:
        return f"{rule.group(1)}.md"
    if target.startswith("#"):
        return f"../rules.md{target}"
    if "://" in target or target.startswith(("/", "mailto:")):
        return target
    return f"../{target}"


def _rule_links_to_pages(text: str) -> str:
    """Catalogue text with its links rewritten for a rule page (see _relink)."""
    return LINK_TARGET_RE.sub(lambda m: f"]({_relink(m.group('target'))})", text.strip())


def render_table(rules: list[Rule]) -> str:
    """Render the summary table at the top of /rules/: one row per rule, each ID linking to the rule's page."""
    lines = ["| ID | Rule | Lint |", "| --- | --- | --- |"]
    for rule in rules:
        title = f"~~{rule.title}~~ (retired)" if rule.retired else rule.title
        codes = ", ".join(f"`{code}`" for code in rule.lint) or "-"
        lines.append(f"| [{rule.id}]({rule.page}) | {title} | {codes} |")
    return "\n".join(lines)


def _fence(rule: Rule) -> str:
    options = []
    if rule.example_runs == "cpython":
        options.append(f'runs="cpython" reason="{rule.example_reason}"')
    if rule.example_timeline:
        options.append('timeline="1"')
    opening = " ".join(["```pyrun", *options])
    return f'{opening}\n--8<-- "{rule.example}"\n```'


def render_summary(rule: Rule, refs: Refs) -> str:
    """One rule on the index (/rules/): heading anchored at its ID, summary, lint codes, link to its page."""
    title = f"{rule.title} (retired)" if rule.retired else rule.title
    parts = [f"### {rule.id}: {title} {{#{rule.anchor}}}", f"*{rule.summary}*"]
    if rule.retired:
        parts.append(f"**Retired.** {rule.retired.strip()}")
    if rule.lint:
        codes = ", ".join(f"[`{code}`]({refs.lint[code].url})" for code in rule.lint)
        parts.append(f"**Lint:** {codes}")
    elif not rule.retired:
        parts.append("**Lint:** none, a design decision for code review.")
    what = "why it was retired" if rule.retired else "what, why, an example, the fix"
    parts.append(f"[{rule.id} in full: {what}]({rule.page})")
    return "\n\n".join(parts) + "\n"


def render_rules(rules: list[Rule], refs: Refs | None = None) -> str:
    """Render the index: every rule's summary, grouped by family (AF1xx, AF2xx, AF3xx) under level-2 headings."""
    refs = refs if refs is not None else load_refs()
    out: list[str] = []
    group = ""
    for rule in rules:
        if rule.id[:3] != group:
            group = rule.id[:3]
            out.append(f"## {GROUPS[group]} {{#{group.lower()}xx}}\n")
        out.append(render_summary(rule, refs))
    return "\n".join(out)


def _neighbours(rule: Rule, rules: list[Rule]) -> str:
    """Render the previous / index / next line at the foot of a rule page (links relative to docs/rules/)."""
    ids = [r.id for r in rules]
    at = ids.index(rule.id)
    links = []
    if at > 0:
        before = rules[at - 1]
        links.append(f"Previous: [{before.id}: {before.title}]({before.anchor}.md)")
    links.append(f"[All rules](../rules.md#{rule.anchor})")
    if at + 1 < len(rules):
        after = rules[at + 1]
        links.append(f"Next: [{after.id}: {after.title}]({after.anchor}.md)")
    return " · ".join(links)


def render_rule(rule: Rule, refs: Refs, rules: list[Rule] | None = None) -> str:
    """Render one rule's page (docs/rules/<id>.md).

    Title naming the ID, summary, What, Why, Example, Fix, Lint, See also, then links to the previous and next
    rule and back to the index. A retired rule's page says that it is retired, and why.
    """
    rules = rules if rules is not None else [rule]
    title = f"{rule.title} (retired)" if rule.retired else rule.title
    heading = f"# {rule.id}: {title} {{#{rule.anchor}}}"
    if rule.retired:
        parts = [
            heading,
            '!!! warning "Retired"\n' + textwrap.indent(f"{rule.id} is retired: {rule.retired.strip()}", "    "),
            f"*{rule.summary}*",
            "The ID stays reserved: it is never reused for another rule ([why IDs are public API](../rules.md)).",
        ]
    else:
        parts = [
            heading,
            f"*{rule.summary}*",
            f"## What {{#what}}\n\n{_rule_links_to_pages(rule.what)}",
            f"## Why {{#why}}\n\n{_rule_links_to_pages(rule.why)}",
            f"## Example {{#example}}\n\nFrom `snippets/{rule.example}`:",
            _fence(rule),
            f"## Fix {{#fix}}\n\n{_rule_links_to_pages(rule.fix)}",
            "## Lint {#lint}",
            ("These rules flag it:\n\n" if rule.lint else "") + _lint_line(rule.lint, refs),
            "## See also {#see-also}",
            "\n".join(f"- {_link(url, refs, up='../')}" for url in rule.see_also),
        ]
    parts += ["---", _neighbours(rule, rules)]
    return "\n\n".join(parts) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# The Python-Markdown extension.


class _CataloguePreprocessor(Preprocessor):
    """Replace marker lines with the rendered catalogue, before pymdownx.snippets includes the examples."""

    def __init__(self, md: Markdown, catalogue: Path) -> None:
        super().__init__(md)
        self.catalogue = catalogue

    def run(self, lines: list[str]) -> list[str]:
        if not any(MARKER_RE.match(line) for line in lines):
            return lines
        refs = load_refs()
        rules = load_catalogue(self.catalogue, refs)
        by_id = {rule.id: rule for rule in rules}
        out: list[str] = []
        for line in lines:
            match = MARKER_RE.match(line)
            if not match:
                if not GENERATED_RE.match(line):
                    out.append(line)
                continue
            kind, arg = match.groups()
            if kind == "rule":
                if arg not in by_id:
                    raise CatalogueError(
                        f"<!-- asyncfit: rule {arg} -->: no rule {arg} in {_show(self.catalogue)} "
                        "(run: python -m asyncfit_docs.rule_pages)"
                    )
                text = render_rule(by_id[arg], refs, rules)
            elif arg:
                raise CatalogueError(f"<!-- asyncfit: {kind} {arg} -->: the {kind} marker takes no argument")
            else:
                text = render_table(rules) if kind == "rules-table" else render_rules(rules, refs)
            out.extend(["", *text.splitlines(), ""])
        return out


class CatalogueExtension(Extension):
    """Python-Markdown extension expanding the `<!-- asyncfit: rules -->`, `rules-table` and `rule AF201` markers."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"catalogue": [str(CATALOGUE_PATH), "Path to the rules catalogue TOML"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API name
        """Register the preprocessor ahead of pymdownx.snippets (priority 32) so examples get included."""
        md.preprocessors.register(_CataloguePreprocessor(md, Path(self.getConfig("catalogue"))), "asyncfit_rules", 34)


def makeExtension(**kwargs: Any) -> CatalogueExtension:  # noqa: N802 - Python-Markdown's entry point name
    """Entry point used by `markdown_extensions: - asyncfit_docs.catalogue`."""
    return CatalogueExtension(**kwargs)
