"""Count the page restyles that the theme's bundle causes while a page loads, with and without our two fixes.

    .venv/bin/python tools/bench_restyles.py [--repeat N] [--lighthouse N] [--site DIR]
                                             [--output docs/restyles-results.json]

Issue 14 asks for no main-thread jank on any page. The remaining long task at load is Material's bundle: it
evaluates, then mounts its components, and some of them make the browser compute the style of every element of
the page again, more than once, inside that task. Chromium's trace says which: its UpdateLayoutTree events carry
the number of elements restyled and the script that forced them. Two causes are on our side to remove:

- the palette component (overrides/assets/asyncfit-theme/palette-toggle.js replaces it);
- instant navigation rewriting the stylesheet links (overrides/assets/asyncfit-theme/absolute-stylesheets.js
  does the same rewrite earlier, for nothing).

This tool builds the site once (or takes `--site`, a built site) and copies it per variant (VARIANTS), undoing
the fixes in the copies, so that the three differ in nothing else:

- `theme`: Material's palette component and its stylesheet rewrite, as the theme ships them;
- `palette`: our palette toggle only;
- `site`: both fixes, the site as it ships.

Each copy is served as GitHub Pages does (tools/local_site.py's PagesHandler). Each page of PAGES is loaded in a
fresh browser context (light colour scheme, service workers blocked, Pyodide's loader held so that Python's start
does not compete for the CPU), the variants taking turns, with a Chromium trace recording the main thread until
the load event and 1.5 s after. Per page and variant it writes the medians of:

- `styled_elements`: elements restyled, all recalculations summed. A count of work, not a time, so it hardly
  changes between runs or with the machine's load: the number to compare;
- `full_restyles`: recalculations that restyled at least 90 % of the page's elements;
- `style_layout_ms`: main-thread time in style and layout (real CPU, not throttled; noisy on a shared machine);
- `longest_task_ms`: the longest main-thread task.

With `--lighthouse N`, it then runs Lighthouse (tools/bench_quality.py's `lighthouse`: the pinned CLI, mobile,
simulated throttling) N times per page on `theme` and `site`, taking turns, and adds the medians of the
performance score and the total blocking time, the figures of issue 14's goal.

Not a test and not part of `make bench`: an experiment kept runnable, as tools/bench_hints.py is, so that the
result on /performance/ ("The main thread while a page loads") can be checked again when Material changes.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from importlib import metadata
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_runner as bench
from bench_quality import lighthouse
from find_chromium import find_chromium

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "restyles-results.json"

#: Pages measured: the goals' pages of issue 14 (home, a runnable page, the rules index, a rule page, the wizard)
#: and the FAQ, the longest page.
PAGES = ("", "how-async-works/", "rules/", "rules/af101/", "faq/", "wizard/")

PALETTE_FORM = ("data-af-palette", 'data-md-component="palette"')
"""How the template hands the header's palette form to palette-toggle.js: (renamed, Material's own)."""


def script_tag(html: str, name: str) -> str:
    """Return the page's one <script> element loading assets/asyncfit-theme/<name>."""
    start = html.find(f"assets/asyncfit-theme/{name}")
    if start < 0:
        raise ValueError(f"no script loads {name}: has the template changed?")
    begin = html.rindex("<script", 0, start)
    end = html.index("</script>", start) + len("</script>")
    return html[begin:end]


def without_stylesheet_fix(html: str) -> str:
    """Return the page without absolute-stylesheets.js: the bundle rewrites the stylesheet links itself."""
    return html.replace(script_tag(html, "absolute-stylesheets.js"), "", 1)


def with_theme_palette(html: str) -> str:
    """Return the page with Material's own palette component, as the theme ships it."""
    return html.replace(script_tag(html, "palette-toggle.js"), "", 1).replace(*PALETTE_FORM, 1)


VARIANTS: dict[str, Callable[[str], str]] = {
    "theme": lambda html: with_theme_palette(without_stylesheet_fix(html)),
    "palette": without_stylesheet_fix,
    "site": lambda html: html,
}
"""Each variant's change to every built page."""


def make_variants(site: Path, work: Path) -> dict[str, Path]:
    """Copy the built site once per variant, each page changed as VARIANTS says; return the folders."""
    folders = {}
    for variant, change in VARIANTS.items():
        folder = work / variant
        shutil.copytree(site, folder)
        for rel in PAGES:
            page = folder / rel / "index.html"
            page.write_text(change(page.read_text(encoding="utf-8")), encoding="utf-8")
        folders[variant] = folder
    return folders


def main_thread_work(trace: dict[str, Any]) -> dict[str, float]:
    """Sum the renderer main thread's style and layout work in a Chromium trace (see the module docstring)."""
    events = trace["traceEvents"]
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    main = {key for key, name in names.items() if name == "CrRendererMain"}
    ours = [e for e in events if (e["pid"], e["tid"]) in main and e.get("ph") == "X"]
    recalcs = [(e.get("args") or {}).get("elementCount", 0) for e in ours if e["name"] == "UpdateLayoutTree"]
    page_size = max(recalcs, default=0)
    ms: collections.Counter[str] = collections.Counter()
    for e in ours:
        ms[e["name"]] += e.get("dur", 0) / 1000
    return {
        "styled_elements": sum(recalcs),
        "full_restyles": sum(1 for n in recalcs if page_size and n >= 0.9 * page_size),
        "style_layout_ms": ms["UpdateLayoutTree"] + ms["Layout"],
        "longest_task_ms": max((e.get("dur", 0) / 1000 for e in ours if e["name"] == "RunTask"), default=0.0),
    }


def measure_once(browser: Browser, url: str) -> dict[str, float]:
    """Load url in a fresh context with a trace running; return main_thread_work's figures."""
    context = browser.new_context(color_scheme="light", service_workers="block", viewport={"width": 412, "height": 823})
    try:
        context.route(  # Python's start in the worker would compete for the CPU (tests: hold_pyodide)
            "**/vendor/pyodide/pyodide.mjs",
            lambda route: route.fulfill(body="await new Promise(() => {});\n", content_type="text/javascript"),
        )
        page = context.new_page()
        browser.start_tracing(page=page, categories=["devtools.timeline", "disabled-by-default-devtools.timeline"])
        page.goto(url, wait_until="load")
        page.wait_for_timeout(1500)
        return main_thread_work(json.loads(browser.stop_tracing()))
    finally:
        context.unroute_all(behavior="ignoreErrors")
        context.close()


LIGHTHOUSE_VARIANTS = ("theme", "site")
"""The copies Lighthouse compares: the theme's way and the site's."""


def lighthouse_medians(urls: dict[str, str], chromium: str, repeat: int) -> dict[str, dict[str, dict[str, float]]]:
    """Run Lighthouse `repeat` times per page on each of LIGHTHOUSE_VARIANTS, taking turns; return the medians."""
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {p: {v: [] for v in LIGHTHOUSE_VARIANTS} for p in PAGES}
    order = list(LIGHTHOUSE_VARIANTS)
    for i in range(repeat):
        for rel in PAGES:
            for variant in bench.taking_turns(order, i):
                bench.log(f"lighthouse {i + 1}/{repeat}, /{rel}: {variant}")
                runs[rel][variant].append(lighthouse(urls[variant] + rel, chromium, urls[variant]))
    return {
        f"/{rel}": {
            variant: {
                "performance": statistics.median(r["scores"]["performance"] for r in measured),
                "total_blocking_time_ms": statistics.median(r["total_blocking_time_ms"] for r in measured),
            }
            for variant, measured in variants.items()
        }
        for rel, variants in runs.items()
    }


def run(repeat: int, site: Path | None, lighthouse_repeat: int = 0) -> dict[str, Any]:
    """Build (unless site is given), serve every variant, measure each page `repeat` times; return the results."""
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium found: `make chromium` installs Debian's chromium package")
    load_before = os.getloadavg()
    runs: dict[str, dict[str, list[dict[str, float]]]] = {p: {v: [] for v in VARIANTS} for p in PAGES}
    with tempfile.TemporaryDirectory(prefix="asyncfit-restyles-") as tmp:
        if site is None:
            bench.log("building the site...")
            site = bench.build_bench_site(Path(tmp) / "build")
        folders = make_variants(site, Path(tmp) / "variants")
        with ExitStack() as stack, sync_playwright() as pw:
            urls = {variant: stack.enter_context(bench.serve(folder)) for variant, folder in folders.items()}
            browser = pw.chromium.launch(executable_path=chromium, args=bench.CHROMIUM_ARGS, headless=True)
            order = list(VARIANTS)
            for i in range(repeat):
                for rel in PAGES:
                    for variant in bench.taking_turns(order, i):
                        bench.log(f"run {i + 1}/{repeat}, /{rel}: {variant}")
                        runs[rel][variant].append(measure_once(browser, urls[variant] + rel))
            version = browser.version
            browser.close()
            scores = lighthouse_medians(urls, chromium, lighthouse_repeat) if lighthouse_repeat else {}
    results = {
        f"/{rel}": {
            variant: {key: round(statistics.median(r[key] for r in measured), 1) for key in measured[0]}
            for variant, measured in variants.items()
        }
        for rel, variants in runs.items()
    }
    return {
        "date": dt.date.today().isoformat(),
        "commit": bench.checkout_state(),
        "repeat": repeat,
        "machine": {"cores": os.cpu_count(), "load_average_1min": [load_before[0], os.getloadavg()[0]]},
        "versions": {"chromium": version, "mkdocs-material": metadata.version("mkdocs-material")},
        "results": results,
        "lighthouse": {"repeat": lighthouse_repeat, "results": scores} if scores else None,
    }


def table(doc: dict[str, Any]) -> str:
    """Return the results as a plain-text table, with each variant's styled elements over `theme`'s."""
    keys = ("styled_elements", "full_restyles", "style_layout_ms", "longest_task_ms")
    lines = [f"{'page':20} {'variant':8} " + " ".join(f"{key:>16}" for key in keys) + "  vs theme"]
    for page, variants in doc["results"].items():
        theme = variants["theme"]["styled_elements"]
        for variant, medians in variants.items():
            cells = " ".join(f"{medians[key]:>16.0f}" for key in keys)
            lines.append(f"{page:20} {variant:8} {cells}  {medians['styled_elements'] / theme:.2f}x")
    if doc.get("lighthouse"):
        lines.append(f"\n{'Lighthouse':20} {'variant':8} {'performance':>16} {'blocking time':>16}")
        for page, variants in doc["lighthouse"]["results"].items():
            for variant, medians in variants.items():
                lines.append(
                    f"{page:20} {variant:8} {medians['performance']:>16.0f} {medians['total_blocking_time_ms']:>16.0f}"
                )
    return "\n".join(lines)


def main() -> None:
    """Command line: run, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3, help="loads per page and variant (default 3)")
    parser.add_argument("--lighthouse", type=int, default=0, help="Lighthouse runs per page on theme and site")
    parser.add_argument("--site", type=Path, help="a built site to measure instead of building one")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the JSON results")
    args = parser.parse_args()
    doc = run(args.repeat, args.site, args.lighthouse)
    print(table(doc))
    args.output.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    bench.log(f"wrote {args.output}")


if __name__ == "__main__":
    main()
