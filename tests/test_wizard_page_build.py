"""The wizard's build-time HTML and table file: questionnaire, decision table (covers the whole answer space),
byte budgets, outcome pages, examples and the rules changelog."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from asyncfit_docs.wizard_table import BYTE_BUDGET, assemble_adr, build_table, fill_template

import wizard
from tests.conftest import ROOT, BuiltSite
from wizard._history import walk_graph

PAGE_BUDGET = 100_000  # gzip-compressed bytes of the wizard page's HTML (issue #11)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.starts: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))


def _parse(built_site: BuiltSite, rel: str) -> _Collector:
    collector = _Collector()
    collector.feed((built_site.path / rel).read_text(encoding="utf-8"))
    return collector


@pytest.fixture(scope="module")
def wizard_page(built_site: BuiltSite) -> _Collector:
    return _parse(built_site, "wizard/index.html")


def _table_file(built_site: BuiltSite, wizard_page: _Collector) -> Path:
    roots = [attrs for tag, attrs in wizard_page.starts if "data-af-wizard" in attrs]
    assert len(roots) == 1
    src = roots[0]["data-af-table-src"] or ""
    assert src.startswith("../vendor/wizard/table-")
    return built_site.path / "wizard" / src


@pytest.fixture(scope="module")
def table(built_site: BuiltSite, wizard_page: _Collector) -> dict[str, Any]:
    return json.loads(_table_file(built_site, wizard_page).read_text(encoding="utf-8"))


def test_the_table_is_a_file_of_its_own_within_budget(built_site: BuiltSite, wizard_page: _Collector) -> None:
    path = _table_file(built_site, wizard_page)
    table_gz = len(gzip.compress(path.read_bytes()))
    page_gz = len(gzip.compress((built_site.path / "wizard" / "index.html").read_bytes()))
    print(f"\nwizard: page {page_gz / 1024:.0f} KiB gzipped, table {table_gz / 1024:.0f} KiB gzipped")
    assert page_gz <= PAGE_BUDGET
    assert table_gz <= BYTE_BUDGET
    roots = [attrs for tag, attrs in wizard_page.starts if "data-af-wizard" in attrs]
    assert json.loads(path.read_text(encoding="utf-8"))["fingerprint"] == roots[0]["data-af-table-fingerprint"]
    assert path.name == f"table-{roots[0]['data-af-table-fingerprint']}.json"  # a new engine gets a new URL


def _search_texts(site: BuiltSite) -> dict[str, str]:
    """Indexed text per location: MkDocs' search/search_index.json (`docs`) or Zensical's search.json (`items`)."""
    mkdocs_index = site.path / "search" / "search_index.json"
    path = mkdocs_index if mkdocs_index.is_file() else site.path / "search.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {entry["location"]: entry["text"] for entry in data.get("docs", data.get("items", []))}


def test_search_index_leaves_out_the_wizards_templates(engine_site: BuiltSite, table: dict[str, Any]) -> None:
    # The templates hold data (the decision table's JSON, the starter patterns): indexed, they doubled the index
    # that every page load fetches and the search worker indexes again, and made searches match JSON.
    texts = _search_texts(engine_site)
    assert "wizard/" in texts, "the wizard page itself is searchable"
    assert "Should this module be sync" in texts["wizard/"]
    table_keys = ('"fastest"', '"workload"', '"patterns"')
    assert not [loc for loc, text in texts.items() if any(key in text for key in table_keys)]
    assert len(texts["wizard/"]) < len(json.dumps(table)) / 10


def test_form_is_a_real_get_form_with_every_question_and_choice(wizard_page: _Collector) -> None:
    forms = [attrs for tag, attrs in wizard_page.starts if tag == "form" and "data-af-form" in attrs]
    assert len(forms) == 1
    assert forms[0]["method"] == "get"
    fieldsets = [attrs["data-af-question"] for tag, attrs in wizard_page.starts if tag == "fieldset"]
    assert fieldsets == [q.id for q in wizard.QUESTIONS]
    radios = {
        (attrs["name"], attrs["value"]): attrs
        for tag, attrs in wizard_page.starts
        if tag == "input" and attrs.get("type") == "radio" and attrs.get("name") in wizard.QUESTIONS_BY_ID
    }
    labels = {attrs.get("for") for tag, attrs in wizard_page.starts if tag == "label"}
    for question in wizard.QUESTIONS:
        for choice in question.choices:
            attrs = radios[(question.id, choice.id)]
            assert attrs["id"] in labels
            assert ("checked" in attrs) == (choice.id == question.default)


def test_no_js_outcome_list_links_every_outcome(wizard_page: _Collector) -> None:
    hrefs = {attrs.get("href") for tag, attrs in wizard_page.starts if tag == "a"}
    for verdict in wizard.VERDICTS:
        assert f"../outcomes/{verdict}/" in hrefs


def test_table_is_the_one_the_build_computes(table: dict[str, Any]) -> None:
    assert table == json.loads(json.dumps(build_table()))


def test_table_covers_the_whole_answer_space(table: dict[str, Any], wizard_page: _Collector) -> None:
    count = 0
    for answers in wizard.answer_space():
        index, visible_answers = walk_graph(table, answers)
        decision = wizard.decide(answers)
        v, reason_set, caveat_set, lint, pattern, estimate, exclusion_set = table["decisions"][index]
        assert table["verdicts"][v]["verdict"] == decision.verdict
        assert table["verdicts"][v]["summary"] == decision.summary
        part = table["estimates"][estimate]
        assert [fill_template(table["reasons"][r]["template"], part) for r in table["reason_sets"][reason_set]] == [
            r.text for r in decision.reasons
        ]
        assert [table["caveats"][c] for c in table["caveat_sets"][caveat_set]] == list(decision.caveats)
        assert table["lints"][lint] == list(decision.lint)
        assert table["patterns"][pattern] == decision.pattern
        times = decision.estimate.strategy_times
        assert part["times"] == [times[s] for s in wizard.STRATEGIES]
        assert [table["exclusions"][x]["strategy"] for x in table["exclusion_sets"][exclusion_set]] == [
            e.strategy for e in decision.excluded
        ]
        assert list(visible_answers) == [q.id for q in wizard.visible_questions(answers)]
        assert wizard.normalise_answers(visible_answers) == answers
        count += 1
    assert count == table["stats"]["answer_sets"]
    print(
        f"\nwizard table: {count} answer sets, {len(table['decisions'])} distinct decisions, "
        f"{len(table['nodes'])} graph nodes"
    )


def test_adr_lines_rebuild_render_markdown_exactly(table: dict[str, Any]) -> None:
    day = date(2026, 11, 25)
    for i, answers in enumerate(wizard.answer_space()):
        if i % 3:
            continue  # every third answer set keeps the test quick; the lines are shared across all of them
        index, _ = walk_graph(table, answers)
        expected = wizard.render_markdown(wizard.decide(answers), today=day)
        assert assemble_adr(table, index, answers, day.isoformat()) == expected


@pytest.mark.parametrize("verdict", wizard.VERDICTS)
def test_outcome_page_is_generated_from_the_engine(built_site: BuiltSite, verdict: str) -> None:
    html = (built_site.path / "outcomes" / verdict / "index.html").read_text(encoding="utf-8")
    outcome = wizard.OUTCOMES[verdict]
    for anchor in ("what-it-means", "when-it-applies", "starter-pattern", "lint", "caveats", "worked-examples"):
        assert f'id="{anchor}"' in html
    assert outcome.title in html
    text = re.sub(r"<[^>]+>|\W", "", html)
    for (v, family, work), (name, code) in wizard._patterns.PATTERNS.items():
        if v == verdict:
            assert f'id="pattern-{family}-{work}"' in html
            assert f"snippets/patterns/{name}" in html
            last = next(line for line in reversed(code.splitlines()) if line.strip())
            assert re.sub(r"\W", "", last)[:12] in text
    for code in outcome.lint:
        assert code in html
    for example in wizard.EXAMPLES:
        if wizard.decide(example.answers).verdict == verdict:
            assert f"examples/#{example.id}" in html


def test_examples_page_shows_engine_verdicts_and_permalinks(built_site: BuiltSite) -> None:
    page = _parse(built_site, "wizard/examples/index.html")
    verdicts = {attrs["data-af-example-verdict"] for tag, attrs in page.starts if "data-af-example-verdict" in attrs}
    links = [attrs["href"] for tag, attrs in page.starts if tag == "a" and "data-af-example-link" in attrs]
    ids = {attrs.get("id") for _, attrs in page.starts}
    assert len(links) == len(wizard.EXAMPLES)
    for example in wizard.EXAMPLES:
        assert example.id in ids
        query = wizard.to_query(example.answers)
        assert f"../../wizard/?{query}" in links or (not query and "../../wizard/" in links)
    assert verdicts == {wizard.decide(example.answers).verdict for example in wizard.EXAMPLES}
    sources = [attrs["href"] for tag, attrs in page.starts if tag == "a" and "data-af-example-source" in attrs]
    assert sources == [example.source.url for example in wizard.EXAMPLES if example.source]


def test_rules_changelog_anchors_every_version(built_site: BuiltSite) -> None:
    page = _parse(built_site, "wizard/rules-changelog/index.html")
    ids = {attrs.get("id") for _, attrs in page.starts}
    for version in wizard.VERSIONS:
        assert f"v{version.number}" in ids


QUERY_PARITY_JS = """
import { parseQuery } from "./docs/assets/wizard/query.mjs";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { table, queries } = JSON.parse(input);
process.stdout.write(JSON.stringify(queries.map((q) => parseQuery(table, q))));
"""


def _random_query(rng: random.Random) -> str:
    ids = [q.id for q in wizard.QUESTIONS]
    values = [c.id for q in wizard.QUESTIONS for c in q.choices]
    atoms = [
        "v",
        "1",
        "2",
        "12",
        *ids,
        *values,
        "=",
        "&",
        "+",
        "%",
        "%2",
        "%zz",
        "%41",
        "%C3%A9",
        "%E2%82",
        "%ff",
        "%00",
        "%0A",
        "é",
        "\u200b",
        "\u00a0",
        "'",
        '"',
        "\\",
        "<script>",
        "漢字",
        "\U0001f600",
        "x" * 45,
    ]
    return "".join(rng.choice(atoms) for _ in range(rng.randint(0, 12)))


def test_browser_query_parser_matches_parse_query_on_fuzzed_queries(tmp_path: Path) -> None:
    """docs/assets/wizard/query.mjs run by Node on 2,000 random queries gives exactly wizard.parse_query's result."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    rng = random.Random(20261125)  # noqa: S311 - reproducible test data, not cryptography
    queries = ["", "?", "?&", "?kind=gui&kind=web", "?v=2&v=1", "?v=01", "?v=3", "?v=%32", "?v=", "?v=1e1"]
    queries += [_random_query(rng) for _ in range(2000)]
    table = {
        "questions": [{"id": q.id, "default": q.default, "choices": list(q.choice_ids)} for q in wizard.QUESTIONS],
        "rules_version": wizard.RULES_VERSION,
    }
    script = ROOT / f".wizard-query-parity-{os.getpid()}.mjs"
    script.write_text(QUERY_PARITY_JS, encoding="utf-8")
    try:
        proc = subprocess.run(
            [node, str(script)],
            input=json.dumps({"table": table, "queries": queries}),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
    finally:
        script.unlink()
    for query, got in zip(queries, json.loads(proc.stdout), strict=True):
        parsed = wizard.parse_query(query)
        expected = {
            "answers": parsed.answers,
            "problems": [{"key": p.key, "message": p.message} for p in parsed.problems],
            "version": parsed.version,
        }
        assert got == expected, query
