"""Every page ends with a Sources section of primary sources, and the lint codes the site cites exist.

- Each page under docs/ (its Markdown source) ends with a `## Sources` section whose links point at the exact
  section they rely on: a `#fragment`, or an address that is itself one item (an issue, a pull request, a file, a PEP).
- Every lint code a rules-catalogue entry cites exists in the pinned ruff (`ruff rule <CODE>`) or the pinned
  flake8-async (its registered error codes), as tools/asyncfit_docs/catalogue_refs.toml says.
- docs/building.md has a dated "Checked against" line whose versions are the pins in requirements.txt.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from asyncfit_docs.catalogue import load_catalogue, load_refs
from flake8_async.visitors import ERROR_CLASSES, ERROR_CLASSES_CST

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "vendor" not in p.parts)
LINK_RE = re.compile(r"\]\((?P<url>[^)\s]+)\)")
# Addresses that name one item by themselves, so they need no #fragment.
ITEM_RE = re.compile(
    r"^https://(github\.com/[^/]+/[^/]+/(issues|pull|discussions|blob|tree|releases)/"
    r"|peps\.python\.org/pep-\d{4}/?$"
    r"|man7\.org/linux/man-pages/"
    r"|doi\.org/10\.\d+/"
    r"|docs\.astral\.sh/ruff/rules/[a-z0-9-]+/$"
    r"|pypi\.org/project/[^/]+/#history)"
)


def _param(page: Path) -> object:
    return pytest.param(page, id=str(page.relative_to(DOCS)))


def sources_section(page: Path) -> str | None:
    """The text of the page's last `## ` section if it is `## Sources`, else None."""
    text = page.read_text(encoding="utf-8")
    headings = list(re.finditer(r"^## (.+?)\s*(\{[^}]*\})?\s*$", text, re.M))
    if not headings or headings[-1].group(1).strip() != "Sources":
        return None
    return text[headings[-1].end() :]


@pytest.mark.parametrize("page", [_param(p) for p in PAGES])
def test_every_page_ends_with_a_sources_section_of_exact_links(page: Path) -> None:
    section = sources_section(page)
    assert section is not None, f"{page.relative_to(ROOT)}: the last section must be '## Sources'"
    links = [m.group("url") for m in LINK_RE.finditer(section)]
    external = [url for url in links if url.startswith("http")]
    assert external, f"{page.relative_to(ROOT)}: Sources lists no primary source"
    vague = [url for url in external if not urlsplit(url).fragment and not ITEM_RE.match(url)]
    assert vague == [], f"{page.relative_to(ROOT)}: link the exact section (#fragment): {vague}"


def test_sources_rule_rejects_a_page_without_sources(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text("# T\n\n## Body\n\ntext\n", encoding="utf-8")
    assert sources_section(page) is None
    page.write_text("# T\n\n## Sources\n\n- [x](https://a.example/b#c)\n\n## After\n", encoding="utf-8")
    assert sources_section(page) is None, "Sources must be the last section"


# --- lint codes the catalogue cites exist in the pinned tools --------------------------------------------------------


def flake8_async_codes() -> set[str]:
    """Every error code the installed flake8-async registers (its visitors' `error_codes`)."""
    codes: set[str] = set()
    for visitor in [*ERROR_CLASSES, *ERROR_CLASSES_CST]:
        codes |= {code.split("_")[0] for code in visitor.error_codes}
    return codes


def pinned(name: str) -> str:
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.lower().startswith(f"{name.lower()}=="):
            return line.split("==", 1)[1].strip()
    raise AssertionError(f"requirements.txt does not pin {name}")


@pytest.mark.parametrize("tool", ["ruff", "flake8-async", "flake8"])
def test_the_linters_are_the_pinned_versions(tool: str) -> None:
    assert importlib.metadata.version(tool) == pinned(tool)


def test_every_lint_code_the_catalogue_cites_exists_in_the_pinned_linters() -> None:
    refs = load_refs().lint
    f8a = flake8_async_codes()
    assert "ASYNC127" in f8a, "sanity: flake8-async 26.6.1+ has unmaintained-httpx"
    cited = {code for rule in load_catalogue() for code in rule.lint}
    assert cited, "the catalogue cites lint codes"
    for code in sorted(cited):
        assert code in refs, f"{code} is cited but not described in catalogue_refs.toml"
        if "ruff" in refs[code].tools:
            proc = subprocess.run(
                [sys.executable, "-m", "ruff", "rule", code, "--output-format", "json"],
                capture_output=True,
                text=True,
                check=False,
            )
            assert proc.returncode == 0, f"the pinned ruff has no {code}"
            assert json.loads(proc.stdout)["name"] == refs[code].name
        if "flake8-async" in refs[code].tools:
            assert code in f8a, f"the pinned flake8-async has no {code}"


def test_a_made_up_code_would_be_caught() -> None:
    assert "ASYNC999" not in flake8_async_codes()
    proc = subprocess.run([sys.executable, "-m", "ruff", "rule", "ASYNC999"], capture_output=True, check=False)
    assert proc.returncode != 0


# --- the dated "Checked against" line on /building/ -------------------------------------------------------------------

CHECKED_RE = re.compile(
    r"^\*\*Checked against\*\* on (?P<date>\d{4}-\d{2}-\d{2}): (?P<body>.+?)(?:\n\n|\Z)", re.M | re.S
)


def test_building_page_has_a_dated_checked_against_line_matching_the_pins() -> None:
    match = CHECKED_RE.search((DOCS / "building.md").read_text(encoding="utf-8"))
    assert match, 'docs/building.md: no "**Checked against** on YYYY-MM-DD: ..." line'
    body = " ".join(match.group("body").split())
    for package, label in [
        ("ruff", "ruff"),
        ("flake8-async", "flake8-async"),
        ("starlette", "Starlette"),
        ("anyio", "AnyIO"),
        ("uvicorn", "Uvicorn"),
        ("httpx2", "httpx2"),
    ]:
        assert f"{label} {pinned(package)}" in body, f"Checked against: {label} {pinned(package)}"
    assert re.search(r"Python 3\.\d+", body)


# --- versions the text calls "pinned" are the pins ----------------------------------------------------------------
# "The pinned ruff (0.17.6) matches httpx by name", "the ruff pinned here (0.17.6)", "ruff 0.17 knows only
# httpx.Client": claims about the version this site runs must move with requirements.txt, or say which version they
# hold for. Bumping a pin makes this fail until the sentence is re-checked against the new version.
TEXT_FILES = [*PAGES, *sorted((ROOT / "snippets").glob("*.py")), *sorted((ROOT / "wizard" / "data").glob("*.toml"))]
PINNED_CLAIM_RE = re.compile(
    r"(?:pinned (?P<a>ruff|flake8-async|flake8)|(?P<b>ruff|flake8-async|flake8) pinned here) \((?P<v>[0-9.]+)\)"
    r"|(?P<c>ruff) (?P<w>\d+\.\d+) (?:knows|does not)"
)


def test_text_that_names_the_pinned_linter_versions_names_the_pins() -> None:
    found = 0
    for path in TEXT_FILES:
        text = " ".join(path.read_text(encoding="utf-8").split())  # claims may wrap across lines
        for match in PINNED_CLAIM_RE.finditer(text):
            found += 1
            tool = match["a"] or match["b"] or match["c"]
            version = match["v"] or match["w"]
            pin = pinned(tool)
            where = f"{path.relative_to(ROOT)}: {match[0]!r}"
            assert pin == version or pin.startswith(f"{version}."), f"{where}, but requirements.txt pins {pin}"
    assert found >= 4, "sanity: the gotcha page, the FAQ, the style guide and the linted snippet state the pinned ruff"
