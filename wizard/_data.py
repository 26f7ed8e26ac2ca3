"""Load the TOML files shipped in wizard/data/ (importlib.resources + tomllib: works from a wheel and in Pyodide).

Small validation helpers live here too, so every loader reports errors the same way: file and key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from wizard._errors import DataError


def data_path(name: str) -> str:
    """Return the display name of a data file, used in error messages (``wizard/data/<name>``)."""
    return f"wizard/data/{name}"


def load_toml(name: str) -> dict[str, Any]:
    """Read and parse wizard/data/<name>; a missing or malformed file raises DataError."""
    try:
        text = resources.files("wizard").joinpath("data", name).read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(data_path(name), "(file)", f"cannot read: {exc}") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(data_path(name), "(syntax)", str(exc)) from exc


def need(table: Mapping[str, Any], field: str, kind: type | tuple[type, ...], file: str, key: str) -> Any:
    """Return table[field], raising DataError(file, key.field) when it is missing or of the wrong type."""
    if field not in table:
        raise DataError(file, f"{key}.{field}", "missing")
    value = table[field]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DataError(file, f"{key}.{field}", f"expected {names}, got {type(value).__name__}")
    if isinstance(value, str) and not value.strip():
        raise DataError(file, f"{key}.{field}", "must not be empty")
    return value


def str_list(
    table: Mapping[str, Any], field: str, file: str, key: str, *, default: list[str] | None = None
) -> list[str]:
    """Return table[field] as a list of non-empty strings (or default when absent and a default is given)."""
    if field not in table and default is not None:
        return list(default)
    values = need(table, field, list, file, key)
    for i, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            raise DataError(file, f"{key}.{field}[{i}]", "expected a non-empty string")
    return list(values)


def no_extra(table: Mapping[str, Any], allowed: set[str], file: str, key: str) -> None:
    """Reject unknown fields (a typo such as `ask-if` must not be silently ignored)."""
    for field in table:
        if field not in allowed:
            raise DataError(file, f"{key}.{field}", f"unknown field; expected one of {', '.join(sorted(allowed))}")
