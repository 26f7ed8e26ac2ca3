// input() in the browser, page side: the line the reader types for a program that reads stdin.
//
// The worker (worker.js) sends a "stdin" event (protocol.js) when the program calls input() or
// sys.stdin.readline(). runner.js then shows a labelled text field under the example's output (askForLine),
// and answers the worker as the event's mode says (answerLine): on a cross-origin-isolated page by writing the
// line into the stdin SharedArrayBuffer the worker is blocked on (Atomics.notify wakes it), otherwise by a
// STDIN_REPLY message to the worker, whose program is suspended by stack switching (JSPI).
// Stop, the time limit, and leaving the page cancel a pending read: the field goes away (cancel()).

import { MessageType, StdinBuffer, StdinMode } from "./protocol.js";
import { el } from "./dom.js";

/** Text of the status line (a live region) while a read is pending: what screen readers announce. */
export const WAITING_TEXT = "Python is waiting for input: type a line and press Enter.";

/** @returns {SharedArrayBuffer} a new stdin buffer (StdinBuffer layout), for a cross-origin-isolated page */
export function makeStdinBuffer() {
  return new SharedArrayBuffer(StdinBuffer.HEADER_BYTES + StdinBuffer.MAX_BYTES);
}

/**
 * Answer a read: write the line into the shared buffer and wake the blocked worker, or post it.
 * @param {{read: number, mode: string}} event      the worker's "stdin" event
 * @param {string|null} line                         the typed line, or null: the read is cancelled
 * @param {{buffer: SharedArrayBuffer|null, worker: Worker|null}} to  where to answer
 */
export function answerLine(event, line, { buffer, worker }) {
  if (event.mode === StdinMode.BLOCKING) {
    if (!buffer) return;
    const header = new Int32Array(buffer, 0, 2);
    if (line !== null) {
      const room = new Uint8Array(StdinBuffer.MAX_BYTES);
      const { written } = new TextEncoder().encodeInto(line, room); // cuts a longer line at a character
      new Uint8Array(buffer, StdinBuffer.HEADER_BYTES, written).set(room.subarray(0, written));
      Atomics.store(header, 1, written);
    }
    Atomics.store(header, 0, line === null ? StdinBuffer.CANCELLED : StdinBuffer.LINE);
    Atomics.notify(header, 0);
  } else {
    worker?.postMessage({ type: MessageType.STDIN_REPLY, read: event.read, line });
  }
}

let fieldCount = 0;

/**
 * Show a text field for one line after `after` (the example's output), labelled with the program's prompt, and
 * focus it. Enter (or the Send button) calls onLine with the text and removes the field.
 * @param {Element} after
 * @param {string} prompt                    what the program passed to input() ("" for sys.stdin)
 * @param {(line: string) => void} onLine
 * @returns {{cancel: () => void}} cancel() removes the field without answering
 */
export function askForLine(after, prompt, onLine) {
  const id = `af-stdin-${++fieldCount}`;
  const form = el("form", { className: "af-stdin", attrs: { "aria-label": "Input for the running program" } });
  const label = el("label", {
    className: "af-stdin-label",
    text: prompt.trim() ? prompt : "Input for the program:",
    attrs: { for: id },
  });
  const field = /** @type {HTMLInputElement} */ (
    el("input", {
      className: "af-stdin-field",
      attrs: { id, type: "text", autocomplete: "off", spellcheck: "false", enterkeyhint: "send" },
    })
  );
  const send = el("button", { className: "md-button af-stdin-send", text: "Send", attrs: { type: "submit" } });
  form.append(label, field, send);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    form.remove();
    onLine(field.value);
  });
  after.after(form);
  field.focus();
  return { cancel: () => form.remove() };
}

/**
 * The echo of a read, as a terminal shows it: the prompt and the typed line, on one output line.
 * @param {string} prompt
 * @param {string} line
 * @returns {HTMLElement}
 */
export function echoLine(prompt, line) {
  const echo = el("span", { className: "af-line af-stdin-echo" });
  echo.append(prompt, el("span", { className: "af-stdin-typed", text: line }), "\n");
  return echo;
}

/**
 * A timeout that can be paused (the time limit does not count the time a reader spends typing).
 */
export class PausableTimeout {
  /** @param {() => void} callback @param {number} ms */
  constructor(callback, ms) {
    this.callback = callback;
    this.remaining = ms;
    this.timer = 0;
    this.since = 0;
    this.resume();
  }

  pause() {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = 0;
    this.remaining -= performance.now() - this.since;
  }

  resume() {
    if (this.timer) return;
    this.since = performance.now();
    this.timer = setTimeout(this.callback, Math.max(0, this.remaining));
  }

  clear() {
    clearTimeout(this.timer);
    this.timer = 0;
  }
}
