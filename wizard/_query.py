"""Answers in URLs: parse_query (never raises) and to_query (short, stable, shareable).

A wizard URL carries the answers that differ from the defaults, in question order:
``/wizard/?kind=script&fanout=hundreds&latency=slow``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from wizard._flow import normalise_answers
from wizard._questions import QUESTIONS, QUESTIONS_BY_ID

_MAX_SHOWN = 40  # characters of a bad value echoed back in a message


@dataclass(frozen=True)
class Problem:
    """One parameter of a query that could not be used: its key (as given) and a clear message."""

    key: str
    message: str


@dataclass(frozen=True)
class ParsedQuery:
    """The usable answers of a query string, and one Problem per parameter that was ignored."""

    answers: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _shown(value: str) -> str:
    return repr(value if len(value) <= _MAX_SHOWN else value[:_MAX_SHOWN] + "...")


def parse_query(query: str) -> ParsedQuery:
    """Parse a URL query string of answers (a leading "?" is fine). Never raises.

    Keeps every valid answer; reports each unknown parameter, invalid value or repeated parameter as a Problem
    naming its key. The answers are NOT normalised (questions hidden by earlier answers keep their value).
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
    for key, value in pairs:
        question = QUESTIONS_BY_ID.get(key)
        if question is None:
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
    return result


def to_query(answers: Mapping[str, str]) -> str:
    """Return the query string (no "?") of the normalised answers that differ from their defaults, in question order.

    Raises InvalidAnswers naming the key for unknown IDs or values. Default answers give "".
    """
    complete = normalise_answers(answers)
    return urlencode([(q.id, complete[q.id]) for q in QUESTIONS if complete[q.id] != q.default])
