"""Rules versions: what a permalink made under older rules said, so a link that changed meaning says so.

Data: wizard/data/versions.toml (every version: number, date, title, summary, changes) and, for each version the
engine no longer computes, its frozen verdict table wizard/data/history/v<N>.json: a decision graph over that
version's questions (node ``[question index, [child per choice]]``; a child ``>= 0`` is a node, ``< 0`` is the
verdict ``verdicts[-child - 1]``), made from that version's engine when it was replaced.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from wizard._data import data_path, load_toml, need, no_extra, str_list
from wizard._errors import DataError
from wizard._rules import VERDICTS

_FILE = data_path("versions.toml")


@dataclass(frozen=True)
class RulesVersion:
    """One version of the wizard's rules."""

    number: int
    date: str
    title: str
    summary: str
    changes: tuple[str, ...]


def load_versions() -> tuple[RulesVersion, ...]:
    """Load and validate wizard/data/versions.toml: numbered 1, 2, ... in order."""
    raw = load_toml("versions.toml")
    no_extra(raw, {"version"}, _FILE, "(top level)")
    versions: list[RulesVersion] = []
    for i, entry in enumerate(need(raw, "version", list, _FILE, "(top level)")):
        key = f"version[{i}]"
        if not isinstance(entry, dict):
            raise DataError(_FILE, key, "expected a table")
        no_extra(entry, {"number", "date", "title", "summary", "changes"}, _FILE, key)
        number = need(entry, "number", int, _FILE, key)
        if number != i + 1:
            raise DataError(_FILE, f"{key}.number", f"expected {i + 1}: versions are numbered 1, 2, ... in order")
        versions.append(
            RulesVersion(
                number,
                need(entry, "date", str, _FILE, key),
                need(entry, "title", str, _FILE, key),
                need(entry, "summary", str, _FILE, key),
                tuple(str_list(entry, "changes", _FILE, key)),
            )
        )
    return tuple(versions)


VERSIONS: tuple[RulesVersion, ...] = load_versions()
"""Every rules version, oldest first."""

RULES_VERSION: int = VERSIONS[-1].number
"""The version of today's rules (what new permalinks carry as ``v=``)."""


def load_frozen(number: int) -> dict[str, Any]:
    """Load and check the frozen verdict table of an older version (DataError names the file and key)."""
    name = f"history/v{number}.json"
    try:
        text = resources.files("wizard").joinpath("data", "history", f"v{number}.json").read_text(encoding="utf-8")
        table = json.loads(text)
    except (OSError, ValueError) as exc:
        raise DataError(data_path(name), "(file)", f"cannot read: {exc}") from exc
    for key in ("version", "verdicts", "questions", "root", "nodes"):
        if key not in table:
            raise DataError(data_path(name), key, "missing")
    if table["version"] != number or any(v not in VERDICTS for v in table["verdicts"]):
        raise DataError(data_path(name), "verdicts", "not a verdict table of this version")
    return table


FROZEN: Mapping[int, Mapping[str, Any]] = {v.number: load_frozen(v.number) for v in VERSIONS[:-1]}
"""The frozen verdict tables of every older version, by number."""


def walk_graph(table: Mapping[str, Any], answers: Mapping[str, str]) -> tuple[int, dict[str, str]]:
    """Walk a decision graph like docs/assets/wizard/lookup.mjs: (leaf index, normalised answers on the path).

    `table` has ``questions`` (each ``{"id", "default", "choices"}``), ``nodes`` and ``root`` in the format of the
    module docstring: a frozen verdict table (the leaf indexes ``verdicts``) or the wizard page's decision table
    (asyncfit_docs.wizard_table; the leaf indexes ``decisions``, and the questions on the path are the visible
    ones). Missing or unknown answers count as the question's default.
    """
    ref = table["root"]
    seen: dict[str, str] = {}
    while ref >= 0:
        qi, children = table["nodes"][ref]
        question = table["questions"][qi]
        value = answers.get(question["id"], question["default"])
        if value not in question["choices"]:
            value = question["default"]
        seen[question["id"]] = value
        ref = children[question["choices"].index(value)]
    return -ref - 1, seen


def frozen_verdict(number: int, answers: Mapping[str, str]) -> str:
    """Return the verdict an older version gave for raw answers (unknown or missing ones: its default)."""
    table = FROZEN[number]
    leaf, _ = walk_graph(table, answers)
    return table["verdicts"][leaf]


@dataclass(frozen=True)
class VersionNote:
    """What a link made under an older rules version said, when today's verdict differs."""

    link_version: int
    link_verdict: str
    verdict: str
    changes: tuple[RulesVersion, ...]

    @property
    def text(self) -> str:
        """One sentence for people."""
        later = ", ".join(f"v{v.number} ({v.date}): {v.title}" for v in self.changes)
        return (
            f"This link was made with rules v{self.link_version}, which said {self.link_verdict}; today's rules "
            f"(v{RULES_VERSION}) say {self.verdict}. What changed since: {later}."
        )


def version_note(link_version: int, answers: Mapping[str, str], verdict: str) -> VersionNote | None:
    """Return the note for a link made with `link_version` whose answers now give `verdict` (or None)."""
    if link_version >= RULES_VERSION or link_version not in FROZEN:
        return None
    old = frozen_verdict(link_version, answers)
    if old == verdict:
        return None
    return VersionNote(link_version, old, verdict, VERSIONS[link_version:])
