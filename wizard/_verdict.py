"""Step 4 and 5 of the pipeline: modelled times + constraints -> verdict -> the reasons that follow from the numbers.

Data: wizard/data/decision.toml (the rule's margin, the constraints and the sentences; format described there).

The decision rule, in one sentence (DECISION_RULE): among the strategies the constraints allow, the verdict is
the simplest whose modelled time is not both more than F times the best allowed time and more than S seconds
slower than it. A constraint either excludes strategies outright (a GUI's main thread, sync-only clients) or,
with a ``lift``, only until the excluded strategies would be faster by a larger margin (rewriting a sync
codebase). Every faster strategy that the verdict passes over gets a reason saying why, with the numbers.

Sentences are templates: ``{time:async}``, ``{threads}`` and ``{processes}`` are filled from the decision's own
estimate by fill(), in Python and, from the same build-time table, on the page. So the chart, the verdict and the
reasons always come from the same numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wizard._data import data_path, load_toml, need, no_extra, str_list
from wizard._errors import DataError
from wizard._format import format_seconds
from wizard._model import STRATEGIES, Estimate
from wizard._questions import QUESTIONS_BY_ID
from wizard._rules import CATALOGUE

_FILE = data_path("decision.toml")
_PLACEHOLDER = re.compile(r"\{(time:[a-z-]+|threads|processes)\}")
_CASES = ("fastest", "margin")


@dataclass(frozen=True)
class Lift:
    """When an excluded strategy is let back in: `factor` times and `seconds` faster than the best allowed."""

    factor: float
    seconds: float


@dataclass(frozen=True)
class Constraint:
    """Strategies that cannot work (or do not pay) for some answers, with the catalogue rule and sentence why."""

    id: str
    when: Mapping[str, tuple[str, ...]]
    excludes: tuple[str, ...]
    rule: str
    text: str
    lift: Lift | None = None
    lifted: str = ""

    def matches(self, answers: Mapping[str, str]) -> bool:
        """Whether every condition of `when` holds for the complete answers."""
        for question, allowed in self.when.items():  # noqa: SIM110 - a plain loop: the table sweep's hot path
            if answers[question] not in allowed:
                return False
        return True


@dataclass(frozen=True)
class VerdictText:
    """The sentences that say why a verdict was chosen, and the catalogue rules they cite."""

    rule: str
    rule_computing: str
    fastest: str
    margin: str


@dataclass(frozen=True)
class DecisionData:
    """wizard/data/decision.toml, validated."""

    factor: float
    seconds: float
    constraints: tuple[Constraint, ...]
    verdicts: Mapping[str, VerdictText]
    floor: str
    passed_margin: str
    passed_excluded: str


def _fixed(text: str, values: Mapping[str, float]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", f"{value:g}")
    return text


def _cited(catalogue: Mapping[str, Any], table: Mapping[str, Any], name: str, key: str) -> str:
    rid = need(table, name, str, _FILE, key)
    if rid not in catalogue or catalogue[rid].retired:
        raise DataError(_FILE, f"{key}.{name}", f"{rid!r} is not a live rule of wizard/data/catalogue.toml")
    return rid


def _load_constraint(entry: Any, i: int, catalogue: Mapping[str, Any]) -> Constraint:
    key = f"constraint[{i}]"
    if not isinstance(entry, dict):
        raise DataError(_FILE, key, "expected a table")
    no_extra(entry, {"id", "when", "excludes", "rule", "text", "lift", "lifted"}, _FILE, key)
    key = f"constraint[{i}] ({need(entry, 'id', str, _FILE, key)})"
    when: dict[str, tuple[str, ...]] = {}
    for qid, values in need(entry, "when", dict, _FILE, key).items():
        question = QUESTIONS_BY_ID.get(qid)
        if question is None:
            raise DataError(_FILE, f"{key}.when.{qid}", "unknown question ID")
        if not isinstance(values, list) or not values or any(v not in question.choice_ids for v in values):
            raise DataError(_FILE, f"{key}.when.{qid}", f"expected a list of choices of {qid!r}")
        when[qid] = tuple(values)
    excludes = tuple(str_list(entry, "excludes", _FILE, key))
    for strategy in excludes:
        if strategy not in STRATEGIES:
            raise DataError(_FILE, f"{key}.excludes", f"{strategy!r} is not a strategy")
    text = need(entry, "text", str, _FILE, key)
    if "lift" not in entry:
        return Constraint(entry["id"], when, excludes, _cited(catalogue, entry, "rule", key), text)
    raw_lift = need(entry, "lift", dict, _FILE, key)
    no_extra(raw_lift, {"factor", "seconds"}, _FILE, f"{key}.lift")
    lift = Lift(
        float(need(raw_lift, "factor", (int, float), _FILE, f"{key}.lift")),
        float(need(raw_lift, "seconds", (int, float), _FILE, f"{key}.lift")),
    )
    numbers = {"lift_factor": lift.factor, "lift_seconds": lift.seconds}
    lifted = _fixed(need(entry, "lifted", str, _FILE, key), numbers)
    return Constraint(
        entry["id"], when, excludes, _cited(catalogue, entry, "rule", key), _fixed(text, numbers), lift, lifted
    )


def _load_verdict_texts(raw: Mapping[str, Any], catalogue: Mapping[str, Any]) -> dict[str, VerdictText]:
    tables = need(raw, "verdict", dict, _FILE, "(top level)")
    for extra in set(tables) - set(STRATEGIES):
        raise DataError(_FILE, f"verdict.{extra}", "not a strategy")
    verdicts: dict[str, VerdictText] = {}
    for strategy in STRATEGIES:
        key = f"verdict.{strategy}"
        table = need(tables, strategy, dict, _FILE, "verdict")
        no_extra(table, {"rule", "rule_computing", *_CASES}, _FILE, key)
        rid = _cited(catalogue, table, "rule", key)
        verdicts[strategy] = VerdictText(
            rid,
            _cited(catalogue, table, "rule_computing", key) if "rule_computing" in table else rid,
            *(need(table, case, str, _FILE, key) for case in _CASES),
        )
    return verdicts


def load_decision_data(catalogue: Mapping[str, Any]) -> DecisionData:
    """Load and validate wizard/data/decision.toml against the questions and the catalogue."""
    raw = load_toml("decision.toml")
    no_extra(raw, {"rule", "constraint", "verdict", "floor", "passed_over"}, _FILE, "(top level)")
    rule = need(raw, "rule", dict, _FILE, "(top level)")
    no_extra(rule, {"factor", "seconds"}, _FILE, "rule")
    factor = float(need(rule, "factor", (int, float), _FILE, "rule"))
    seconds = float(need(rule, "seconds", (int, float), _FILE, "rule"))
    if factor < 1 or seconds < 0:
        raise DataError(_FILE, "rule", "factor must be at least 1 and seconds at least 0")
    entries = need(raw, "constraint", list, _FILE, "(top level)")
    floor = need(raw, "floor", dict, _FILE, "(top level)")
    passed = need(raw, "passed_over", dict, _FILE, "(top level)")
    no_extra(passed, {"margin", "excluded"}, _FILE, "passed_over")
    return DecisionData(
        factor=factor,
        seconds=seconds,
        constraints=tuple(_load_constraint(entry, i, catalogue) for i, entry in enumerate(entries)),
        verdicts=_load_verdict_texts(raw, catalogue),
        floor=need(floor, "text", str, _FILE, "floor"),
        passed_margin=_fixed(need(passed, "margin", str, _FILE, "passed_over"), {"factor": factor, "seconds": seconds}),
        passed_excluded=need(passed, "excluded", str, _FILE, "passed_over"),
    )


def decision_rule(data: DecisionData) -> str:
    """Return the decision rule as one sentence, with its numbers."""
    return (
        "Among the strategies the constraints allow, the verdict is the simplest (sync, then threads, processes, "
        f"async, async-offload) whose modelled time is not both more than {data.factor:g}x the best allowed time "
        f"and more than {data.seconds:g} s slower than it."
    )


def fill(template: str, estimate: Estimate) -> str:
    """Fill a sentence's {time:<strategy>}, {threads} and {processes} from the estimate (see decision.toml)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "threads":
            return f"{estimate.thread_pool:,}"
        if name == "processes":
            return f"{estimate.process_pool:,}"
        return format_seconds(estimate.strategy_times[name.removeprefix("time:")])

    return _PLACEHOLDER.sub(value, template)


def _named(template: str, **names: str) -> str:
    """Fill {verdict}, {other}, {best} (and {time:verdict} and the like) with strategy IDs."""
    for name, strategy in names.items():
        template = template.replace("{time:" + name + "}", "{time:" + strategy + "}")
        template = template.replace("{" + name + "}", strategy)
    return template


@dataclass(frozen=True)
class ModelReason:
    """A reason that follows from the numbers: the catalogue rule it cites and its sentence (a template)."""

    rule: str
    template: str
    about: str


@dataclass(frozen=True)
class Choice:
    """The verdict step's result: the verdict, the best allowed strategy, what was excluded, and why."""

    verdict: str
    best: str
    excluded: Mapping[str, Constraint]
    lifted: tuple[Constraint, ...]
    reasons: tuple[ModelReason, ...] = field(default=())


def _acceptable(time: float, best: float, data: DecisionData) -> bool:
    return time <= best * data.factor or time - best <= data.seconds


def choose(answers: Mapping[str, str], estimate: Estimate, data: DecisionData | None = None) -> Choice:
    """Step 4 and 5: apply the constraints and the decision rule; explain the verdict and every faster option."""
    return choose_from_times(answers, estimate.strategy_times, estimate.floor_s, data or DECISION)


def choose_from_times(
    answers: Mapping[str, str], times: Mapping[str, float], floor_s: float, data: DecisionData
) -> Choice:
    """choose() from the modelled times alone (the fast path of the skip logic's whole-space sweep)."""
    excluded, lifted = _exclusions(answers, times, data)
    allowed = [s for s in STRATEGIES if s not in excluded]
    if not allowed:
        raise DataError(_FILE, "constraint", f"the constraints exclude every strategy for {dict(answers)}")
    best = min(allowed, key=lambda s: times[s])
    verdict = next(s for s in allowed if _acceptable(times[s], times[best], data))
    reasons = _explain(answers, times, floor_s, data, verdict, best, excluded, lifted)
    return Choice(verdict, best, excluded, tuple(c for c, _, _ in lifted), reasons)


def _exclusions(
    answers: Mapping[str, str], times: Mapping[str, float], data: DecisionData
) -> tuple[dict[str, Constraint], list[tuple[Constraint, str, str]]]:
    """Apply the constraints: hard ones first, then those with a lift (excluded unless the gain is large)."""
    excluded: dict[str, Constraint] = {}
    lifted: list[tuple[Constraint, str, str]] = []  # (constraint, best kept strategy, best let-back-in strategy)
    for constraint in data.constraints:
        if constraint.lift is None and constraint.matches(answers):
            for strategy in constraint.excludes:
                excluded.setdefault(strategy, constraint)
    for constraint in data.constraints:
        if constraint.lift is None or not constraint.matches(answers):
            continue
        kept = [s for s in STRATEGIES if s not in excluded and s not in constraint.excludes]
        dropped = [s for s in constraint.excludes if s not in excluded]
        if not kept or not dropped:
            continue
        best_kept = min(kept, key=lambda s: times[s])
        best_dropped = min(dropped, key=lambda s: times[s])
        kept_s, dropped_s = times[best_kept], times[best_dropped]
        if kept_s >= dropped_s * constraint.lift.factor and kept_s - dropped_s >= constraint.lift.seconds:
            lifted.append((constraint, best_kept, best_dropped))
        else:
            for strategy in dropped:
                excluded[strategy] = constraint
    return excluded, lifted


def _explain(  # noqa: PLR0913, PLR0917 - the verdict step's whole result, explained in one place
    answers: Mapping[str, str],
    times: Mapping[str, float],
    floor_s: float,
    data: DecisionData,
    verdict: str,
    best: str,
    excluded: Mapping[str, Constraint],
    lifted: list[tuple[Constraint, str, str]],
) -> tuple[ModelReason, ...]:
    """Explain from the numbers: why the verdict, what a lift let back in, and every faster option."""
    text = data.verdicts[verdict]
    rule = text.rule_computing if answers["time"] == "computing" else text.rule
    if floor_s and times[verdict] <= floor_s:
        first = data.floor
    elif format_seconds(times[best]) == format_seconds(times[verdict]):
        first = text.fastest
    else:
        first = text.margin
    reasons = [ModelReason(rule, _named(first, verdict=verdict, best=best), verdict)]
    for constraint, kept, let_in in lifted:
        reasons.append(ModelReason(constraint.rule, _named(constraint.lifted, kept=kept, other=let_in), let_in))
    # Faster strategies, fastest first; those with the same shown time and the same reason share one sentence.
    label = format_seconds(times[verdict])
    groups: dict[tuple[str, str], list[str]] = {}
    for other in sorted((s for s in STRATEGIES if times[s] < times[verdict]), key=lambda s: times[s]):
        if format_seconds(times[other]) != label:  # the same figure as shown: nothing to explain
            why = excluded[other].id if other in excluded else ""
            groups.setdefault((format_seconds(times[other]), why), []).append(other)
    for (_, why), others in groups.items():
        names = others[0] if len(others) == 1 else ", ".join(others[:-1]) + " and " + others[-1]
        # The sentence names every strategy of the group; its {time:other} is theirs too (the same shown time).
        if why:
            constraint = excluded[others[0]]
            template = data.passed_excluded.replace("{other}", names) + constraint.text
            reasons.append(ModelReason(constraint.rule, _named(template, other=others[0], verdict=verdict), others[0]))
        else:
            template = data.passed_margin.replace("{other}", names)
            reasons.append(ModelReason(rule, _named(template, other=others[0], verdict=verdict), others[0]))
    return tuple(reasons)


DECISION: DecisionData = load_decision_data(CATALOGUE)
"""wizard/data/decision.toml, validated."""

DECISION_RULE: str = decision_rule(DECISION)
"""The decision rule as one sentence, with its numbers (shown on the wizard page and in --format json)."""
