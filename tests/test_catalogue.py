"""The rules catalogue is public API: every ID ever issued stays, validation names file and key, /rules/ anchors exist.

- tests/catalogue_ids.txt lists every ID ever issued (append only); wizard/data/catalogue.toml must match it exactly.
- tools/asyncfit_docs/catalogue.py validates the TOML at load; bad data fails with the file and the key in the error.
- The built /rules/ page has an anchor per rule (#af201) and a summary table linking to each.
"""

from __future__ import annotations

import configparser
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from asyncfit_docs.catalogue import (
    CATALOGUE_PATH,
    CatalogueError,
    Rule,
    load_catalogue,
    load_refs,
    render_rules,
    render_table,
)
from asyncfit_docs.decide_flow import render_mermaid
from asyncfit_docs.style_guide import af201_files, page_ruff_config, paste_text, ruff_findings, site_url

from tests.conftest import ROOT, BuiltSite

IDS_FILE = ROOT / "tests" / "catalogue_ids.txt"
RUFF = [sys.executable, "-m", "ruff"]


def issued_ids() -> list[str]:
    lines = IDS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")


# --- IDs are public API -------------------------------------------------------------------------------------------


def test_ids_file_has_no_duplicates_and_valid_ids() -> None:
    ids = issued_ids()
    assert len(ids) == len(set(ids)), "an ID appears twice in tests/catalogue_ids.txt: IDs are never reused"
    assert all(len(i) == 5 and i.startswith("AF") and i[2] in "123" and i[2:].isdigit() for i in ids)


def test_every_issued_id_is_still_in_the_catalogue() -> None:
    catalogue = {rule.id for rule in load_catalogue()}
    missing = [i for i in issued_ids() if i not in catalogue]
    assert missing == [], f"IDs removed from {CATALOGUE_PATH.name}: keep them with retired = 'reason'"


def test_every_catalogue_id_is_registered_as_issued() -> None:
    issued = set(issued_ids())
    unregistered = [rule.id for rule in load_catalogue() if rule.id not in issued]
    assert unregistered == [], "new IDs must be appended to tests/catalogue_ids.txt"


def test_live_rules_have_every_long_form_field_and_a_real_example() -> None:
    for rule in load_catalogue():
        if rule.retired:
            continue
        assert rule.what, rule.id
        assert rule.why, rule.id
        assert rule.fix, rule.id
        assert rule.see_also, rule.id
        assert (ROOT / "snippets" / rule.example).is_file(), rule.id
        assert rule.example.startswith(f"rule_{rule.anchor}_"), f"{rule.id}: name examples rule_<id>_*.py"


# --- validation errors name the file and the key -------------------------------------------------------------------

GOOD = """
[AF201]
title = "T"
summary = "S"
lint = ["ASYNC251"]
what = "w"
why = "y"
fix = "f"
example = "rule_af201_blocking_sleep.py"
see_also = ["/the-gotcha/"]
"""


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda s: s.replace('why = "y"\n', ""), "[AF201].why: missing"),
        (lambda s: s.replace('"rule_af201_blocking_sleep.py"', '"nope.py"'), "[AF201].example: no such file"),
        (lambda s: s.replace('"/the-gotcha/"', '"/gotcha-typo/"'), "[AF201].see_also"),
        (lambda s: s.replace('"ASYNC251"', '"ASYNC999"'), "[AF201].lint: unknown code 'ASYNC999'"),
        (lambda s: s.replace('lint = ["ASYNC251"]', 'lint = "ASYNC251"'), "[AF201].lint: must be a list"),
        (lambda s: s.replace("[AF201]", "[AF901]"), "[AF901]: a rule ID is AF"),
        (lambda s: s + 'colour = "red"\n', "[AF201]: unknown key(s) ['colour']"),
        (lambda s: s + 'example_runs = "browser"\n', "[AF201].example_runs"),
        (lambda s: s.replace('title = "T"', "title = "), "invalid TOML"),
    ],
)
def test_bad_catalogue_fails_with_file_and_key(tmp_path: Path, edit: object, expected: str) -> None:
    bad = tmp_path / "catalogue.toml"
    bad.write_text(edit(GOOD), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(CatalogueError) as info:
        load_catalogue(bad)
    assert str(bad) in str(info.value)
    assert expected in str(info.value)


def test_good_minimal_catalogue_loads(tmp_path: Path) -> None:
    good = tmp_path / "catalogue.toml"
    good.write_text(GOOD, encoding="utf-8")
    (rule,) = load_catalogue(good)
    assert rule.anchor == "af201"
    assert rule.example_runs == "pyodide"


def test_retired_rule_needs_only_title_summary_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.toml"
    path.write_text('[AF150]\ntitle = "Old"\nsummary = "Old advice."\nretired = "Superseded by AF110."\n', "utf-8")
    rules = load_catalogue(path)
    markdown = render_rules(rules)
    assert "{#af150}" in markdown
    assert "Superseded by AF110." in markdown
    assert "~~Old~~ (retired)" in render_table(rules)


# --- rendering and lint references ----------------------------------------------------------------------------------


def test_rendered_rule_has_every_section_and_includes_its_snippet() -> None:
    rules = load_catalogue()
    text = render_rules(rules)
    for rule in rules:
        assert f"{{#{rule.anchor}}}" in text
        assert f'--8<-- "{rule.example}"' in text
    af201 = next(r for r in rules if r.id == "AF201")
    assert isinstance(af201, Rule)
    section = text[text.index("{#af201}") : text.index("{#af202}")]
    for label in ("**What.**", "**Why.**", "**Example**", "**Fix.**", "**Lint.**", "**See also:**"):
        assert label in section
    assert "https://docs.astral.sh/ruff/rules/blocking-sleep-in-async-function/" in section
    assert "[The gotcha: mixing sync and async](the-gotcha.md)" in section
    assert 'runs="cpython"' in section


def test_lint_codes_match_the_installed_ruff() -> None:
    for code, lint in load_refs().lint.items():
        command = [*RUFF, "rule", code, "--output-format", "json"]
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
        if "ruff" in lint.tools:
            assert proc.returncode == 0, f"ruff does not know {code}"
            assert json.loads(proc.stdout)["name"] == lint.name, code
        else:
            assert proc.returncode != 0, f"{code} is listed as flake8-async only, but ruff has it now"


# --- the built page -------------------------------------------------------------------------------------------------


def test_built_rules_page_has_every_anchor_and_a_linked_summary_table(built_site: BuiltSite) -> None:
    page = _Ids()
    page.feed((built_site.path / "rules" / "index.html").read_text(encoding="utf-8"))
    rules = load_catalogue()
    missing = [rule.anchor for rule in rules if rule.anchor not in page.ids]
    assert missing == []
    unlinked = [rule.anchor for rule in rules if f"#{rule.anchor}" not in page.hrefs]
    assert unlinked == []


def test_built_rule_examples_ran_without_error(built_site: BuiltSite) -> None:
    html = (built_site.path / "rules" / "index.html").read_text(encoding="utf-8")
    examples = [rule for rule in load_catalogue() if rule.example]
    assert html.count('class="af-runnable"') >= len(examples)
    assert "Traceback (most recent call last)" not in html


# --- the style-guide kit (docs/style-guide.md) ----------------------------------------------------------------------

STYLE_GUIDE = ROOT / "docs" / "style-guide.md"


def test_ruff_config_shown_on_the_style_guide_reports_what_the_page_claims() -> None:
    text = STYLE_GUIDE.read_text(encoding="utf-8")
    claim = re.search(r"It catches\s+(.*?), and the test suite checks", text, re.S)
    assert claim, "the page states which codes the configuration catches"
    claimed = set(re.findall(r"ASYNC\d+", claim.group(1)))
    findings = ruff_findings(page_ruff_config(), af201_files())
    assert {name for name, _, _ in findings} == {p.name for p in af201_files()}, "every AF201 example is flagged"
    assert {code for _, _, code in findings} == claimed


def test_ruff_config_shown_on_the_style_guide_flags_a_dangling_task(tmp_path: Path) -> None:
    source = tmp_path / "dangling.py"
    source.write_text("import asyncio\n\n\nasync def main():\n    asyncio.create_task(main())\n", encoding="utf-8")
    assert [code for _, _, code in ruff_findings(page_ruff_config(), [source])] == ["RUF006"]


def test_async115_and_async116_only_flag_trio_and_anyio_sleeps(tmp_path: Path) -> None:
    """The page says ASYNC115/116 never fire on asyncio.sleep: ruff's docs say they check trio/anyio sleeps only."""
    source = tmp_path / "sleeps.py"
    source.write_text(
        "import asyncio\n\nimport anyio\n\n\n"
        "async def main():\n"
        "    await asyncio.sleep(0)\n"
        "    await asyncio.sleep(100_000)\n"
        "    await anyio.sleep(0)\n"
        "    await anyio.sleep(100_000)\n",
        encoding="utf-8",
    )
    found = [(line, code) for _, line, code in ruff_findings(page_ruff_config(), [source])]
    assert found == [(9, "ASYNC115"), (10, "ASYNC116")]
    text = STYLE_GUIDE.read_text(encoding="utf-8")
    assert "`ASYNC115` flags only `trio.sleep(0)` and `anyio.sleep(0)`" in " ".join(text.split())


def test_style_guide_rule_table_matches_the_installed_ruff() -> None:
    rows = re.findall(r"^\| `(ASYNC\d+)` \| `([a-z-]+)` \|", STYLE_GUIDE.read_text(encoding="utf-8"), re.M)
    assert {code for code, _ in rows} == set(next(r for r in load_catalogue() if r.id == "AF201").lint)
    for code, name in rows:
        command = [*RUFF, "rule", code, "--output-format", "json"]
        proc = subprocess.run(command, capture_output=True, text=True, check=True)
        assert json.loads(proc.stdout)["name"] == name
        assert json.loads(proc.stdout).get("preview") is False, f"{code} needs --preview in the pinned ruff"


def test_flake8_async_snippet_parses_as_flake8_config() -> None:
    parser = configparser.ConfigParser()
    parser.read_string(page_flake8_config())
    calls = [c.strip() for c in parser["flake8"]["async200-blocking-calls"].split(",") if c.strip()]
    assert calls
    assert all(len(call.split("->")) == 2 for call in calls), "flake8-async expects pattern->replacement pairs"


def page_flake8_config() -> str:
    block = re.search(r'^```ini title=".flake8"\n(.*?)^```$', STYLE_GUIDE.read_text(encoding="utf-8"), re.S | re.M)
    assert block, 'the style guide shows a ```ini title=".flake8" block'
    return block.group(1)


def flake8_findings(config: str, files: list[Path], tmp_path: Path) -> list[tuple[str, int, str]]:
    """Run the pinned flake8 + flake8-async with config (a .flake8 body) on files; return (name, line, code)."""
    cfg = tmp_path / "page.flake8"
    cfg.write_text(config, encoding="utf-8")
    command = [sys.executable, "-m", "flake8", "--config", str(cfg), "--format", "%(path)s:%(row)d:%(code)s"]
    proc = subprocess.run([*command, *map(str, files)], capture_output=True, text=True, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    rows = [line.rsplit(":", 2) for line in proc.stdout.splitlines() if line.strip()]
    return sorted((Path(name).name, int(row), code) for name, row, code in rows)


def test_flake8_async_next_to_ruff_reports_each_problem_once(tmp_path: Path) -> None:
    files = [*af201_files(), ROOT / "snippets" / "blocking_calls_linted.py"]
    ruff = set(ruff_findings(page_ruff_config(), files))
    flake8 = set(flake8_findings(page_flake8_config(), files, tmp_path))
    assert ("blocking_calls_linted.py", 23, "ASYNC212") in flake8, "flake8-async sees the sync httpx2.Client call"
    assert not {(name, line) for name, line, _ in ruff} & {(name, line) for name, line, _ in flake8}


def test_flake8_async_flags_httpx_and_not_httpx2_and_async300_is_ruffs_ruf006(tmp_path: Path) -> None:
    source = tmp_path / "clients.py"
    source.write_text(
        "import asyncio\n\nimport httpx\nimport httpx2\n\n\n"
        "async def main():\n    asyncio.create_task(main())\n    await asyncio.sleep(0)\n",
        encoding="utf-8",
    )
    assert flake8_findings(page_flake8_config(), [source], tmp_path) == [("clients.py", 3, "ASYNC127")]
    ruff = [(line, code) for _, line, code in ruff_findings(page_ruff_config(), [source]) if code[0] in "AR"]
    assert ruff == [(8, "RUF006")]
    both = flake8_findings("[flake8]\nselect = ASYNC300\n", [source], tmp_path)
    assert both == [("clients.py", 8, "ASYNC300")], "ASYNC300 reports the line RUF006 reports"


def test_paste_text_links_absolute_rule_anchors_from_site_url() -> None:
    base = site_url()
    assert base.startswith("https://")
    links = re.findall(r"\]\((\S+?)\)", paste_text())
    assert links
    assert all(link.startswith(base) for link in links)
    anchors = {link.split("#")[1] for link in links if "/rules/#" in link}
    assert anchors <= {rule.anchor for rule in load_catalogue()}


# --- the decision rule and the FAQ (built pages) ---------------------------------------------------------------------

VERDICTS = ("sync", "sync-threads", "sync-processes", "async", "async-offload")
FAQ_ANCHORS = (
    "one-request-blocks-another",
    "sync-libraries",
    "async-endpoint-stalls",
    "thread-pool-size",
    "pool-timeout",
    "event-loop-is-closed",
    "asyncio-run-running-loop",
    "django-synchronous-only",
    "sqlalchemy-missing-greenlet",
    "threads-faster-than-asyncio",
    "free-threaded-python",
    "task-garbage-collected",
    "uvloop",
)


def test_decide_page_flowchart_and_verdicts_link_every_outcome(built_site: BuiltSite) -> None:
    html = (built_site.path / "decide" / "index.html").read_text(encoding="utf-8")
    start = html.index('<figure class="af-decide-flow">')
    svg = html[start : html.index("</svg>", start)]
    for verdict in VERDICTS:
        assert f'href="../outcomes/{verdict}/"' in svg, f"the flowchart links {verdict}"
        assert f"/outcomes/{verdict}/" in render_mermaid()
    assert "flowchart TD" in html, "the Mermaid source is offered for copying"
    assert "https://unpkg.com" not in html
    page = _Ids()
    page.feed(html)
    assert {f"../outcomes/{v}/" for v in VERDICTS} <= set(page.hrefs)
    assert "../wizard/" in page.hrefs


def test_faq_has_a_stable_anchor_per_question(built_site: BuiltSite) -> None:
    page = _Ids()
    page.feed((built_site.path / "faq" / "index.html").read_text(encoding="utf-8"))
    assert [a for a in FAQ_ANCHORS if a not in page.ids] == []
