"""Worked examples from public cases (wizard/data/examples.toml).

Each has its source, the facts as the asker gave them, the accepted outcome, the answers and the verdicts.

Tests assert every example's verdict; the site renders them, with their sources, on /wizard/examples/.
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


SOURCE_KINDS = ("docs", "issue", "discussion", "write-up", "pep")


@dataclass(frozen=True)
class Source:
    """Where a worked example comes from: its URL, a short title and the kind of source."""

    url: str
    title: str
    kind: str


@dataclass(frozen=True)
class Example:
    """One worked example: stable ID (an anchor on the examples page), the case, its source and the verdict."""

    id: str
    title: str
    description: str
    answers: Mapping[str, str]
    expected: str
    facts: str = ""
    accepted: str = ""
    source: Source | None = None
    accepted_verdict: str = ""
    note: str = ""

    @property
    def agrees(self) -> bool:
        """Whether the wizard's verdict is the one closest to the source's accepted outcome."""
        return self.expected == self.accepted_verdict


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
        no_extra(
            entry,
            {
                "id",
                "title",
                "description",
                "facts",
                "accepted",
                "source",
                "answers",
                "accepted_verdict",
                "expected",
                "note",
            },
            _FILE,
            key,
        )
        if not _ID.match(eid) or any(e.id == eid for e in examples):
            raise DataError(_FILE, f"{key}.id", "expected a unique lowercase ID")
        answers = need(entry, "answers", dict, _FILE, key)
        try:
            check_answers(answers)
        except InvalidAnswers as exc:
            raise DataError(_FILE, f"{key}.answers.{exc.key}", str(exc)) from exc
        expected = need(entry, "expected", str, _FILE, key)
        accepted_verdict = need(entry, "accepted_verdict", str, _FILE, key)
        for field, value in (("expected", expected), ("accepted_verdict", accepted_verdict)):
            if value not in VERDICTS:
                raise DataError(_FILE, f"{key}.{field}", f"{value!r} is not a verdict")
        note = entry.get("note", "")
        if expected != accepted_verdict and not (isinstance(note, str) and note.strip()):
            raise DataError(_FILE, f"{key}.note", "required when the wizard's verdict differs from the accepted one")
        raw_source = need(entry, "source", dict, _FILE, key)
        no_extra(raw_source, {"url", "title", "kind"}, _FILE, f"{key}.source")
        source = Source(*(need(raw_source, f, str, _FILE, f"{key}.source") for f in ("url", "title", "kind")))
        if not source.url.startswith("https://"):
            raise DataError(_FILE, f"{key}.source.url", "expected an https:// URL")
        if source.kind not in SOURCE_KINDS:
            raise DataError(_FILE, f"{key}.source.kind", f"expected one of {', '.join(SOURCE_KINDS)}")
        examples.append(
            Example(
                eid,
                need(entry, "title", str, _FILE, key),
                need(entry, "description", str, _FILE, key),
                answers,
                expected,
                need(entry, "facts", str, _FILE, key),
                need(entry, "accepted", str, _FILE, key),
                source,
                accepted_verdict,
                note,
            )
        )
    return tuple(examples)


EXAMPLES: tuple[Example, ...] = load_examples()
"""Every worked example, in file order."""
