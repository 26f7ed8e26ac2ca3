"""The wizard's build-time decision table: every decision the Python engine makes, as data the page looks up.

The browser never evaluates a rule or the model. At build time this module runs `wizard.decide` on every answer
set of `wizard.answer_space()` and stores the results compactly:

- Decisions are split into deduplicated parts: verdicts, reasons, caveats, lint sets, starter patterns,
  estimates and exclusions. A decision is a tuple of part indices
  ``[verdict, reason set, caveat set, lint, pattern, estimate, exclusion set]``
  (``reason_sets[i]``, ``caveat_sets[i]`` and ``exclusion_sets[i]`` list indices into their parts).
- A reason is stored as its template (wizard/data/decision.toml): ``{time:async}``, ``{threads}`` and
  ``{processes}`` are filled from the decision's own estimate, by the page (panel.mjs `fillTemplate`) as by the
  engine (`wizard._verdict.fill`). So the chart, the verdict and the reasons show the same numbers.
- The index is a decision graph (a trie over the questions in asking order, identical subtrees merged): node
  ``[question index, [child per choice]]``; a child ``>= 0`` is a node, ``< 0`` is decision ``-child - 1``.
  Questions the engine does not ask for some answers are never reached on that path, so the walk also tells
  the page which questions to show. It is the graph format of the frozen tables below: docs/assets/wizard/lookup.mjs
  walks both, and so does `wizard._history.walk_graph` (which the tests use on this table).
- The ADR ("Export ADR") is rebuilt from line groups made by the engine's own ADR functions (wizard._render):
  `assemble_adr` puts them back together exactly as docs/assets/wizard/adr.mjs does, and the tests check that the
  result equals `render_markdown` for every answer set.
- `history`: the frozen verdict tables of older rules versions (wizard._history), so a permalink made under
  older rules can say what it said then.

The table is a file of its own, fetched by the page after its first paint: ``vendor/wizard/table-<fp>.json``,
where <fp> is a fingerprint of the engine's sources (so a changed engine gets a new URL, and browsers may cache
the file for as long as they like). tools/vendor.py writes it before a build (`write_table`); the pages of the
build load that file instead of sweeping the answer space again (`build_table`), and compute it themselves only
when it is missing or stale (then they write it, for the next build to copy; `make` runs tools/vendor.py first
whenever the engine changed, and tests/test_wizard_page_build.py fails on a build that lacks the file).

Entry points: `build_table()` (cached: every page of one build shares it), `table_path()`, `write_table()`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import wizard
from wizard import _render

TABLE_VERSION = 2
ADR_DATE = "@@AF_DATE@@"
"""Placeholder for the ADR's date in the stored lines (the page puts in the reader's date)."""
ADR_QUERY = "@@AF_QUERY@@"
"""Placeholder for the wizard URL's query (``?v=2&kind=...``) in the stored lines."""
_PLACEHOLDER = re.compile(r"\{(time:[a-z-]+|threads|processes)\}")
ROOT = Path(__file__).resolve().parents[2]
TABLE_DIR = ROOT / "docs" / "vendor" / "wizard"
"""Where the table file goes (docs/vendor/ is generated and git-ignored)."""
BYTE_BUDGET = 160_000
"""Most gzip-compressed bytes the table file may have (tests/test_wizard_page_build.py checks it)."""


@functools.cache
def fingerprint() -> str:
    """12 hex digits of SHA-256 over the engine's sources (wizard/, its data and patterns) and this module."""
    digest = hashlib.sha256()
    files = [p for p in sorted((ROOT / "wizard").rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    for path in [*files, Path(__file__).resolve()]:
        digest.update(path.relative_to(ROOT).as_posix().encode() if path.is_relative_to(ROOT) else b"")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def table_path() -> Path:
    """Return the table file of the current engine sources."""
    return TABLE_DIR / f"table-{fingerprint()}.json"


def table_url() -> str:
    """Return the table file's URL, relative to the site root (``vendor/wizard/table-<fp>.json``)."""
    return f"vendor/wizard/{table_path().name}"


def write_table() -> Path:
    """Compute the table and write it; return its path (tools/vendor.py empties docs/vendor/ first)."""
    table = compute_table()
    TABLE_DIR.mkdir(parents=True, exist_ok=True)
    path = table_path()
    path.write_text(table_json(table), encoding="utf-8")
    return path


class TableError(RuntimeError):
    """The engine's output does not have the shape this module relies on (message names the answers or part)."""


@dataclass
class _Parts:
    """Deduplicated values, each remembered by its first index."""

    items: list[Any] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def add(self, value: Any) -> int:
        """Return the index of value, adding it if new (values are compared by their JSON text)."""
        key = json.dumps(value, sort_keys=True)
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append(value)
        return self.index[key]


def fill_template(template: str, estimate: Mapping[str, Any]) -> str:
    """Fill a stored reason template from a stored estimate part, exactly as panel.mjs `fillTemplate` does."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in ("threads", "processes"):
            return f"{estimate[name]:,}"
        return estimate["labels"][wizard.STRATEGIES.index(name.removeprefix("time:"))]

    return _PLACEHOLDER.sub(value, template)


def _walk_space() -> list[tuple[dict[str, str], tuple[str, ...], wizard.Decision]]:
    """Every answer set with the IDs of its visible questions and its decision."""
    out = []
    for answers in wizard.answer_space():
        visible = tuple(q.id for q in wizard.visible_questions(answers))
        out.append((answers, visible, wizard.decide(answers)))
    return out


def _graph(
    rows: Sequence[tuple[Mapping[str, str], tuple[str, ...], int]],
) -> tuple[list[list[Any]], int]:
    """Build the merged trie over questions (see module docstring); return (nodes, root reference)."""
    questions = wizard.QUESTIONS
    nodes: list[list[Any]] = []
    seen: dict[tuple[int, tuple[int, ...]], int] = {}

    def build(items: Sequence[tuple[Mapping[str, str], tuple[str, ...], int]], depth: int) -> int:
        while depth < len(questions):
            shown = {questions[depth].id in visible for _, visible, _ in items}
            if shown == {True}:
                break
            if shown != {False}:
                raise TableError(
                    f"question {questions[depth].id!r} is shown for some answer sets and hidden for others that "
                    "agree on every earlier visible question: ask_if must only depend on earlier questions"
                )
            depth += 1
        if depth == len(questions):
            leaves = {leaf for _, _, leaf in items}
            if len(leaves) != 1:
                raise TableError(f"answer sets with identical visible answers got {len(leaves)} different decisions")
            return -leaves.pop() - 1
        question = questions[depth]
        children = []
        for choice in question.choice_ids:
            subset = [item for item in items if item[0][question.id] == choice]
            if not subset:
                raise TableError(f"answer_space() has no answer set with {question.id}={choice} on some path")
            children.append(build(subset, depth + 1))
        key = (depth, tuple(children))
        if key not in seen:
            seen[key] = len(nodes)
            nodes.append([depth, children])
        return seen[key]

    root = build(rows, 0)
    return nodes, root


def _estimate_part(est: wizard.Estimate, assumptions: _Parts) -> dict[str, Any]:
    times = [est.strategy_times[name] for name in wizard.STRATEGIES]
    return {
        "times": times,
        "labels": [wizard.format_seconds(t) for t in times],
        "fastest": est.fastest,
        "threads": est.thread_pool,
        "processes": est.process_pool,
        "workload": {
            "operations": est.operations,
            "wait_s": est.wait_s,
            "cpu_s": est.cpu_s,
            "concurrency": est.concurrency,
            "cores": est.cores,
            "thread_pool": est.thread_pool,
            "process_pool": est.process_pool,
            "arrival_per_s": est.arrival_per_s,
            "free_threaded": est.free_threaded,
            "cpu_kind": est.cpu_kind,
        },
        "assumptions": assumptions.add(list(est.assumptions)),
    }


@functools.cache
def build_table() -> dict[str, Any]:
    """Return the whole table: read from the file of this engine's fingerprint, else computed and written there.

    Cached for the rest of the build.
    """
    path = table_path()
    if not path.is_file():
        print(
            f"asyncfit: computing the wizard table: {path.name} is missing, so this build's wizard page will not"
            " find it. Run `make build` (tools/vendor.py writes it before the build).",
            file=sys.stderr,
        )
        write_table()
    # Read back even when just written: the pages of a build see exactly the bytes the browser will fetch.
    return json.loads(path.read_text(encoding="utf-8"))


def compute_table() -> dict[str, Any]:
    """Compute the whole table (a JSON-ready dict) from the engine: sweeps the answer space (tens of seconds)."""
    verdicts, reasons, caveats, lints, patterns, estimates, assumptions = (_Parts() for _ in range(7))
    reason_sets, caveat_sets, exclusions, exclusion_sets, decisions = (_Parts() for _ in range(5))
    workloads: dict[int, str] = {}
    base = wizard.SITE_URL
    link = _render._join(base, "wizard/") + ADR_QUERY
    heads: dict[int, list[str]] = {}
    bodies: dict[int, list[str]] = {}
    reason_lines: dict[int, str] = {}
    context = [[_render.adr_context_line(q.text, c.label) for c in q.choices] for q in wizard.QUESTIONS]
    for qi, q in enumerate(wizard.QUESTIONS):
        ci = q.choice_ids.index(q.default)
        context[qi][ci] = _render.adr_context_line(q.text, q.choice(q.default).label + " (default)")
    rows = []
    for answers, visible, decision in _walk_space():
        v = verdicts.add(
            {
                "verdict": decision.verdict,
                "title": decision.title,
                "summary": decision.summary,
                "url": decision.outcome_url,
            }
        )
        if v not in heads:
            heads[v] = _render.adr_head(decision, base, ADR_DATE, link=link)
            bodies[v] = _render.adr_decision(decision, base)
        rs = []
        for r in decision.reasons:
            index = reasons.add({"rule": r.rule_id, "title": r.title, "template": r.template, "url": r.url})
            reason_lines.setdefault(index, _render.adr_reason_line(r.rule_id, r.title, r.url, r.template, base))
            rs.append(index)
        cs = [caveats.add(c) for c in decision.caveats]
        li = lints.add(list(decision.lint))
        pa = patterns.add(decision.pattern)
        e = estimates.add(_estimate_part(decision.estimate, assumptions))
        xs = [
            exclusions.add({"strategy": x.strategy, "constraint": x.constraint, "rule": x.rule_id, "text": x.text})
            for x in decision.excluded
        ]
        workloads.setdefault(e, _render.workload_text(decision.estimate))
        parts = [v, reason_sets.add(rs), caveat_sets.add(cs), li, pa, e, exclusion_sets.add(xs)]
        rows.append((answers, visible, decisions.add(parts)))
        for r, index in zip(decision.reasons, rs, strict=True):
            if fill_template(reasons.items[index]["template"], estimates.items[e]) != r.text:
                raise TableError(f"reason {r.rule_id} of {wizard.to_query(answers)}: template and text disagree")
    nodes, root = _graph(rows)
    pattern_files = {code: name for (name, code) in wizard._patterns.PATTERNS.values()}
    return {
        "version": TABLE_VERSION,
        "fingerprint": fingerprint(),
        "rules_version": wizard.RULES_VERSION,
        "strategies": list(wizard.STRATEGIES),
        "decision_rule": wizard.DECISION_RULE,
        "questions": [{"id": q.id, "default": q.default, "choices": list(q.choice_ids)} for q in wizard.QUESTIONS],
        "root": root,
        "nodes": nodes,
        "decisions": decisions.items,
        "verdicts": verdicts.items,
        "reasons": reasons.items,
        "caveats": caveats.items,
        "reason_sets": reason_sets.items,
        "caveat_sets": caveat_sets.items,
        "lints": lints.items,
        "patterns": patterns.items,
        "pattern_files": [pattern_files.get(code, "") for code in patterns.items],
        "estimates": estimates.items,
        "assumptions": assumptions.items,
        "exclusions": exclusions.items,
        "exclusion_sets": exclusion_sets.items,
        "versions": [{"number": r.number, "date": r.date, "title": r.title} for r in wizard.VERSIONS],
        "history": {str(n): dict(t) for n, t in wizard._history.FROZEN.items()},
        "adr": {
            "head": [heads[i] for i in range(len(verdicts.items))],
            "decision": [bodies[i] for i in range(len(verdicts.items))],
            "context": context,
            "reasons": [reason_lines[i] for i in range(len(reasons.items))],
            "caveats": [f"- {c}" for c in caveats.items],
            "lint": [_render.adr_lint(codes) for codes in lints.items],
            "workload": [workloads[i] for i in range(len(estimates.items))],
            "tail": [_render.adr_tail(code) for code in patterns.items],
        },
        "stats": {"answer_sets": len(rows), "decisions": len(decisions.items), "nodes": len(nodes)},
    }


def assemble_adr(table: Mapping[str, Any], decision_index: int, answers: Mapping[str, str], day: str) -> str:
    """Rebuild the ADR exactly as docs/assets/wizard/adr.mjs does (answers: complete normalised answers)."""
    adr = table["adr"]
    verdict, reason_set, caveat_set, lint, pattern, estimate, exclusion_set = table["decisions"][decision_index]
    query = wizard.to_query(answers)
    lines = [line.replace(ADR_QUERY, f"?{query}").replace(ADR_DATE, day) for line in adr["head"][verdict]]
    for qi, question in enumerate(table["questions"]):
        lines.append(adr["context"][qi][question["choices"].index(answers[question["id"]])])
    lines += adr["decision"][verdict]
    lines += [fill_template(adr["reasons"][r], table["estimates"][estimate]) for r in table["reason_sets"][reason_set]]
    lines += ["", "## Consequences", ""]
    lines += [adr["caveats"][c] for c in table["caveat_sets"][caveat_set]]
    lines += adr["lint"][lint]
    excluded = {table["exclusions"][x]["strategy"] for x in table["exclusion_sets"][exclusion_set]}
    labels = table["estimates"][estimate]["labels"]
    times = " · ".join(
        f"{name} {labels[i]}{' (excluded)' if name in excluded else ''}" for i, name in enumerate(table["strategies"])
    )
    lines.append(f"- Modelled time for the batch ({adr['workload'][estimate]}): {times}.")
    lines += adr["tail"][pattern]
    return "\n".join(lines) + "\n"


def table_json(table: Mapping[str, Any]) -> str:
    """Return the table as compact JSON text (the file the wizard page fetches; see wizard_page.py)."""
    return json.dumps(table, separators=(",", ":"), ensure_ascii=False)
