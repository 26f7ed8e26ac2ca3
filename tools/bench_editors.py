"""What the code editor costs: Ace (shipped) against CodeMirror 6, and the site's long tasks, at 4x CPU (issue 14).

    .venv/bin/python tools/bench_editors.py [--site DIR] [--repeat N] [--output PATH]

1. Editors side by side, outside the site: one plain page per editor, served from 127.0.0.1, in Debian's
   Chromium (headless) with the CPU slowed 4x (CDP `Emulation.setCPUThrottlingRate`). Each visit loads the
   editor's files and creates N editors holding the same Python example (snippets/hello_gather.py), then one
   more "on demand" after the page has settled. Measured in the page: milliseconds from asking for the editor to
   the frame after the editors exist (two animation frames: layout and paint included), main-thread long
   tasks; by Playwright: the files requested and their bytes (raw and gzip -6, as a static host compresses).
   - Ace: the exact files the site vendors (docs/vendor/ace via the built site: ace.js, mode-python, the theme
     and its stylesheets), created as runner.js creates it.
   - CodeMirror 6: `codemirror` (basicSetup: line numbers, history, search, brackets, autocompletion...) and
     `@codemirror/lang-python`, bundled and minified with esbuild; and a minimal setup (EditorView, history,
     the default keymap, Python highlighting). Versions pinned in tools/editor-bench/package-lock.json
     (`npm ci --prefix tools/editor-bench`; nothing there is shipped).
2. The site's own pages (a built site, --site, default a fresh `mkdocs build`), 4x CPU, fresh profile per
   visit: main-thread long tasks from navigation until none has come for 2 s (Python boots in its worker), as
   shipped (editors on demand) and with every editor opened at DOMContentLoaded (what the pages did before
   editors were lazy); then the long tasks of opening one editor on demand.

Writes docs/editor-results.json (medians of --repeat visits, with date, machine and versions), which the
"Editor choice" section of docs/performance.md renders. Not a test: times depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from find_chromium import find_chromium  # noqa: E402
from local_site import CHROMIUM_ARGS, serve  # noqa: E402


@contextmanager
def served(directory: Path) -> Iterator[str]:
    """Serve directory on the loopback interface for the duration of the block; yield its base URL."""
    server, base = serve(directory)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


BENCH_NODE = ROOT / "tools" / "editor-bench"
CPU_SLOWDOWN = 4
EDITOR_COUNTS = (3, 10)
SITE_PAGES = ("how-async-works/", "rules/af101/", "rules/")
OUTPUT = ROOT / "docs" / "editor-results.json"

CM6_BASIC = """import { EditorView, basicSetup } from "codemirror";
import { python } from "@codemirror/lang-python";
export function create(parent, doc) { return new EditorView({ doc, parent, extensions: [basicSetup, python()] }); }
"""
CM6_MINIMAL = """import { EditorView, keymap } from "@codemirror/view";
import { history, defaultKeymap, historyKeymap } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
export function create(parent, doc) {
  const keys = keymap.of([...defaultKeymap, ...historyKeymap]);
  return new EditorView({ doc, parent, extensions: [history(), keys, python()] });
}
"""

# The page of one editor: `make(parent, code)` creates an editor; the bench asks for N of them, then one more.
HARNESS = """<!doctype html><html><head><meta charset="utf-8"><title>editor bench</title></head>
<body><main id="hosts"></main><script type="module" src="bench.js"></script></body></html>
"""
BENCH_JS = """
const params = new URLSearchParams(location.search);
const n = Number(params.get("n"));
const kind = params.get("editor");
const longTasks = [];
const record = (list) => longTasks.push(...list.getEntries().map((e) => ({start: e.startTime, duration: e.duration})));
new PerformanceObserver(record).observe({type: "longtask", buffered: true});
const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
const code = await (await fetch("code.py")).text();

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src; script.onload = resolve; script.onerror = reject; document.head.append(script);
  });
}
function link(href) {
  const l = document.createElement("link"); l.rel = "stylesheet"; l.href = href; document.head.append(l);
}

async function loadEditor() {
  if (kind === "ace") {
    for (const css of ["ace/css/ace.css", "ace/css/theme/github_light_default.css"]) link(css);
    await loadScript("ace/ace.js");
    const ace = globalThis.ace;
    ace.config.set("basePath", new URL("ace/", location.href).href);
    ace.config.set("useStrictCSP", true);
    const make = (parent, doc) => {
      const editor = ace.edit(parent, { value: doc, mode: "ace/mode/python", theme: "ace/theme/github_light_default",
        minLines: 3, maxLines: 40, fontSize: "0.85em", showPrintMargin: false, useSoftTabs: true, tabSize: 4,
        enableKeyboardAccessibility: true });
      return editor; // Ace renders in its own animation frame: the two frames after creation include it
    };
    return make;
  }
  const module = await import(`./${kind}.js`);
  return async (parent, doc) => module.create(parent, doc);
}

function host() { const div = document.createElement("div"); document.getElementById("hosts").append(div); return div; }

const t0 = performance.now();
const make = await loadEditor();
const loaded = performance.now();
await Promise.all(Array.from({length: n}, () => make(host(), code)));
await frames();
const created = performance.now();
await new Promise((resolve) => setTimeout(resolve, 500));
const t1 = performance.now();
await make(host(), code);
await frames();
const onDemand = performance.now() - t1;
await new Promise((resolve) => setTimeout(resolve, 200));
globalThis.__bench = {
  loadMs: loaded - t0, createMs: created - loaded, totalMs: created - t0, onDemandMs: onDemand, longTasks,
};
"""

ENHANCED = '.af-runnable.af-enhanced[data-af-runs="pyodide"]'
EDITOR_OPEN = "(root) => !!root.querySelector('.ace_editor')"
# Resolves once the main thread has had no long task for QUIET_MS (Python boots in its worker meanwhile).
QUIET_JS = """() => new Promise((resolve) => {
  const check = () => {
    const ends = globalThis.__longTasks.map((t) => t.start + t.duration);
    if (performance.now() - Math.max(0, ...ends) > 2000) resolve(); else setTimeout(check, 250);
  };
  check();
})"""
LONG_TASKS_INIT = """(() => {
  const tasks = [];
  globalThis.__longTasks = tasks;
  const record = (list) => tasks.push(...list.getEntries().map((e) => ({start: e.startTime, duration: e.duration})));
  new PerformanceObserver(record).observe({type: "longtask", buffered: true});
  if (globalThis.__openAllEditors) {
    document.addEventListener("DOMContentLoaded", () => {
      const open = () => document.querySelectorAll(".af-runnable .af-edit").forEach((button) => button.click());
      if (document.querySelector(".af-edit")) open(); else setTimeout(open, 0);
    });
  }
})();"""


def summarise(tasks: list[dict[str, float]]) -> dict[str, float]:
    """Count, longest, total and total blocking time (each task's time over 50 ms) of long tasks."""
    durations = [task["duration"] for task in tasks]
    return {
        "count": len(durations),
        "max_ms": round(max(durations, default=0.0)),
        "total_ms": round(sum(durations)),
        "tbt_ms": round(sum(max(0.0, d - 50) for d in durations)),
    }


def median_of(rows: list[dict[str, float]]) -> dict[str, float]:
    """Take the median of each field over rows."""
    return {key: round(statistics.median(row[key] for row in rows), 1) for key in rows[0]}


def slow_cpu(page: Page) -> None:
    """Slow the page's CPU CPU_SLOWDOWN times (what Lighthouse's mobile profile does)."""
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})


def gz(data: bytes) -> int:
    """Bytes after gzip -6 (what a static host sends for text)."""
    return len(gzip.compress(data, compresslevel=6))


def bundle_cm6(out: Path) -> dict[str, str]:
    """Bundle the two CodeMirror 6 setups with esbuild; return the versions used."""
    if not (BENCH_NODE / "node_modules" / "esbuild").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BENCH_NODE, check=True)
    build = BENCH_NODE / "build"
    build.mkdir(exist_ok=True)
    esbuild = BENCH_NODE / "node_modules" / ".bin" / "esbuild"
    for name, source in (("cm6-basic", CM6_BASIC), ("cm6-minimal", CM6_MINIMAL)):
        entry = build / f"{name}.mjs"
        entry.write_text(source, encoding="utf-8")
        subprocess.run(
            [str(esbuild), str(entry), "--bundle", "--minify", "--format=esm", f"--outfile={out / (name + '.js')}"],
            check=True,
            capture_output=True,
        )
    lock = json.loads((BENCH_NODE / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    names = ("codemirror", "@codemirror/view", "@codemirror/state", "@codemirror/lang-python", "esbuild")
    return {name: lock[f"node_modules/{name}"]["version"] for name in names}


def editor_visit(browser: Any, base: str, kind: str, n: int) -> dict[str, Any]:
    """One fresh-profile visit of the harness: `kind`'s files and bytes, and the page's timings."""
    context = browser.new_context()
    page = context.new_page()
    slow_cpu(page)
    sizes: dict[str, bytes] = {}

    def on_response(response: Any) -> None:
        path = response.url.removeprefix(base)
        if path.startswith(("ace/", "cm6")):
            sizes[path] = response.body()

    page.on("response", on_response)
    page.goto(f"{base}index.html?editor={kind}&n={n}")
    page.wait_for_function("() => globalThis.__bench !== undefined", timeout=120_000)
    result = page.evaluate("globalThis.__bench")
    context.close()
    return {
        "files": sorted(sizes),
        "raw_bytes": sum(len(body) for body in sizes.values()),
        "gzip_bytes": sum(gz(body) for body in sizes.values()),
        "timing": {
            "load_ms": result["loadMs"],
            "create_ms": result["createMs"],
            "total_ms": result["totalMs"],
            "on_demand_ms": result["onDemandMs"],
            **{f"long_{k}": v for k, v in summarise(result["longTasks"]).items()},
        },
    }


def compare_editors(browser: Any, site: Path, repeat: int) -> tuple[dict[str, Any], dict[str, str]]:
    """Ace against the CodeMirror 6 setups, interleaved, `repeat` visits per editor count."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(site / "vendor" / "ace", root / "ace")
        versions = bundle_cm6(root)
        (root / "index.html").write_text(HARNESS, encoding="utf-8")
        (root / "bench.js").write_text(BENCH_JS, encoding="utf-8")
        shutil.copy(ROOT / "snippets" / "hello_gather.py", root / "code.py")
        results: dict[str, Any] = {}
        with served(root) as base:
            for n in EDITOR_COUNTS:
                runs: dict[str, list[dict[str, Any]]] = {"ace": [], "cm6-basic": [], "cm6-minimal": []}
                for _ in range(repeat):
                    for kind, visits in runs.items():  # interleaved: machine load drifts alike for all three
                        visits.append(editor_visit(browser, base, kind, n))
                for kind, visits in runs.items():
                    entry = results.setdefault(kind, {"files": visits[0]["files"]})
                    entry["raw_bytes"], entry["gzip_bytes"] = visits[0]["raw_bytes"], visits[0]["gzip_bytes"]
                    entry[f"n{n}"] = median_of([visit["timing"] for visit in visits])
    return results, versions


def site_visit(browser: Any, base: str, rel: str, *, eager: bool) -> dict[str, Any]:
    """One fresh-profile visit of a site page: long tasks until quiet, then of opening an editor."""
    context = browser.new_context()
    if eager:
        context.add_init_script("globalThis.__openAllEditors = true;")
    context.add_init_script(LONG_TASKS_INIT)
    page = context.new_page()
    slow_cpu(page)
    ace: list[str] = []
    page.on("request", lambda request: "/vendor/ace/" in request.url and ace.append(request.url))
    page.goto(base + rel, wait_until="load")
    examples = page.locator('div.af-runnable.af-enhanced[data-af-runs="pyodide"]')
    if eager:
        page.wait_for_function(f"() => [...document.querySelectorAll('{ENHANCED}')].every({EDITOR_OPEN})")
    page.evaluate(QUIET_JS)
    load = summarise(page.evaluate("globalThis.__longTasks"))
    row: dict[str, Any] = {
        "examples": examples.count(),
        "ace_requests": len(ace),
        **{f"load_{k}": v for k, v in load.items()},
    }
    if (
        not eager and page.locator(".af-edit").count()
    ):  # open one editor on demand: its long tasks from the click to the frame after it shows
        before = page.evaluate("performance.now()")
        examples.first.locator(".af-edit").click()
        page.wait_for_function(EDITOR_OPEN, arg=examples.first.element_handle())
        page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
        page.evaluate(QUIET_JS)
        tasks = [t for t in page.evaluate("globalThis.__longTasks") if t["start"] >= before]
        row.update({f"open_{k}": v for k, v in summarise(tasks).items()})
    context.close()
    return row


def measure_site(browser: Any, site: Path, repeat: int) -> dict[str, Any]:
    """Each of SITE_PAGES as shipped and with every editor opened at load, interleaved."""
    results: dict[str, Any] = {}
    with served(site) as base:
        for rel in SITE_PAGES:
            lazy, eager = [], []
            for _ in range(repeat):
                lazy.append(site_visit(browser, base, rel, eager=False))
                eager.append(site_visit(browser, base, rel, eager=True))
            results[rel] = {"lazy": median_of(lazy), "all_editors_at_load": median_of(eager)}
    return results


def build_site(out: Path) -> None:
    """Build the site afresh into out (`mkdocs build --strict`)."""
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "--strict", "-q", "-d", str(out)], cwd=ROOT, check=True
    )


def main() -> int:
    """Measure, print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one in a temporary folder)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build_site(site)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            editors, versions = compare_editors(browser, site, args.repeat)
            pages = measure_site(browser, site, args.repeat)
            chromium = browser.version
            browser.close()
    ace_version = json.loads((ROOT / "node_modules" / "ace-builds" / "package.json").read_text())["version"]
    result = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "machine": {
            "system": platform.platform(),
            "cpus": os.cpu_count(),
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()],
        },
        "chromium": chromium,
        "cpu_slowdown": CPU_SLOWDOWN,
        "repeat": args.repeat,
        "versions": {"ace-builds": ace_version, **versions},
        "editors": editors,
        "pages": pages,
    }
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
