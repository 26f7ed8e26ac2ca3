// Runnable examples: turns each server-rendered `div.af-runnable` (tools/asyncfit_docs/runnable.py) into an
// editor with Run / Stop / Reset, running Python in a Web Worker (worker.js) so the page never freezes.
//
// - Loaded once as an ES module (mkdocs.yml extra_javascript, type: module); no globals.
// - Material's instant navigation swaps page content without reloading: we subscribe to Material's
//   `document$` and (re)enhance on every page, while the single worker lives for the whole session.
// - Pages without examples load neither Ace nor Pyodide. Pages with examples start loading Pyodide once the
//   page has painted (or on the first interaction with an example, if earlier). Ace loads only when a reader
//   opens an example's editor (Edit, a click on the code, Enter on it): until then the build's highlighted code
//   is the example (issue 14: Ace's layout work was most of these pages' blocking time).
// - Stop: interrupt Python through a SharedArrayBuffer when the page is cross-origin isolated, otherwise (and
//   if the interrupt does not land quickly) terminate the worker; a fresh one starts for the next Run.
// - The HTTP examples need the site's service worker (docs/sw.js) to answer the Python worker's requests. On a first
//   visit it takes control after the worker has started, and can leave out a worker that was still starting: the
//   runner then replaces that worker between runs, for code that needs it (see "Service worker control" below).
// - Program output is written with textContent only.
// - A reader's edits are autosaved and can be shared as links (saved.js); the editor's code is read and written
//   only through code() / setCode() / onCodeChange().

import { DELAY_ENDPOINT, EventType, LoadStage, MessageType } from "./protocol.js";
import { EditMemory, openSharedLink } from "./saved.js";
import { el } from "./dom.js";
import { PausableTimeout, WAITING_TEXT, answerLine, askForLine, echoLine, makeStdinBuffer } from "./stdin.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);
const ACE_BASE = new URL("../../vendor/ace/", import.meta.url);
// How long Stop waits for an in-place interrupt before restarting the worker. Generous: an interrupt keeps the
// loaded Python, a restart boots a new one. On a loaded 2-core CI machine the interrupt once took over 0.8 s to be
// acknowledged, and once (2026-12-01, fresh-clone run, Zensical build) over 3 s: the isolated Stop test saw the
// restart instead. Only cross-origin-isolated pages wait at all (GitHub Pages restarts at once), and a program
// that honours the interrupt ends as soon as it does; the wait matters only for one stuck in native code.
const INTERRUPT_GRACE_MS = 8000;
// How often Stop sets the interrupt again once Pyodide has read it and the run goes on (PythonWorker.stop).
const INTERRUPT_REPEAT_MS = 500;
const SIGINT = 2;
// A run's time limit when its fence sets none (tools/asyncfit_docs/runnable.py DEFAULT_LIMIT_S writes
// data-af-limit on every example; this is the fallback for markup without it).
const DEFAULT_LIMIT_S = 30;
// How long after the page gains a controller its worker is probed, at the earliest (see "Service worker control").
// A worker hears of its new controller a moment after the page does: in Chromium 156, 10 of 51 probes sent at the
// page's controllerchange came back uncontrolled from a worker that was being taken over, and every probe sent
// after those, within 40 ms of the event (also with three busy loops on two cores), came back controlled.
const CONTROL_SETTLE_MS = 1000;

/** Thrown into pending requests when the worker is terminated by Stop. */
class StoppedError extends Error {
  constructor() {
    super("stopped");
    this.name = "StoppedError";
  }
}

/**
 * One Web Worker running Pyodide, with typed request/reply messaging (see protocol.js).
 * Terminate-and-restart is how Stop works without cross-origin isolation.
 */
class PythonWorker {
  constructor() {
    /** @type {Worker|null} */
    this.worker = null;
    this.nextId = 1;
    /** @type {Map<number, {resolve: Function, reject: Function, onEvent: Function}>} */
    this.pending = new Map();
    /** @type {Promise<{pyodideVersion: string, pythonVersion: string, fromSnapshot: boolean}>|null} */
    this.loading = null;
    /** @type {Uint8Array|null} */
    this.interruptBuffer = null;
    /** @type {SharedArrayBuffer|null} where blocking input() reads are answered (stdin.js) */
    this.stdinBuffer = null;
    /** @type {Set<(event: object) => void>} */
    this.progressListeners = new Set();
    /** @type {number|null} when the page gained a controller that the live worker may lack (null: none to check) */
    this.controlChangedAt = null;
    /** A worker was replaced for lacking it already: at most once a page session (controllerChanged). */
    this.replacedForControl = false;
  }

  /** @returns {Worker} the live worker, started on first use */
  ensureWorker() {
    if (!this.worker) {
      this.worker = new Worker(WORKER_URL, { type: "module", name: "asyncfit-python" });
      this.worker.onmessage = (message) => this.dispatch(message.data);
      this.worker.onerror = (event) => {
        event.preventDefault();
        this.failAll(new Error(event.message || "the Python worker could not start"));
      };
    }
    return this.worker;
  }

  /** @param {{id: number, result?: any, error?: {name: string, message: string}, event?: string}} data */
  dispatch(data) {
    const entry = this.pending.get(data.id);
    if (!entry) return;
    if (data.event) {
      entry.onEvent(data);
      return;
    }
    this.pending.delete(data.id);
    if (data.error) {
      const error = new Error(data.error.message);
      error.name = data.error.name;
      entry.reject(error);
    } else {
      entry.resolve(data.result);
    }
  }

  /** @param {Error} error */
  failAll(error) {
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }

  /**
   * Send one request.
   * @param {string} type  a MessageType
   * @param {object} payload
   * @param {(event: any) => void} [onEvent]  progress and stream events for this request
   * @returns {Promise<any>}
   */
  request(type, payload = {}, onEvent = () => {}) {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onEvent });
      worker.postMessage({ id, type, ...payload });
    });
  }

  /**
   * Load Pyodide once per worker; progress goes to every registered listener.
   * @returns {Promise<{pyodideVersion: string, pythonVersion: string, fromSnapshot: boolean}>}
   */
  load() {
    if (!this.loading) {
      const onEvent = (/** @type {object} */ event) => this.progressListeners.forEach((listener) => listener(event));
      this.loading = this.request(MessageType.LOAD, {}, onEvent).then(async (info) => {
        if (globalThis.crossOriginIsolated && typeof SharedArrayBuffer === "function") {
          this.interruptBuffer = new Uint8Array(new SharedArrayBuffer(1));
          await this.request(MessageType.SET_INTERRUPT_BUFFER, { buffer: this.interruptBuffer.buffer });
          this.stdinBuffer = makeStdinBuffer();
          await this.request(MessageType.SET_STDIN_BUFFER, { buffer: this.stdinBuffer });
        }
        return info;
      });
      this.loading.catch(() => {
        this.loading = null;
        this.restart(new Error("load failed"));
      });
    }
    return this.loading;
  }

  /** Terminate the worker (rejecting what is pending with `reason`); the next request starts a fresh one. */
  restart(reason = new StoppedError()) {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.loading = null;
    this.interruptBuffer = null;
    this.stdinBuffer = null;
    // A fresh worker shares the page's control: started from a controlled page, it is controlled from the start.
    this.controlChangedAt = null;
    this.failAll(reason);
  }

  /**
   * The page has just gained a service worker: the live worker, started before, may have been left out. Noted
   * here, checked by replaceIfUncontrolled when some code needs the service worker.
   * @returns {boolean} whether there is such a worker to check
   */
  controllerChanged() {
    // Once a page session at most: a browser whose service workers never take over dedicated workers costs one
    // restart, not one per controller change (the examples then say what to do, as without service workers).
    if (!this.worker || this.replacedForControl) return false;
    this.controlChangedAt = performance.now();
    return true;
  }

  /**
   * After a controller change, probe the live worker (MessageType.CONTROL_PROBE) and replace it if its requests
   * do not reach the service worker. Only ever called from the run queue (by a run about to start, or queued like a
   * run), so never during a run. Waits for a start in progress rather than cut it short (that would fail what
   * waits on it; the fresh worker starts from the HTTP cache), and probes no earlier than CONTROL_SETTLE_MS after
   * the change. The replacement is Stop's: the examples show the fresh worker's loading stages, then "ready".
   * @returns {Promise<void>}
   */
  async replaceIfUncontrolled() {
    const worker = this.worker;
    if (this.controlChangedAt === null || !worker) return;
    await this.loading?.catch(() => {});
    const settle = this.controlChangedAt + CONTROL_SETTLE_MS - performance.now();
    if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));
    if (this.worker !== worker) return; // restarted meanwhile (a failed start): a fresh worker already
    const controlled = await this.request(MessageType.CONTROL_PROBE).catch(() => true); // failed: restarted
    if (this.worker !== worker) return;
    this.controlChangedAt = null;
    if (controlled) return;
    this.replacedForControl = true;
    this.restart();
    this.load().catch(() => {}); // warm up the fresh worker for the run, as after Stop
  }

  /**
   * Load Python for a run; for code that needs the service worker, on a worker it controls whenever it controls
   * the page (see "Service worker control").
   * @param {boolean} needsServiceWorker
   * @returns {Promise<{pyodideVersion: string, pythonVersion: string, fromSnapshot: boolean}>}
   */
  async ready(needsServiceWorker) {
    if (needsServiceWorker) await this.replaceIfUncontrolled();
    return this.load();
  }

  /**
   * Answer the program's read (a "stdin" event of the run in progress).
   * @param {{read: number, mode: string}} event
   * @param {string} line
   */
  answerStdin(event, line) {
    answerLine(event, line, { buffer: this.stdinBuffer, worker: this.worker });
  }

  /**
   * Stop the running program: interrupt when possible, otherwise restart the worker.
   *
   * The interrupt is set once the program itself has begun (`started`), not before: Pyodide polls the buffer from
   * whatever Python the worker runs and raises KeyboardInterrupt right there, so set while the run request was still
   * on its way it hit the runner's and Pyodide's own code ahead of the program (the run failed without the program
   * hearing of it, or Pyodide's event loop lost it and the run hung until the restart below). A Stop pressed before
   * waits for that moment, within the same grace period. The worker ignores SIGINT outside the program (worker.js).
   * @param {Promise<any>} run the pending run request
   * @param {Promise<void>} started resolved when the worker reports that the program has begun (EventType.STARTED)
   */
  async stop(run, started) {
    const buffer = this.interruptBuffer; // this run's: a restart meanwhile replaces this.interruptBuffer
    if (buffer) {
      let timer = 0;
      /** @type {Promise<string>} */
      const graceOver = new Promise((resolve) => {
        timer = setTimeout(() => resolve("grace over"), INTERRUPT_GRACE_MS);
      });
      const ended = run.then(
        () => "ended",
        () => "ended",
      );
      let repeat = 0;
      if ((await Promise.race([ended, started.then(() => "started"), graceOver])) === "started") {
        buffer[0] = SIGINT;
        // Pyodide clears the buffer when it reads it, and now and then (about one early Stop in 25 on a loaded
        // machine, Pyodide 314.0.7) it reads it and raises nothing: the program runs on. So once read, it is set
        // again while the run goes on. The worker raises one KeyboardInterrupt per run (_interrupt_once), so a
        // program still handling the first is not interrupted twice.
        repeat = setInterval(() => {
          if (buffer[0] === 0) buffer[0] = SIGINT;
        }, INTERRUPT_REPEAT_MS);
      }
      const outcome = await Promise.race([ended, graceOver]);
      clearTimeout(timer);
      clearInterval(repeat);
      buffer[0] = 0;
      if (outcome === "ended") return;
    }
    this.restart();
    this.load().catch(() => {}); // warm up the fresh worker for the next Run
  }
}

const python = new PythonWorker();

/** Runs share one worker: they execute one after another. */
let runQueue = Promise.resolve();

// ---------------------------------------------------------------------------------------------------------
// Ace, loaded on demand (only on pages with examples)

/** @type {Promise<any>|null} */
let acePromise = null;

/** Ace's stylesheets: linked as files because the site's CSP (style-src 'self') forbids injected <style>. */
const ACE_STYLESHEETS = ["css/ace.css", "css/theme/github_light_default.css", "css/theme/github_dark.css"];

/** @returns {Promise<any>} the Ace namespace (Ace's own global; we define none) */
function loadAce() {
  if (!acePromise) {
    for (const path of ACE_STYLESHEETS) {
      const href = new URL(path, ACE_BASE).href;
      if (!document.head.querySelector(`link[href="${href}"]`)) {
        document.head.append(el("link", { attrs: { rel: "stylesheet", href } }));
      }
    }
    acePromise = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL("ace.js", ACE_BASE).href;
      script.onload = () => {
        const ace = /** @type {any} */ (globalThis).ace;
        ace.config.set("basePath", ACE_BASE.href);
        ace.config.set("useStrictCSP", true);
        resolve(ace);
      };
      script.onerror = () => {
        acePromise = null;
        reject(new Error("the editor could not be loaded"));
      };
      document.head.append(script);
    });
  }
  return acePromise;
}

/** @returns {string} the Ace theme matching Material's palette */
function aceTheme() {
  const scheme = document.body.getAttribute("data-md-color-scheme");
  return scheme === "slate" ? "ace/theme/github_dark" : "ace/theme/github_light_default";
}

// ---------------------------------------------------------------------------------------------------------
// Small DOM helpers (textContent only)


/** @param {number} ms @returns {string} */
function seconds(ms) {
  return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

const STAGE_TEXT = {
  [LoadStage.DOWNLOADING]: "Loading Python (Pyodide, about 12 MB on the first visit, cached afterwards)…",
  [LoadStage.STARTING]: "Starting Python…",
  [LoadStage.READY]: "Python is ready.",
};

// ---------------------------------------------------------------------------------------------------------
// Download .py: every example, CPython-only ones included (their markup: tools/asyncfit_docs/runnable.py)

const PEP723_BLOCK = /^# \/\/\/ script[ \t]*$/m;

/**
 * The file a reader downloads: the build's PEP 723 header, then the code. Code that already has its own
 * `# /// script` block (pasted in by the reader) is saved as it is: PEP 723 allows one block per file.
 * @param {string} header the `# /// script` … `# ///` block, ending with a newline
 * @param {string} code
 * @returns {string}
 */
function downloadText(header, code) {
  const body = code.replace(/\n*$/, "\n");
  return PEP723_BLOCK.test(code) ? body : `${header}\n${body}`;
}

/** @param {string} name @param {string} text */
function saveFile(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/x-python" }));
  const link = el("a", { attrs: { href: url, download: name } });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Put a "Download .py" button in the example's "Run it locally" line, in place of its no-JavaScript advice to
 * save the code by hand. Idempotent.
 * @param {HTMLElement} root a `div.af-runnable`
 * @param {() => string} code the code to save (the editor's, as edited)
 */
function addDownload(root, code) {
  const line = root.querySelector(".af-local");
  const name = root.dataset.afFile;
  const header = root.dataset.afPep723;
  if (!line || !name || header === undefined || line.querySelector(".af-download")) return;
  const button = el("button", {
    className: "md-button af-download",
    text: "Download .py",
    attrs: { type: "button", title: `Save ${name}: the code as shown, with a PEP 723 header naming what it needs` },
  });
  button.addEventListener("click", () => saveFile(name, downloadText(header, code())));
  const save = line.querySelector(".af-local-save");
  if (save) save.replaceWith(button, " ", el("span", { text: "then" }));
  else line.querySelector(".af-local-label")?.after(" ", button);
}

// ---------------------------------------------------------------------------------------------------------
// One runnable example

const STATIC_HINT =
  "Run runs the code as shown (Ctrl+Enter / Cmd+Enter). To change it, press Edit or click the code. " +
  "Edits are saved in this browser only; Copy link shares them.";
const EDITOR_HINT =
  "Edit the code, then Run (Ctrl+Enter / Cmd+Enter). In the editor, press Esc then Tab to move on. " +
  "Edits are saved in this browser only; Copy link shares them.";

class Example {
  /** @param {HTMLElement} root a `div.af-runnable` rendered by the pyrun fence */
  constructor(root) {
    this.root = root;
    this.source = root.dataset.afSource ?? "";
    this.timeline = root.dataset.afTimeline === "1";
    const limit = Number(root.dataset.afLimit);
    /** Seconds a run may take before it is stopped automatically (interrupt, then restart: python.stop). */
    this.limitS = Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_LIMIT_S;
    /** @type {any} */
    this.editor = null;
    /** @type {HTMLTextAreaElement|null} */
    this.textarea = null;
    /** @type {Promise<void>|null} set when the editor is first asked for (openEditor) */
    this.opening = null;
    /** @type {HTMLElement|null} */
    this.editButton = null;
    /** @type {Node[]} the build's highlighted code, to show again when a saved edit is reset */
    this.staticNodes = [];
    /** @type {Promise<any>|null} */
    this.run = null;
    /** Incremented by every Run and by cancelling a run that has not started: a stale run does nothing. */
    this.runToken = 0;
    this.stopping = false;
    /** Who stopped the current run: "you" (the Stop button) or "limit" (the time limit). */
    this.stoppedBy = "you";
    this.disposed = false;
    /** Code to show once the editor exists (a saved edit or a share link set before it was created). */
    /** @type {string|null} */
    this.pendingCode = null;
    this.settingCode = false;
    /** @type {(() => void)[]} */
    this.changeListeners = [];
    this.build();
    this.memory = new EditMemory(this);
  }

  build() {
    const root = this.root;
    root.classList.add("af-enhanced");
    this.where = /** @type {HTMLElement} */ (root.querySelector(".af-where"));
    this.codeBlock = root.querySelector(".highlight") ?? root.querySelector("pre:not(.af-output)");
    this.outputLabel = /** @type {HTMLElement} */ (root.querySelector(".af-output-label"));
    this.output = /** @type {HTMLElement} */ (root.querySelector(".af-output code"));
    this.buildTimeLabel = this.outputLabel.textContent;
    this.buildTimeOutput = this.output.textContent;

    const toolbar = el("div", { className: "af-toolbar", attrs: { role: "toolbar", "aria-label": "Example" } });
    this.runButton = el("button", {
      className: "md-button md-button--primary af-run",
      text: "Run",
      attrs: { type: "button", title: "Run (Ctrl+Enter or Cmd+Enter)" },
    });
    this.stopButton = el("button", { className: "md-button af-stop", text: "Stop", attrs: { type: "button" } });
    this.resetButton = el("button", {
      className: "md-button af-reset",
      text: "Reset",
      attrs: { type: "button", title: "Restore the original code and output" },
    });
    this.status = el("span", { className: "af-status", attrs: { role: "status", "aria-live": "polite" } });
    /** @type {HTMLButtonElement} */ (this.stopButton).disabled = true;
    toolbar.append(this.runButton, this.stopButton, this.resetButton, this.status);
    this.toolbar = toolbar;

    // A named group: Ace names its own text box after the cursor ("Cursor at row 1"), so the group is what tells a
    // screen reader that this is the example's code.
    this.editorHost = el("div", {
      className: "af-editor",
      attrs: { role: "group", "aria-label": "Python code of the example (editor)" },
    });
    this.hint = el("p", { className: "af-hint", text: STATIC_HINT });
    this.failure = el("p", { className: "af-load-error", attrs: { role: "alert" } });
    this.failure.hidden = true;
    this.timelineHost = el("div", { className: "af-timeline", attrs: { "aria-label": "Task timeline" } });
    this.timelineHost.hidden = true;

    root.insertBefore(toolbar, this.codeBlock);
    this.codeBlock?.after(this.editorHost, this.hint);
    this.output.parentElement?.after(this.timelineHost);
    root.append(this.failure);
    this.output.parentElement?.setAttribute("aria-live", "polite");

    this.runButton.addEventListener("click", () => this.start());
    this.stopButton.addEventListener("click", () => this.stop());
    this.resetButton.addEventListener("click", () => this.reset());
    root.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.start();
      }
    });
    addDownload(root, () => this.code());
    this.editorHost.hidden = true;
    const highlighted = this.codeBlock?.querySelector("code")?.childNodes ?? [];
    this.staticNodes = Array.from(highlighted, (node) => node.cloneNode(true));
    this.addEditTriggers();
  }

  // The editor is created on demand (issue 14): until then the build-time highlighted code is the example, Run runs
  // it (or a saved edit, shown as plain text), and neither Ace's script nor its layout work costs the page anything.
  // It opens from the Edit button (Tab reaches it; screen readers hear "Edit code"), a click or tap on the code, or
  // Enter on the code when it has focus. Once open, the editor is what it was before: Ace's keyboard mode (the
  // editor box and gutter are Tab stops, Enter starts typing, Esc leaves the text), Ctrl/Cmd+Enter runs.

  /** Wire the ways of opening the editor. */
  addEditTriggers() {
    this.editButton = el("button", {
      className: "md-button af-edit",
      text: "Edit",
      attrs: { type: "button", title: "Edit the code here (opens the editor)", "aria-label": "Edit code" },
    });
    this.resetButton.after(this.editButton);
    this.editButton.addEventListener("click", () => this.openEditor({ focus: true }));
    const block = this.codeBlock;
    if (!block) return;
    /** @type {HTMLElement} */ (block).classList.add("af-static-code");
    block.addEventListener("click", (event) => {
      const target = /** @type {Element} */ (event.target);
      if (target.closest("button, a")) return; // Material's copy button, annotations
      const selection = globalThis.getSelection?.();
      if (selection && !selection.isCollapsed && block.contains(selection.anchorNode)) return; // copying, not editing
      this.openEditor({ focus: true, at: { x: event.clientX, y: event.clientY } });
    });
    // Enter on the code itself (Material makes a block that scrolls sideways focusable) opens it too. Focus alone
    // does not: the block would vanish under a reader who is only tabbing past, losing their place on the page.
    block.addEventListener("keydown", (event) => {
      const target = /** @type {Element} */ (event.target);
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !target.closest("button, a")) {
        event.preventDefault();
        this.openEditor({ focus: true });
      }
    });
  }

  /**
   * Create the editor (once): Ace, or a plain textarea if Ace cannot be loaded.
   * @param {{focus?: boolean, at?: {x: number, y: number}}} [options] focus it (only if the reader has not moved
   *   on meanwhile), with the cursor where the code was clicked
   * @returns {Promise<void>}
   */
  openEditor(options = {}) {
    if (!this.opening) {
      this.root.dataset.afEditor = "opening";
      if (this.editButton) this.editButton.textContent = "Opening the editor…"; // its name stays "Edit code"
      this.opening = this.attachEditor();
    }
    const before = document.activeElement;
    return this.opening.then(() => {
      if (this.disposed) return;
      this.root.dataset.afEditor = "open";
      const active = document.activeElement;
      // Focus moved elsewhere while Ace loaded (the reader tabbed on): leave it there.
      const movedOn = active && active !== before && active !== document.body && !this.root.contains(active);
      if (options.focus && !movedOn) this.focusEditor(options.at);
      if (this.editButton) this.editButton.hidden = true; // after focus moved off it: focus never drops to <body>
    });
  }

  /** @param {{x: number, y: number}} [at] where the code was clicked: put the cursor there */
  focusEditor(at) {
    if (!this.editor) {
      this.textarea?.focus();
      return;
    }
    if (at) {
      try {
        this.editor.renderer.updateFull(true);
        this.editor.moveCursorToPosition(this.editor.renderer.screenToTextCoordinates(at.x, at.y));
        this.editor.clearSelection();
      } catch {
        // the cursor stays at the start
      }
    }
    this.editor.focus();
  }

  async attachEditor() {
    let ace;
    try {
      ace = await loadAce();
    } catch {
      this.swapInEditor();
      this.attachTextarea();
      return;
    }
    if (this.disposed) return;
    this.swapInEditor(); // before ace.edit: Ace measures its host
    const editor = ace.edit(this.editorHost, {
      value: this.code().replace(/\n$/, ""),
      mode: "ace/mode/python",
      theme: aceTheme(),
      minLines: 3,
      maxLines: 40,
      fontSize: "0.85em",
      showPrintMargin: false,
      useSoftTabs: true,
      tabSize: 4,
      enableKeyboardAccessibility: true,
    });
    editor.commands.addCommand({
      name: "asyncfitRun",
      bindKey: { win: "Ctrl-Enter", mac: "Command-Enter" },
      exec: () => this.start(),
    });
    editor.renderer.textarea?.setAttribute("aria-label", "Python code of the example");
    editor.on("change", () => this.codeChanged());
    this.editor = editor;
    this.pendingCode = null;
  }

  /** The editor takes the static block's place (the Edit button goes once focus is in the editor: openEditor). */
  swapInEditor() {
    this.codeBlock?.setAttribute("hidden", "");
    this.editorHost.hidden = false;
    this.hint.textContent = EDITOR_HINT;
  }

  attachTextarea() {
    const textarea = /** @type {HTMLTextAreaElement} */ (
      el("textarea", { className: "af-textarea", attrs: { spellcheck: "false", "aria-label": "Python code" } })
    );
    textarea.value = this.code();
    textarea.rows = Math.min(40, textarea.value.split("\n").length + 1);
    textarea.addEventListener("input", () => this.codeChanged());
    this.editorHost.append(textarea);
    this.textarea = textarea;
    this.pendingCode = null;
  }

  /**
   * Before the editor exists, show `text` in the static block: the build's highlighted code when it is the
   * original, otherwise the text itself (a saved edit or a share link: plain, unhighlighted, and what Run runs).
   * @param {string} text
   */
  showStatic(text) {
    const code = this.codeBlock?.querySelector("code");
    if (!code) return;
    if (text.replace(/\n+$/, "") === this.source.replace(/\n+$/, "")) code.replaceChildren(...this.staticNodes);
    else code.textContent = text;
  }

  /** @returns {string} the code currently in the editor */
  code() {
    if (this.editor) return this.editor.getValue();
    if (this.textarea) return this.textarea.value;
    return this.pendingCode ?? this.source;
  }

  /** @param {string} text the code to show instead (not an edit by the reader: no change listeners run) */
  setCode(text) {
    this.settingCode = true;
    try {
      if (this.editor) this.editor.setValue(text.replace(/\n$/, ""), -1);
      else if (this.textarea) this.textarea.value = text;
      else {
        this.pendingCode = text;
        this.showStatic(text);
      }
    } finally {
      this.settingCode = false;
    }
  }

  /** @param {() => void} listener called after each edit by the reader */
  onCodeChange(listener) {
    this.changeListeners.push(listener);
  }

  codeChanged() {
    if (!this.settingCode) this.changeListeners.forEach((listener) => listener());
  }

  applyTheme() {
    this.editor?.setTheme(aceTheme());
  }

  /** @param {string} text */
  setStatus(text) {
    this.status.textContent = text;
  }

  /** @param {{pyodideVersion: string, pythonVersion: string, fromSnapshot: boolean}} info */
  showReady(info) {
    this.failure.hidden = true;
    this.where.textContent =
      `Runnable in your browser: Python ${info.pythonVersion} on Pyodide ${info.pyodideVersion}, ` +
      "in a background worker (the page stays responsive; Stop always works).";
    if (!this.run) this.setStatus("Python is ready.");
  }

  /** @param {Error} error */
  showLoadFailure(error) {
    this.setStatus("");
    this.failure.replaceChildren();
    const retry = el("button", { className: "md-button af-retry", text: "Retry", attrs: { type: "button" } });
    retry.addEventListener("click", () => {
      this.failure.hidden = true;
      startLoading();
    });
    this.failure.append(
      el("span", {
        text:
          `Python could not be loaded in your browser (${error.message}); ` +
          "the code and its build-time CPython output are shown instead. ",
      }),
      retry,
    );
    this.failure.hidden = false;
  }

  /** Queue a run of the editor's code. */
  start() {
    if (this.run || this.disposed) return;
    const code = this.code();
    const token = ++this.runToken;
    this.runButton.setAttribute("disabled", "");
    // Stop works from the moment Run is clicked: while Python loads it cancels the queued run (see stop()).
    /** @type {HTMLButtonElement} */ (this.stopButton).disabled = false;
    delete this.root.dataset.afState;
    this.setStatus("Waiting for Python… (Stop cancels this run)");
    this.run = (runQueue = runQueue.then(() => this.execute(code, token)));
  }

  /**
   * @param {string} code
   * @param {number} token the runToken when Run was clicked; if it changed, the run was cancelled
   */
  async execute(code, token) {
    if (this.disposed || token !== this.runToken) return;
    this.stopping = false;
    this.stoppedBy = "you";
    /** @type {{cancel: () => void}|null} the field of a pending input() read (stdin.js) */
    this.reading = null;
    /** @type {PausableTimeout|null} the run's time limit */
    this.limit = null;
    try {
      const info = await python.ready(needsServiceWorker(code));
      if (token !== this.runToken) return; // cancelled while Python was loading
      this.showReady(info);
    } catch (error) {
      if (token !== this.runToken) return;
      this.finish();
      if (!(error instanceof StoppedError)) this.showLoadFailure(/** @type {Error} */ (error));
      return;
    }
    if (this.disposed) return;
    this.output.replaceChildren();
    this.output.parentElement?.classList.remove("af-failed");
    this.outputLabel.textContent = "Output in your browser (running…)";
    this.timelineHost.hidden = true;
    this.setStatus("Running…");
    const started = performance.now();
    const ticker = setInterval(() => {
      if (!this.reading) this.setStatus(`Running… ${seconds(performance.now() - started)}`);
    }, 250);
    const { afHelpers: helpers, afCheck: check } = this.root.dataset; // exercises only (asyncfit_docs/exercise.py)
    /** @type {() => void} */
    let programStarted = () => {};
    /** @type {Promise<void>} resolved by the worker's EventType.STARTED: Stop interrupts the program from then on
     * (PythonWorker.stop says why not earlier) */
    this.programStarted = new Promise((resolve) => {
      programStarted = resolve;
    });
    const request = python.request(MessageType.RUN, { code, timeline: this.timeline, helpers, check }, (event) => {
      if (event.event === EventType.STARTED) programStarted(); // also once disposed: dispose() stops the run
      if (this.disposed) return;
      if (event.event === EventType.STREAM) this.appendLine(event.stream, event.text);
      if (event.event === EventType.STDIN) this.askLine(event);
    });
    this.pendingRun = request;
    // The time limit counts from the start of the run itself, not from Python's start-up, and is paused while
    // the program waits for the reader to type a line (askLine).
    this.limit = new PausableTimeout(() => this.stopForTimeLimit(), this.limitS * 1000);
    try {
      /** @type {import("./protocol.js").RunResult} */
      const result = await request;
      const wall = seconds(result.elapsedMs);
      if (this.stopping && !result.ok) {
        // Interrupted in place (cross-origin isolated pages): the program ended with KeyboardInterrupt.
        this.reportStopped(wall, "Stopped.");
        return;
      }
      this.outputLabel.textContent = result.ok
        ? `Output in your browser (Pyodide), ran in ${wall}`
        : `Output in your browser (Pyodide): the program raised an exception after ${wall}`;
      this.root.dataset.afState = result.ok ? "done" : "raised";
      if (!result.ok) this.output.parentElement?.classList.add("af-failed");
      this.setStatus(result.ok ? `Done in ${wall}.` : `Raised an exception after ${wall}.`);
      if (this.timeline) this.drawTimeline(result.timeline);
      this.root.dispatchEvent(new CustomEvent("asyncfit:ran", { detail: result })); // exercise.js shows result.check
    } catch (error) {
      const elapsed = seconds(performance.now() - started);
      if (error instanceof StoppedError || this.stopping) {
        this.reportStopped(elapsed, "Stopped. Python restarts in the background for the next Run.");
      } else {
        this.appendLine("stderr", `The runner failed: ${/** @type {Error} */ (error).message}`);
        this.root.dataset.afState = "error";
        this.setStatus("The runner failed.");
      }
    } finally {
      this.limit.clear();
      this.reading?.cancel(); // the run ended (or was stopped) while waiting for a line
      this.reading = null;
      clearInterval(ticker);
      this.finish();
    }
  }

  /**
   * The program called input(): show a field for the line, with the time limit paused until it is sent.
   * @param {{read: number, prompt: string, mode: string}} event the worker's "stdin" event
   */
  askLine(event) {
    this.reading?.cancel();
    this.limit?.pause();
    this.setStatus(WAITING_TEXT);
    const host = this.output.parentElement ?? this.output;
    this.reading = askForLine(host, String(event.prompt ?? ""), (line) => {
      this.reading = null;
      this.output.append(echoLine(String(event.prompt ?? ""), line));
      this.limit?.resume();
      this.setStatus("Running…");
      python.answerStdin(event, line);
    });
  }

  /**
   * Say that the run was stopped, by the reader or by the time limit (one line in the output, the label, the status).
   * @param {string} after how long the run had taken, formatted
   * @param {string} status the status line
   */
  reportStopped(after, status) {
    const byLimit = this.stoppedBy === "limit";
    const line = byLimit
      ? `Stopped automatically after ${after}: runs here are limited to ${this.limitS} s. Your code is kept.`
      : `Stopped by you after ${after}.`;
    this.appendLine("stderr", line);
    this.outputLabel.textContent = `Output in your browser (Pyodide), stopped after ${after}`;
    this.root.dataset.afState = byLimit ? "time-limit" : "stopped";
    const rest = status.replace(/^Stopped\. ?/, "");
    this.setStatus(byLimit ? `Stopped at the ${this.limitS} s time limit. ${rest}`.trim() : status);
  }

  /** The run reached its time limit: stop it as Stop does (interrupt, then restart if that does not land). */
  stopForTimeLimit() {
    if (!this.pendingRun || this.stopping) return;
    this.stoppedBy = "limit";
    this.stop();
  }

  finish() {
    this.run = null;
    this.pendingRun = null;
    this.runButton.removeAttribute("disabled");
    /** @type {HTMLButtonElement} */ (this.stopButton).disabled = true;
  }

  async stop() {
    if (!this.pendingRun) {
      if (this.run) this.cancelQueued();
      return;
    }
    this.stopping = true;
    this.setStatus("Stopping…");
    await python.stop(this.pendingRun, this.programStarted);
  }

  /**
   * Cancel a run that has not started (Python still loading, or another example's run ahead in the queue).
   * Loading goes on in the background, so the next Run starts as soon as Python is ready.
   */
  cancelQueued() {
    this.runToken++;
    this.finish();
    this.root.dataset.afState = "cancelled";
    this.setStatus("Run cancelled before it started. Python keeps loading in the background for the next Run.");
  }

  reset() {
    this.setCode(this.source);
    this.memory.reset();
    if (this.run) return;
    this.outputLabel.textContent = this.buildTimeLabel;
    this.output.textContent = this.buildTimeOutput;
    this.output.parentElement?.classList.remove("af-failed");
    this.timelineHost.hidden = true;
    delete this.root.dataset.afState;
    this.setStatus("");
  }

  /** @param {string} stream "stdout" or "stderr" @param {string} text one line */
  appendLine(stream, text) {
    const line = el("span", { className: `af-line af-${stream}`, text: `${text}\n` });
    this.output.append(line);
  }

  /** @param {import("./protocol.js").TaskSpan[]} spans */
  drawTimeline(spans) {
    this.timelineHost.replaceChildren();
    if (!spans.length) {
      this.timelineHost.append(el("p", { text: "Timeline: the program created no asyncio tasks." }));
      this.timelineHost.hidden = false;
      return;
    }
    const total = Math.max(...spans.map((s) => s.end ?? s.start), 1e-3);
    this.timelineHost.append(
      el("p", {
        className: "af-timeline-title",
        text: `Timeline: one bar per asyncio task, from start to finish (0 to ${total.toFixed(2)} s)`,
      }),
    );
    const list = el("ol", { className: "af-timeline-rows" });
    for (const span of spans) {
      const end = span.end ?? total;
      const row = el("li", { className: "af-timeline-row" });
      const label = el("span", { className: "af-timeline-label", text: `${span.coro} (${span.name})` });
      const track = el("span", { className: "af-timeline-track" });
      const bar = el("span", {
        className: span.end === null ? "af-timeline-bar af-unfinished" : "af-timeline-bar",
        attrs: {
          title: `${span.coro}: ${span.start.toFixed(3)} s to ${span.end === null ? "never finished" : `${end.toFixed(3)} s`}`,
        },
      });
      bar.style.left = `${(100 * span.start) / total}%`;
      bar.style.width = `${Math.max(0.5, (100 * (end - span.start)) / total)}%`;
      const value = el("span", { className: "af-timeline-value", text: `${(end - span.start).toFixed(2)} s` });
      track.append(bar);
      row.append(label, track, value);
      list.append(row);
    }
    this.timelineHost.append(list);
    this.timelineHost.hidden = false;
  }

  dispose() {
    this.disposed = true;
    if (this.pendingRun) python.stop(this.pendingRun, this.programStarted);
    this.memory.dispose();
    this.editor?.destroy();
    this.editor = null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Page lifecycle

/** @type {Example[]} examples of the current page */
let examples = [];
/** @type {(() => void)[]} listeners to remove when the page changes */
let cleanups = [];

/** Start loading Pyodide (idempotent) and report progress / failure on every example of the page. */
function startLoading() {
  performance.mark("asyncfit:boot");
  for (const example of examples) example.setStatus(STAGE_TEXT[LoadStage.DOWNLOADING]);
  python.load().then(
    (info) => examples.forEach((example) => example.showReady(info)),
    (error) => examples.forEach((example) => example.showLoadFailure(error)),
  );
}

/** @param {{stage?: string}} event */
function onProgress(event) {
  const text = STAGE_TEXT[event.stage ?? ""];
  if (!text) return;
  for (const example of examples) {
    if (!example.run && example.root.dataset.afState !== "cancelled") example.setStatus(text);
  }
}
python.progressListeners.add(onProgress);

// Service worker control (docs/sw.js answers the delay endpoint, but only for clients it controls)
//
// On a first visit the service worker is registered at the load event (assets/offline/register.js), after the
// Python worker has started, and takes over the open page and its workers with clients.claim() on activation. But
// claim() skips a client that is not yet "execution ready" (Service Workers spec, Clients.claim(), step 3.1.1), as
// a worker whose script is still being fetched is not: a worker still starting at that moment is left with no
// controller for good (seen once in CI; in Chromium 156, 1 of 20 first visits when every response was held up a
// little by a test's route), and its requests never reach the service worker.
//
// That matters only to code that calls the delay endpoint (the HTTP examples, or a reader's edit): the service
// worker leaves every other request of the Python worker alone (vendor/ and assets/runner/ are BYPASSED in sw.js).
// So when the page gains a controller, the runner remembers to check its worker, and does so (probe, then Stop's
// restart if it was left out, see PythonWorker.replaceIfUncontrolled) only for such code: right before a run of
// code that mentions the endpoint, and, so that the reader's Run finds Python ready, queued like a run on a page
// with such an example. No check otherwise: a worker started from a page already controlled is controlled from
// its script's fetch (the spec's Handle Fetch matches it to the registration; measured in Chromium 156), which
// covers every worker of a returning visit and every one started after the claim. Without service workers there
// is no event, no probe and no restart, and the examples say what to do.

/** @param {string} code @returns {boolean} whether the code calls the delay endpoint, so needs the service worker */
const needsServiceWorker = (code) => code.includes(DELAY_ENDPOINT);

/** @returns {ServiceWorkerContainer|null} null without service workers; read defensively, since a throw here (a
 * browser refusing service workers to this site) would stop the whole runner for the sake of this repair */
function serviceWorkers() {
  try {
    return globalThis.navigator?.serviceWorker ?? null;
  } catch {
    return null;
  }
}

/** Queue the control check like a run, if one is due and an example of the page needs the service worker. */
function checkControlSoon() {
  if (python.controlChangedAt === null) return;
  if (examples.some((example) => needsServiceWorker(example.code()))) {
    runQueue = runQueue.then(() => python.replaceIfUncontrolled());
  }
}

serviceWorkers()?.addEventListener("controllerchange", () => {
  if (python.controllerChanged()) checkControlSoon();
});

/** Enhance the examples of the current page (called on every page, instant navigation included). */
function enhancePage() {
  // The observable may fire more than once for the same document: keep examples still on the page.
  const cpythonOnly = /** @type {NodeListOf<HTMLElement>} */ (
    document.querySelectorAll('div.af-runnable[data-af-runs="cpython"]')
  );
  for (const root of cpythonOnly) addDownload(root, () => root.dataset.afSource ?? "");
  const gone = examples.filter((example) => !example.root.isConnected);
  for (const example of gone) example.dispose();
  const roots = /** @type {NodeListOf<HTMLElement>} */ (
    document.querySelectorAll('div.af-runnable[data-af-runs="pyodide"]:not(.af-enhanced)')
  );
  const fresh = Array.from(roots, (root) => new Example(root));
  examples = [...examples.filter((example) => example.root.isConnected), ...fresh];
  openSharedLink(examples.map((example) => example.memory));
  if (!fresh.length) return; // nothing new: no Ace, no Pyodide on pages without examples
  checkControlSoon(); // the worker may have been left out on an earlier page that needed no service worker
  for (const cleanup of cleanups) cleanup();
  cleanups = [];

  let scheduled = false;
  const kick = () => {
    if (scheduled) return;
    scheduled = true;
    startLoading();
  };
  // Boot Python as soon as the page has painted (the frame after this one), not at the load event: it loads and
  // compiles in the worker, off the main thread, so the reader's first Run usually finds it ready. Measured with
  // tools/bench_runner.py's pages (warm cache, a returning reader, medians of 5 interleaved visits): after paint
  // asks at 0.26 s, first output 0.84 s; after the load event asks at 0.41 s, 0.89 s; cold cache the same within
  // noise (3.1 s). Idle time and "at once" measured no better earlier (idle asks later; at once competes with
  // the page's own scripts).
  let timer = 0;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(kick, 0);
  });
  cleanups.push(() => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  });
  for (const example of fresh) {
    for (const type of ["pointerdown", "focusin"]) {
      example.root.addEventListener(type, kick, { once: true, passive: true });
    }
  }
}

// The Ace theme follows Material's palette toggle (an attribute on <body>).
new MutationObserver(() => examples.forEach((example) => example.applyTheme())).observe(document.body, {
  attributes: true,
  attributeFilter: ["data-md-color-scheme"],
});

const documentObservable = /** @type {any} */ (globalThis).document$;
if (documentObservable && typeof documentObservable.subscribe === "function") {
  documentObservable.subscribe(() => enhancePage());
} else {
  enhancePage();
}
