// The Python worker, started early for a returning reader.
//
// A returning reader's Python starts from the stored start-up snapshot (worker.js): no downloads, only CPU work
// in the worker, on a core of its own. Most of the wait is then for the page itself: runner.js is a module
// script, so it runs only once the whole page has been parsed and the theme's bundle has run, about 0.35 to 0.45 s
// after navigation on the bench's page (tools/bench_runner.py, warm cache), while the page's HTML had arrived
// within about 0.03 s. So pages with examples also load head.js, an async module in the <head>
// (overrides/main.html), which calls startEarly(): when a snapshot is stored, it starts the worker and asks it
// to load Python at once, and runner.js adopts that worker (takeEarlyWorker) instead of starting its own.
//
// On a first visit (no snapshot stored: Cache Storage says so in a few milliseconds) nothing starts early. The
// worker would then download about 8 MB while the page downloads its own styles, scripts and fonts, and first
// paint matters more than a Run nobody has asked for yet; runner.js starts it after first paint, as always.
// (A snapshot of another Pyodide version counts as stored: after an upgrade of Pyodide, one visit starts early
// and downloads the new files, then stores a snapshot of the new version in place of the old one.)
//
// runner.js imports this module too; the browser evaluates a module once per page, so both see the same worker.

import { MessageType, SNAPSHOT_CACHE } from "./protocol.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);
/** The id of the early LOAD request. runner.js numbers its own requests from 1, so it ignores the reply. */
const EARLY_REQUEST_ID = 0;

/** @type {{worker: Worker, failed: boolean}|null} the early worker, until runner.js takes it */
let early = null;
/** Set once runner.js has asked for the worker: from then on it has its own, and nothing may start here. */
let taken = false;

/** @returns {Worker} a new Python worker (the one way both modules start it) */
export function newWorker() {
  return new Worker(WORKER_URL, { type: "module", name: "asyncfit-python" });
}

/**
 * Whether a start-up snapshot is stored (a returning reader). Never creates the bucket, never throws.
 * @returns {Promise<boolean>}
 */
async function snapshotStored() {
  try {
    if (!globalThis.caches || !(await caches.has(SNAPSHOT_CACHE))) return false;
    return (await (await caches.open(SNAPSHOT_CACHE)).keys()).length > 0;
  } catch {
    return false; // Cache Storage refused (private browsing, storage blocked): as on a first visit
  }
}

/**
 * Start the worker and have it load Python, if a snapshot is stored and nothing has started it yet.
 * @returns {Promise<boolean>} whether it was started
 */
export async function startEarly() {
  if (early || taken || !(await snapshotStored()) || early || taken) return false;
  let worker;
  try {
    worker = newWorker();
  } catch {
    return false; // refused (a policy, a browser without module workers): runner.js reports it on its own start
  }
  performance.mark("asyncfit:early-start");
  const entry = { worker, failed: false };
  // Until runner.js takes it: a worker whose script failed is not handed over (runner.js starts a fresh one).
  entry.worker.onerror = (event) => {
    event.preventDefault();
    entry.failed = true;
  };
  entry.worker.postMessage({ id: EARLY_REQUEST_ID, type: MessageType.LOAD });
  early = entry;
  return true;
}

/**
 * Hand the early worker over, once: runner.js sets its own handlers and sends its own LOAD, which the worker
 * answers as soon as the early one has finished (loading is idempotent there).
 * @returns {Worker|null} the worker, or null when none was started early (or its script failed)
 */
export function takeEarlyWorker() {
  const entry = early;
  early = null;
  taken = true;
  if (!entry) return null;
  entry.worker.onerror = null;
  entry.worker.onmessage = null;
  if (entry.failed) {
    entry.worker.terminate();
    return null;
  }
  return entry.worker;
}
