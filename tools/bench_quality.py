"""Quality budgets, measured and reported (not pass/fail): `make bench-quality`.

What it does, in order:
1. builds the site with `mkdocs build --strict` into a temporary folder, timing the whole build;
2. serves it on a free loopback port as GitHub Pages serves it (tools/local_site.py PagesHandler: gzip for the
   types GitHub Pages compresses, when the browser accepts it; Cache-Control: max-age=600), so the bytes and
   Lighthouse's network-dependent figures are those of the published site;
3. in Debian's Chromium (Playwright, `executable_path`; empty cache per measurement) measures
   - the bytes a plain page transfers (home page, everything until the network is idle),
   - the bytes a runnable page transfers before its first contentful paint, and in total until the runner
     reports "Python is ready" (including what the worker downloads);
4. runs Lighthouse (npm `lighthouse`, pinned) on each page of PAGES (home, a runnable page, the wizard, the
   rules index `/rules/`, a rule page, and a long runnable page): performance, accessibility, best-practices and
   SEO scores with Lighthouse's default mobile settings, its total blocking time, and the page's top scripts by
   main-thread CPU time (Lighthouse's `bootup-time` audit, from the trace of the same run: all main-thread time
   attributed to each script, of which evaluation and parse/compile, scaled by the simulated 4x CPU slowdown;
   Lighthouse leaves out scripts under 50 ms; https://developer.chrome.com/docs/lighthouse/performance/bootup-time);
5. judges each page against the goal (GOAL_PERFORMANCE, GOAL_TBT_MS: printed as met / not met, never asserted);
6. prints a table and writes docs/quality-results.json, which docs/quality.md renders at build time.

Wall-clock figures here are noisy (two shared cores): they are reported, never asserted. Run from the repository
root after `make build` (docs/vendor/ must exist; the Makefile target takes care of it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from find_chromium import find_chromium
from local_site import CHROMIUM_ARGS, PagesHandler, precompress, serve
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "quality-results.json"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "",
    "runnable page": "how-async-works/",
    "wizard": "wizard/",
    "rules index": "rules/",  # every rule's summary, no examples
    "rule page": "rules/af101/",  # one rule with its runnable example
    "long runnable page": "faq/",  # the longest page with examples (seven)
}
GOAL_PERFORMANCE = 95  # Lighthouse performance score, at least (issue 14)
GOAL_TBT_MS = 200  # Lighthouse total blocking time, at most
TOP_SCRIPTS = 5
READY_TIMEOUT_MS = 120_000


def build(dest: Path, *, strict: bool) -> float:
    """Run a real `mkdocs build` into dest; return its wall time in seconds (exits with the log on failure)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(dest)]
    command.append("--strict" if strict else "--no-strict")
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"bench_quality: mkdocs build failed:\n{proc.stdout}{proc.stderr}")
    return elapsed


def _transferred(request: Any) -> int:
    """Bytes on the wire for one finished request: response headers plus body (encoded: as compressed)."""
    sizes = request.sizes()
    return int(sizes["responseHeadersSize"]) + int(sizes["responseBodySize"])


def measure_bytes(browser: Any, base: str) -> dict[str, Any]:
    """Bytes of a plain page, and of a runnable page before first paint and until Python is ready."""
    results: dict[str, Any] = {}

    context = browser.new_context()
    page = context.new_page()
    finished: list[Any] = []
    page.on("requestfinished", lambda request: finished.append(request))  # noqa: PLW0108 - Playwright cannot wrap a builtin method
    page.goto(base + PAGES["home"], wait_until="networkidle")
    results["plain_page"] = {"url": "/", "requests": len(finished), "bytes": sum(map(_transferred, finished))}
    context.close()

    context = browser.new_context()
    page = context.new_page()
    loaded: list[Any] = []
    page.on("requestfinished", lambda request: loaded.append(request))  # noqa: PLW0108 - as above
    page.goto(base + PAGES["runnable page"], wait_until="load")
    page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0")
    before_paint = page.evaluate(
        """() => {
            const fcp = performance.getEntriesByName("first-contentful-paint")[0].startTime;
            const nav = performance.getEntriesByType("navigation")[0];
            const early = performance.getEntriesByType("resource").filter((r) => r.responseEnd <= fcp);
            return {fcp_ms: fcp, requests: 1 + early.length,
                    bytes: nav.transferSize + early.reduce((sum, r) => sum + r.transferSize, 0)};
        }"""
    )
    page.locator(".af-status", has_text="Python is ready").first.wait_for(timeout=READY_TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    results["runnable_page"] = {
        "url": "/" + PAGES["runnable page"],
        "before_first_paint": {"requests": before_paint["requests"], "bytes": before_paint["bytes"]},
        "first_contentful_paint_ms": round(before_paint["fcp_ms"]),
        "until_python_ready": {"requests": len(loaded), "bytes": sum(map(_transferred, loaded))},
    }
    context.close()
    return results


def top_scripts(audit: dict[str, Any], base: str, limit: int = TOP_SCRIPTS) -> list[dict[str, Any]]:
    """Return the heaviest scripts of Lighthouse's `bootup-time` audit: site-relative paths, CPU ms, heaviest first.

    Rows that are not a script's address (Lighthouse's "Unattributable" time) are left out.
    """
    items = [item for item in (audit.get("details") or {}).get("items", []) if "://" in str(item.get("url", ""))]
    items.sort(key=lambda item: item.get("total", 0), reverse=True)
    return [
        {
            "script": "/" + item["url"].removeprefix(base) if item["url"].startswith(base) else item["url"],
            "cpu_ms": round(item.get("total", 0)),
            "scripting_ms": round(item.get("scripting", 0)),
            "parse_compile_ms": round(item.get("scriptParseCompile", 0)),
        }
        for item in items[:limit]
    ]


def page_goal(result: dict[str, Any]) -> str:
    """Judge one page: "met" if performance >= GOAL_PERFORMANCE and total blocking time <= GOAL_TBT_MS."""
    ok = result["scores"]["performance"] >= GOAL_PERFORMANCE and result["total_blocking_time_ms"] <= GOAL_TBT_MS
    return "met" if ok else "not met"


def lighthouse(url: str, chromium: str, base: str = "") -> dict[str, Any]:
    """Run the pinned Lighthouse CLI on url; return its four category scores (0-100) and a few metrics."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility,best-practices,seo",
                f"--chrome-flags={flags}",
                "--no-enable-error-reporting",
            ],
            env={**os.environ, "CHROME_PATH": chromium},
            check=True,
            timeout=600,
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    result = {
        "scores": {key: round(100 * cat["score"]) for key, cat in data["categories"].items()},
        "first_contentful_paint_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "largest_contentful_paint_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "total_blocking_time_ms": round(audits["total-blocking-time"]["numericValue"]),
        "settings": f"{data['configSettings']['formFactor']}, {data['configSettings']['throttlingMethod']} throttling",
        "lighthouse": data["lighthouseVersion"],
        "top_scripts": top_scripts(audits.get("bootup-time", {}), base or url),
    }
    result["goal"] = page_goal(result)
    return result


def _npm_version(package: str) -> str:
    return json.loads((ROOT / "node_modules" / package / "package.json").read_text(encoding="utf-8"))["version"]


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def print_table(doc: dict[str, Any]) -> None:
    """Print the figures as a plain-text table."""
    kb = 1024
    b = doc["bytes"]
    print(f"build ({doc['build_command']}, whole site): {doc['build_seconds']:.1f} s")
    print(f"plain page {b['plain_page']['url']}: {b['plain_page']['bytes'] / kb:.0f} KiB")
    r = b["runnable_page"]
    print(f"runnable page {r['url']}: {r['before_first_paint']['bytes'] / kb:.0f} KiB before first paint, ", end="")
    print(f"{r['until_python_ready']['bytes'] / kb / kb:.1f} MiB until Python is ready")
    goal = f"performance >= {GOAL_PERFORMANCE}, TBT <= {GOAL_TBT_MS} ms"
    print(f"{'page':<20}{'performance':>12}{'accessibility':>15}{'best-practices':>16}{'seo':>6}{'TBT ms':>8}  {goal}")
    for name, result in doc["lighthouse"].items():
        s = result["scores"]
        print(
            f"{name:<20}{s['performance']:>12}{s['accessibility']:>15}{s['best-practices']:>16}{s['seo']:>6}"
            f"{result['total_blocking_time_ms']:>8}  {result['goal']}"
        )
    for name, result in doc["lighthouse"].items():
        scripts = ", ".join(f"{t['script']} {t['cpu_ms']} ms" for t in result["top_scripts"])
        print(f"top scripts by CPU, {name}: {scripts}")


def main() -> None:
    """Measure everything, print the table and write docs/quality-results.json."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--no-strict", action="store_true", help="build without --strict (while pages are in flux)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("bench_quality: no Chromium found (`make chromium` installs Debian's)")
    if not LIGHTHOUSE.exists():
        sys.exit("bench_quality: node_modules/.bin/lighthouse is missing: run `npm ci` (make does)")
    load_before = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_seconds = build(site, strict=not args.no_strict)
        precompress(site)
        server, base = serve(site, PagesHandler)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
                chromium_version = browser.version
                byte_figures = measure_bytes(browser, base)
                browser.close()
            scores = {name: lighthouse(base + rel, chromium, base) for name, rel in PAGES.items()}
        finally:
            server.shutdown()
            server.server_close()
    doc = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "server": "gzip as GitHub Pages (tools/local_site.py PagesHandler), Cache-Control: max-age=600",
        "goal": {"performance_at_least": GOAL_PERFORMANCE, "total_blocking_time_ms_at_most": GOAL_TBT_MS},
        "machine": {
            "cpu": _cpu(),
            "cores": os.cpu_count(),
            "platform": platform.platform(terse=True),
            "load_average_1min": {"before": load_before, "after": round(os.getloadavg()[0], 2)},
        },
        "versions": {
            "chromium": chromium_version,
            "lighthouse": _npm_version("lighthouse"),
            "axe-core": _npm_version("axe-core"),
            "pyodide": _npm_version("pyodide"),
        },
        "build_command": "mkdocs build " + ("--no-strict" if args.no_strict else "--strict"),
        "build_seconds": round(build_seconds, 2),
        "bytes": byte_figures,
        "lighthouse": {name: {"url": "/" + PAGES[name], **result} for name, result in scores.items()},
    }
    print_table(doc)
    args.output.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")


if __name__ == "__main__":
    main()
