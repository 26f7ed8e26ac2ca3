"""The frozen wizard permalinks (tests/wizard_permalinks.txt), read in one place.

Imported by the engine tests (which also run inside Pyodide: tools/pyodide_run_tests.mjs stages this file and the
list beside them) and by the browser tests. Plain Python, no test-framework imports.
"""

from __future__ import annotations

from pathlib import Path

PERMALINKS_FILE = Path(__file__).with_name("wizard_permalinks.txt")


def frozen_permalinks() -> list[tuple[str, str]]:
    """Every frozen link as (query, worked example ID), in file order; comment and blank lines skipped."""
    links = []
    for line in PERMALINKS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, example_id = line.split()
            links.append((query, example_id))
    return links
