"""How many of the site's examples run in the browser: `python -m asyncfit_docs.browser_share [site]`.

Counts the `pyrun` examples of a built site (every `div.af-runnable` on every page, exercises left out: they always
run in the browser) by where they run (`data-af-runs`: "pyodide" or "cpython"), and prints
"N of M examples run in the browser (P%)". `make build` prints it after building; tests/test_http_in_browser.py
asserts the share never falls below a committed floor, so an example moved to CPython-only has to be argued for.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path


@dataclass(frozen=True)
class Share:
    """How many examples a built site has, and how many of them run in the browser."""

    browser: int  # examples with a Run button (data-af-runs="pyodide")
    total: int  # all pyrun examples, CPython-only ones included

    def __str__(self) -> str:
        percent = 100 * self.browser / self.total if self.total else 0
        return f"{self.browser} of {self.total} examples run in the browser ({percent:.0f}%)"


class _Examples(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.runs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div" and "af-runnable" in (found.get("class") or "").split() and "data-af-check" not in found:
            self.runs.append(found.get("data-af-runs") or "")


def count(site: Path) -> Share:
    """Count the examples on every page of the built site in `site` (its vendor/ folder left out)."""
    runs: list[str] = []
    for page in sorted(site.rglob("*.html")):
        if "vendor" in page.relative_to(site).parts:
            continue
        parser = _Examples()
        parser.feed(page.read_text(encoding="utf-8"))
        runs += parser.runs
    return Share(browser=runs.count("pyodide"), total=len(runs))


if __name__ == "__main__":
    print(count(Path(sys.argv[1] if len(sys.argv) > 1 else "site")))
