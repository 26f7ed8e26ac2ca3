"""Benchmark the runnable examples as a reader meets them, side by side with markdown-exec and the last release.

In one run: this checkout, the previous release of this site and markdown-exec's `pyodide` fence, on loopback and
on a throttled network.

    make bench [BASELINE=<git rev>]   # or: .venv/bin/python tools/bench_runner.py [--baseline REV] [--repeat N]

What it does:
1. Builds a temporary copy of the site (nothing in docs/ or site/ changes) with two extra pages running the same
   one-line program: `bench-asyncfit/` (a ```pyrun fence, our runner) and `bench-markdown-exec/` (markdown-exec's
   ```pyodide fence, its runner on the main thread).
2. The previous release ("baseline"). The repository has no release tags, so the baseline is a git revision,
   resolved in this order (resolve_baseline): `--baseline REV` (`make bench BASELINE=REV`); else the commit the
   published docs/performance-results.json records as measured (`commit`); else the last commit that changed
   that file (the one whose figures the page published). That revision is exported with `git archive` into a
   temporary folder (the repository and its worktrees are left alone), vendored (its own tools/vendor.py) and
   built with its own tools and pages, using the current venv and node_modules, plus the same `bench-asyncfit`
   page; it is served from a server of its own (another origin: its caches and service worker stay apart).
3. markdown-exec's fence loads Pyodide and Ace from public CDNs. Both sides must load identical bytes from
   loopback, so the CDN URLs of that page are pointed at a local mirror of the same npm files (`/bench-cdn/`)
   that docs/vendor/ is copied from. (A Playwright `page.route` would answer them too, but routing disables the
   browser's HTTP cache, and a warm-cache first run is one of the measurements.) markdown-exec also loads
   highlight.js (replaced by a no-op stub) and micropip (not shipped in the npm package: that request fails fast
   with 404, which, if anything, favours markdown-exec).
4. Serves each build on 127.0.0.1 as GitHub Pages serves it (tools/local_site.py's PagesHandler: gzip for the
   types GitHub Pages compresses, when the browser accepts it, nothing for already-compressed files such as
   `.zip`; Cache-Control: max-age=600), so the bytes counted are the bytes a reader's browser receives.
5. Two network profiles (PROFILES): `loopback` (no shaping) and `throttled` (20 Mbit/s down and up, 40 ms
   latency), the latter set with the Chrome DevTools Protocol's `Network.emulateNetworkConditions`
   (https://chromedevtools.github.io/devtools-protocol/tot/Network/#method-emulateNetworkConditions) through a
   Playwright CDP session on the page. It also shapes the page's dedicated workers' requests, where the Python
   worker downloads Pyodide (probed on 2026-12-01: a worker's fetch of pyodide.asm.wasm, 3.5 MB gzip-encoded,
   took 0.20 s on loopback and 1.83 s with these conditions set on the page).
6. Drives Debian's Chromium (headless, the flags of tests/conftest.py) through Playwright. Per profile, side and
   repetition: a fresh browser profile (cold cache) loads the page, clicks Run the moment the example is ready and
   waits for the program's first output line; then the same context loads the page again (warm cache) and does it
   again. The page clicks (see PROBE_JS), not Playwright, so Playwright's own click checks are in neither side's
   time. Measured in the page: time from navigation start to first output, main-thread long tasks
   (PerformanceObserver 'longtask') and total blocking time (sum of each long task's time over 50 ms); by
   Playwright: bytes transferred (encoded bodies and headers of every response, workers included). For asyncfit,
   the runner's performance marks (docs/assets/runner/, "asyncfit:*", page and worker) also say when Python's
   start began and ended and whether it started from the stored start-up snapshot. The cold visit stays open
   LINGER_MS after its first output (a reader does not leave at once; background work such as storing that
   snapshot or the browser's code caching gets to finish), then the warm visit starts, then a third one ("hot",
   see HOT). Then "after reading": the page is loaded once more (warm cache, and once in another empty profile for
   cold), Run is clicked 5 s after navigation start (the reader has been reading while Python booted), and we
   record the time from that moment to the first output line.
7. Prints a table with ratios and the goals (GOALS, met / not met: printed, never asserted) and writes the
   medians, with date, the measured commit, the baseline revision, machine (with its load average before and after
   the run: other work may share the machine) and versions, to docs/performance-results.json, which
   docs/performance.md renders.

Not a test: numbers depend on the machine. The comparisons that matter are the ratios measured in one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from find_chromium import find_chromium  # noqa: E402
from local_site import CHROMIUM_ARGS, PagesHandler, precompress  # noqa: E402
from local_site import serve as serve_site  # noqa: E402

NODE = ROOT / "node_modules"
DEFAULT_OUTPUT = ROOT / "docs" / "performance-results.json"
MARKER = "bench-marker"
PROGRAM = f'import sys\nprint("{MARKER}: hello from Python", sys.version.split()[0])\n'
# Sides, in the order the tables show them: this checkout, the baseline revision (same page, older code), and
# markdown-exec's fence. The baseline side is served from its own build (see serve_sides).
SIDES = {"asyncfit": "bench-asyncfit/", "baseline": "bench-asyncfit/", "markdown-exec": "bench-markdown-exec/"}
RESULTS_FILE = "docs/performance-results.json"
# Network profiles: None is loopback as it is; the others are Network.emulateNetworkConditions parameters
# (latency in ms from request sent to response headers received; throughputs in bytes per second).
MBIT = 1_000_000 / 8
PROFILES: dict[str, dict[str, Any] | None] = {
    "loopback": None,
    "throttled": {"offline": False, "latency": 40, "downloadThroughput": 20 * MBIT, "uploadThroughput": 20 * MBIT},
}
PROFILE_NAMES = {"loopback": "loopback (127.0.0.1, no shaping)", "throttled": "throttled (20 Mbit/s, 40 ms latency)"}
# The goals (issues 13 and 14), printed as met / not met, never asserted.
GOAL_COLD_RATIO = 0.8  # cold first output at most this fraction of markdown-exec's, on every profile
GOAL_WARM_MS = 800  # warm first output (loopback), at most this
GOAL_BASELINE_RATIO = 1.10  # "no regression" against the baseline: at most this ratio (a tenth for noise)
NO_EXAMPLES_PAGE = "faq/"
WAIT_MS = 120_000
READ_MS = 5_000  # "after reading": Run is clicked this long after navigation start
LINGER_MS = 3_000  # how long the cold visit stays open after its first output, before the warm visit
# HOT: a third visit in the same tab, warm cache again. It is faster than the second because the tab still
# holds the second visit's scripts in memory (resource timings: delivered instantly, no service worker); a
# reader returning later in a new tab gets the second visit's times (probed: visits 2 to 5 in new tabs
# measured alike). Both are reported; the goals are judged on the warm (second) visit.

# The runner's performance marks (docs/assets/runner/runner.js and worker.js), reported relative to navigation.
PAGE_MARKS = {"boot": "asyncfit:boot"}
WORKER_MARKS = {"python_loaded": "asyncfit:pyodide-loaded", "snapshot_restored": "asyncfit:snapshot-restored"}
WORKER_MARKS_JS = (
    "() => [performance.timeOrigin, performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])]"
)

RUN_BUTTONS = ".af-run, .pyodide-editor-bar .pyodide-clickable[id$='run']"  # asyncfit's, markdown-exec's

# In-page probe, installed before any page script: long tasks, "ready to run" and "first output" times, and the
# Run click. The click is made here, in the page, at the planned moment (bench.arm), not by Playwright: a
# Playwright click first waits for Playwright to notice the page is ready, then checks the button (visible,
# stable over two animation frames, hit target), about 0.06 s that is neither side's doing and that a reader's
# click does not pay (measured: 0.06 s from a Playwright click to the first output on both sides with Python
# already running, 0.01 s or less from an in-page click).
PROBE_JS = """
(() => {
  const bench = { longTasks: [], ready: null, firstOutput: null, plan: null, clicked: null };
  Object.defineProperty(window, "__bench", { value: bench });
  // Click Run (the first button matching `selector`) at `at` ms after navigation start, or once the example is
  // ready if `afterReady` and it is not ready yet by then. Armed as soon as the page has started loading (long
  // before either side is ready; click_run checks).
  let timer = 0;
  const clickIfDue = () => {
    const plan = bench.plan;
    if (plan === null || bench.clicked !== null) return;
    const wait = plan.at - performance.now();
    if (wait > 0) {
      clearTimeout(timer);
      timer = setTimeout(clickIfDue, wait + 1); // timers may fire a little early: check again then
      return;
    }
    if (plan.afterReady && bench.ready === null) return; // the "ready" observer below calls again
    const button = document.querySelector(plan.selector);
    if (!button) return;
    bench.clicked = performance.now();
    button.click();
  };
  bench.arm = (selector, at, afterReady) => {
    bench.plan = { selector, at, afterReady };
    clickIfDue();
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: "longtask", buffered: true });
  const check = () => {
    if (bench.ready === null) {
      const status = document.querySelector(".af-status");
      if (status && status.textContent.includes("Python is ready")) bench.ready = performance.now();
      const output = document.querySelector(".pyodide-output");
      if (output) {
        if (output.textContent.includes("Initializing")) output.dataset.benchInit = "1";
        else if (output.dataset.benchInit && output.textContent === "") bench.ready = performance.now();
      }
      // markdown-exec sets its button's handler right after clearing the output: this observer runs after that.
      if (bench.ready !== null) clickIfDue();
    }
    if (bench.firstOutput === null) {
      const out = document.querySelector(".af-output .af-line, .pyodide-output");
      if (out && out.textContent.includes("MARKER")) bench.firstOutput = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
})();
""".replace("MARKER", MARKER)

BENCH_PAGES = {
    "bench-asyncfit.md": f"# Bench: asyncfit runner\n\n```pyrun\n{PROGRAM}```\n",
    "bench-markdown-exec.md": f'# Bench: markdown-exec\n\n```pyodide version="{{pyodide}}"\n{PROGRAM}```\n',
}
MARKDOWN_EXEC_FENCE = """        - name: pyodide
          class: pyodide
          validator: !!python/name:markdown_exec.validator
          format: !!python/name:markdown_exec.formatter
"""
# CDN URL prefixes markdown-exec's fence uses -> local mirror (filled by mirror_cdn()).
CDN_REWRITES = (
    (re.compile(r"https://cdnjs\.cloudflare\.com/ajax/libs/ace/[^/]+/"), "/bench-cdn/ace/"),
    (re.compile(r"https://cdn\.jsdelivr\.net/pyodide/v[^/]+/full/"), "/bench-cdn/pyodide/"),
    (re.compile(r"https://cdnjs\.cloudflare\.com/ajax/libs/highlight\.js/[^\"']+"), "/bench-cdn/hljs-stub.js"),
    (re.compile(r"https://cdn\.jsdelivr\.net/npm/highlightjs-themes@[^\"']+"), "/bench-cdn/empty.css"),
)


def log(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------
# Build


def npm_version(package: str) -> str:
    """Version of an installed npm package."""
    return json.loads((NODE / package / "package.json").read_text())["version"]


def build_bench_site(work: Path, source: Path = ROOT, baseline: bool = False) -> Path:
    """Build the site of `source` plus the bench pages into work/site (temporary config in source's root).

    baseline: `source` is an exported older revision: only the asyncfit bench page is added, and its own tools
    (tools/asyncfit_docs, the wizard package) are imported before the editable installs of this checkout.
    """
    docs = work / "docs"
    shutil.copytree(source / "docs", docs)
    pages = {"bench-asyncfit.md": BENCH_PAGES["bench-asyncfit.md"]} if baseline else BENCH_PAGES
    for name, text in pages.items():
        (docs / name).write_text(text.replace("{pyodide}", npm_version("pyodide")), encoding="utf-8")
    config_text = (source / "mkdocs.yml").read_text(encoding="utf-8")
    if "      custom_fences:\n" not in config_text or "not_in_nav: |\n" not in config_text:
        sys.exit(f"tools/bench_runner.py: {source}/mkdocs.yml lacks custom_fences / not_in_nav, update the bench")
    if not baseline:
        config_text = config_text.replace("      custom_fences:\n", "      custom_fences:\n" + MARKDOWN_EXEC_FENCE, 1)
    config_text = config_text.replace("not_in_nav: |\n", "not_in_nav: |\n  /bench-*.md\n", 1)
    config_text += f"\ndocs_dir: {docs.as_posix()}\nsite_dir: {(work / 'site').as_posix()}\n"
    config = source / f".bench-mkdocs-{uuid.uuid4().hex[:8]}.yml"  # in the root: relative paths keep working
    config.write_text(config_text, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if baseline:
        env["PYTHONPATH"] = os.pathsep.join([str(source / "tools"), str(source)])
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config)],
            cwd=source,
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
    finally:
        config.unlink()
    if proc.returncode != 0:
        sys.exit(f"bench build failed ({source}):\n{proc.stdout}{proc.stderr}")
    site = work / "site"
    if not baseline:
        mirror_cdn(site)
    return site


def git(*args: str, cwd: Path = ROOT) -> str:
    """Run git in the repository; return its stripped stdout (exits with git's message on failure)."""
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"bench: git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def resolve_baseline(
    requested: str | None, published: dict[str, Any] | None, run_git: Callable[..., str] = git
) -> tuple[str, str]:
    """Return (full commit id, how it was chosen) of the previous release to measure beside this checkout.

    In order: the requested revision (`--baseline`, `make bench BASELINE=`); else the commit the published results
    record as measured (their `commit`); else the last commit that changed the published results file, i.e. the
    one whose figures the page shows.
    """
    if requested:
        return run_git("rev-parse", "--verify", f"{requested}^{{commit}}"), f"requested ({requested})"
    recorded = (published or {}).get("commit")
    if recorded:
        return run_git("rev-parse", "--verify", f"{recorded}^{{commit}}"), f"recorded in {RESULTS_FILE}"
    last = run_git("log", "-1", "--format=%H", "--", RESULTS_FILE)
    if not last:
        sys.exit(f"bench: no baseline: {RESULTS_FILE} has no history; pass --baseline REV")
    return last, f"last commit that changed {RESULTS_FILE}"


def checkout_state() -> dict[str, Any]:
    """Return the commit being measured and whether the work tree differs from it (results files aside)."""
    status = git("status", "--porcelain", "--untracked-files=no")
    changed = [line[3:] for line in status.splitlines() if not line[3:].endswith("-results.json")]
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(changed)}


def export_revision(rev: str, dest: Path) -> Path:
    """Write the tree of `rev` into dest (git archive: no worktree or ref is created) and vendor it."""
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=ROOT, capture_output=True, check=True)
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    (dest / "node_modules").symlink_to(NODE, target_is_directory=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(dest / "tools"), str(dest)])}
    proc = subprocess.run(
        [sys.executable, "tools/vendor.py"], cwd=dest, capture_output=True, text=True, check=False, env=env
    )
    if proc.returncode != 0:
        sys.exit(f"bench: vendoring the baseline {rev[:12]} failed:\n{proc.stdout}{proc.stderr}")
    return dest


def mirror_cdn(site: Path) -> None:
    """Serve markdown-exec's CDN files from site/bench-cdn/ (the same npm files as docs/vendor/)."""
    cdn = site / "bench-cdn"
    shutil.copytree(NODE / "pyodide", cdn / "pyodide")
    shutil.copytree(NODE / "ace-builds" / "src-min-noconflict", cdn / "ace")
    (cdn / "hljs-stub.js").write_text("window.hljs = { highlightElement() {} };\n")
    (cdn / "empty.css").write_text("")
    page = site / SIDES["markdown-exec"] / "index.html"
    html = page.read_text(encoding="utf-8")
    for pattern, local in CDN_REWRITES:
        html, count = pattern.subn(local, html)
        if count == 0:
            sys.exit(f"bench: markdown-exec's page no longer requests {pattern.pattern}: update CDN_REWRITES")
    page.write_text(html, encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------
# Serve


@contextmanager
def serve(directory: Path, *, handler: type[PagesHandler] = PagesHandler) -> Iterator[str]:
    """Serve directory on a free loopback port as GitHub Pages does (gzip, caching header); yield its base URL.

    handler: PagesHandler or a subclass of it (tools/bench_hints.py's counts the requests it answers).
    """
    precompress(directory)  # as a CDN has it cached: no measurement pays for compressing
    server, url = serve_site(directory, handler)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------------------------------------
# Measure


class ByteCounter:
    """Bytes of every finished response of a context (page and its workers): bodies plus headers."""

    def __init__(self, context: BrowserContext) -> None:
        self.total = 0
        self.external: list[str] = []
        context.on("requestfinished", self._finished)
        context.on("request", self._request)

    def _request(self, request: Any) -> None:
        if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            self.external.append(request.url)

    def _finished(self, request: Any) -> None:
        sizes = request.sizes()
        self.total += max(0, sizes["responseBodySize"]) + max(0, sizes["responseHeadersSize"])


def blocking_time(long_tasks: list[list[float]], until: float) -> tuple[int, float]:
    """(count, total blocking time in ms) of the long tasks that started before `until`."""
    tasks = [duration for start, duration in long_tasks if start <= until]
    return len(tasks), sum(max(0.0, duration - 50.0) for duration in tasks)


def runner_marks(page: Page) -> dict[str, float]:
    """Return the runner's start-up marks in ms since navigation start.

    boot_ms: the page asks for Python; python_loaded_ms: Pyodide has started in the worker; snapshot_restored:
    1 if it started from the stored start-up snapshot, else 0.
    """
    origin, page_marks = page.evaluate(WORKER_MARKS_JS)
    marks = {key: t for key, name in PAGE_MARKS.items() for mark, t in page_marks if mark == name}
    workers = [worker for worker in page.workers if worker.url.endswith("/assets/runner/worker.js")]
    if workers:
        worker_origin, worker_marks = workers[-1].evaluate(WORKER_MARKS_JS)
        for key, name in WORKER_MARKS.items():
            found = [t + worker_origin - origin for mark, t in worker_marks if mark == name]
            if found:
                marks[key] = found[0]
    marks["snapshot_restored"] = 1.0 if "snapshot_restored" in marks else 0.0
    return {f"{key}_ms" if key != "snapshot_restored" else key: value for key, value in marks.items()}


def click_run(page: Page, at_ms: float, after_ready: bool) -> None:
    """Have the page click Run at at_ms after navigation start (once ready, if after_ready); wait for the output."""
    armed_at = page.evaluate(
        "([selector, at, afterReady]) => (window.__bench.arm(selector, at, afterReady), performance.now())",
        [RUN_BUTTONS, at_ms, after_ready],
    )
    ready = page.evaluate("window.__bench.ready")
    due = at_ms if not after_ready else (None if ready is None else max(at_ms, ready))
    if due is not None and due < armed_at:  # the click comes late: the measurement would be wrong
        sys.exit(f"bench: Run was due at {due:.0f} ms, before the click was armed ({armed_at:.0f} ms)")
    page.wait_for_function("window.__bench.firstOutput !== null", timeout=WAIT_MS)


def first_run(page: Page, url: str, linger_ms: int = 300) -> dict[str, float]:
    """Load url, click Run the moment the example is ready, wait for the first output line; return the timings."""
    page.goto(url, wait_until="commit")
    click_run(page, 0, after_ready=True)
    page.wait_for_timeout(300)
    bench = page.evaluate("({...window.__bench, arm: null})")
    count, tbt = blocking_time(bench["longTasks"], bench["firstOutput"] + 300)
    result = {
        "ready_ms": bench["ready"],
        "click_to_output_ms": bench["firstOutput"] - bench["clicked"],
        "first_output_ms": bench["firstOutput"],
        "long_tasks": count,
        "total_blocking_ms": tbt,
    }
    if page.locator(".af-run").count():
        result.update(runner_marks(page))
    page.wait_for_timeout(max(0, linger_ms - 300))
    return result


def run_after_reading(page: Page, url: str, side: str) -> float:
    """Load url, let the reader read for READ_MS, then Run: ms from that moment to the first output line.

    The realistic case: Python boots while the reader reads. Our Run may be clicked at once (a click during
    loading is queued); markdown-exec's Run button only works once its Pyodide is ready, so if it is not ready
    by then, it is clicked the moment it is (the wait counts: the reader wanted to run at READ_MS).
    """
    page.goto(url, wait_until="commit")
    click_run(page, READ_MS, after_ready=side != "asyncfit")
    return round(page.evaluate("window.__bench.firstOutput") - READ_MS, 1)


def fresh_context(pw: Playwright, chromium_path: str, profile: Path, **options: Any) -> BrowserContext:
    """Start a browser with an empty on-disk profile: a cold HTTP cache that can then warm up.

    (Playwright's ordinary contexts keep their cache in memory, too small for Pyodide's 9.6 MB wasm file, so a
    "warm" reload would download it again; a real browser profile caches it on disk.)
    """
    return pw.chromium.launch_persistent_context(
        str(profile), executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True, **options
    )


def open_page(context: BrowserContext, conditions: dict[str, Any] | None) -> Page:
    """Return the context's page, with the network profile's conditions set on it (CDP) when there are any."""
    page = context.pages[0] if context.pages else context.new_page()
    if conditions is not None:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", conditions)
    return page


def measure_side(  # noqa: PLR0913, PLR0917 - one call site; each argument is one dimension of the run
    pw: Playwright, chromium_path: str, profile: Path, url: str, side: str, conditions: dict[str, Any] | None = None
) -> dict[str, dict[str, float]]:
    """Measure a cold-cache, a warm-cache and a "hot" (third visit) first run of one side, in a fresh profile."""
    runner = "markdown-exec" if side == "markdown-exec" else "asyncfit"  # the baseline is our runner too
    context = fresh_context(pw, chromium_path, profile, bypass_csp=True)  # markdown-exec's fence: inline scripts
    context.add_init_script(PROBE_JS)
    counter = ByteCounter(context)
    page = open_page(context, conditions)
    try:
        cold = first_run(page, url, linger_ms=LINGER_MS)
        cold["bytes"] = counter.total
        counter.total = 0
        warm = first_run(page, url)
        warm["bytes"] = counter.total
        counter.total = 0
        hot = first_run(page, url)  # see HOT
        hot["bytes"] = counter.total
        warm["after_reading_ms"] = run_after_reading(page, url, runner)
        if counter.external:
            sys.exit(f"bench: {side} requested non-local URLs: {counter.external[:3]}")
    finally:
        context.close()
    # Cold cache after reading: another empty profile.
    context = fresh_context(pw, chromium_path, profile.with_name(profile.name + "-read"), bypass_csp=True)
    context.add_init_script(PROBE_JS)
    page = open_page(context, conditions)
    try:
        cold["after_reading_ms"] = run_after_reading(page, url, runner)
    finally:
        context.close()
    return {"cold": cold, "warm": warm, "hot": hot}


def page_without_examples(site: Path) -> str:
    """Return a built page with no runnable example of either kind (the FAQ if it qualifies)."""
    candidates = [site / NO_EXAMPLES_PAGE / "index.html", *sorted(site.glob("*/index.html"))]
    for page in candidates:
        if page.is_file():
            html = page.read_text(encoding="utf-8")
            if "af-runnable" not in html and 'class="pyodide"' not in html:
                return page.parent.relative_to(site).as_posix() + "/"
    sys.exit("bench: every page has a runnable example; cannot measure a page without")


def measure_no_examples(pw: Playwright, chromium_path: str, profile: Path, base: str, path: str) -> int:
    """Bytes transferred (cold cache, compressed as served) by a page without runnable examples, after load."""
    context = fresh_context(pw, chromium_path, profile)
    counter = ByteCounter(context)
    page = open_page(context, None)
    try:
        page.goto(base + path, wait_until="networkidle")
        page.wait_for_timeout(3000)
    finally:
        context.close()
    return counter.total


def medians(runs: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """Median of every metric over repetitions."""
    out: dict[str, dict[str, float]] = {}
    for cache in ("cold", "warm", "hot"):
        keys = [key for key in runs[0][cache] if all(key in run[cache] for run in runs)]  # marks may be missing
        out[cache] = {key: round(statistics.median(run[cache][key] for run in runs), 1) for key in keys}
    return out


# ---------------------------------------------------------------------------------------------------------
# Report


def machine(load_before: tuple[float, float, float] | None = None) -> dict[str, Any]:
    """Where the numbers were measured, with the 1-minute load average before and after the run."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = found.group(1).strip() if found else ""
    info: dict[str, Any] = {"platform": platform.platform(), "cpu": model, "cores": os.cpu_count()}
    if hasattr(os, "getloadavg"):
        info["load_average_1min"] = {
            "before": round(load_before[0], 2) if load_before else None,
            "after": round(os.getloadavg()[0], 2),
        }
    return info


def taking_turns(order: list[str], i: int) -> list[str]:
    """Return order rotated by i places: on repetition i, each side (or variant) in turn goes first."""
    shift = i % len(order)
    return order[shift:] + order[:shift]


def ratio(a: float, b: float) -> float | None:
    """Return a / b rounded, or None when b is 0."""
    return round(a / b, 2) if b else None


def profile_ratios(sides: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, float | None]]:
    """Return this checkout's figures over markdown-exec's and the baseline's (below 1: this checkout is faster)."""
    ours = sides["asyncfit"]
    out: dict[str, dict[str, float | None]] = {}
    for other in ("markdown-exec", "baseline"):
        theirs = sides.get(other)
        if theirs is None:
            continue
        row: dict[str, float | None] = {}
        for cache in ("cold", "warm", "hot"):
            row[f"first_output_{cache}"] = ratio(ours[cache]["first_output_ms"], theirs[cache]["first_output_ms"])
        for cache in ("cold", "warm"):
            if "after_reading_ms" in ours[cache] and "after_reading_ms" in theirs[cache]:
                row[f"after_reading_{cache}"] = ratio(
                    ours[cache]["after_reading_ms"], theirs[cache]["after_reading_ms"]
                )
        row["bytes_cold"] = ratio(ours["cold"]["bytes"], theirs["cold"]["bytes"])
        out[f"asyncfit_over_{other.replace('-', '_')}"] = row
    return out


def _s(ms: float) -> str:
    return f"{ms / 1000:.2f} s"


def goals(doc: dict[str, Any]) -> list[dict[str, str]]:
    """Judge the goals of issues 13 and 14 from the figures: [{goal, verdict ("met" / "not met"), numbers}]."""
    out: list[dict[str, str]] = []
    profiles = doc["profiles"]
    for name, prof in profiles.items():
        ours, theirs = prof["sides"]["asyncfit"]["cold"], prof["sides"]["markdown-exec"]["cold"]
        r = prof["ratios"]["asyncfit_over_markdown_exec"]["first_output_cold"]
        out.append(
            {
                "goal": f"cold first output at most {GOAL_COLD_RATIO}x markdown-exec's ({name})",
                "verdict": "met" if r is not None and r <= GOAL_COLD_RATIO else "not met",
                "numbers": f"{_s(ours['first_output_ms'])} vs {_s(theirs['first_output_ms'])} (ratio {r})",
            }
        )
    warm = profiles["loopback"]["sides"]["asyncfit"]["warm"]["first_output_ms"]
    load = doc["machine"].get("load_average_1min") or {}
    extra = [
        f"{_s(p['sides']['asyncfit']['warm']['first_output_ms'])} {n}" for n, p in profiles.items() if n != "loopback"
    ]
    out.append(
        {
            "goal": f"warm first output at most {GOAL_WARM_MS / 1000:.1f} s (loopback)",
            "verdict": "met" if warm <= GOAL_WARM_MS else "not met",
            "numbers": f"{_s(warm)}"
            + (f" ({', '.join(extra)})" if extra else "")
            + f"; machine load (1 min) {load.get('before')} before, {load.get('after')} after",
        }
    )
    for name, prof in profiles.items():
        row = prof["ratios"].get("asyncfit_over_baseline")
        if row is None:
            continue
        cold, warm_r = row["first_output_cold"], row["first_output_warm"]
        ok = all(v is not None and v <= GOAL_BASELINE_RATIO for v in (cold, warm_r))
        base = prof["sides"]["baseline"]
        ours_p = prof["sides"]["asyncfit"]
        out.append(
            {
                "goal": f"first output no slower than the previous release, {doc['baseline']['short']} ({name})",
                "verdict": "met" if ok else "not met",
                "numbers": f"cold {_s(ours_p['cold']['first_output_ms'])} vs {_s(base['cold']['first_output_ms'])} "
                f"(ratio {cold}), warm {_s(ours_p['warm']['first_output_ms'])} vs "
                f"{_s(base['warm']['first_output_ms'])} (ratio {warm_r}); met at ratio {GOAL_BASELINE_RATIO} or less",
            }
        )
    return out


def build_results(  # noqa: PLR0913, PLR0917 - the pieces of one document
    results: dict[str, dict[str, dict[str, dict[str, float]]]],
    no_examples: tuple[str, int],
    chromium: str,
    repeat: int,
    load_before: tuple[float, float, float] | None = None,
    baseline: dict[str, str] | None = None,
    state: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble the JSON document docs/performance.md renders; results: profile -> side -> cache -> medians."""
    doc: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        **(state or {}),
        "baseline": baseline or {},
        "machine": machine(load_before),
        "versions": {
            "pyodide": npm_version("pyodide"),
            "ace-builds": npm_version("ace-builds"),
            "markdown-exec": metadata.version("markdown-exec"),
            "mkdocs-material": metadata.version("mkdocs-material"),
            "chromium": chromium,
            "playwright": metadata.version("playwright"),
        },
        "repetitions": repeat,
        "program": PROGRAM,
        "server": "gzip as GitHub Pages (tools/local_site.py PagesHandler), Cache-Control: max-age=600",
        "profiles": {
            name: {
                "network": PROFILE_NAMES.get(name, name),
                "conditions": PROFILES.get(name),
                "sides": sides,
                "ratios": profile_ratios(sides),
            }
            for name, sides in results.items()
        },
        "page_without_examples": {"path": no_examples[0], "bytes": no_examples[1]},
    }
    doc["goals"] = goals(doc)
    return doc


def table(doc: dict[str, Any]) -> str:
    """Format the medians, the side-by-side ratios and the goals as plain text."""
    rows = [
        ("", "first output (ms)", "after 5 s reading (ms)", "ready (ms)", "long tasks", "blocking (ms)", "bytes"),
    ]
    for name, prof in doc["profiles"].items():
        for side, caches in prof["sides"].items():
            for cache, m in caches.items():
                rows.append(
                    (
                        f"{name} {side} {cache}",
                        f"{m['first_output_ms']:.0f}",
                        f"{m['after_reading_ms']:.0f}" if "after_reading_ms" in m else "",
                        f"{m['ready_ms']:.0f}",
                        f"{m['long_tasks']:.0f}",
                        f"{m['total_blocking_ms']:.0f}",
                        f"{m['bytes']:,.0f}",
                    )
                )
    without = doc["page_without_examples"]
    rows.append((f"page without examples (/{without['path']})", "", "", "", "", "", f"{without['bytes']:,}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    ]
    base = doc.get("baseline") or {}
    if base:
        lines.append(f"baseline: {base.get('short')} ({base.get('how')}): {base.get('subject', '')[:80]}")
    for name, prof in doc["profiles"].items():
        for key, row in prof["ratios"].items():
            lines.append(f"{name} {key}: " + ", ".join(f"{k} {v}x" for k, v in row.items()))
    lines.extend(f"goal: {g['goal']}: {g['verdict'].upper()} ({g['numbers']})" for g in doc["goals"])
    return "\n".join(lines)


def run(
    repeat: int, output: Path, baseline_rev: str | None = None, progress: Callable[[str], None] = log
) -> dict[str, Any]:
    """Build, serve, measure every side on every profile `repeat` times (alternating), write and return results."""
    chromium_path = find_chromium()
    if chromium_path is None:
        sys.exit("no Chromium found: `make chromium` installs Debian's chromium package")
    published = json.loads(DEFAULT_OUTPUT.read_text(encoding="utf-8")) if DEFAULT_OUTPUT.is_file() else None
    rev, how = resolve_baseline(baseline_rev, published)
    baseline = {
        "commit": rev,
        "short": rev[:12],
        "how": how,
        "subject": git("log", "-1", "--format=%s", rev),
        "date": git("log", "-1", "--format=%cI", rev),
    }
    state = checkout_state()
    with tempfile.TemporaryDirectory(prefix="asyncfit-bench-") as tmp:
        progress("building the bench site...")
        site = build_bench_site(Path(tmp) / "current")
        progress(f"building the baseline {baseline['short']} ({how})...")
        source = export_revision(rev, Path(tmp) / "baseline-src")
        baseline_site = build_bench_site(Path(tmp) / "baseline", source=source, baseline=True)
        no_examples_page = page_without_examples(site)
        profiles = Path(tmp) / "profiles"
        with serve(site) as base, serve(baseline_site) as baseline_base, sync_playwright() as pw:
            urls = {
                "asyncfit": base + SIDES["asyncfit"],
                "baseline": baseline_base + SIDES["baseline"],
                "markdown-exec": base + SIDES["markdown-exec"],
            }
            load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
            progress(f"load average (1, 5, 15 min): {load_before}")
            runs = {name: {side: [] for side in SIDES} for name in PROFILES}
            order = list(SIDES)
            for i in range(repeat):
                for name, conditions in PROFILES.items():
                    for side in taking_turns(order, i):
                        progress(f"run {i + 1}/{repeat}, {name}: {side}")
                        folder = profiles / f"{name}-{side}-{i}"
                        runs[name][side].append(measure_side(pw, chromium_path, folder, urls[side], side, conditions))
            no_examples = measure_no_examples(pw, chromium_path, profiles / "no-examples", base, no_examples_page)
            browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
            chromium = browser.version
            browser.close()
            progress(f"load average after: {os.getloadavg() if hasattr(os, 'getloadavg') else None}")
    doc = build_results(
        {name: {side: medians(r) for side, r in sides.items()} for name, sides in runs.items()},
        (no_examples_page, no_examples),
        chromium,
        repeat,
        load_before,
        baseline,
        state,
    )
    output.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return doc


def main() -> None:
    """Command line: run the benchmark, print the table, write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per side and profile (medians reported)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON results file")
    parser.add_argument(
        "--baseline", default=os.environ.get("BASELINE") or None, help="git revision of the previous release"
    )
    args = parser.parse_args()
    doc = run(args.repeat, args.output, args.baseline)
    print(table(doc))
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
