"""Worked example workloads (wizard/data/examples.toml): answers plus the verdict the wizard must give.

Tests assert every example's verdict; the site renders them on /wizard/examples/.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from wizard._data import data_path, load_toml, need, no_extra
from wizard._errors import DataError, InvalidAnswers
from wizard._questions import check_answers
from wizard._rules import VERDICTS

_FILE = data_path("examples.toml")
_ID = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Example:
    """One worked workload: stable ID (an anchor on the examples page), title, description, answers, verdict."""

    id: str
    title: str
    description: str
    answers: Mapping[str, str]
    expected: str


def load_examples() -> tuple[Example, ...]:
    """Load and validate wizard/data/examples.toml (answers checked against the questions)."""
    raw = load_toml("examples.toml")
    no_extra(raw, {"example"}, _FILE, "(top level)")
    examples: list[Example] = []
    for i, entry in enumerate(need(raw, "example", list, _FILE, "(top level)")):
        key = f"example[{i}]"
        if not isinstance(entry, dict):
            raise DataError(_FILE, key, "expected a table")
        eid = need(entry, "id", str, _FILE, key)
        key = f"example[{i}] ({eid})"
        no_extra(entry, {"id", "title", "description", "answers", "expected"}, _FILE, key)
        if not _ID.match(eid) or any(e.id == eid for e in examples):
            raise DataError(_FILE, f"{key}.id", "expected a unique lowercase ID")
        answers = need(entry, "answers", dict, _FILE, key)
        try:
            check_answers(answers)
        except InvalidAnswers as exc:
            raise DataError(_FILE, f"{key}.answers.{exc.key}", str(exc)) from exc
        expected = need(entry, "expected", str, _FILE, key)
        if expected not in VERDICTS:
            raise DataError(_FILE, f"{key}.expected", f"{expected!r} is not a verdict")
        examples.append(
            Example(
                eid,
                need(entry, "title", str, _FILE, key),
                need(entry, "description", str, _FILE, key),
                answers,
                expected,
            )
        )
    return tuple(examples)


EXAMPLES: tuple[Example, ...] = load_examples()
"""Every worked example, in file order."""
