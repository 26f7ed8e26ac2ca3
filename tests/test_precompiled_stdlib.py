"""The standard library zip the site ships: Pyodide's, plus bytecode for the start-up modules.

tools/precompile_stdlib.mjs writes it (run by tools/vendor.py); the browser side (every start-up module comes from
that bytecode, tracebacks keep their source lines, a stored snapshot survives a new zip) is tested in
tests/test_runner_browser.py.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

from tests.conftest import ROOT

SHIPPED = ROOT / "docs" / "vendor" / "pyodide" / "python_stdlib.zip"
NPM = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
UNCHECKED_HASH_PYC = 0b01  # PEP 552 flags: hash-based, not checked against the source


def test_every_entry_of_pyodides_zip_is_kept_and_each_pyc_sits_beside_its_source() -> None:
    with zipfile.ZipFile(NPM) as npm, zipfile.ZipFile(SHIPPED) as shipped:
        ours = {info.filename: info for info in shipped.infolist()}
        for info in npm.infolist():
            assert shipped.read(ours[info.filename]) == npm.read(info), info.filename
        added = sorted(set(ours) - {info.filename for info in npm.infolist()})
        assert len(added) >= 100
        for name in added:
            assert name.endswith(".pyc"), name
            assert name[:-1] in ours, name
            header = shipped.read(name)[:16]
            assert int.from_bytes(header[4:8], "little") == UNCHECKED_HASH_PYC, name


def test_the_shipped_zip_is_what_the_tool_makes_from_todays_sources(tmp_path: Path) -> None:
    """Same inputs, same bytes: so docs/vendor/ is up to date with the runner's support code (its imports decide
    which modules get bytecode), and two builds of one commit ship the same file."""
    out = tmp_path / "python_stdlib.zip"
    subprocess.run(["node", str(ROOT / "tools" / "precompile_stdlib.mjs"), str(out)], check=True, capture_output=True)
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_a_failure_is_one_line_on_stderr_and_exit_code_2() -> None:
    proc = subprocess.run(
        ["node", str(ROOT / "tools" / "precompile_stdlib.mjs")], capture_output=True, text=True, check=False
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "tools/precompile_stdlib.mjs: usage: node tools/precompile_stdlib.mjs OUT.zip\n"
