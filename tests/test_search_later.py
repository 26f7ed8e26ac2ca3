"""Material's search worker started late (overrides/assets/asyncfit-theme/search-later.js, MkDocs builds only).

- Build: every page of the MkDocs build points Material's `search` setting at the wrapper, whose `src` names
  Material's worker file of this build; Zensical's pages keep their own search untouched.
- Browser: the wrapper queues Material's messages and, at the first query, loads Material's worker and hands it
  every message in order, the query only once the index is built: its results are not empty. Searching
  through Material's own UI is checked under the site's CSP by tests/test_quality_security.py.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from tests.conftest import BuiltSite
from tests.test_quality_a11y import built_pages, open_site_page, site_path_prefix

WRAPPER = "assets/asyncfit-theme/search-later.js"
CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)
SETUP, READY, QUERY, RESULT = 0, 1, 2, 3  # Material's SearchMessageType


def page_config(site: BuiltSite, rel: str) -> dict[str, Any] | None:
    """The `__config` JSON of built page rel ("" for the home page, "404.html", "rules/", ...); None for the
    redirect pages of moved URLs (no theme)."""
    path = site.path / (rel if rel.endswith(".html") else f"{rel}index.html")
    match = CONFIG.search(path.read_text(encoding="utf-8"))
    return json.loads(match.group(1)) if match else None


def test_every_mkdocs_page_starts_materials_search_worker_through_the_wrapper(built_site: BuiltSite) -> None:
    problems = []
    pages = [(rel, config) for rel in built_pages(built_site.path) if (config := page_config(built_site, rel))]
    assert len(pages) >= 10, pages
    for rel, config in pages:
        # 404.html links its files under site_url's path (/asyncfit/...): that is its root.
        root = f"http://site/{site_path_prefix()}/" if rel == "404.html" else "http://site/"
        wrapper = urljoin(root if rel == "404.html" else root + rel, config["search"])
        material = urljoin(wrapper, parse_qs(urlsplit(wrapper).query)["src"][0])
        in_site = [urlsplit(url).path.removeprefix(urlsplit(root).path) for url in (wrapper, material)]
        if in_site[0] != WRAPPER:
            problems.append(f"/{rel}: search worker {in_site[0]}")
        elif not re.fullmatch(r"assets/javascripts/workers/search\.\w+\.min\.js", in_site[1]):
            problems.append(f"/{rel}: Material's worker {in_site[1]}")
        elif not (built_site.path / in_site[1]).is_file():
            problems.append(f"/{rel}: {in_site[1]} is not in the build")
    assert problems == []


def test_zensical_pages_keep_their_own_search(zensical_site: BuiltSite) -> None:
    configs = [page_config(zensical_site, rel) for rel in ("", "rules/")]
    assert all(config is not None and WRAPPER not in config.get("search", "") for config in configs)


@pytest.mark.browser
@pytest.mark.mkdocs_only("the wrapper is used by the MkDocs build only")
def test_wrapper_hands_material_every_message_in_order_at_the_first_query(
    built_site: BuiltSite, site_url: str, page: Any
) -> None:
    open_site_page(page, site_url, "")
    config = page_config(built_site, "")
    assert config
    index = json.loads((built_site.path / "search" / "search_index.json").read_text(encoding="utf-8"))
    replies = page.evaluate(
        """async ([url, setup, query]) => {
            const worker = new Worker(url);
            const replies = [];
            const done = new Promise((resolve, reject) => {
                worker.onmessage = (event) => {
                    replies.push(event.data);
                    if (replies.length === 2) resolve();
                };
                worker.onerror = (event) => reject(new Error(event.message));
            });
            worker.postMessage(setup);
            worker.postMessage(query);
            await done;
            worker.terminate();
            return replies;
        }""",
        [
            config["search"],
            {"type": SETUP, "data": {"config": index["config"], "docs": index["docs"], "options": {"suggest": False}}},
            {"type": QUERY, "data": "gather"},
        ],
    )
    assert [reply["type"] for reply in replies] == [READY, RESULT]
    assert replies[1]["data"]["items"], "the first query was answered before the index was built"
