"""Decisions as text (terminal), Markdown (an Architecture Decision Record to commit) and JSON."""

from __future__ import annotations

import json
import textwrap
from datetime import date

from wizard._engine import Decision
from wizard._format import format_seconds
from wizard._model import STRATEGIES, Estimate
from wizard._query import to_query
from wizard._questions import QUESTIONS
from wizard._verdict import DECISION_RULE

SITE_URL = "https://asyncfit.github.io/asyncfit/"
"""The site's base URL (site_url in mkdocs.yml): links in rendered decisions are built from it."""


def estimate_line(decision: Decision) -> str:
    """One line comparing the modelled times, e.g. ``sync 316 s · sync-threads 53.3 s · ... (excluded)``."""
    times = decision.estimate.strategy_times
    excluded = {e.strategy for e in decision.excluded}
    return " · ".join(
        f"{name} {format_seconds(times[name])}{' (excluded)' if name in excluded else ''}" for name in STRATEGIES
    )


def _workload(decision: Decision) -> str:
    return workload_text(decision.estimate)


def workload_text(est: Estimate) -> str:
    """Describe the workload behind an estimate in words: ``1,000 operations, each waiting 50 ms and ...``."""
    free = ", free-threaded" if est.free_threaded else ""
    return (
        f"{est.operations:,} operations, each waiting {format_seconds(est.wait_s)} "
        f"and computing {format_seconds(est.cpu_s)}, "
        f"up to {est.concurrency:,} in flight, {est.cores} cores{free}"
        + (f", {est.arrival_per_s:g} arriving a second" if est.arrival_per_s else "")
    )


def _answer_lines(decision: Decision) -> list[tuple[str, str]]:
    lines = []
    for q in QUESTIONS:
        value = decision.answers[q.id]
        lines.append((q.text, q.choice(value).label + ("" if value != q.default else " (default)")))
    return lines


def wizard_url(decision: Decision, base_url: str = SITE_URL) -> str:
    """Return the absolute URL of the wizard pre-filled with this decision's answers."""
    query = to_query(decision.answers)
    return _join(base_url, "wizard/") + (f"?{query}" if query else "")


def _join(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + "/" + path


def _excluded_lines(decision: Decision) -> list[str]:
    return [f"{e.strategy} is excluded: {e.text}" for e in decision.excluded]


def render_text(decision: Decision, width: int = 88) -> str:
    """Render a plain-text report for the terminal."""

    def wrap(text: str, indent: str = "  ") -> str:
        hanging = indent + "  " if text.startswith("- ") else indent
        return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=hanging)

    out = [f"Verdict: {decision.verdict} - {decision.title}", "", wrap(decision.summary, ""), "", "Why:"]
    out += [wrap(f"- {r.rule_id}: {r.text}") for r in decision.reasons]
    if decision.caveats:
        out += ["", "Caveats:"] + [wrap(f"- {c}") for c in decision.caveats]
    if decision.lint:
        out += ["", "Lint rules to enable (ruff / flake8-async):", wrap(", ".join(decision.lint))]
    out += ["", "Modelled time for the batch:", wrap(estimate_line(decision)), wrap(f"({_workload(decision)})")]
    out += [wrap(f"- {line}") for line in _excluded_lines(decision)]
    out += ["", "Decision rule:", wrap(DECISION_RULE)]
    out += ["", "Starter code" + (f" (snippets/patterns/{decision.pattern_file})" if decision.pattern_file else "")]
    out += [textwrap.indent(decision.pattern.rstrip(), "    ")]
    return "\n".join(out) + "\n"


# The ADR, line group by line group: the build-time table stores each group once and the page puts them back
# together (tools/asyncfit_docs/wizard_table.py, docs/assets/wizard/adr.mjs); render_markdown is their sum.


def adr_head(decision: Decision, base_url: str, day: str, link: str | None = None) -> list[str]:
    """Return the title, status, date and link lines, and the answers table's header."""
    return [
        f"# ADR: {decision.title} ({decision.verdict})",
        "",
        "- Status: proposed",
        f"- Date: {day}",
        f"- Decided with: [asyncfit wizard, rules v{decision.rules_version}]({link or wizard_url(decision, base_url)})",
        "",
        "## Context",
        "",
        "| Question | Answer |",
        "|---|---|",
    ]


def adr_context_line(question_text: str, label: str) -> str:
    """One row of the answers table."""
    return f"| {question_text} | {label} |"


def adr_decision(decision: Decision, base_url: str) -> list[str]:
    """Return the decision paragraph and the reasons heading."""
    return [
        "",
        "## Decision",
        "",
        f"**{decision.title}** ([{decision.verdict}]({_join(base_url, decision.outcome_url)})). {decision.summary}",
        "",
        f"Decision rule: {DECISION_RULE}",
        "",
        "### Reasons",
        "",
    ]


def adr_reason_line(rule_id: str, title: str, url: str, text: str, base_url: str) -> str:
    """One reason (text may be a template whose numbers the page fills in)."""
    return f"- [{rule_id}]({_join(base_url, url)}) {title}: {text}"


def adr_lint(lint: tuple[str, ...] | list[str]) -> list[str]:
    """Return the lint line, when there are codes to enable."""
    if not lint:
        return []
    return [f"- Enable these lint rules (ruff / flake8-async): {', '.join(f'`{c}`' for c in lint)}."]


def adr_estimate(decision: Decision) -> str:
    """Return the modelled times, with the excluded strategies marked."""
    return f"- Modelled time for the batch ({_workload(decision)}): {estimate_line(decision)}."


def adr_tail(pattern: str) -> list[str]:
    """Return the starter code block."""
    return ["", "### Starter code", "", "```python", pattern.rstrip(), "```"]


def render_markdown(decision: Decision, base_url: str = SITE_URL, today: date | None = None) -> str:
    """Render an Architecture Decision Record (Markdown) to commit; rule links are absolute, built from base_url."""
    day = (today or date.today()).isoformat()
    out = adr_head(decision, base_url, day)
    out += [adr_context_line(q, a) for q, a in _answer_lines(decision)]
    out += adr_decision(decision, base_url)
    out += [adr_reason_line(r.rule_id, r.title, r.url, r.text, base_url) for r in decision.reasons]
    out += ["", "## Consequences", ""]
    out += [f"- {c}" for c in decision.caveats]
    out += adr_lint(decision.lint)
    out.append(adr_estimate(decision))
    out += adr_tail(decision.pattern)
    return "\n".join(out) + "\n"


def render_json(decision: Decision) -> str:
    """Render the decision as pretty-printed JSON (the shape of Decision.to_dict)."""
    return json.dumps(decision.to_dict(), indent=2, ensure_ascii=False) + "\n"
