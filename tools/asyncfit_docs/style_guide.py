"""Build-time helpers for docs/style-guide.md, called from markdown-exec blocks (MkDocs and Zensical run them alike).

- `site_url()` reads `site_url` from mkdocs.yml, so text meant to be pasted elsewhere links with absolute URLs.
- `paste_text()` is the team style-guide text: one line per rule family, citing rule pages on the public site.
- `page_ruff_config()` returns the ruff configuration exactly as docs/style-guide.md shows it, and
  `ruff_findings()` runs the installed ruff with it, so the page shows (and tests/test_catalogue.py
  checks) what that configuration really reports.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from asyncfit_docs.catalogue import ROOT, load_catalogue

MKDOCS_YML = ROOT / "mkdocs.yml"
STYLE_GUIDE_MD = ROOT / "docs" / "style-guide.md"
SITE_URL_RE = re.compile(r"^site_url:\s*['\"]?(?P<url>[^'\"\s#]+)", re.MULTILINE)
RUFF_BLOCK_RE = re.compile(r'^```toml title="pyproject.toml"\n(?P<body>\[tool\.ruff\.lint\]\n.*?)^```$', re.S | re.M)

# The style-guide lines: (rule IDs cited, the guideline). Titles come from the catalogue, so they never drift.
GUIDELINES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("AF110", "AF105"), "Each module is either sync or async, all the way down; cross between them explicitly."),
    (("AF101", "AF104"), "Make a module async only when it holds many concurrent waits or long-lived connections."),
    (("AF102", "AF108", "AF109"), "CPU-bound code stays sync: vectorise first, then use processes."),
    (("AF201",), "Never call blocking I/O inside `async def` (ruff's ASYNC rules enforce the common cases)."),
    (("AF202", "AF203"), "Offload unavoidable blocking calls with `asyncio.to_thread`, CPU-heavy steps to processes."),
    (("AF205",), "Keep a reference to every task: prefer `asyncio.TaskGroup`."),
    (("AF206", "AF207"), "Create async clients inside the running loop; never call `asyncio.run` inside one."),
    (
        ("AF301", "AF302", "AF303"),
        "Bound concurrency, size thread pools on purpose, time out inside blocking calls.",
    ),
    (("AF304",), "FastAPI: `def` endpoints for sync libraries, `async def` only when everything is awaited."),
    (("AF305",), "Give every network call a timeout, and every request a deadline."),
    (("AF306", "AF307"), "Run related tasks in a `TaskGroup`, re-raise `CancelledError`, bound every queue."),
)


def site_url(mkdocs_yml: Path = MKDOCS_YML) -> str:
    """Return mkdocs.yml's site_url, ending with '/'. Raises ValueError naming the file when it is missing."""
    match = SITE_URL_RE.search(mkdocs_yml.read_text(encoding="utf-8"))
    if not match:
        raise ValueError(f"{mkdocs_yml}: site_url: missing (the style-guide kit needs absolute URLs)")
    url = match.group("url")
    return url if url.endswith("/") else url + "/"


def rule_url(rule_id: str, base: str | None = None) -> str:
    """Return the absolute URL of a rule's page, e.g. https://.../rules/af201/.

    The rule's anchor on the index, /rules/#af201, still works; the page has the example and the fix.
    """
    return f"{base or site_url()}rules/{rule_id.lower()}/"


def paste_text(base: str | None = None) -> str:
    """Return the Markdown a team pastes into its own style guide (absolute links to the rule pages)."""
    base = base or site_url()
    known = {rule.id for rule in load_catalogue()}
    lines = [
        "## Async and concurrency",
        "",
        f"We follow the [asyncfit decision rule]({base}decide/): async Python does not make code faster; it lets "
        "code wait on many things at once. Decide per module, and record the decision with the "
        f"[asyncfit wizard]({base}wizard/).",
        "",
    ]
    for ids, text in GUIDELINES:
        missing = [i for i in ids if i not in known]
        if missing:
            raise ValueError(f"style_guide.GUIDELINES cites unknown rule IDs {missing}")
        cites = ", ".join(f"[{i}]({rule_url(i, base)})" for i in ids)
        lines.append(f"- {text} ({cites})")
    return "\n".join(lines)


def page_ruff_config(page: Path = STYLE_GUIDE_MD) -> str:
    """Return the ```toml title="pyproject.toml"``` block of the style-guide page that starts with [tool.ruff.lint]."""
    match = RUFF_BLOCK_RE.search(page.read_text(encoding="utf-8"))
    if not match:
        raise ValueError(f'{page}: no ```toml title="pyproject.toml" block starting with [tool.ruff.lint]')
    return match.group("body")


def ruff_findings(config: str, files: list[Path]) -> list[tuple[str, int, str]]:
    """Run the installed ruff with config (a pyproject.toml body) on files; return (file name, line, code) sorted."""
    with tempfile.TemporaryDirectory() as tmp:
        pyproject = Path(tmp) / "pyproject.toml"
        pyproject.write_text(config, encoding="utf-8")
        command = [sys.executable, "-m", "ruff", "check", "--config", str(pyproject), "--no-cache"]
        proc = subprocess.run(
            [*command, "--output-format", "json", "--exit-zero", *map(str, files)],
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"ruff failed ({proc.returncode}): {proc.stderr}")
    found = json.loads(proc.stdout)
    return sorted((Path(f["filename"]).name, f["location"]["row"], f["code"]) for f in found)


def af201_files() -> list[Path]:
    """Return the AF201 example files the page lints: snippets/rule_af201_*.py."""
    return sorted((ROOT / "snippets").glob("rule_af201_*.py"))


def findings_markdown() -> str:
    """Return a Markdown table of what the page's ruff configuration reports on the AF201 examples."""
    rows = ["| file | line | rule |", "| --- | --- | --- |"]
    rows += [
        f"| `{name}` | {line} | `{code}` |" for name, line, code in ruff_findings(page_ruff_config(), af201_files())
    ]
    return "\n".join(rows)
