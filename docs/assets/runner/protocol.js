// Messages between the page (runner.js) and the Python worker (worker.js).
//
// Requests (page -> worker): {id, type, ...payload}. Every request gets exactly one reply:
//   {id, result}  on success, or  {id, error: {name, message}}  on failure.
// While a request is in progress the worker may send any number of events for it:
//   {id, event: "progress", stage}           loading stages (see LoadStage)
//   {id, event: "stream", stream, text}      one line of program output (stream: "stdout" | "stderr")

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
  /** Load the wizard wheel and call wizard.decide(answers).to_dict(). Payload: {answers}. Result: the dict. */
  WIZARD_DECIDE: "wizard-decide",
});

/** Events the worker sends while a request runs. @enum {string} */
export const EventType = Object.freeze({
  PROGRESS: "progress",
  STREAM: "stream",
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
