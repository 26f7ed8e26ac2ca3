"""The real strict MkDocs build, and every internal link and anchor in its output."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from asyncfit_docs.catalogue import load_catalogue
from asyncfit_docs.style_guide import site_url

from tests.conftest import BuiltSite

# Pages link relative to themselves, except 404.html which uses site_url's path: resolve both the same way.
BASE = "http://site.invalid/asyncfit/"


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        for attr in ("href", "src"):
            target = values.get(attr)
            if target and not (tag == "link" and values.get("rel") in {"canonical", "alternate"}):
                self.links.append(target)


def _parse(path: Path) -> _LinkCollector:
    collector = _LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def _resolve(site: Path, url: str) -> Path | None:
    rel = unquote(urlsplit(url).path)[len(urlsplit(BASE).path) :]
    candidate = site / rel
    if candidate.is_dir() or rel.endswith("/") or rel == "":
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def test_strict_build_has_no_warnings(built_site: BuiltSite) -> None:
    warnings = [line for line in built_site.log.splitlines() if line.startswith("WARNING")]
    assert warnings == []
    assert (built_site.path / "index.html").is_file()


def test_every_internal_link_and_anchor_resolves(built_site: BuiltSite) -> None:
    site = built_site.path
    pages = {p: _parse(p) for p in site.rglob("*.html") if "vendor" not in p.parts}
    problems: list[str] = []
    for page, parsed in pages.items():
        page_url = urljoin(BASE, page.relative_to(site).as_posix())
        for link in parsed.links:
            target = urljoin(page_url, link)
            if not target.startswith(BASE):
                continue
            resolved = _resolve(site, target)
            name = page.relative_to(site).as_posix()
            if resolved is None:
                problems.append(f"{name}: broken link {link}")
                continue
            fragment = unquote(urlsplit(target).fragment)
            if fragment and resolved.suffix == ".html":
                ids = pages[resolved].ids if resolved in pages else _parse(resolved).ids
                if fragment not in ids:
                    problems.append(f"{name}: missing anchor {link}")
    assert problems == []


def test_url_set_has_the_rules_index_and_a_page_per_rule_in_the_sitemap(engine_site: BuiltSite) -> None:
    """/rules/ and /rules/af101/ ... are built and listed in sitemap.xml (both engines write one)."""
    site = engine_site.path
    sitemap = set(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    base = site_url()
    for url in ["/rules/", *(rule.url for rule in load_catalogue())]:
        assert (site / url.strip("/") / "index.html").is_file(), f"{url} was not built"
        assert base + url.lstrip("/") in sitemap, f"{url} is not in sitemap.xml"
