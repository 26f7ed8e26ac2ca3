// Messages between the page (runner.js) and the Python worker (worker.js).
//
// Requests (page -> worker): {id, type, ...payload}. Every request gets exactly one reply:
//   {id, result}  on success, or  {id, error: {name, message}}  on failure.
// While a request is in progress the worker may send any number of events for it:
//   {id, event: "progress", stage}           loading stages (see LoadStage)
//   {id, event: "started"}                   RUN only: the program's own code begins now (Stop's interrupt may be set)
//   {id, event: "stream", stream, text}      one line of program output (stream: "stdout" | "stderr")
//   {id, event: "stdin", read, prompt, mode} the program called input(): the page asks the reader for a line
//                                            (see StdinMode) and answers read number `read` as the mode says
// One page -> worker message is not a request and gets no reply: {type: STDIN_REPLY, read, line} answers a
// "stdin" event in StdinMode.SUSPENDING (line: the typed text, or null when the read was cancelled).
// Requests are handled one at a time, in order, except CONTROL_PROBE, which is answered at once (see below).

/**
 * The service worker's delay endpoint, as a path relative to the site root (`<site root>__delay__/?ms=N&id=X`).
 * Served by docs/sw.js (its DELAY_PATH, spelled there again: a classic service worker script cannot import this
 * module). The page's runner looks for it in a program's code (runner.js, needsServiceWorker); the worker asks it
 * for MessageType.CONTROL_PROBE (worker.js).
 */
export const DELAY_ENDPOINT = "__delay__/";

/** Request types the worker understands. @enum {string} */
export const MessageType = Object.freeze({
  /** Load Pyodide (idempotent). Result: {pyodideVersion, pythonVersion, fromSnapshot} (fromSnapshot: Python
   * started from the start-up snapshot stored by an earlier visit, see worker.js). */
  LOAD: "load",
  /** Run Python source in a fresh namespace. Payload: {code, timeline, helpers?, check?}. Result: RunResult.
   * With `check` (an exercise's check.py) and `helpers` (snippets/exercises/exercise.py), the helpers are installed
   * as the module `exercise` before the program, and the check runs after it on what it did (RunResult.check). */
  RUN: "run",
  /** Use a SharedArrayBuffer as Pyodide's interrupt buffer (only when crossOriginIsolated). Payload: {buffer}. */
  SET_INTERRUPT_BUFFER: "set-interrupt-buffer",
  /** Use a SharedArrayBuffer (StdinBuffer layout) for blocking input() reads (only when crossOriginIsolated).
   * Payload: {buffer}. */
  SET_STDIN_BUFFER: "set-stdin-buffer",
  /** The answer to a "stdin" event in StdinMode.SUSPENDING. Payload: {read, line}. Not queued, no reply. */
  STDIN_REPLY: "stdin-reply",
  /** Load the wizard wheel and call wizard.decide(answers).to_dict(). Payload: {answers}. Result: the dict. */
  WIZARD_DECIDE: "wizard-decide",
  /** Whether this worker's requests reach the site's service worker (docs/sw.js): a 0 ms request to its delay
   * endpoint, answered by it only if it controls this worker. No payload. Result: boolean. Not queued behind
   * other work (it touches no Python state): answered at once, even while the start-up snapshot is being stored. */
  CONTROL_PROBE: "control-probe",
});

/** Events the worker sends while a request runs. @enum {string} */
export const EventType = Object.freeze({
  PROGRESS: "progress",
  /** The program itself begins (after the runner's preamble): from now on an interrupt reaches the program. */
  STARTED: "started",
  STREAM: "stream",
  STDIN: "stdin",
});

/** How a program's input() waits for the reader's line, chosen per read (worker.js). @enum {string} */
export const StdinMode = Object.freeze({
  /** Cross-origin isolated page: the worker blocks in Atomics.wait on the stdin SharedArrayBuffer, as CPython
   * blocks in read(): the event loop stalls. The page answers by writing the line into the buffer. */
  BLOCKING: "blocking",
  /** Stack switching (JSPI): Pyodide's run_sync suspends the program's stack on a promise, and the worker's event
   * loop (and so other asyncio tasks) keeps running. The page answers with a STDIN_REPLY message. */
  SUSPENDING: "suspending",
});

/**
 * Layout of the stdin SharedArrayBuffer: an Int32 state (STDIN_WAITING, STDIN_LINE or STDIN_CANCELLED), an Int32
 * byte length, then the line's UTF-8 bytes (at most STDIN_MAX_BYTES; a longer line is cut at a character).
 */
export const StdinBuffer = Object.freeze({
  WAITING: 0,
  LINE: 1,
  CANCELLED: 2,
  HEADER_BYTES: 8,
  MAX_BYTES: 64 * 1024,
});

/** Loading stages reported with EventType.PROGRESS. @enum {string} */
export const LoadStage = Object.freeze({
  DOWNLOADING: "downloading",
  STARTING: "starting",
  READY: "ready",
});

/**
 * @typedef {object} TaskSpan  one asyncio task, for the timeline
 * @property {string} name     task name (asyncio's "Task-N" unless the program named it)
 * @property {string} coro     qualified name of the task's coroutine
 * @property {number} start    seconds since the run started
 * @property {number|null} end seconds since the run started, null if the task never finished
 */

/**
 * @typedef {object} RunResult
 * @property {boolean} ok          false when the program raised (traceback already streamed to stderr)
 * @property {number} elapsedMs    wall time of the run, measured in the worker
 * @property {TaskSpan[]} timeline empty unless requested
 * @property {CheckVerdict|null} check  the exercise's verdict, null unless the request had `check`
 */

/**
 * @typedef {object} CheckVerdict  what an exercise's check measured (snippets/exercises/exercise.py run_check)
 * @property {boolean} passed
 * @property {string} message       says what was measured, e.g. "The 5 downloads took 1.00 s ..."
 */
