"""decide(): answers in, a Decision out.

The whole pipeline, top to bottom, each step a pure function:

1. answers      -> normalised answers      wizard._flow.normalise_answers (questions.toml, both skip rules)
2. answers      -> workload numbers        wizard._model.workload         (model.toml)
3. workload     -> modelled time per strategy  wizard._model.estimate
4. times        -> verdict                 wizard._verdict.choose         (decision.toml: the rule, constraints)
5. verdict      -> reasons and caveats     wizard._verdict (the numbers) + wizard._rules (rules.toml: the why),
                                           outcome and starter pattern (outcomes.toml, patterns.toml)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wizard._data import data_path, load_toml, need, no_extra, str_list
from wizard._errors import DataError
from wizard._flow import normalise_answers
from wizard._history import RULES_VERSION
from wizard._model import Estimate, estimate
from wizard._patterns import pattern_for
from wizard._rules import CATALOGUE, VERDICTS, fired
from wizard._verdict import DECISION, DECISION_RULE, choose, fill

_OUTCOMES_FILE = data_path("outcomes.toml")


@dataclass(frozen=True)
class Outcome:
    """What a verdict means: title, one-paragraph summary, general starter code, lint codes and caveats."""

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


def rule_url(rule_id: str) -> str:
    """Site-relative URL of a catalogue rule's page: ``rules/af101/`` (join it with the site's base URL)."""
    return f"rules/{rule_id.lower()}/"


@dataclass(frozen=True)
class Reason:
    """Why the verdict fits: a catalogue rule ID, a sentence about this workload and the site-relative link.

    `template` is the sentence before its numbers were filled in (see wizard/data/decision.toml); reasons that
    carry no numbers have template == text.
    """

    rule_id: str
    text: str
    url: str
    template: str = ""

    @property
    def title(self) -> str:
        """The catalogue title of the cited rule."""
        return CATALOGUE[self.rule_id].title


@dataclass(frozen=True)
class Exclusion:
    """A strategy the constraints rule out for this workload: the constraint, its catalogue rule and why."""

    strategy: str
    constraint: str
    rule_id: str
    text: str


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
    best: str
    excluded: tuple[Exclusion, ...]
    pattern_file: str = ""
    rules_version: int = RULES_VERSION

    @property
    def outcome_url(self) -> str:
        """Site-relative URL of the verdict's outcome page: ``outcomes/async/``."""
        return f"outcomes/{self.verdict}/"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (only str, int, float, bool, list, dict and null values)."""
        return {
            "verdict": self.verdict,
            "title": self.title,
            "summary": self.summary,
            "outcome_url": self.outcome_url,
            "rules_version": self.rules_version,
            "decision_rule": DECISION_RULE,
            "margin": {"factor": DECISION.factor, "seconds": DECISION.seconds},
            "best_allowed": self.best,
            "excluded": [
                {"strategy": e.strategy, "constraint": e.constraint, "rule_id": e.rule_id, "text": e.text}
                for e in self.excluded
            ],
            "reasons": [{"rule_id": r.rule_id, "title": r.title, "text": r.text, "url": r.url} for r in self.reasons],
            "caveats": list(self.caveats),
            "pattern": self.pattern,
            "pattern_file": self.pattern_file,
            "lint": list(self.lint),
            "estimate": self.estimate.to_dict(),
            "answers": dict(self.answers),
        }


def decide(answers: Mapping[str, str]) -> Decision:
    """Decide for one workload. Missing answers take their defaults; InvalidAnswers names any bad key or value."""
    complete = normalise_answers(answers)
    modelled = estimate(complete)
    choice = choose(complete, modelled)
    verdict = choice.verdict
    outcome = OUTCOMES[verdict]
    # The reasons that follow from the numbers come first, then the qualitative ones of rules.toml whose catalogue
    # rule is not cited yet (one sentence per rule: the model's own sentence wins).
    reasons = [Reason(r.rule, fill(r.template, modelled), rule_url(r.rule), r.template) for r in choice.reasons]
    cited = {r.rule_id for r in reasons}
    reporting = [rule for rule in fired(complete) if rule.reports_for(verdict)]
    for rule in reporting:
        for reason in rule.reasons:
            if reason.rule not in cited:
                cited.add(reason.rule)
                reasons.append(Reason(reason.rule, reason.text, rule_url(reason.rule), reason.text))
    caveats = [c for rule in reporting for c in rule.caveats]
    caveats += [c for c in outcome.caveats if c not in caveats]
    lint = set(outcome.lint)
    for rule_id in cited:
        lint.update(CATALOGUE[rule_id].lint)
    pattern_file, pattern = pattern_for(verdict, complete, outcome.pattern)
    return Decision(
        verdict=verdict,
        title=outcome.title,
        summary=outcome.summary,
        reasons=tuple(reasons),
        caveats=tuple(dict.fromkeys(caveats)),
        pattern=pattern,
        lint=tuple(sorted(lint)),
        estimate=modelled,
        answers=complete,
        best=choice.best,
        excluded=tuple(
            Exclusion(strategy, c.id, c.rule, c.text)
            for strategy, c in sorted(choice.excluded.items(), key=lambda item: VERDICTS.index(item[0]))
        ),
        pattern_file=pattern_file,
    )
