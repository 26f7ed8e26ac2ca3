"""decide(): answers in, a Decision out (verdict, explanation, starter code, lint codes, modelled timings).

Pipeline: normalise the answers (wizard._questions) -> evaluate the rules (wizard._rules) -> look up the verdict's
outcome (wizard/data/outcomes.toml) -> model the timings (wizard._model). Every step is a pure function.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wizard._data import data_path, load_toml, need, no_extra, str_list
from wizard._errors import DataError
from wizard._flow import normalise_answers
from wizard._model import Estimate, estimate
from wizard._rules import CATALOGUE, VERDICTS, evaluate

_OUTCOMES_FILE = data_path("outcomes.toml")


@dataclass(frozen=True)
class Outcome:
    """What a verdict means: title, one-paragraph summary, starter code, lint codes and general caveats."""

    verdict: str
    title: str
    summary: str
    pattern: str
    lint: tuple[str, ...]
    caveats: tuple[str, ...]


def load_outcomes() -> dict[str, Outcome]:
    """Load and validate wizard/data/outcomes.toml: exactly one table per verdict."""
    raw = load_toml("outcomes.toml")
    for verdict in raw:
        if verdict not in VERDICTS:
            raise DataError(_OUTCOMES_FILE, verdict, f"not a verdict; expected one of {', '.join(VERDICTS)}")
    outcomes: dict[str, Outcome] = {}
    for verdict in VERDICTS:
        table = need(raw, verdict, dict, _OUTCOMES_FILE, "(top level)")
        no_extra(table, {"title", "summary", "pattern", "lint", "caveats"}, _OUTCOMES_FILE, verdict)
        outcomes[verdict] = Outcome(
            verdict,
            need(table, "title", str, _OUTCOMES_FILE, verdict),
            need(table, "summary", str, _OUTCOMES_FILE, verdict),
            need(table, "pattern", str, _OUTCOMES_FILE, verdict),
            tuple(str_list(table, "lint", _OUTCOMES_FILE, verdict)),
            tuple(str_list(table, "caveats", _OUTCOMES_FILE, verdict)),
        )
    return outcomes


OUTCOMES: Mapping[str, Outcome] = load_outcomes()
"""The outcome of every verdict, by verdict ID."""


@dataclass(frozen=True)
class Reason:
    """Why the verdict fits: a catalogue rule ID, a sentence about this workload and the site-relative link."""

    rule_id: str
    text: str
    url: str

    @property
    def title(self) -> str:
        """The catalogue title of the cited rule."""
        return CATALOGUE[self.rule_id].title


def rule_url(rule_id: str) -> str:
    """Site-relative URL of a catalogue rule: ``rules/#af101`` (join it with the site's base URL)."""
    return f"rules/#{rule_id.lower()}"


@dataclass(frozen=True)
class Decision:
    """The wizard's answer for one workload. `to_dict()` gives the JSON shape (see render_json)."""

    verdict: str
    title: str
    summary: str
    reasons: tuple[Reason, ...]
    caveats: tuple[str, ...]
    pattern: str
    lint: tuple[str, ...]
    estimate: Estimate
    answers: Mapping[str, str]
    scores: Mapping[str, int]

    @property
    def outcome_url(self) -> str:
        """Site-relative URL of the verdict's outcome page: ``outcomes/async/``."""
        return f"outcomes/{self.verdict}/"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (only str, int, float, bool, list and dict values)."""
        return {
            "verdict": self.verdict,
            "title": self.title,
            "summary": self.summary,
            "outcome_url": self.outcome_url,
            "reasons": [{"rule_id": r.rule_id, "title": r.title, "text": r.text, "url": r.url} for r in self.reasons],
            "caveats": list(self.caveats),
            "pattern": self.pattern,
            "lint": list(self.lint),
            "estimate": self.estimate.to_dict(),
            "answers": dict(self.answers),
            "scores": dict(self.scores),
        }


def decide(answers: Mapping[str, str]) -> Decision:
    """Decide for one workload. Missing answers take their defaults; InvalidAnswers names any bad key or value."""
    complete = normalise_answers(answers)
    evaluation = evaluate(complete)
    verdict = evaluation.verdict
    outcome = OUTCOMES[verdict]
    reporting = [rule for rule in evaluation.fired if rule.reports_for(verdict)]
    # Strongest push first; file order breaks ties (sorted() is stable).
    reporting.sort(key=lambda rule: -rule.pressure.get(verdict, 0))
    reasons: dict[str, Reason] = {}
    for rule in reporting:
        for reason in rule.reasons:
            reasons.setdefault(reason.rule, Reason(reason.rule, reason.text, rule_url(reason.rule)))
    caveats = [c for rule in reporting for c in rule.caveats]
    caveats += [c for c in outcome.caveats if c not in caveats]
    lint = set(outcome.lint)
    for rule_id in reasons:
        lint.update(CATALOGUE[rule_id].lint)
    return Decision(
        verdict=verdict,
        title=outcome.title,
        summary=outcome.summary,
        reasons=tuple(reasons.values()),
        caveats=tuple(dict.fromkeys(caveats)),
        pattern=outcome.pattern,
        lint=tuple(sorted(lint)),
        estimate=estimate(complete),
        answers=complete,
        scores=dict(evaluation.scores),
    )
