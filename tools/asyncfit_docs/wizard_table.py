"""The wizard's build-time decision table: every verdict the Python engine gives, as data the page looks up.

The browser never evaluates a rule. At build time this module runs `wizard.decide` on every answer set of
`wizard.answer_space()` (about 39,000) and stores the results compactly:

- Decisions are split into deduplicated parts: verdicts, reasons, caveats, lint sets, starter patterns and
  estimates. A decision is a tuple of part indices ``[verdict, reason set, caveat set, lint, pattern, estimate]``
  (``reason_sets[i]`` and ``caveat_sets[i]`` are lists of indices into ``reasons`` and ``caveats``).
- The index is a decision graph (a trie over the questions in asking order, identical subtrees merged): node
  ``[question index, [child per choice]]``; a child ``>= 0`` is a node, ``< 0`` is decision ``-child - 1``.
  Questions the engine hides for some answers are simply never reached on that path, so the walk also tells the
  page which questions to show.
- The ADR ("Export ADR") is the engine's `render_markdown` output, cut into lines that belong to one part each
  (head, context rows per answer, reasons, caveats, lint, estimate, tail). `assemble_adr` puts them back together;
  the page's JavaScript does exactly the same, and the tests check that the result equals `render_markdown` for
  every answer set.

Entry point: `build_table()` (cached: every page of one build shares it).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import wizard

TABLE_VERSION = 1
ADR_DATE = "@@AF_DATE@@"
"""Placeholder for the ADR's date in the stored lines (the page puts in the reader's date)."""
ADR_QUERY = "@@AF_QUERY@@"
"""Placeholder for the wizard URL's query (``?kind=script...`` or nothing) in the stored lines."""
_FIXED_DAY = date(2000, 1, 2)


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


def _split_adr(text: str, decision: wizard.Decision) -> dict[str, Any]:
    """Cut one ADR into its parts (raises TableError naming the answers when the layout is not as expected)."""
    lines = text.rstrip("\n").split("\n")
    where = wizard.to_query(decision.answers) or "(defaults)"

    def find(line: str, start: int = 0) -> int:
        try:
            return lines.index(line, start)
        except ValueError:
            raise TableError(f"ADR for {where}: no line {line!r}") from None

    ctx = find("|---|---|") + 1
    n_q = len(wizard.QUESTIONS)
    reasons_at = find("### Reasons", ctx) + 2
    cons_at = find("## Consequences", reasons_at) + 2
    tail_at = find("### Starter code", cons_at) - 1
    reasons = lines[reasons_at : reasons_at + len(decision.reasons)]
    if lines[reasons_at + len(decision.reasons)] != "":
        raise TableError(f"ADR for {where}: expected one line per reason")
    consequences = lines[cons_at:tail_at]
    n_cav = len(decision.caveats)
    lint_lines = consequences[n_cav:-1]
    if len(lint_lines) != (1 if decision.lint else 0):
        raise TableError(f"ADR for {where}: expected caveats, an optional lint line and an estimate line")
    head = lines[:ctx]
    url = wizard.wizard_url(decision)
    base = url.split("?", 1)[0]
    head = [
        line.replace(url, base + ADR_QUERY).replace(f"- Date: {_FIXED_DAY.isoformat()}", f"- Date: {ADR_DATE}")
        for line in head
    ]
    return {
        "head": head,
        "context": lines[ctx : ctx + n_q],
        "decision": lines[ctx + n_q : reasons_at],
        "reasons": reasons,
        "caveats": consequences[:n_cav],
        "lint": lint_lines,
        "estimate": consequences[-1],
        "tail": lines[tail_at:],
    }


def assemble_adr(table: Mapping[str, Any], decision_index: int, answers: Mapping[str, str], day: str) -> str:
    """Rebuild the ADR exactly as docs/assets/wizard/adr.mjs does (answers: complete normalised answers)."""
    adr = table["adr"]
    verdict, reason_set, caveat_set, lint, _pattern, estimate = table["decisions"][decision_index]
    query = wizard.to_query(answers)
    lines = [
        line.replace(ADR_QUERY, f"?{query}" if query else "").replace(ADR_DATE, day) for line in adr["head"][verdict]
    ]
    for qi, question in enumerate(table["questions"]):
        lines.append(adr["context"][qi][question["choices"].index(answers[question["id"]])])
    lines += adr["decision"][verdict]
    lines += [adr["reasons"][r] for r in table["reason_sets"][reason_set]]
    lines += ["", "## Consequences", ""]
    lines += [adr["caveats"][c] for c in table["caveat_sets"][caveat_set]]
    lines += adr["lint"][lint]
    lines.append(adr["estimate"][estimate])
    lines += adr["tail"][verdict]
    return "\n".join(lines) + "\n"


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


@functools.cache
def build_table() -> dict[str, Any]:
    """Compute the whole table (a JSON-ready dict). Takes a few seconds; cached for the rest of the build."""
    verdicts, reasons, caveats, lints, patterns, estimates, assumptions = (_Parts() for _ in range(7))
    reason_sets, caveat_sets = _Parts(), _Parts()
    adr: dict[str, Any] = {
        "head": {},
        "decision": {},
        "tail": {},
        "context": [[None] * len(q.choices) for q in wizard.QUESTIONS],
        "reasons": {},
        "caveats": {},
        "lint": {},
        "estimate": {},
    }
    decisions = _Parts()
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
        rs = [
            reasons.add({"rule": r.rule_id, "title": r.title, "text": r.text, "url": r.url}) for r in decision.reasons
        ]
        cs = [caveats.add(c) for c in decision.caveats]
        li = lints.add(list(decision.lint))
        pa = patterns.add(decision.pattern)
        est = decision.estimate
        times = est.times
        e = estimates.add(
            {
                "times": [times[name] for name in ("sync", "threads", "async", "processes")],
                "labels": [wizard.format_seconds(times[name]) for name in ("sync", "threads", "async", "processes")],
                "fastest": est.fastest,
                "workload": {
                    "operations": est.operations,
                    "wait_s": est.wait_s,
                    "cpu_s": est.cpu_s,
                    "concurrency": est.concurrency,
                    "cores": est.cores,
                    "thread_pool": est.thread_pool,
                    "process_startup_s": est.process_startup_s,
                    "free_threaded": est.free_threaded,
                },
                "assumptions": assumptions.add(list(est.assumptions)),
            }
        )
        d = decisions.add([v, reason_sets.add(rs), caveat_sets.add(cs), li, pa, e])
        rows.append((answers, visible, d))
        # ADR lines: each part's lines are taken from the first decision that has that part.
        key_v = str(v)
        need_adr = (
            key_v not in adr["head"]
            or any(str(r) not in adr["reasons"] for r in rs)
            or any(str(c) not in adr["caveats"] for c in cs)
            or str(li) not in adr["lint"]
            or str(e) not in adr["estimate"]
            or any(adr["context"][i][q.choice_ids.index(answers[q.id])] is None for i, q in enumerate(wizard.QUESTIONS))
        )
        if need_adr:
            parts = _split_adr(wizard.render_markdown(decision, today=_FIXED_DAY), decision)
            adr["head"].setdefault(key_v, parts["head"])
            adr["decision"].setdefault(key_v, parts["decision"])
            adr["tail"].setdefault(key_v, parts["tail"])
            for r, line in zip(rs, parts["reasons"], strict=True):
                adr["reasons"].setdefault(str(r), line)
            for c, line in zip(cs, parts["caveats"], strict=True):
                adr["caveats"].setdefault(str(c), line)
            adr["lint"].setdefault(str(li), parts["lint"])
            adr["estimate"].setdefault(str(e), parts["estimate"])
            for i, q in enumerate(wizard.QUESTIONS):
                cell = adr["context"][i]
                ci = q.choice_ids.index(answers[q.id])
                if cell[ci] is None:
                    cell[ci] = parts["context"][i]
    nodes, root = _graph(rows)
    for i, q in enumerate(wizard.QUESTIONS):
        for ci, line in enumerate(adr["context"][i]):
            if line is None:
                raise TableError(f"no ADR context line for {q.id}={q.choice_ids[ci]}")
    return {
        "version": TABLE_VERSION,
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
        "estimates": estimates.items,
        "assumptions": assumptions.items,
        "adr": {
            "head": [adr["head"][str(i)] for i in range(len(verdicts.items))],
            "decision": [adr["decision"][str(i)] for i in range(len(verdicts.items))],
            "tail": [adr["tail"][str(i)] for i in range(len(verdicts.items))],
            "context": adr["context"],
            "reasons": [adr["reasons"][str(i)] for i in range(len(reasons.items))],
            "caveats": [adr["caveats"][str(i)] for i in range(len(caveats.items))],
            "lint": [adr["lint"][str(i)] for i in range(len(lints.items))],
            "estimate": [adr["estimate"][str(i)] for i in range(len(estimates.items))],
        },
        "stats": {"answer_sets": len(rows), "decisions": len(decisions.items), "nodes": len(nodes)},
    }


def lookup(table: Mapping[str, Any], answers: Mapping[str, str]) -> tuple[int, dict[str, str]]:
    """Walk the graph like docs/assets/wizard/lookup.mjs: (decision index, normalised visible answers)."""
    ref = table["root"]
    seen: dict[str, str] = {}
    while ref >= 0:
        qi, children = table["nodes"][ref]
        question = table["questions"][qi]
        value = answers.get(question["id"], question["default"])
        if value not in question["choices"]:
            value = question["default"]
        seen[question["id"]] = value
        ref = children[question["choices"].index(value)]
    return -ref - 1, seen


def table_json(table: Mapping[str, Any]) -> str:
    """Return the table as compact JSON text.

    The page embeds it HTML-escaped as the text of a ``<template data-af-table>`` (see wizard_page.py), never in
    a ``<script>``: Material's instant navigation re-creates a page's scripts as executable inline scripts.
    """
    return json.dumps(table, separators=(",", ":"), ensure_ascii=False)
