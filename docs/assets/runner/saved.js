// A reader's edits to runnable examples: autosave in this browser, and share links (runner.js uses it).
//
// - Autosave: each edit is kept in localStorage under the page's path and the example's position on the page,
//   with the fingerprint of the example's build-time code (`data-af-id`, tools/asyncfit_docs/runnable.py). An
//   edit saved against another fingerprint was made on an older version of the example: the reader is told and
//   chooses, nothing is applied or dropped silently. Storage full or turned off: one visible line, no failure.
// - Share links: "Copy link" puts the code, compressed with the browser's own CompressionStream (deflate-raw)
//   and base64url-encoded, in the URL fragment, which browsers never send to a server:
//       #run=1.<position>.<fingerprint>.<data>
//   (`=` and `.` never occur in the site's heading anchors or #afNNN rule anchors). Opening such a link puts
//   the code in that example, marked as from a shared link, and never runs it. A malformed, oversized or
//   unknown fragment is ignored with one visible line.
// - The host (runner.js's Example) gives access to its code through code() / setCode() / onCodeChange(), so
//   this module does not care whether the editor exists yet.
// - Text is written with textContent only.

import { el } from "./dom.js";

const STORAGE_PREFIX = "asyncfit:edit:v1:";
const LINK_PREFIX = "#run=";
const LINK_VERSION = "1";
/** The longest fragment accepted or made (characters): a chat message or an issue keeps a link this long. */
export const MAX_LINK_CHARS = 16000;
/** The largest code a link may carry once decompressed (bytes): a guard against decompression bombs. */
export const MAX_CODE_BYTES = 64 * 1024;
const SAVE_DELAY_MS = 300;
const LINK_PATTERN = /^#run=([^.]*)\.(\d{1,4})\.([0-9a-f]{12})\.([A-Za-z0-9_-]+)$/;

/** @typedef {{id: string, code: string, shared: boolean, at: number}} SavedEdit */

/**
 * What EditMemory needs from an example.
 * @typedef {object} Host
 * @property {HTMLElement} root  the `div.af-runnable`
 * @property {string} source  the build-time code
 * @property {HTMLElement} toolbar
 * @property {() => string} code
 * @property {(text: string) => void} setCode  replace the code (not reported to onCodeChange listeners)
 * @property {(listener: () => void) => void} onCodeChange  called after each edit by the reader
 * @property {(text: string) => void} setStatus  the example's polite live region
 */

// ---------------------------------------------------------------------------------------------------------
// Storage: every access may throw (storage turned off, quota exceeded); none of that may break the page.

/** @returns {Storage|null} */
function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** @param {string} key @returns {SavedEdit|null} a well-formed saved edit, or null */
function readSaved(key) {
  let text = null;
  try {
    text = storage()?.getItem(key) ?? null;
  } catch {
    return null;
  }
  if (text === null) return null;
  try {
    const value = JSON.parse(text);
    if (value && typeof value.id === "string" && typeof value.code === "string") {
      return { id: value.id, code: value.code, shared: value.shared === true, at: Number(value.at) || 0 };
    }
  } catch {
    // not JSON: dropped below
  }
  removeSaved(key);
  return null;
}

/** @param {string} key @param {SavedEdit} value @returns {boolean} whether it was stored */
function writeSaved(key, value) {
  const store = storage();
  if (!store) return false;
  try {
    store.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** @param {string} key */
function removeSaved(key) {
  try {
    storage()?.removeItem(key);
  } catch {
    // nothing stored, nothing to remove
  }
}

/** @returns {string} this page's path, the same with or without a trailing index.html */
function pagePath() {
  return location.pathname.replace(/index\.html$/, "");
}

/** @param {string} a @param {string} b @returns {boolean} the same code (the editor drops a final newline) */
function sameCode(a, b) {
  return a.replace(/\n$/, "") === b.replace(/\n$/, "");
}

// ---------------------------------------------------------------------------------------------------------
// Share links: deflate-raw + base64url, with caps on both sides.

/** A share link that cannot be used; the message says why, for the reader. */
class LinkError extends Error {}

/** @param {Uint8Array} bytes @returns {string} */
function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** @param {string} text base64url without padding @returns {Uint8Array} */
function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** @param {string} code @returns {Promise<string>} */
async function compress(code) {
  const stream = new Blob([code]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** @param {string} data @returns {Promise<string>} the code, refusing more than MAX_CODE_BYTES */
async function decompress(data) {
  let bytes;
  try {
    bytes = fromBase64Url(data);
  } catch {
    throw new LinkError("its code is not valid base64url");
  }
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_CODE_BYTES) {
        reader.cancel().catch(() => {});
        throw new LinkError(`its code is larger than ${MAX_CODE_BYTES / 1024} KB once decompressed`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof LinkError) throw error;
    throw new LinkError("its code is damaged (not valid compressed data)");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await new Blob(chunks).arrayBuffer());
  } catch {
    throw new LinkError("its code is not valid UTF-8 text");
  }
}

/**
 * @param {string} hash location.hash
 * @returns {{position: number, id: string, data: string}} the parts of a share-link fragment
 */
function parseLink(hash) {
  if (hash.length > MAX_LINK_CHARS) {
    throw new LinkError(`it is ${hash.length} characters long, over the limit of ${MAX_LINK_CHARS}`);
  }
  const match = LINK_PATTERN.exec(hash);
  if (!match) throw new LinkError("it is malformed (expected #run=1.<example>.<fingerprint>.<code>)");
  if (match[1] !== LINK_VERSION) throw new LinkError(`it has a format this page does not know (${match[1]})`);
  return { position: Number(match[2]), id: match[3], data: match[4] };
}

// ---------------------------------------------------------------------------------------------------------
// One example's memory


/** Memories of the examples on the page, flushed when the page is hidden or left. */
const live = new Set();
/** The example showing the page's one "could not be saved" line, if any. */
let unsavedLineOn = null;
addEventListener("pagehide", () => live.forEach((memory) => memory.flush()));
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") live.forEach((memory) => memory.flush());
});

export class EditMemory {
  /** @param {Host} host */
  constructor(host) {
    this.host = host;
    this.id = host.root.dataset.afId ?? "";
    this.position = Array.prototype.indexOf.call(document.querySelectorAll("div.af-runnable"), host.root);
    this.key = `${STORAGE_PREFIX}${pagePath()}#${this.position}`;
    /** @type {"edit"|"shared"|null} */
    this.origin = null;
    this.timer = 0;

    this.marker = el("span", { className: "af-edited" });
    this.marker.hidden = true;
    this.copyButton = /** @type {HTMLButtonElement} */ (
      el("button", { className: "md-button af-copy-link", text: "Copy link" })
    );
    this.copyButton.type = "button";
    this.copyButton.title = "Copy a link to this page with your code in this example (the code is in the link itself)";
    this.copyButton.hidden = true;
    this.copyButton.addEventListener("click", () => this.copyLink());
    host.toolbar.querySelector(".af-status")?.before(this.copyButton, this.marker);

    this.note = el("p", { className: "af-saved-note" });
    this.note.setAttribute("role", "status");
    this.note.hidden = true;
    this.linkField = el("label", { className: "af-share-field", text: "Link to your code: " });
    this.linkInput = /** @type {HTMLInputElement} */ (el("input", { className: "af-share-link" }));
    this.linkInput.readOnly = true;
    this.linkInput.type = "url";
    this.linkField.append(this.linkInput);
    this.linkField.hidden = true;
    host.toolbar.after(this.note, this.linkField);

    host.onCodeChange(() => this.changed());
    live.add(this);
    this.restore();
  }

  /** Apply this example's saved edit, or offer it when it was made on an older version of the example. */
  restore() {
    const saved = readSaved(this.key);
    if (!saved) return;
    if (saved.id !== this.id) {
      this.offerOlder(saved);
    } else if (sameCode(saved.code, this.host.source)) {
      removeSaved(this.key);
    } else {
      this.host.setCode(saved.code);
      this.mark(saved.shared ? "shared" : "edit");
    }
  }

  /** @param {SavedEdit} saved an edit whose example has changed since */
  offerOlder(saved) {
    const use = el("button", { className: "md-button af-use-older", text: "Use my older edit" });
    const discard = el("button", { className: "md-button af-discard-older", text: "Discard it" });
    for (const button of [use, discard]) /** @type {HTMLButtonElement} */ (button).type = "button";
    use.addEventListener("click", () => {
      this.host.setCode(saved.code);
      this.mark(saved.shared ? "shared" : "edit");
      this.save();
      this.say("");
    });
    discard.addEventListener("click", () => {
      removeSaved(this.key);
      this.say("");
    });
    this.say(
      "Your edit was made on an older version of this example; the current version is shown " +
        "(editing it replaces your older edit). ",
      use,
      discard,
    );
  }

  /** @param {string} text one visible line ("" hides it) @param {...HTMLElement} controls buttons after it */
  say(text, ...controls) {
    this.note.replaceChildren(el("span", { className: "af-saved-text", text }), ...controls);
    this.note.hidden = !text;
  }

  /** @param {"edit"|"shared"} origin */
  mark(origin) {
    this.origin = origin;
    this.marker.textContent = origin === "shared" ? "Edited (from a shared link)" : "Edited";
    this.marker.title = "Saved in this browser; Reset restores the original";
    this.marker.hidden = false;
    this.copyButton.hidden = false;
    this.host.root.dataset.afEdited = origin;
  }

  unmark() {
    this.origin = null;
    this.marker.hidden = true;
    this.copyButton.hidden = true;
    this.linkField.hidden = true;
    delete this.host.root.dataset.afEdited;
  }

  /** The reader changed the code. */
  changed() {
    this.linkField.hidden = true;
    if (sameCode(this.host.code(), this.host.source)) {
      this.forget();
      return;
    }
    if (this.origin !== "edit") {
      this.mark("edit");
      if (unsavedLineOn !== this) this.say("");
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  /** Save a pending change now (the page is being left or hidden). */
  flush() {
    if (!this.timer) return;
    this.save();
  }

  /**
   * @param {boolean} [quiet] say nothing when it cannot be stored (the caller says it)
   * @returns {boolean} whether the edit is stored
   */
  save(quiet = false) {
    clearTimeout(this.timer);
    this.timer = 0;
    if (!this.origin) return false;
    const stored = writeSaved(this.key, {
      id: this.id,
      code: this.host.code(),
      shared: this.origin === "shared",
      at: Date.now(),
    });
    // One line per page, however many examples are edited: on the first example that could not be stored.
    if (!stored && !quiet && !(unsavedLineOn && live.has(unsavedLineOn))) {
      unsavedLineOn = this;
      this.say(
        "Your edits could not be saved in this browser (its storage is full or turned off); " +
          "they are kept until you leave this page.",
      );
    }
    return stored;
  }

  /** Back to the build-time code: no saved edit, no marker. */
  forget() {
    clearTimeout(this.timer);
    this.timer = 0;
    removeSaved(this.key);
    this.unmark();
    this.say("");
    if (unsavedLineOn === this) unsavedLineOn = null;
  }

  /** Reset: the host has put the original code back. */
  reset() {
    this.forget();
  }

  /** The example leaves the page (instant navigation): keep what the reader typed. */
  dispose() {
    this.flush();
    live.delete(this);
  }

  /**
   * Code from a share link: shown, marked and saved, never run.
   * @param {string} code
   * @param {boolean} older the link was made for another version of this example
   */
  openShared(code, older) {
    const replaced = this.origin === "edit" && !sameCode(this.host.code(), code);
    this.host.setCode(code);
    this.mark("shared");
    const stored = this.save(true);
    this.say(
      "This code comes from a shared link and has not run: read it before you press Run. " +
        (older ? "It was written for an older version of this example. " : "") +
        (replaced ? "It replaces your own saved edit. " : "") +
        (stored ? "" : "It could not be saved in this browser (storage full or turned off). ") +
        "Reset restores the original.",
    );
    this.host.root.scrollIntoView({ block: "start" });
  }

  async copyLink() {
    let url;
    try {
      url = await this.link();
    } catch (error) {
      this.say(`No link made: ${/** @type {Error} */ (error).message}.`);
      return;
    }
    try {
      await navigator.clipboard.writeText(url);
      this.linkField.hidden = true;
      this.host.setStatus("Link copied.");
    } catch {
      // No clipboard permission (or no Clipboard API): the link in a read-only field, selected for copying.
      this.linkInput.value = url;
      this.linkField.hidden = false;
      this.linkInput.focus();
      this.linkInput.select();
      this.host.setStatus("The link is selected below: copy it with Ctrl+C or Cmd+C.");
    }
  }

  /** @returns {Promise<string>} this page's URL with the current code in the fragment */
  async link() {
    if (typeof CompressionStream !== "function") throw new Error("this browser cannot compress the code");
    const code = this.host.code();
    if (new TextEncoder().encode(code).length > MAX_CODE_BYTES) {
      throw new Error(`the code is larger than ${MAX_CODE_BYTES / 1024} KB`);
    }
    const hash = `${LINK_PREFIX}${LINK_VERSION}.${this.position}.${this.id}.${await compress(code)}`;
    if (hash.length > MAX_LINK_CHARS) {
      throw new Error(`the code is too long for a link (${hash.length} characters, the limit is ${MAX_LINK_CHARS})`);
    }
    return `${location.origin}${location.pathname}${location.search}${hash}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Opening a share link

/** @param {string} text one visible line for a link that no example can take */
function sayOnPage(text) {
  const line = el("p", { className: "af-saved-note af-link-problem", text });
  line.setAttribute("role", "status");
  document.querySelector("article")?.prepend(line);
}

/**
 * If the URL carries a share link, put its code in its example (never run); otherwise do nothing. The fragment
 * is taken off the URL first, so a reload shows the saved edit rather than applying the link over it again.
 * @param {EditMemory[]} memories the page's examples
 */
export async function openSharedLink(memories) {
  const hash = location.hash;
  if (!hash.startsWith(LINK_PREFIX)) return;
  history.replaceState(history.state, "", `${location.pathname}${location.search}`);
  const problem = (/** @type {string} */ reason, /** @type {EditMemory|undefined} */ memory) => {
    const text = `The shared link was ignored: ${reason}.`;
    if (memory) memory.say(text);
    else sayOnPage(text);
  };
  let link;
  try {
    link = parseLink(hash);
  } catch (error) {
    problem(/** @type {Error} */ (error).message, memories[0]);
    return;
  }
  const exact = memories.find((memory) => memory.id === link.id);
  const target = exact ?? memories.find((memory) => memory.position === link.position);
  if (!target) {
    problem("the example it was made for is not on this page any more", memories[0]);
    return;
  }
  if (typeof DecompressionStream !== "function") {
    problem("this browser cannot decompress its code", target);
    return;
  }
  try {
    target.openShared(await decompress(link.data), !exact);
  } catch (error) {
    problem(error instanceof LinkError ? error.message : "its code could not be read", target);
  }
}
