"""Redirect stubs (tools/asyncfit_docs/redirects.py): old URLs keep working after a page moves."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from asyncfit_docs.catalogue import DOCS_DIR, load_catalogue
from asyncfit_docs.redirects import MARKER, RedirectError, load_redirects, problems, render_stub
from asyncfit_docs.style_guide import site_url as configured_site_url

from tests.conftest import BuiltSite

REFRESH_RE = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')
CANONICAL_RE = re.compile(r'<link rel="canonical" href="([^"]+)">')
LINK_RE = re.compile(r'<a href="([^"]+)">')


def test_committed_stubs_match_redirects_toml() -> None:
    assert problems(load_redirects()) == [], "run: python -m asyncfit_docs.redirects"


def test_no_redirect_stub_shadows_a_rule_page() -> None:
    rule_urls = {rule.url for rule in load_catalogue()} | {"/rules/"}
    assert [r.old for r in load_redirects() if r.old in rule_urls] == []
    assert all((DOCS_DIR / rule.page).is_file() for rule in load_catalogue()), "run: python -m asyncfit_docs.rule_pages"


def test_there_is_at_least_the_example_redirect() -> None:
    assert any(r.old == "/gotcha/" and r.new == "/the-gotcha/" for r in load_redirects())


def test_every_built_stub_points_at_an_existing_page(built_site: BuiltSite) -> None:
    base = "http://site.invalid/asyncfit/"
    for redirect in load_redirects():
        stub = built_site.path / redirect.old.strip("/") / "index.html"
        assert stub.is_file(), f"{redirect.old} is missing from the build"
        text = stub.read_text(encoding="utf-8")
        assert MARKER in text
        (refresh,) = REFRESH_RE.findall(text)
        (link,) = LINK_RE.findall(text)
        assert link == refresh, "the visible link and the refresh go to the same place"
        target = urljoin(base + redirect.old.lstrip("/"), refresh)
        assert target == base + redirect.new.lstrip("/")
        page = built_site.path / redirect.new.split("#")[0].strip("/") / "index.html"
        assert page.is_file(), f"{redirect.old} -> {redirect.new}, which is not a built page"
        assert CANONICAL_RE.findall(text) == [configured_site_url() + redirect.new.lstrip("/")]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[redirects]\n"/the-gotcha/" = "/faq/"\n', "a page still renders at /the-gotcha/"),
        ('[redirects]\n"/rules/af201/" = "/faq/"\n', "a page still renders at /rules/af201/"),
        ('[redirects]\n"gotcha" = "/the-gotcha/"\n', "an old path looks like"),
        ('[redirects]\n"/gotcha/" = "the-gotcha"\n', "the new path looks like"),
        ('[redirects]\n"/a/" = "/b/"\n"/b/" = "/the-gotcha/"\n', "is itself redirected"),
        ('[moved]\n"/a/" = "/b/"\n', "exactly one table"),
        ("[redirects\n", "cannot read"),
    ],
)
def test_bad_redirects_fail_with_file_and_key(tmp_path: Path, toml: str, expected: str) -> None:
    path = tmp_path / "redirects.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(RedirectError) as info:
        load_redirects(path)
    assert "redirects.toml" in str(info.value)
    assert expected in str(info.value)


def test_stub_of_a_nested_old_path_climbs_back_to_the_root(tmp_path: Path) -> None:
    path = tmp_path / "redirects.toml"
    path.write_text('[redirects]\n"/old/deep/" = "/faq/#uvloop"\n', encoding="utf-8")
    (redirect,) = load_redirects(path)
    text = render_stub(redirect, base="https://example.invalid/site/")
    assert REFRESH_RE.findall(text) == ["../../faq/#uvloop"]
    assert CANONICAL_RE.findall(text) == ["https://example.invalid/site/faq/#uvloop"]


@pytest.mark.browser
def test_old_url_lands_on_the_new_page_in_a_browser(site_url: str, page: Any) -> None:
    page.goto(site_url + "gotcha/")
    page.wait_for_url(site_url + "the-gotcha/")
    assert page.title()
