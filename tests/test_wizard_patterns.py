"""The wizard's starter patterns (snippets/patterns/): every one runs as is, and every decision has one that fits.

A pattern is keyed by verdict x kind of program x waiting or computing (wizard/data/patterns.toml). Each runs
offline in a few seconds, its real I/O stood in for by clearly marked sleeps, so the tests can run them all.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import wizard
from wizard import _patterns

ROOT = Path(__file__).resolve().parent.parent
PATTERN_DIR = ROOT / "snippets" / "patterns"
FILES = sorted(PATTERN_DIR.glob("pattern_*.py"))


def test_every_pattern_file_is_listed_and_every_listed_file_exists() -> None:
    listed = {name for name, _ in _patterns.PATTERNS.values()}
    assert listed == {path.name for path in FILES}
    assert (ROOT / "wizard" / "data" / "patterns").resolve() == PATTERN_DIR.resolve()  # one copy, shipped as is


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_pattern_runs_as_is(path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=120, cwd=path.parent, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip(), "a pattern prints what it did"
    assert "Traceback" not in proc.stderr


def test_every_decision_gets_a_pattern_that_fits_its_workload() -> None:
    seen = set()
    for answers in wizard.answer_space():
        decision = wizard.decide(answers)
        family, work = _patterns.family_and_work(decision.verdict, decision.answers)
        assert decision.pattern_file, (decision.verdict, family, work)
        assert decision.pattern_file == _patterns.PATTERNS[(decision.verdict, family, work)][0]
        seen.add((decision.verdict, family, work))
    # Patterns differ at least per verdict x kind of program, and for waiting versus computing.
    assert len({_patterns.PATTERNS[key][0] for key in seen}) == len(seen)


def test_a_cpu_bound_api_gets_a_process_pattern_not_a_download() -> None:
    decision = wizard.decide({"kind": "web", "time": "computing", "load": "busy", "cpu_libs": "python"})
    assert "Process" in decision.pattern or "--workers" in decision.pattern
    assert "urlopen" not in decision.pattern
