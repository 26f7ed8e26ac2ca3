"""The rules catalogue, and the declarative rules that add qualitative reasons and caveats to a decision.

Data: wizard/data/rules.toml (conditions -> reasons and caveats per verdict; format described at its top)
and wizard/data/catalogue.toml (the public rule IDs AF101..., whose content another part of the project owns:
this module only loads and validates it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wizard._data import data_path, load_toml, need, no_extra, str_list
from wizard._errors import DataError
from wizard._questions import QUESTIONS_BY_ID

VERDICTS: tuple[str, ...] = ("sync", "sync-threads", "sync-processes", "async", "async-offload")
"""Every verdict ID, simplest first (also the tie-break order)."""

_RULES_FILE = data_path("rules.toml")
_CATALOGUE_FILE = data_path("catalogue.toml")
_CATALOGUE_ID = re.compile(r"^AF[1-3]\d\d$")


@dataclass(frozen=True)
class CatalogueEntry:
    """One entry of the public rules catalogue (AF101...): title, one-sentence summary, lint codes."""

    id: str
    title: str
    summary: str
    lint: tuple[str, ...]
    retired: str | None = None

    @property
    def anchor(self) -> str:
        """The anchor of the rule on the rules page (``af101``)."""
        return self.id.lower()


def load_catalogue() -> dict[str, CatalogueEntry]:
    """Load and validate wizard/data/catalogue.toml (extra long-form fields are allowed and ignored here)."""
    raw = load_toml("catalogue.toml")
    entries: dict[str, CatalogueEntry] = {}
    for rid, table in raw.items():
        if not _CATALOGUE_ID.match(rid):
            raise DataError(_CATALOGUE_FILE, rid, "IDs look like AF101 (AF1xx, AF2xx, AF3xx)")
        if not isinstance(table, dict):
            raise DataError(_CATALOGUE_FILE, rid, "expected a table")
        retired = table.get("retired")
        if retired is not None and not isinstance(retired, str):
            raise DataError(_CATALOGUE_FILE, f"{rid}.retired", "expected a string (the reason)")
        entries[rid] = CatalogueEntry(
            rid,
            need(table, "title", str, _CATALOGUE_FILE, rid),
            need(table, "summary", str, _CATALOGUE_FILE, rid),
            tuple(str_list(table, "lint", _CATALOGUE_FILE, rid, default=[])),
            retired,
        )
    return entries


CATALOGUE: Mapping[str, CatalogueEntry] = load_catalogue()
"""The rules catalogue by ID."""


@dataclass(frozen=True)
class RuleReason:
    """A reason a rule gives: the catalogue ID it cites and a sentence about this workload."""

    rule: str
    text: str


@dataclass(frozen=True)
class Rule:
    """One rule of rules.toml (see the comment at the top of that file)."""

    id: str
    when: Mapping[str, tuple[str, ...]]
    unless: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    reasons: tuple[RuleReason, ...] = ()
    caveats: tuple[str, ...] = ()
    show_for: tuple[str, ...] | None = None

    def matches(self, answers: Mapping[str, str]) -> bool:
        """Return True when `when` matches the complete answers and `unless` (if any) does not."""
        # Plain loops, not all/any(<generator>): see ask_if_holds in _questions.py (the table sweep's hot path).
        for q, allowed in self.when.items():
            if answers[q] not in allowed:
                return False
        if not self.unless:
            return True
        for q, allowed in self.unless.items():  # noqa: SIM110 - see above
            if answers[q] not in allowed:
                return True
        return False

    def reports_for(self, verdict: str) -> bool:
        """Whether this rule's reasons and caveats belong in a decision with this verdict."""
        return self.show_for is None or verdict in self.show_for


def _condition(raw: Any, key: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise DataError(_RULES_FILE, key, "expected a table of question ID -> list of choice IDs")
    condition: dict[str, tuple[str, ...]] = {}
    for qid, values in raw.items():
        question = QUESTIONS_BY_ID.get(qid)
        if question is None:
            raise DataError(_RULES_FILE, f"{key}.{qid}", "unknown question ID")
        if not isinstance(values, list) or not values:
            raise DataError(_RULES_FILE, f"{key}.{qid}", "expected a non-empty list of choice IDs")
        for value in values:
            if value not in question.choice_ids:
                raise DataError(_RULES_FILE, f"{key}.{qid}", f"{value!r} is not a choice of {qid!r}")
        condition[qid] = tuple(values)
    return condition


def _verdicts(values: list[str], key: str) -> tuple[str, ...]:
    for value in values:
        if value not in VERDICTS:
            raise DataError(_RULES_FILE, key, f"{value!r} is not a verdict; expected one of {', '.join(VERDICTS)}")
    return tuple(values)


def load_rules(catalogue: Mapping[str, CatalogueEntry] = CATALOGUE) -> tuple[Rule, ...]:
    """Load and validate wizard/data/rules.toml against the questions and the catalogue."""
    raw = load_toml("rules.toml")
    no_extra(raw, {"rule"}, _RULES_FILE, "(top level)")
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, entry in enumerate(need(raw, "rule", list, _RULES_FILE, "(top level)")):
        key = f"rule[{i}]"
        if not isinstance(entry, dict):
            raise DataError(_RULES_FILE, key, "expected a table")
        rid = need(entry, "id", str, _RULES_FILE, key)
        key = f"rule[{i}] ({rid})"
        if rid in seen:
            raise DataError(_RULES_FILE, f"{key}.id", "duplicate rule ID")
        seen.add(rid)
        no_extra(entry, {"id", "when", "unless", "reasons", "caveats", "show_for"}, _RULES_FILE, key)
        reasons: list[RuleReason] = []
        for j, reason in enumerate(entry.get("reasons", [])):
            rkey = f"{key}.reasons[{j}]"
            if not isinstance(reason, dict):
                raise DataError(_RULES_FILE, rkey, "expected a table with `rule` and `text`")
            no_extra(reason, {"rule", "text"}, _RULES_FILE, rkey)
            cited = need(reason, "rule", str, _RULES_FILE, rkey)
            if cited not in catalogue:
                raise DataError(_RULES_FILE, f"{rkey}.rule", f"{cited!r} is not in {_CATALOGUE_FILE}")
            if catalogue[cited].retired:
                raise DataError(_RULES_FILE, f"{rkey}.rule", f"{cited!r} is retired in {_CATALOGUE_FILE}")
            reasons.append(RuleReason(cited, need(reason, "text", str, _RULES_FILE, rkey)))
        show_for = entry.get("show_for")
        rules.append(
            Rule(
                id=rid,
                when=_condition(need(entry, "when", dict, _RULES_FILE, key), f"{key}.when"),
                unless=_condition(entry.get("unless", {}), f"{key}.unless"),
                reasons=tuple(reasons),
                caveats=tuple(str_list(entry, "caveats", _RULES_FILE, key, default=[])),
                show_for=None if show_for is None else _verdicts(str_list(entry, "show_for", _RULES_FILE, key), key),
            )
        )
    return tuple(rules)


RULES: tuple[Rule, ...] = load_rules()
"""Every rule, in file order (which is also the order their reasons are reported in)."""


def fired(answers: Mapping[str, str], rules: tuple[Rule, ...] = RULES) -> tuple[Rule, ...]:
    """Return the rules whose conditions hold for complete normalised answers, in file order (pure)."""
    return tuple(rule for rule in rules if rule.matches(answers))
