"""The benchmarks' pure parts, no browser: the compressing server, the baseline revision, the goals' verdicts.

- tools/local_site.py PagesHandler compresses as GitHub Pages does: gzip only when Accept-Encoding allows it,
  only for compressible types (text, JavaScript, JSON, SVG, WebAssembly), never for `.zip`/`.whl`/images;
  with `Vary: Accept-Encoding`, and the decoded body is the file. Served by tools/bench_runner.py serve, the
  server the benchmarks measure through.
- tools/bench_runner.py resolve_baseline: requested revision, else the one the published results record, else
  the last commit that changed the results file; goals() judges met / not met from the figures; taking_turns,
  the order the sides of one repetition run in.
- tools/bench_quality.py top_scripts: the Lighthouse CPU-time table reduced to the heaviest scripts.
- tools/bench_hints.py: the links it adds to the bench page, the files they name, its counting server.
- tools/bench_restyles.py: its copies undo exactly the two fixes it measures, and it counts the trace's restyles.
"""

from __future__ import annotations

import gzip
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bench_hints
import bench_quality
import bench_restyles
import bench_runner
import pytest
from local_site import accepts_gzip, is_compressible

ROOT = Path(__file__).resolve().parent.parent

FILES = {
    "index.html": b"<!doctype html><title>x</title>" + b"<p>hello</p>" * 200,
    "assets/app.js": b"export const x = 1;\n" * 200,
    "data/table.json": b'{"a": [1, 2, 3]}' * 200,
    "vendor/pyodide.asm.wasm": b"\0asm\1\0\0\0" + b"\0" * 4000,
    "vendor/python_stdlib.zip": b"PK\3\4" + b"z" * 4000,
    "vendor/wizard.whl": b"PK\3\4" + b"w" * 4000,
    "img/logo.png": b"\x89PNG" + b"p" * 4000,
}


@pytest.fixture(scope="module")
def pages_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("pages")
    for name, data in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    with bench_runner.serve(root) as url:  # PagesHandler, as the benchmarks serve each build
        yield url


def fetch(url: str, accept_encoding: str | None) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url)  # noqa: S310 - loopback test server
    if accept_encoding is not None:
        request.add_header("Accept-Encoding", accept_encoding)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", True),  # what Chromium sends
        ("br", False),
        ("identity", False),
        (None, False),
        ("", False),
        ("*", True),
        ("br, *;q=0.5", True),
        ("gzip;q=0, *", False),
        ("GZIP;Q=0.001", True),
        ("x-gzip", True),
        ("gzip;q=oops", False),
    ],
)
def test_accept_encoding_is_honoured(header: str | None, expected: bool) -> None:
    assert accepts_gzip(header) is expected


def test_compressible_types_follow_github_pages() -> None:
    for ctype in ("text/html", "text/css; charset=utf-8", "text/javascript", "application/json", "application/wasm"):
        assert is_compressible(ctype), ctype
    for ctype in ("application/zip", "image/png", "font/woff2", "application/octet-stream", "image/webp"):
        assert not is_compressible(ctype), ctype


@pytest.mark.parametrize("name", ["index.html", "assets/app.js", "data/table.json", "vendor/pyodide.asm.wasm"])
def test_compressible_files_are_gzipped_when_accepted(pages_url: str, name: str) -> None:
    headers, body = fetch(pages_url + name, "gzip, deflate, br, zstd")
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body) < len(FILES[name])
    assert gzip.decompress(body) == FILES[name]
    assert headers["cache-control"] == "max-age=600"


def test_directory_index_is_gzipped_and_keeps_its_type(pages_url: str) -> None:
    headers, body = fetch(pages_url, "gzip")
    assert headers["content-type"].startswith("text/html")
    assert gzip.decompress(body) == FILES["index.html"]


@pytest.mark.parametrize("header", [None, "br", "gzip;q=0"])
def test_no_gzip_when_the_client_does_not_accept_it(pages_url: str, header: str | None) -> None:
    headers, body = fetch(pages_url + "assets/app.js", header)
    assert "content-encoding" not in headers
    assert headers["vary"] == "Accept-Encoding"
    assert body == FILES["assets/app.js"]


@pytest.mark.parametrize("name", ["vendor/python_stdlib.zip", "vendor/wizard.whl", "img/logo.png"])
def test_already_compressed_files_are_sent_as_they_are(pages_url: str, name: str) -> None:
    headers, body = fetch(pages_url + name, "gzip, deflate, br, zstd")
    assert "content-encoding" not in headers
    assert body == FILES[name]


# ---------------------------------------------------------------------------------------------------------------
# The baseline revision


class FakeGit:
    def __init__(self, last_results_commit: str = "c" * 40) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.last = last_results_commit

    def __call__(self, *args: str) -> str:
        self.calls.append(args)
        if args[0] == "rev-parse":
            return args[-1].removesuffix("^{commit}").ljust(40, "0")
        if args[0] == "log":
            return self.last
        raise AssertionError(args)


def test_baseline_requested_wins() -> None:
    git = FakeGit()
    rev, how = bench_runner.resolve_baseline("abc123", {"commit": "def456"}, git)
    assert rev == "abc123".ljust(40, "0")
    assert how == "requested (abc123)"
    assert git.calls == [("rev-parse", "--verify", "abc123^{commit}")]


def test_baseline_defaults_to_the_commit_the_published_results_record() -> None:
    git = FakeGit()
    rev, how = bench_runner.resolve_baseline(None, {"commit": "def456"}, git)
    assert rev.startswith("def456")
    assert "recorded in docs/performance-results.json" in how


@pytest.mark.parametrize("published", [None, {}, {"commit": ""}])
def test_baseline_falls_back_to_the_last_commit_that_published_results(published: dict[str, Any] | None) -> None:
    git = FakeGit("e" * 40)
    rev, how = bench_runner.resolve_baseline(None, published, git)
    assert rev == "e" * 40
    assert git.calls == [("log", "-1", "--format=%H", "--", "docs/performance-results.json")]
    assert how.startswith("last commit that changed")


def test_baseline_without_any_history_stops_with_a_message() -> None:
    with pytest.raises(SystemExit, match="--baseline"):
        bench_runner.resolve_baseline(None, None, FakeGit(""))


# ---------------------------------------------------------------------------------------------------------------
# Goals


def side(cold: float, warm: float) -> dict[str, dict[str, float]]:
    return {
        cache: {"first_output_ms": ms, "after_reading_ms": 10.0, "bytes": 1000.0}
        for cache, ms in (("cold", cold), ("warm", warm), ("hot", warm))
    }


def doc_with(loopback: dict[str, Any], throttled: dict[str, Any]) -> dict[str, Any]:
    profiles = {}
    for name, sides in (("loopback", loopback), ("throttled", throttled)):
        profiles[name] = {"sides": sides, "ratios": bench_runner.profile_ratios(sides)}
    return {
        "profiles": profiles,
        "machine": {"load_average_1min": {"before": 1.5, "after": 2.0}},
        "baseline": {"short": "abcdef123456"},
    }


def test_goals_met_and_not_met() -> None:
    doc = doc_with(
        {"asyncfit": side(2000, 700), "baseline": side(2000, 700), "markdown-exec": side(3000, 2000)},
        {"asyncfit": side(5000, 700), "baseline": side(4000, 700), "markdown-exec": side(5500, 2000)},
    )
    verdicts = {g["goal"]: g["verdict"] for g in bench_runner.goals(doc)}
    assert verdicts == {
        "cold first output at most 0.8x markdown-exec's (loopback)": "met",  # 0.67
        "cold first output at most 0.8x markdown-exec's (throttled)": "not met",  # 0.91
        "warm first output at most 0.8 s (loopback)": "met",
        "first output no slower than the previous release, abcdef123456 (loopback)": "met",
        "first output no slower than the previous release, abcdef123456 (throttled)": "not met",  # 1.25 cold
    }
    warm = next(g for g in bench_runner.goals(doc) if g["goal"].startswith("warm"))
    assert "1.5 before, 2.0 after" in warm["numbers"]  # the machine's load beside the figure


def test_ratios_are_this_checkout_over_the_other() -> None:
    ratios = bench_runner.profile_ratios({"asyncfit": side(1000, 500), "markdown-exec": side(2000, 2000)})
    assert ratios["asyncfit_over_markdown_exec"]["first_output_cold"] == 0.5
    assert ratios["asyncfit_over_markdown_exec"]["first_output_warm"] == 0.25
    assert "asyncfit_over_baseline" not in ratios


# ---------------------------------------------------------------------------------------------------------------
# bench_quality


def test_top_scripts_sorted_and_trimmed() -> None:
    items = [
        {"url": "http://127.0.0.1:1/assets/a.js", "total": 120.4, "scripting": 100.0, "scriptParseCompile": 10.0},
        {"url": "Unattributable", "total": 500.0, "scripting": 20.0, "scriptParseCompile": 0.0},
        {"url": "http://127.0.0.1:1/vendor/ace/ace.js", "total": 300.0, "scripting": 250.0, "scriptParseCompile": 40},
        {"url": "http://127.0.0.1:1/", "total": 80.0, "scripting": 5.0, "scriptParseCompile": 1.0},
    ]
    top = bench_quality.top_scripts({"details": {"items": items}}, "http://127.0.0.1:1/", limit=2)
    assert top == [  # heaviest first, scripts only (Lighthouse's "Unattributable" row is not one), site paths
        {"script": "/vendor/ace/ace.js", "cpu_ms": 300, "scripting_ms": 250, "parse_compile_ms": 40},
        {"script": "/assets/a.js", "cpu_ms": 120, "scripting_ms": 100, "parse_compile_ms": 10},
    ]


def test_quality_goals() -> None:
    ok = {"scores": {"performance": 96}, "total_blocking_time_ms": 150}
    slow = {"scores": {"performance": 96}, "total_blocking_time_ms": 250}
    low = {"scores": {"performance": 90}, "total_blocking_time_ms": 0}
    assert bench_quality.page_goal(ok) == "met"
    assert bench_quality.page_goal(slow) == "not met"
    assert bench_quality.page_goal(low) == "not met"


def test_results_file_constant_matches_default_output() -> None:
    assert Path(bench_runner.ROOT / bench_runner.RESULTS_FILE) == bench_runner.DEFAULT_OUTPUT


# tools/bench_hints.py: the page it measures and the files it hints.


def test_hints_add_one_link_per_pyodide_file_at_the_end_of_the_head() -> None:
    html = "<html><head><title>x</title></head><body><p>x</p></body></html>"
    assert bench_hints.with_hints(html, "none") == html
    for variant in ("preload", "prefetch"):
        hinted = bench_hints.with_hints(html, variant)
        head = hinted.split("</head>")[0]
        assert head.count(f'rel="{variant}"') == len(bench_hints.PYODIDE_FILES)
        for name in bench_hints.PYODIDE_FILES:
            assert f'href="../vendor/pyodide/{name}"' in head
        assert hinted.split("</head>")[1] == html.split("</head>")[1]  # the body is untouched
    with pytest.raises(ValueError, match="single </head>"):
        bench_hints.with_hints("<p>no head</p>", "preload")


def test_hinted_files_are_the_ones_pyodide_starts_with() -> None:
    """Each hinted file is shipped, and Pyodide's loader names it (a Pyodide upgrade that renames one fails)."""
    folder = ROOT / "docs" / "vendor" / "pyodide"
    loader = (folder / "pyodide.mjs").read_text(encoding="utf-8")
    for name in bench_hints.PYODIDE_FILES:
        assert (folder / name).is_file(), name
        assert name == "pyodide.mjs" or name in loader, name


def test_counting_server_counts_each_path(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a" * 100, encoding="utf-8")
    with bench_hints.counting_server(tmp_path) as (url, counts):
        for _ in range(2):
            with urllib.request.urlopen(url + "a.txt?x=1") as response:  # noqa: S310 - loopback http
                assert response.read() == b"a" * 100
        assert counts["/a.txt"] == 2


PAGE_WITH_FIXES = (
    '<html><head><link rel="stylesheet" href="../assets/site.css">'
    '<script src="../assets/asyncfit-theme/absolute-stylesheets.js"></script></head><body>'
    '<header class="md-header" data-md-component="header"><form class="md-header__option" data-af-palette>'
    '<input class="md-option" type="radio" name="__palette" id="__palette_0"></form></header><p>x</p>'
    '<script src="../assets/javascripts/bundle.js"></script>'
    '<script type="module" src="../assets/asyncfit-theme/palette-toggle.js"></script></body></html>'
)


def test_restyles_variants_undo_exactly_the_two_fixes() -> None:
    """`palette` drops the stylesheet fix only; `theme` also gives the form back to Material's component."""
    palette = bench_restyles.VARIANTS["palette"](PAGE_WITH_FIXES)
    assert "absolute-stylesheets.js" not in palette
    assert palette == PAGE_WITH_FIXES.replace(
        '<script src="../assets/asyncfit-theme/absolute-stylesheets.js"></script>', ""
    )
    theme = bench_restyles.VARIANTS["theme"](PAGE_WITH_FIXES)
    assert "palette-toggle.js" not in theme
    assert "data-af-palette" not in theme
    assert '<form class="md-header__option" data-md-component="palette">' in theme
    assert "bundle.js" in theme
    assert bench_restyles.VARIANTS["site"](PAGE_WITH_FIXES) == PAGE_WITH_FIXES
    with pytest.raises(ValueError, match=r"no script loads absolute-stylesheets\.js"):
        bench_restyles.VARIANTS["theme"]("<html><head></head><body></body></html>")


def test_the_built_template_carries_what_the_restyles_variants_undo(built_site: Any) -> None:
    """Every page of the bench has both script tags and the renamed form (a template change fails here)."""
    for rel in bench_restyles.PAGES:
        html = (built_site.path / rel / "index.html").read_text(encoding="utf-8")
        assert bench_restyles.PALETTE_FORM[0] in html, rel
        assert bench_restyles.PALETTE_FORM[1] not in html, rel
        for variant in bench_restyles.VARIANTS.values():
            variant(html)  # raises when a script tag is missing


def test_main_thread_work_sums_restyles_of_the_renderer_main_thread() -> None:
    main, other = {"pid": 1, "tid": 1}, {"pid": 1, "tid": 2}
    trace = {
        "traceEvents": [
            {**main, "ph": "M", "name": "thread_name", "args": {"name": "CrRendererMain"}},
            {**other, "ph": "M", "name": "thread_name", "args": {"name": "Compositor"}},
            {**main, "ph": "X", "name": "UpdateLayoutTree", "dur": 4000, "args": {"elementCount": 100}},
            {**main, "ph": "X", "name": "UpdateLayoutTree", "dur": 1000, "args": {"elementCount": 95}},
            {**main, "ph": "X", "name": "UpdateLayoutTree", "dur": 500, "args": {"elementCount": 10}},
            {**main, "ph": "X", "name": "Layout", "dur": 2000},
            {**main, "ph": "X", "name": "RunTask", "dur": 9000},
            {**other, "ph": "X", "name": "UpdateLayoutTree", "dur": 7000, "args": {"elementCount": 1000}},
        ]
    }
    assert bench_restyles.main_thread_work(trace) == {
        "styled_elements": 205,
        "full_restyles": 2,
        "style_layout_ms": 7.5,
        "longest_task_ms": 9.0,
    }


def test_taking_turns_puts_each_side_first_once_per_round() -> None:
    order = ["a", "b", "c"]
    assert [bench_runner.taking_turns(order, i) for i in range(4)] == [
        ["a", "b", "c"],
        ["b", "c", "a"],
        ["c", "a", "b"],
        ["a", "b", "c"],
    ]
    assert order == ["a", "b", "c"]
