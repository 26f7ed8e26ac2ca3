"""Starter patterns that fit the workload: one real file per verdict x kind of program x waiting or computing.

Data: wizard/data/patterns.toml maps (verdict, family, work) to a file of wizard/data/patterns/, which is the
folder snippets/patterns/ of the repository (a symbolic link: the files are the site's snippets, run by the
tests, and ship inside the wheel). Families: `service` (web, worker), `batch` (script, pipeline), `gui`,
`library`. Work: `computing` when the time goes mostly to the CPU (or half of it, with a process-pool verdict),
else `waiting`.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources

from wizard._data import data_path, load_toml, need, no_extra
from wizard._errors import DataError
from wizard._rules import VERDICTS

_FILE = data_path("patterns.toml")
FAMILIES: Mapping[str, str] = {
    "web": "service",
    "worker": "service",
    "script": "batch",
    "pipeline": "batch",
    "gui": "gui",
    "library": "library",
}
WORKS = ("waiting", "computing")


def family_and_work(verdict: str, answers: Mapping[str, str]) -> tuple[str, str]:
    """Return the pattern key of a decision besides its verdict: (family, work)."""
    time = answers["time"]
    computing = time == "computing" or (time == "mixed" and verdict == "sync-processes")
    return FAMILIES[answers["kind"]], "computing" if computing else "waiting"


def load_patterns() -> dict[tuple[str, str, str], tuple[str, str]]:
    """Load wizard/data/patterns.toml and every file it names: (verdict, family, work) -> (file name, code)."""
    raw = load_toml("patterns.toml")
    no_extra(raw, {"pattern"}, _FILE, "(top level)")
    folder = resources.files("wizard").joinpath("data", "patterns")
    patterns: dict[tuple[str, str, str], tuple[str, str]] = {}
    for i, entry in enumerate(need(raw, "pattern", list, _FILE, "(top level)")):
        key = f"pattern[{i}]"
        if not isinstance(entry, dict):
            raise DataError(_FILE, key, "expected a table")
        no_extra(entry, {"verdict", "family", "work", "file"}, _FILE, key)
        verdict, family, work, name = (need(entry, f, str, _FILE, key) for f in ("verdict", "family", "work", "file"))
        if verdict not in VERDICTS:
            raise DataError(_FILE, f"{key}.verdict", f"{verdict!r} is not a verdict")
        if family not in set(FAMILIES.values()) or work not in WORKS:
            raise DataError(_FILE, key, f"unknown family {family!r} or work {work!r}")
        if (verdict, family, work) in patterns:
            raise DataError(_FILE, key, "a second pattern for the same verdict, family and work")
        try:
            code = folder.joinpath(name).read_text(encoding="utf-8")
        except OSError as exc:
            raise DataError(_FILE, f"{key}.file", f"cannot read snippets/patterns/{name}: {exc}") from exc
        patterns[(verdict, family, work)] = (name, code)
    return patterns


PATTERNS: Mapping[tuple[str, str, str], tuple[str, str]] = load_patterns()
"""Every starter pattern by (verdict, family, work): (file name, code)."""


def pattern_for(verdict: str, answers: Mapping[str, str], fallback: str) -> tuple[str, str]:
    """(file name, code) of the pattern that fits this decision; the outcome's own pattern when none is listed."""
    family, work = family_and_work(verdict, answers)
    return PATTERNS.get((verdict, family, work), ("", fallback))
