"""Decisions as text (terminal), Markdown (an Architecture Decision Record to commit) and JSON."""

from __future__ import annotations

import json
import textwrap
from datetime import date

from wizard._engine import Decision
from wizard._query import to_query
from wizard._questions import QUESTIONS

SITE_URL = "https://asyncfit.github.io/asyncfit/"
"""The site's base URL (site_url in mkdocs.yml): links in rendered decisions are built from it."""

_MODEL_NAMES = {"sync": "sync", "threads": "threads", "async": "async", "processes": "processes"}


def format_seconds(value: float) -> str:
    """Format a duration for people: ``820 ms``, ``4.2 s``, ``1,234 s``."""
    if value >= 100:
        return f"{value:,.0f} s"
    if value >= 1:
        return f"{value:.1f} s"
    return f"{value * 1000:.0f} ms"


def estimate_line(decision: Decision) -> str:
    """One line comparing the modelled times, e.g. ``sync 316 s · threads 53.3 s · async 16.4 s · ...``."""
    times = decision.estimate.times
    return " · ".join(f"{name} {format_seconds(times[name])}" for name in _MODEL_NAMES)


def _workload(decision: Decision) -> str:
    est = decision.estimate
    free = ", free-threaded" if est.free_threaded else ""
    return (
        f"{est.operations:,} operations, each waiting {format_seconds(est.wait_s)} "
        f"and computing {format_seconds(est.cpu_s)}, "
        f"up to {est.concurrency:,} in flight, {est.cores} cores{free}"
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
    out += ["", "Starter code:", textwrap.indent(decision.pattern.rstrip(), "    ")]
    return "\n".join(out) + "\n"


def render_markdown(decision: Decision, base_url: str = SITE_URL, today: date | None = None) -> str:
    """Render an Architecture Decision Record (Markdown) to commit; rule links are absolute, built from base_url."""
    day = (today or date.today()).isoformat()
    out = [
        f"# ADR: {decision.title} ({decision.verdict})",
        "",
        "- Status: proposed",
        f"- Date: {day}",
        f"- Decided with: [asyncfit wizard]({wizard_url(decision, base_url)})",
        "",
        "## Context",
        "",
        "| Question | Answer |",
        "|---|---|",
    ]
    out += [f"| {q} | {a} |" for q, a in _answer_lines(decision)]
    out += [
        "",
        "## Decision",
        "",
        f"**{decision.title}** ([{decision.verdict}]({_join(base_url, decision.outcome_url)})). {decision.summary}",
        "",
        "### Reasons",
        "",
    ]
    out += [f"- [{r.rule_id}]({_join(base_url, r.url)}) {r.title}: {r.text}" for r in decision.reasons]
    out += ["", "## Consequences", ""]
    out += [f"- {c}" for c in decision.caveats]
    if decision.lint:
        out.append(f"- Enable these lint rules (ruff / flake8-async): {', '.join(f'`{c}`' for c in decision.lint)}.")
    out += [
        f"- Modelled time for the batch ({_workload(decision)}): {estimate_line(decision)}.",
        "",
        "### Starter code",
        "",
        "```python",
        decision.pattern.rstrip(),
        "```",
    ]
    return "\n".join(out) + "\n"


def render_json(decision: Decision) -> str:
    """Render the decision as pretty-printed JSON (the shape of Decision.to_dict)."""
    return json.dumps(decision.to_dict(), indent=2, ensure_ascii=False) + "\n"
