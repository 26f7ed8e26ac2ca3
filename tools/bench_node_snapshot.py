"""Try a start-up snapshot made at build time under Node, restored in Chromium (issue 14, item 4).

    .venv/bin/python tools/bench_node_snapshot.py [--output docs/node-snapshot-results.json]

Returning readers already start Python from a memory snapshot their own browser took on the first visit
(docs/assets/runner/worker.js). This tool tries the build-time version of that idea with the same npm Pyodide:

1. Under Node (the project's Node, which runs npm anyway) it starts Pyodide with `_makeSnapshot` and writes
   `makeMemorySnapshot()`, twice: plain, and with `--experimental-wasm-stack-switching` (Node's JSPI flag).
   Both are checked to restore under Node.
2. It serves those files with the npm Pyodide on 127.0.0.1 and, in Debian's Chromium (headless), starts Pyodide in
   a module Web Worker three ways, each in a fresh browser context: the ordinary way, and from each snapshot
   (fetched gzip-compressed and inflated with DecompressionStream, as a site would ship it). After the start it
   runs what the site's examples need: `random`, the `js` module and five gathered coroutines calling
   `time.sleep(0.2)`, which in Pyodide suspends through stack switching (JSPI).
3. Prints, and writes as JSON, the bytes each snapshot adds (raw and gzip) against the start time it saves, and
   the exact error where a restored Python fails.

Measured 2026-12-01 (Node 20, Chromium 156, npm pyodide 314.0.7): both snapshots restore and run plain code, but
neither survives the first suspension, so the site does not ship one: the page keeps starting the ordinary way
on a first visit. The results file says what failed.

Not a test (times depend on the machine), and not part of `make bench`: a one-off experiment kept runnable so the
claim on /performance/ can be checked again when Pyodide or Node changes.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from find_chromium import find_chromium  # noqa: E402 - after the path set-up above
from local_site import CHROMIUM_ARGS, serve  # noqa: E402

PYODIDE = ROOT / "node_modules" / "pyodide"
NODE_FLAGS = {"node": [], "node-jspi": ["--experimental-wasm-stack-switching"]}
"""Snapshot name -> the Node flags it is made with."""

MAKE_MJS = """
import { loadPyodide } from "%(pyodide)s/pyodide.mjs";
import fs from "node:fs";
const options = { indexURL: "%(pyodide)s/", enableRunUntilComplete: true };
const made = await loadPyodide({ ...options, _makeSnapshot: true });
const snapshot = made.makeMemorySnapshot();
fs.writeFileSync(process.argv[2], snapshot);
const restored = await loadPyodide({ ...options, _loadSnapshot: fs.readFileSync(process.argv[2]) });
console.log(JSON.stringify({ bytes: snapshot.length, restoresInNode: restored.runPython("1 + 1") === 2 }));
"""

# The worker: start Pyodide (from a snapshot when asked), then check what the site's examples rely on, step by step.
WORKER_MJS = """
self.onmessage = async ({ data: snapshot }) => {
  const steps = [];
  let startMs;
  const say = (extra) => self.postMessage({ steps, startMs, ...extra });
  try {
    const { loadPyodide } = await import("./pyodide/pyodide.mjs");
    const t0 = performance.now();
    const options = { indexURL: new URL("./pyodide/", location.href).href, enableRunUntilComplete: true };
    if (snapshot) {
      const response = await fetch(`${snapshot}.bin.gz`);
      const inflated = response.body.pipeThrough(new DecompressionStream("gzip"));
      options._loadSnapshot = new Uint8Array(await new Response(inflated).arrayBuffer());
    }
    const pyodide = await loadPyodide(options);
    startMs = performance.now() - t0;
    steps.push("started");
    say({});
    pyodide.runPython("import random, js; random.random(); js.navigator.userAgent");
    steps.push("random and js");
    say({});
    await pyodide.runPythonAsync(
      "import asyncio, time\\nasync def nap():\\n    time.sleep(0.2)\\nawait asyncio.gather(*[nap() for _ in range(5)])"
    );
    steps.push("time.sleep suspends");
    say({ done: true });
  } catch (error) {
    // A Python traceback's last "...Error: ..." line is the error itself.
    const lines = String(error?.message ?? error).split("\\n").filter((line) => /Error\\b/.test(line));
    say({ done: true, error: (lines.at(-1) ?? String(error)).trim() });
  }
};
"""

PAGE_HTML = (
    """<!doctype html><meta charset="utf-8"><title>snapshot</title><script type="module" src="page.mjs"></script>"""
)
PAGE_MJS = """
const worker = new Worker("worker.mjs", { type: "module" });
globalThis.report = null;
worker.onmessage = ({ data }) => { globalThis.report = data; };
worker.postMessage(new URLSearchParams(location.search).get("snapshot"));
"""
# A snapshot that kills Python (Pyodide's fatal error) leaves the worker silent: the console says why.
WAIT_MS = 60_000


def make_snapshots(folder: Path) -> dict[str, dict[str, Any]]:
    """Make each snapshot under Node into folder (name.bin and name.bin.gz); return their sizes."""
    script = folder / "make.mjs"
    script.write_text(MAKE_MJS % {"pyodide": PYODIDE.as_posix()}, encoding="utf-8")
    made: dict[str, dict[str, Any]] = {}
    for name, flags in NODE_FLAGS.items():
        target = folder / f"{name}.bin"
        out = subprocess.run(
            ["node", *flags, str(script), str(target)], capture_output=True, text=True, check=True, timeout=300
        )
        info = json.loads(out.stdout.strip().splitlines()[-1])
        packed = gzip.compress(target.read_bytes(), compresslevel=9)
        (folder / f"{name}.bin.gz").write_bytes(packed)
        made[name] = {"flags": flags, "bytes": info["bytes"], "gzip_bytes": len(packed), **info}
    return made


def start_in_chromium(folder: Path, names: list[str | None]) -> list[dict[str, Any]]:
    """Start Pyodide in a worker once per name (None: the ordinary way), each in a fresh context."""
    (folder / "index.html").write_text(PAGE_HTML, encoding="utf-8")
    (folder / "page.mjs").write_text(PAGE_MJS, encoding="utf-8")
    (folder / "worker.mjs").write_text(WORKER_MJS, encoding="utf-8")
    shutil.copytree(PYODIDE, folder / "pyodide", dirs_exist_ok=True)
    server, url = serve(folder)
    results: list[dict[str, Any]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            for name in names:
                context = browser.new_context()
                page = context.new_page()
                console: list[str] = []
                page.on("console", lambda message, lines=console: lines.append(message.text.splitlines()[0]))
                page.goto(f"{url}index.html" + (f"?snapshot={name}" if name else ""))
                # A dead Python never reports: then the console says why.
                with contextlib.suppress(PlaywrightTimeoutError):
                    page.wait_for_function("() => globalThis.report?.done", timeout=WAIT_MS)
                report = page.evaluate("() => globalThis.report") or {"steps": []}
                if not report.get("done") and not report.get("error"):
                    report["error"] = " / ".join(console[-2:]) or "no answer"
                results.append({"start": name or "ordinary", **report})
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return results


def main() -> None:
    """Run the experiment; print a summary and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "node-snapshot-results.json")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="asyncfit-snapshot-") as tmp:
        folder = Path(tmp)
        made = make_snapshots(folder)
        runs = start_in_chromium(folder, [None, *made, None, *made])
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    pyodide_version = json.loads((PYODIDE / "package.json").read_text(encoding="utf-8"))["version"]
    result = {
        "date": dt.date.today().isoformat(),
        "node": node,
        "pyodide": pyodide_version,
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
        "snapshots": made,
        "runs": runs,
    }
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for name, info in made.items():
        print(
            f"{name}: {info['bytes']:,} bytes, {info['gzip_bytes']:,} gzip, restores in Node: {info['restoresInNode']}"
        )
    for run in runs:
        start = f"{run['startMs']:.0f} ms" if "startMs" in run else "-"
        print(
            f"{run['start']:<10} start {start:>8}  ok: {', '.join(run['steps']) or '-'}  {run.get('error', '')[:160]}"
        )


if __name__ == "__main__":
    main()
