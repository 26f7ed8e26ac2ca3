"""The wizard's wheel, installed and tested INSIDE Pyodide (npm `pyodide` under Node, fully offline).

A fresh py3-none-any wheel is built from a temporary copy of the sources (so a concurrent `make build` in the
checkout is never disturbed), then tools/pyodide_run_tests.mjs unpacks it into Pyodide's site-packages and runs
there: tests/pyodide_wizard_checks.py (plain Python), then tests/test_wizard_engine.py under a real pytest copied
in from this virtualenv (pytest and its dependencies are pure Python; hypothesis is not, so the property tests
stay on CPython). The answer-space digest must equal CPython's: the browser decides exactly like the command
line for every possible set of answers.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests import pyodide_wizard_checks

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tools" / "pyodide_run_tests.mjs"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    shutil.copy2(ROOT / "pyproject.toml", src)
    shutil.copy2(ROOT / "README.md", src)
    shutil.copytree(ROOT / "wizard", src / "wizard", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(src)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return next(out.glob("asyncfit-*-py3-none-any.whl"))


@pytest.fixture(scope="module")
def node() -> str:
    path = shutil.which("node")
    if path is None or not (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file():
        pytest.fail("Node and node_modules/pyodide are needed: `make test` installs them (npm ci)")
    return path


def test_wheel_is_pure_python_with_data_and_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    for data in ("questions", "rules", "outcomes", "examples", "model", "catalogue"):
        assert f"wizard/data/{data}.toml" in names
    assert "wizard/__init__.py" in names
    assert "asyncfit = wizard._cli:main" in scripts


def test_engine_checks_and_unit_tests_pass_inside_pyodide(wheel: Path, node: str) -> None:
    command = [
        node,
        str(RUNNER),
        "--wheel",
        str(wheel),
        "--pytest",
        str(ROOT / "tests" / "test_wizard_engine.py"),
        "--site-packages",
        sysconfig.get_paths()["purelib"],
    ]
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False, timeout=550)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    result_line = next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(result_line.removeprefix("RESULT "))
    assert result["platform"] == "emscripten"
    assert result["failed"] == {}
    assert result["passed"] == [check.__name__ for check in pyodide_wizard_checks.CHECKS]
    assert "site-packages" in result["wizard_file"]
    total, digest, counts = pyodide_wizard_checks.answer_space_digest()
    assert result["answer_space"] == total
    assert result["verdicts"] == counts
    assert result["digest"] == digest
    # pytest ran the engine's unit tests in Pyodide: all of them passed, none was skipped.
    assert "PYTEST exit=0" in proc.stdout
    summary = re.search(r"(\d+) passed", proc.stdout)
    assert summary
    assert int(summary.group(1)) >= 50
    assert "failed" not in proc.stdout.split("RESULT ")[-1].split("\n", 1)[-1]


def test_runner_usage_error_exits_2(node: str) -> None:
    proc = subprocess.run([node, str(RUNNER)], capture_output=True, text=True, cwd=ROOT, check=False, timeout=60)
    assert proc.returncode == 2
    assert "usage:" in proc.stderr


def test_checks_module_passes_on_cpython() -> None:
    for check in pyodide_wizard_checks.CHECKS:
        check()
