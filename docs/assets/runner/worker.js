// The Python worker: Pyodide in a module Web Worker, so Python never blocks the page.
//
// Started by runner.js as `new Worker(new URL("./worker.js", import.meta.url), {type: "module"})`.
// Every URL is resolved from import.meta.url, so the site works at any base path and page depth.
// Protocol: see protocol.js. `handle()` is a pure request handler; `self.onmessage` below is a thin shell.
//
// Start-up snapshot (measured: a returning reader's Python starts in ~0.3 s instead of ~2 s): starting CPython
// (importing its start-up modules inside WebAssembly) is most of Pyodide's warm-cache start time. On the first
// visit we take a memory snapshot of the freshly started interpreter (Pyodide's `_makeSnapshot` /
// `_loadSnapshot` options, marked experimental: the snapshot embeds Pyodide's build id and is refused by any
// other build), store it in the browser's Cache Storage (the interpreter's memory, about 31 MB, stored as about
// 13 MB without its zero pages: sparse.js), and later visits restore it instead of starting CPython again.
// Anything going wrong with the snapshot (no Cache Storage, refused, corrupt) falls back to an ordinary start,
// and a refused snapshot is deleted.

import { DELAY_ENDPOINT, EventType, LoadStage, MessageType, StdinBuffer, StdinMode } from "./protocol.js";
import { pack, unpack } from "./sparse.js";

// Performance marks (performance.mark, "asyncfit:..."), read by tools/bench_runner.py to show where start-up time
// goes; they cost nothing measurable and are visible in the browser's performance panel.
performance.mark("asyncfit:worker-start");

const VENDOR_URL = new URL("../../vendor/", import.meta.url);
const PYODIDE_URL = new URL("pyodide/", VENDOR_URL);
/** Cache Storage bucket of the start-up snapshot (not the offline service worker's "asyncfit-offline-*"). */
const SNAPSHOT_CACHE = "asyncfit-python-snapshot";
/** How long after Python is ready a new snapshot is stored (see saveSnapshotLater). */
const SNAPSHOT_SAVE_DELAY_MS = 1000;
/** The service worker's delay endpoint (docs/sw.js), asked for no delay: MessageType.CONTROL_PROBE. */
const CONTROL_PROBE_URL = new URL(`../../${DELAY_ENDPOINT}?ms=0&id=control-probe`, import.meta.url);

// Python helpers, run once in a private namespace after Pyodide has loaded.
// run_example() runs one program: fresh globals, `<example>` as its file name (tracebacks show its lines),
// top-level `await` allowed, and, when asked, a wrapper of loop.create_task recording one span per asyncio task.
// For an exercise (tools/asyncfit_docs/exercise.py) it first installs the exercise's helpers as the module
// `exercise` (fresh for every run) and, after the program, runs the exercise's check on what the program did,
// with the program's globals (`exercise.run_check`, the same code the CPython tests run).
//
// Stop on a cross-origin-isolated page (runner.js PythonWorker.stop) sets SIGINT in Pyodide's interrupt buffer. Pyodide
// polls it from whatever Python the worker runs and raises KeyboardInterrupt right there, so only the program may see
// it: _run_program tells the page when the program begins (EventType.STARTED; the page sets the interrupt no
// earlier), and SIGINT is ignored except while the program runs.
//
// input() (and sys.stdin.readline) ask the page for a line through _stdin_bridge (makeStdinBridge below): blocking
// in Atomics.wait on a cross-origin-isolated page, like CPython; else suspended with run_sync where the browser
// has stack switching (JSPI); else a RuntimeError saying why it cannot work here.
const SUPPORT_PY = `
import ast, asyncio, builtins, inspect, io, linecache, signal, sys, time, traceback, types
from pyodide.ffi import can_run_sync, run_sync

FILENAME = "<example>"

signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Stop interrupts only the program (_run_program)


def _print_traceback(exc):
    """Print exc's traceback starting at the program's own frames (the runner's frames are noise)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != FILENAME:
        tb = tb.tb_next
    lines = traceback.format_exception(type(exc), exc, tb if tb is not None else exc.__traceback__)
    sys.stderr.write("".join(lines))


def _record_tasks(loop, t0, spans):
    """Wrap loop.create_task (used by create_task, gather, TaskGroup, asyncio.run) to record one span per task.

    Returns a function that removes the wrapper. (A task factory would do the same, but Pyodide's
    run_until_complete needs its own task class, so wrapping keeps Pyodide's task creation untouched.)
    """
    original = loop.create_task

    def create_task(coro, **kwargs):
        task = original(coro, **kwargs)
        span = {"task": task, "coro": getattr(coro, "__qualname__", type(coro).__name__),
                "start": time.perf_counter() - t0, "end": None}
        spans.append(span)
        task.add_done_callback(lambda _t: span.__setitem__("end", time.perf_counter() - t0))
        return task

    loop.create_task = create_task
    return lambda: loop.__dict__.pop("create_task", None)


def _install_exercise(helpers):
    # Registered before it runs: dataclasses look their module up in sys.modules.
    module = types.ModuleType("exercise")
    sys.modules["exercise"] = module
    exec(compile(helpers, "<exercise helpers>", "exec"), module.__dict__)
    return module


_interrupted = [False]  # whether this run's program has had its KeyboardInterrupt (_interrupt_once)


def _interrupt_once(signum, frame):
    """SIGINT's handler while the program runs: raise KeyboardInterrupt, once per run.

    Pyodide can read the page's interrupt and raise nothing (about one early Stop in 25 under load): the page then
    sets it again (runner.js PythonWorker.stop), and a program already handling its KeyboardInterrupt (an except or
    finally block that takes a while) must not get a second one.
    """
    if not _interrupted[0]:
        _interrupted[0] = True
        raise KeyboardInterrupt


async def _run_program(code, namespace, started):
    """Run the program's compiled code: the only code a Stop interrupts.

    Meanwhile SIGINT raises KeyboardInterrupt (_interrupt_once); otherwise it is ignored (SIG_IGN; Pyodide's poll
    still clears the buffer), so a Stop landing after the program has ended cannot raise in what finishes the run
    (the rest of run_example, Pyodide's event loop). started() tells the page the program begins: it sets the
    interrupt no earlier (runner.js PythonWorker.stop says why). SIG_IGN is back when the program ends, even if the
    program set a handler of its own.
    """
    _interrupted[0] = False
    signal.signal(signal.SIGINT, _interrupt_once)
    try:
        started()
        result = eval(code, namespace)
        if inspect.iscoroutine(result):
            await result
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


async def run_example(source, want_timeline, helpers="", check="", started=lambda: None):
    linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    exercise = _install_exercise(helpers) if check else None
    spans = []
    loop = asyncio.get_event_loop()
    t0 = time.perf_counter()
    unpatch = _record_tasks(loop, t0, spans) if want_timeline else None
    ok = True
    try:
        code = compile(source, FILENAME, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        await _run_program(code, namespace, started)
    except SystemExit as exc:
        ok = exc.code in (None, 0)
        if not ok:
            sys.stderr.write(f"SystemExit: {exc.code}\\n")
    except BaseException as exc:
        ok = False
        _print_traceback(exc)
    finally:
        if unpatch:
            unpatch()
        sys.stdout.flush()
        sys.stderr.flush()
    elapsed = time.perf_counter() - t0
    timeline = [
        {"name": s["task"].get_name(), "coro": s["coro"], "start": s["start"], "end": s["end"]} for s in spans
    ]
    verdict = await exercise.run_check(check, namespace, ok) if exercise else None
    return {"ok": ok, "elapsed": elapsed, "timeline": timeline, "check": verdict}


_stdin_bridge = None  # set by worker.js once: a JavaScript object (makeStdinBridge)

INPUT_UNAVAILABLE = (
    "input() is unavailable here: to wait for a typed line, Python in the browser needs WebAssembly stack"
    " switching (JSPI), which this browser does not offer, or a cross-origin-isolated page (SharedArrayBuffer and"
    " Atomics.wait), which this page is not. Run the example locally to type into it."
)


def _read_line(prompt):
    """One line from the reader, without its newline; EOFError when the read was cancelled."""
    if _stdin_bridge is not None and _stdin_bridge.canBlock():
        line = _stdin_bridge.block(prompt)
    elif _stdin_bridge is not None and can_run_sync():
        line = run_sync(_stdin_bridge.ask(prompt))
    else:
        raise RuntimeError(INPUT_UNAVAILABLE)
    if line is None:
        raise EOFError("the read was cancelled")
    return line


def _input(prompt=""):
    sys.stdout.flush()
    return _read_line(str(prompt))


class _Stdin(io.TextIOBase):
    """sys.stdin: readline() and iteration ask the reader for a line, as input() does ("" once cancelled)."""

    encoding = "utf-8"

    def readable(self):
        return True

    def readline(self, size=-1):
        try:
            return _read_line("") + "\\n"
        except EOFError:
            return ""


builtins.input = _input
sys.stdin = _Stdin()


def wizard_decide(answers):
    import wizard

    return wizard.decide(answers).to_dict()
`;

/**
 * Python run on an interpreter restored from a snapshot (startPyodide says why). zipimporter.invalidate_caches()
 * drops the zip's directory, read again at the next import from the zip; importlib.invalidate_caches() would do
 * that too, but it also imports importlib.metadata (measured under Node: six modules, 49 ms), on every visit.
 */
const RESTORED_PY = `
def _asyncfit_restored():
    import random, sys, zipimport
    for finder in list(sys.path_importer_cache.values()):
        if isinstance(finder, zipimport.zipimporter):
            finder.invalidate_caches()
    random.seed()
_asyncfit_restored()
del _asyncfit_restored
`;

/**
 * Python that imports every module SUPPORT_PY's top-level import statements name, read from its syntax tree,
 * and leaves no name behind. Run before the start-up snapshot is taken (startPyodide).
 */
const IMPORT_SUPPORT_MODULES_PY = `
def _asyncfit_import_support_modules(source):
    import ast, importlib
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                importlib.import_module(alias.name)
        elif isinstance(node, ast.ImportFrom):
            importlib.import_module(node.module)
_asyncfit_import_support_modules(${JSON.stringify(SUPPORT_PY)})
del _asyncfit_import_support_modules
`;

/**
 * @typedef {object} WorkerState
 * @property {Promise<any>|null} pyodide   the loading (or loaded) Pyodide instance
 * @property {any} support                 the Python namespace holding run_example / wizard_decide
 * @property {Promise<void>|null} wizard   loading of the wizard wheel
 * @property {boolean} fromSnapshot        whether Python started from the stored start-up snapshot
 */

/** @type {WorkerState} */
const state = { pyodide: null, support: null, wizard: null, fromSnapshot: false };

/**
 * The program's reads from the reader (input(), sys.stdin.readline).
 * @typedef {object} StdinState
 * @property {SharedArrayBuffer|null} buffer     the page's stdin buffer (cross-origin-isolated pages only)
 * @property {((event: object) => void)|null} emit  events of the run in progress
 * @property {number} nextRead                     number of the next read (the page answers by it)
 * @property {Map<number, (line: string|null) => void>} waiting  suspended reads waiting for a STDIN_REPLY
 */

/** @type {StdinState} */
const stdin = { buffer: null, emit: null, nextRead: 1, waiting: new Map() };

/** How long one Atomics.wait slice of a blocking read lasts: Stop and the time limit land within about this. */
const STDIN_SLICE_MS = 50;

/** Requests are handled one at a time, in order (Python's stdout/stderr capture is per run). */
let queue = Promise.resolve();

/**
 * Where this Pyodide version's snapshot is kept (a Cache Storage key; never requested from the network).
 * @param {string} version  Pyodide's version
 * @returns {string}
 */
function snapshotKey(version) {
  // ".afz": packed by sparse.js (the ".bin" copies of earlier releases, stored whole, are never read: the next
  // snapshot saved replaces them).
  return new URL(`startup-snapshot-${version}.afz`, PYODIDE_URL).href;
}

/**
 * The stored start-up snapshot of this Pyodide version, read whole, or null (none yet, no Cache Storage,
 * unreadable).
 *
 * Read before loadPyodide starts fetching and compiling its own files. Handing loadPyodide the read as a
 * promise instead (its `_loadSnapshot` option accepts one), so that both happen at once, measured slower on a
 * two-core machine (warm visits of tools/bench_runner.py's page, 2 x 4 alternating: Python ready 0.81 s and
 * 0.74 s instead of 0.68 s and 0.68 s): the 31 MB read and Pyodide's start compete for the same cores.
 * @param {string} version
 * @returns {Promise<Uint8Array|null>}
 */
async function findSnapshot(version) {
  try {
    if (!globalThis.caches) return null;
    const cache = await caches.open(SNAPSHOT_CACHE);
    const stored = await cache.match(snapshotKey(version));
    if (!stored) return null;
    const snapshot = unpack(new Uint8Array(await stored.arrayBuffer()));
    performance.mark("asyncfit:snapshot-read");
    return snapshot;
  } catch {
    return null;
  }
}

/**
 * Store a start-up snapshot. Runs in the background after Python is ready; failures (quota, private browsing)
 * only mean that the next visit starts Python the ordinary way.
 * @param {string} version
 * @param {Uint8Array} snapshot
 * @returns {Promise<void>}
 */
async function saveSnapshot(version, snapshot) {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    // Only one snapshot is kept: drop those of other Pyodide versions.
    for (const request of await cache.keys()) await cache.delete(request);
    const headers = { "content-type": "application/octet-stream" };
    await cache.put(snapshotKey(version), new Response(pack(snapshot), { headers }));
    performance.mark("asyncfit:snapshot-saved");
  } catch {
    // Not kept: the next visit starts Python the ordinary way.
  }
}

/**
 * Store a new snapshot in the background once the reader's first request has had the worker to itself:
 * SNAPSHOT_SAVE_DELAY_MS after Python is ready, and after whatever request is in progress then (queued like a
 * request). Writing 31 MB competes with a run: stored at once, it delayed a Run clicked the moment Python was
 * ready by about 0.1 s (tools/bench_runner.py, cold cache), and it would skew the timings a program prints.
 * @param {string} version
 * @param {Uint8Array} snapshot
 */
function saveSnapshotLater(version, snapshot) {
  setTimeout(() => {
    queue = queue.then(() => saveSnapshot(version, snapshot));
  }, SNAPSHOT_SAVE_DELAY_MS);
}

/**
 * Start Pyodide: from the stored snapshot when there is a usable one, otherwise the ordinary way (taking a
 * snapshot for next time when Cache Storage is available).
 * @param {{loadPyodide: Function, version: string}} pyodideModule  the exports of pyodide.mjs
 * @returns {Promise<{pyodide: any, snapshot: Uint8Array|null, restored: boolean}>} the instance, a new snapshot
 *   to save (or null), and whether the instance was restored from the stored snapshot
 */
async function startPyodide({ loadPyodide, version }) {
  const options = { indexURL: PYODIDE_URL.href, enableRunUntilComplete: true };
  const stored = await findSnapshot(version);
  if (stored) {
    try {
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: stored });
      // A restored interpreter that cannot do this is not kept. It also comes back with the random generator's
      // state of the moment the snapshot was taken (Pyodide seeds it once, at start-up), so every visit would
      // draw the same "random" numbers: reseed it from the browser's entropy (os.urandom). And it remembers
      // where each file sat in the standard library zip it started with (zipimport's cache of the zip's
      // directory), while the zip it has now may be a later build's (tools/precompile_stdlib.mjs adds entries):
      // RESTORED_PY has zipimport read the directory again.
      pyodide.runPython(RESTORED_PY);
      performance.mark("asyncfit:snapshot-restored");
      return { pyodide, snapshot: null, restored: true };
    } catch {
      await caches.delete(SNAPSHOT_CACHE).catch(() => {}); // refused (another build?) or corrupt: start afresh
    }
  }
  const canKeep = Boolean(globalThis.caches);
  const pyodide = await loadPyodide({ ...options, _makeSnapshot: canKeep });
  if (!canKeep) return { pyodide, snapshot: null, restored: false };
  // Taken at once, before Python holds any reference to a JavaScript object (stdout handlers and the like),
  // but after importing the modules SUPPORT_PY imports (plain stdlib modules, no JavaScript objects): a
  // restored interpreter then has them already, instead of loading them on every later visit.
  pyodide.runPython(IMPORT_SUPPORT_MODULES_PY);
  const snapshot = pyodide.makeMemorySnapshot();
  // _makeSnapshot gives Python's `js` module a recording proxy of globalThis, on which some getters fail
  // ("Illegal invocation", e.g. js.navigator.userAgent): give this instance the real one back.
  pyodide.registerJsModule("js", globalThis);
  return { pyodide, snapshot, restored: false };
}

/**
 * Load Pyodide once; later calls return the same promise. A failed load is forgotten so Retry can try again.
 * @param {(event: object) => void} emit
 * @returns {Promise<any>}
 */
function loadPython(emit) {
  if (!state.pyodide) {
    state.pyodide = (async () => {
      emit({ event: EventType.PROGRESS, stage: LoadStage.DOWNLOADING });
      const pyodideModule = await import(new URL("pyodide.mjs", PYODIDE_URL).href);
      performance.mark("asyncfit:pyodide-imported");
      const { pyodide, snapshot, restored } = await failOnLoadErrors(startPyodide(pyodideModule));
      state.fromSnapshot = restored;
      performance.mark("asyncfit:pyodide-loaded");
      emit({ event: EventType.PROGRESS, stage: LoadStage.STARTING });
      state.support = pyodide.toPy({});
      pyodide.runPython(SUPPORT_PY, { globals: state.support });
      state.support.set("_stdin_bridge", makeStdinBridge(pyodide));
      performance.mark("asyncfit:python-ready");
      emit({ event: EventType.PROGRESS, stage: LoadStage.READY });
      if (snapshot) saveSnapshotLater(pyodideModule.version, snapshot);
      return pyodide;
    })();
    state.pyodide.catch(() => {
      state.pyodide = null;
    });
  }
  return state.pyodide;
}

/**
 * Settle like `work`, or reject with the first failed request for one of Pyodide's files or the first error
 * nobody handles in this worker while it runs (and, after a failure, keep every later one from escaping).
 *
 * Why: a network failure on Pyodide 314's fetch of its WebAssembly file can leave loadPyodide pending forever,
 * so the reader would watch "Loading" for good. pyodide.mjs starts that fetch, then awaits other set-up before
 * handing the response to WebAssembly.instantiateStreaming. If the fetch fails first, the failure is an
 * unhandled rejection; if it fails after, instantiateStreaming's error is caught and only logged ("wasm
 * instantiation failed!"), and nothing settles. Which comes first is a race (both seen, the second in CI on a
 * busy machine). So this watches both: the worker's fetch of any file under PYODIDE_URL (a rejected request or
 * an HTTP error) and unhandled rejections. Either turns into the load's failure: the one-line explanation and
 * Retry.
 * @template T
 * @param {Promise<T>} work
 * @returns {Promise<T>}
 */
function failOnLoadErrors(work) {
  /** @type {() => void} */
  let stopListening = () => {};
  /** @type {Promise<never>} */
  const failure = new Promise((_, reject) => {
    /** @param {PromiseRejectionEvent} event */
    const onRejection = (event) => {
      event.preventDefault(); // reported through the load's error instead of the console
      reject(event.reason instanceof Error ? event.reason : new Error(String(event.reason)));
    };
    /** @param {ErrorEvent} event */
    const onError = (event) => {
      event.preventDefault();
      reject(event.error instanceof Error ? event.error : new Error(event.message));
    };
    const fetchAsBefore = globalThis.fetch;
    /** @type {typeof fetch} */
    const watchedFetch = (input, init) => {
      const request = fetchAsBefore(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.startsWith(PYODIDE_URL.href)) {
        request.then(
          (response) => response.ok || reject(new Error(`${url}: HTTP ${response.status}`)),
          (error) => reject(error instanceof Error ? error : new Error(String(error))),
        );
      }
      return request;
    };
    globalThis.addEventListener("unhandledrejection", onRejection);
    globalThis.addEventListener("error", onError);
    globalThis.fetch = watchedFetch;
    stopListening = () => {
      globalThis.removeEventListener("unhandledrejection", onRejection);
      globalThis.removeEventListener("error", onError);
      if (globalThis.fetch === watchedFetch) globalThis.fetch = fetchAsBefore;
    };
  });
  // Only a successful start stops listening. After a failure, Pyodide's abandoned start-up can leave more of its
  // promises rejected (once in CI, with pyodide-lock.json unreachable, one escaped as "Failed to fetch" after the
  // first had failed the load), and this worker has no more use: the page terminates it (runner.js `restart`).
  return Promise.race([work, failure]).then((value) => {
    stopListening();
    return value;
  });
}

/**
 * Route Python's stdout/stderr to stream events, one line per event.
 * @param {any} pyodide
 * @param {(event: object) => void} emit
 */
function captureOutput(pyodide, emit) {
  pyodide.setStdout({ batched: (text) => emit({ event: EventType.STREAM, stream: "stdout", text }) });
  pyodide.setStderr({ batched: (text) => emit({ event: EventType.STREAM, stream: "stderr", text }) });
}

/**
 * The JavaScript side of input() (Python's _stdin_bridge): ask the page for a line, then wait for it.
 * @param {any} pyodide
 * @returns {{canBlock: () => boolean, block: (prompt: string) => string|null, ask: (prompt: string) =>
 *   Promise<string|null>}}
 */
function makeStdinBridge(pyodide) {
  /** @param {string} prompt @param {string} mode @returns {number} the read's number */
  const request = (prompt, mode) => {
    const read = stdin.nextRead++;
    stdin.emit?.({ event: EventType.STDIN, read, prompt, mode });
    return read;
  };
  return {
    canBlock: () => stdin.buffer !== null,
    // Truly blocking, like CPython's read(): this thread sleeps in Atomics.wait, so nothing else in the worker
    // runs (no asyncio task, no timer). It wakes every STDIN_SLICE_MS to honour Stop / the time limit:
    // checkInterrupt raises KeyboardInterrupt in the program when the page has set the interrupt buffer.
    block(prompt) {
      const buffer = /** @type {SharedArrayBuffer} */ (stdin.buffer);
      const header = new Int32Array(buffer, 0, 2);
      Atomics.store(header, 0, StdinBuffer.WAITING);
      request(prompt, StdinMode.BLOCKING);
      while (Atomics.load(header, 0) === StdinBuffer.WAITING) {
        Atomics.wait(header, 0, StdinBuffer.WAITING, STDIN_SLICE_MS);
        pyodide.checkInterrupt();
      }
      if (Atomics.load(header, 0) === StdinBuffer.CANCELLED) return null;
      // slice() copies out of the shared buffer: TextDecoder refuses views of shared memory.
      const bytes = new Uint8Array(buffer, StdinBuffer.HEADER_BYTES, Atomics.load(header, 1)).slice();
      return new TextDecoder().decode(bytes);
    },
    // Stack switching: run_sync suspends the program on this promise; the worker's event loop keeps running.
    ask(prompt) {
      return new Promise((resolve) => {
        stdin.waiting.set(request(prompt, StdinMode.SUSPENDING), resolve);
      });
    },
  };
}

/**
 * Deliver the page's answer to a suspended read (MessageType.STDIN_REPLY, handled outside the request queue:
 * the run that asked is the request in progress).
 * @param {{read: number, line: string|null}} reply
 */
export function answerRead(reply) {
  const resolve = stdin.waiting.get(reply.read);
  stdin.waiting.delete(reply.read);
  resolve?.(typeof reply.line === "string" ? reply.line : null);
}

/**
 * Load the wizard's wheel (path from vendor/manifest.json) once.
 * @param {any} pyodide
 * @returns {Promise<void>}
 */
function loadWizard(pyodide) {
  if (!state.wizard) {
    state.wizard = (async () => {
      const response = await fetch(new URL("manifest.json", VENDOR_URL));
      if (!response.ok) throw new Error(`vendor/manifest.json: HTTP ${response.status}`);
      const manifest = await response.json();
      await pyodide.loadPackage(new URL(manifest.wizardWheel, VENDOR_URL).href, { checkIntegrity: false });
    })();
    state.wizard.catch(() => {
      state.wizard = null;
    });
  }
  return state.wizard;
}

/**
 * Whether this worker's requests reach the site's service worker (MessageType.CONTROL_PROBE).
 *
 * Asked with a real request because that is what the HTTP examples need, and because nothing cheaper tells:
 * dedicated workers have no `navigator.serviceWorker` in Chromium (156), so a worker cannot read its controller.
 * Only the service worker answers with `X-Asyncfit-Delay: service-worker`; a server answers 404, and no answer
 * at all (offline) also means not reached.
 * @returns {Promise<boolean>}
 */
async function reachesServiceWorker() {
  try {
    const response = await fetch(CONTROL_PROBE_URL);
    response.body?.cancel().catch(() => {});
    return response.headers.get("X-Asyncfit-Delay") === "service-worker";
  } catch {
    return false;
  }
}

/**
 * A Python exception as a one-line Error named after its type (e.g. "InvalidAnswers: unknown question 'x'").
 * @param {any} error a PythonError from Pyodide, or any other error (returned unchanged)
 * @returns {Error}
 */
function pythonErrorSummary(error) {
  if (!error || typeof error.type !== "string") return error;
  const lines = String(error.message).trim().split("\n");
  const summary = new Error(lines[lines.length - 1]);
  summary.name = error.type;
  return summary;
}

/**
 * Handle one request. Pure apart from the Pyodide state: no access to `self`, so it can be tested directly.
 * @param {{id: number, type: string, [key: string]: any}} request
 * @param {(event: object) => void} emit  sends an event tagged with the request id
 * @returns {Promise<any>} the result of the request
 */
export async function handle(request, emit) {
  switch (request.type) {
    case MessageType.LOAD: {
      const pyodide = await loadPython(emit);
      const pythonVersion = pyodide.runPython("import sys; sys.version.split()[0]");
      return { pyodideVersion: pyodide.version, pythonVersion, fromSnapshot: state.fromSnapshot };
    }
    case MessageType.SET_INTERRUPT_BUFFER: {
      const pyodide = await loadPython(emit);
      pyodide.setInterruptBuffer(new Uint8Array(request.buffer));
      return true;
    }
    case MessageType.SET_STDIN_BUFFER: {
      stdin.buffer = request.buffer;
      return true;
    }
    case MessageType.RUN: {
      const pyodide = await loadPython(emit);
      captureOutput(pyodide, emit);
      stdin.emit = emit;
      const started = performance.now();
      const runExample = state.support.get("run_example");
      try {
        // callPromising enables stack switching, which Pyodide's asyncio.run() needs inside the program.
        const call = runExample.callPromising ? runExample.callPromising.bind(runExample) : runExample;
        const exercise = [String(request.helpers ?? ""), String(request.check ?? "")];
        // Called by _run_program just before the program's code: the page may interrupt it from then on.
        const programStarts = () => emit({ event: EventType.STARTED });
        const proxy = await call(String(request.code), Boolean(request.timeline), ...exercise, programStarts);
        const out = proxy.toJs({ dict_converter: Object.fromEntries });
        proxy.destroy();
        const check = out.check ?? null;
        return { ok: out.ok, elapsedMs: performance.now() - started, timeline: out.timeline, check };
      } finally {
        runExample.destroy();
        stdin.emit = null;
        for (const resolve of stdin.waiting.values()) resolve(null);
        stdin.waiting.clear();
      }
    }
    case MessageType.WIZARD_DECIDE: {
      const pyodide = await loadPython(emit);
      await loadWizard(pyodide);
      const decide = state.support.get("wizard_decide");
      const answers = pyodide.toPy(request.answers ?? {});
      try {
        const proxy = decide(answers);
        const out = proxy.toJs({ dict_converter: Object.fromEntries });
        proxy.destroy();
        return out;
      } catch (error) {
        throw pythonErrorSummary(error);
      } finally {
        answers.destroy();
        decide.destroy();
      }
    }
    case MessageType.CONTROL_PROBE:
      return reachesServiceWorker();
    default:
      throw new Error(`unknown message type ${JSON.stringify(request.type)}`);
  }
}

// Thin shell: decode, queue, dispatch to handle(), reply {id, result} or {id, error}.
self.onmessage = (/** @type {MessageEvent} */ message) => {
  const request = message.data;
  if (request?.type === MessageType.STDIN_REPLY) {
    answerRead(request);
    return;
  }
  const emit = (/** @type {object} */ event) => self.postMessage({ id: request.id, ...event });
  const answer = async () => {
    try {
      const result = await handle(request, emit);
      self.postMessage({ id: request.id, result });
    } catch (error) {
      const err = /** @type {Error} */ (error);
      const reply = { name: err?.name ?? "Error", message: String(err?.message ?? err) };
      self.postMessage({ id: request.id, error: reply });
    }
  };
  // The control probe touches no Python state: answered at once, not after queued work (a first visit, when the
  // page asks, is also when the start-up snapshot, 31 MB, is being stored), and a run waiting on it waits less.
  if (request?.type === MessageType.CONTROL_PROBE) answer();
  else queue = queue.then(answer);
};
