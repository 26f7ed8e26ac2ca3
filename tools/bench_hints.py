"""Try resource hints that start Pyodide's downloads from the page's head (issue 14, item 4).

    .venv/bin/python tools/bench_hints.py [--repeat N] [--output docs/hints-results.json]

Today the runner's Python worker asks for Pyodide's files itself, after first paint: the page loads runner.js,
which starts the worker, which loads its own modules and then Pyodide's loader (pyodide.mjs), which fetches the
rest. A hint in the page's <head> could start those downloads while the page is still arriving. This tool
measures whether that makes a first visit's first output earlier, side by side in one run:

1. Builds the bench site once (tools/bench_runner.py's `build_bench_site`: the site plus its `bench-asyncfit/`
   page, one example) and copies it once per variant (VARIANTS), adding that variant's <link> elements for
   Pyodide's start-up files (PYODIDE_FILES) to the bench page's <head>:
   - `none`: the site as it is;
   - `preload`: `<link rel="preload" as="fetch" crossorigin fetchpriority="low">`: fetched by the document at
     once, low priority so that first paint does not wait for them;
   - `prefetch`: `<link rel="prefetch" crossorigin>`: fetched at the lowest priority into the HTTP cache, without
     the document holding the bodies.
   The worker's own fetches of the same URLs are then answered from the HTTP cache, or join the download in
   flight. Whether they did is checked, not assumed: each variant is served by its own server, which counts the
   requests it receives for each of Pyodide's files (a second request for the same file would be a second
   download).
2. Serves each copy as GitHub Pages does (tools/local_site.py's PagesHandler: gzip, max-age=600) and, on both of
   tools/bench_runner.py's network profiles (loopback; 20 Mbit/s with 40 ms latency), loads the bench page in a
   fresh browser profile (a cold cache), clicks Run the moment the example is ready and waits for its first
   output line (bench_runner's `first_run`, the same probe as `make bench`). The variants take turns at going
   first.
3. Prints a table and writes, as JSON, the medians per profile and variant: first output, when the page asked
   for Python (boot), first contentful paint, the load event, total blocking time, and the most requests any
   one of Pyodide's files received; with the date, the machine's load average before and after, and versions.

Not a test (times depend on the machine), and not part of `make bench`: an experiment kept runnable so that the
result on /performance/ ("Preload hints") can be checked again when Chromium, Pyodide or the runner changes.
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
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_runner as bench
from find_chromium import find_chromium
from local_site import PagesHandler

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "hints-results.json"
PAGE = "bench-asyncfit/"

#: What Pyodide 314's loader fetches on a start without a snapshot (its loadPyodide: the lock file, the standard
#: library and the WebAssembly binary at once, then pyodide.asm.mjs), plus pyodide.mjs, which the worker imports.
PYODIDE_FILES = ("pyodide.mjs", "pyodide-lock.json", "python_stdlib.zip", "pyodide.asm.wasm", "pyodide.asm.mjs")

#: One <link> per file ({href}: the file's URL relative to the bench page).
VARIANTS = {
    "none": "",
    "preload": '<link rel="preload" href="{href}" as="fetch" crossorigin fetchpriority="low">',
    "prefetch": '<link rel="prefetch" href="{href}" crossorigin>',
}

#: First contentful paint and the end of the load event, in ms since navigation start.
PAGE_TIMES_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {fcp_ms: paint ? paint.startTime : null, load_ms: nav ? nav.loadEventEnd : null};
}"""

MEASURES = ("first_output_ms", "boot_ms", "fcp_ms", "load_ms", "total_blocking_ms", "max_requests_per_file")


def with_hints(html: str, variant: str) -> str:
    """Return the page's HTML with the variant's links for PYODIDE_FILES added at the end of its <head>."""
    template = VARIANTS[variant]
    if not template:
        return html
    if html.count("</head>") != 1:
        raise ValueError("the bench page has no single </head> to add hints to")
    links = "".join(template.format(href=f"../vendor/pyodide/{name}") + "\n" for name in PYODIDE_FILES)
    return html.replace("</head>", links + "</head>", 1)


def make_variants(site: Path, work: Path) -> dict[str, Path]:
    """Copy the built site once per variant, with that variant's hints on the bench page; return the folders."""
    folders = {}
    for variant in VARIANTS:
        folder = work / variant
        shutil.copytree(site, folder)
        page = folder / PAGE / "index.html"
        page.write_text(with_hints(page.read_text(encoding="utf-8"), variant), encoding="utf-8")
        folders[variant] = folder
    return folders


@contextmanager
def counting_server(directory: Path) -> Iterator[tuple[str, collections.Counter[str]]]:
    """Serve directory as GitHub Pages does; yield its base URL and a live count of GET requests per path."""
    counts: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()

    class Counting(PagesHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            with lock:
                counts[self.path.split("?", 1)[0]] += 1
            super().do_GET()

    with bench.serve(directory, handler=Counting) as url:
        yield url, counts


def measure_once(pw: Any, chromium: str, profile: Path, url: str, conditions: dict[str, Any] | None) -> dict:
    """One cold first visit in a fresh browser profile: bench_runner's first-run timings plus the page's."""
    context = bench.fresh_context(pw, chromium, profile, bypass_csp=True)  # the probe evaluates in the page
    try:
        context.add_init_script(bench.PROBE_JS)
        page = bench.open_page(context, conditions)
        result = bench.first_run(page, url)
        result.update(page.evaluate(PAGE_TIMES_JS))
        return result
    finally:
        context.close()


def run(repeat: int) -> dict[str, Any]:
    """Build, serve every variant, measure each `repeat` times per profile (taking turns); return the results."""
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium found: `make chromium` installs Debian's chromium package")
    load_before = os.getloadavg()
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {p: {v: [] for v in VARIANTS} for p in bench.PROFILES}
    with tempfile.TemporaryDirectory(prefix="asyncfit-hints-") as tmp:
        bench.log("building the bench site...")
        folders = make_variants(bench.build_bench_site(Path(tmp) / "build"), Path(tmp) / "variants")
        with ExitStack() as stack, sync_playwright() as pw:
            servers = {variant: stack.enter_context(counting_server(folder)) for variant, folder in folders.items()}
            order = list(VARIANTS)
            for i in range(repeat):
                for name, conditions in bench.PROFILES.items():
                    for variant in bench.taking_turns(order, i):
                        url, counts = servers[variant]
                        counts.clear()
                        bench.log(f"run {i + 1}/{repeat}, {name}: {variant}")
                        result = measure_once(
                            pw, chromium, Path(tmp) / f"p-{name}-{variant}-{i}", url + PAGE, conditions
                        )
                        pyodide = [counts[path] for path in counts if "/vendor/pyodide/" in path]
                        result["max_requests_per_file"] = max(pyodide, default=0)
                        runs[name][variant].append(result)
            browser = pw.chromium.launch(executable_path=chromium, args=bench.CHROMIUM_ARGS, headless=True)
            version = browser.version
            browser.close()
    results: dict[str, Any] = {}
    for name, variants in runs.items():
        results[name] = {}
        for variant, measured in variants.items():
            results[name][variant] = {
                key: round(statistics.median(r[key] for r in measured), 1)
                for key in MEASURES
                if all(r.get(key) is not None for r in measured)
            }
    return {
        "date": dt.date.today().isoformat(),
        "commit": bench.checkout_state(),
        "repeat": repeat,
        "files": list(PYODIDE_FILES),
        "variants": {variant: VARIANTS[variant].format(href="…") for variant in VARIANTS},
        "profiles": {name: bench.PROFILE_NAMES[name] for name in bench.PROFILES},
        "machine": {"cores": os.cpu_count(), "load_average_1min": [load_before[0], os.getloadavg()[0]]},
        "versions": {"chromium": version, "pyodide": bench.npm_version("pyodide")},
        "results": results,
    }


def table(doc: dict[str, Any]) -> str:
    """Return the results as a plain-text table, with each variant's first output over `none`'s."""
    lines = [f"{'profile':10} {'variant':9} " + " ".join(f"{key:>22}" for key in MEASURES) + "  vs none"]
    for name, variants in doc["results"].items():
        none = variants["none"].get("first_output_ms")
        for variant, medians in variants.items():
            cells = " ".join(f"{medians.get(key, float('nan')):>22.0f}" for key in MEASURES)
            ratio = medians.get("first_output_ms", 0) / none if none else float("nan")
            lines.append(f"{name:10} {variant:9} {cells}  {ratio:.2f}x")
    return "\n".join(lines)


def main() -> None:
    """Command line: run, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="cold first visits per profile and variant")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON results file")
    args = parser.parse_args()
    doc = run(args.repeat)
    print(table(doc))
    args.output.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
