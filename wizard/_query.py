"""Answers in URLs: parse_query (never raises) and to_query (complete, versioned, shareable).

A wizard URL carries the rules version and every question asked, in question order:
``/wizard/?v=2&kind=script&time=waiting&fanout=hundreds&latency=slow&io_libs=async&codebase=greenfield``.
A link without ``v`` was made with rules version 1, which left out answers equal to their defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from wizard._flow import normalise_answers, visible_questions
from wizard._history import RULES_VERSION
from wizard._questions import QUESTIONS_BY_ID

_MAX_SHOWN = 40  # characters of a bad value echoed back in a message
VERSION_KEY = "v"
"""The query parameter that carries the rules version a link was made with."""


@dataclass(frozen=True)
class Problem:
    """One parameter of a query that could not be used: its key (as given) and a clear message."""

    key: str
    message: str


@dataclass(frozen=True)
class ParsedQuery:
    """The usable answers of a query string, its rules version (1 when absent) and a Problem per ignored parameter."""

    answers: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    version: int = 1


def _shown(value: str) -> str:
    return repr(value if len(value) <= _MAX_SHOWN else value[:_MAX_SHOWN] + "...")


def parse_query(query: str) -> ParsedQuery:
    """Parse a URL query string of answers (a leading "?" is fine). Never raises.

    Keeps every valid answer; reports each unknown parameter, invalid value or repeated parameter as a Problem
    naming its key. ``v`` is the rules version (1 when absent; an invalid one is reported and read as today's).
    The answers are NOT normalised (questions hidden by earlier answers keep their value).
    """
    result = ParsedQuery()
    if not isinstance(query, str):
        result.problems.append(Problem("", f"expected a query string, got {type(query).__name__}"))
        return result
    try:
        pairs = parse_qsl(query.removeprefix("?"), keep_blank_values=True, errors="replace")
    except ValueError as exc:  # e.g. too many fields
        result.problems.append(Problem("", f"unreadable query string: {exc}"))
        return result
    seen_version = False
    version = 1
    for key, value in pairs:
        question = QUESTIONS_BY_ID.get(key)
        if key == VERSION_KEY:
            if seen_version:
                result.problems.append(Problem(key, f"{key!r} is given more than once; the first value is used"))
            elif value.isascii() and value.isdigit() and 1 <= int(value) <= RULES_VERSION:
                version = int(value)
            else:
                version = RULES_VERSION
                result.problems.append(
                    Problem(
                        key,
                        f"{_shown(value)} is not a rules version; expected 1 to {RULES_VERSION} (read with today's "
                        "rules)",
                    )
                )
            seen_version = True
        elif question is None:
            result.problems.append(
                Problem(key, f"unknown question {_shown(key)}; expected one of: {', '.join(QUESTIONS_BY_ID)}")
            )
        elif key in result.answers:
            result.problems.append(Problem(key, f"{key!r} is given more than once; the first value is used"))
        elif value not in question.choice_ids:
            result.problems.append(
                Problem(
                    key,
                    f"{_shown(value)} is not an answer to {key!r}; expected one of: {', '.join(question.choice_ids)}",
                )
            )
        else:
            result.answers[key] = value
    return ParsedQuery(result.answers, result.problems, version)


def to_query(answers: Mapping[str, str]) -> str:
    """Return the query string (no "?"): the rules version, then every question asked, in question order.

    Raises InvalidAnswers naming the key for unknown IDs or values.
    """
    complete = normalise_answers(answers)
    asked = visible_questions(complete)
    return urlencode([(VERSION_KEY, str(RULES_VERSION)), *((q.id, complete[q.id]) for q in asked)])
