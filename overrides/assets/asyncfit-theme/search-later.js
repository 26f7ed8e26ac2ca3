/**
 * Material's search worker, started late (MkDocs builds only; overrides/main.html points Material's
 * `search` setting here, with Material's own worker file in the `src` query parameter).
 *
 * Material starts its search worker on every page load and hands it the whole search index at once; the worker
 * then builds its full-text index, about 0.3 s of CPU on a two-core machine, while the page, the editor and the
 * Python worker are starting too. Here the index message waits: Material's worker is loaded when the reader's
 * first query arrives, or DELAY_MS after the page opened, whichever comes first, and then gets every message
 * in the order sent, the ones after the index only once the index is built (so a first query is answered
 * from the full index). Search results are the same; only when the index is built changes. Probed on the
 * benchmark's page (tools/bench_runner.py) on a two-core machine: a warm visit's first output about 0.1 s sooner.
 *
 * A classic worker script, as Material's is: `importScripts` runs Material's file in this same worker.
 */

/** Material's message types (its search worker's `SearchMessageType`): 0 the index, 1 "index built". */
const SETUP = 0;
const READY = 1;

/**
 * How long after the worker starts the index is built anyway, for a reader who has not searched yet: after a
 * cold start of Python too (about 3 s on a two-core machine, more on slow ones). With 3 s the build overlapped
 * the end of that start in the benchmark. A first query builds it at once whatever the delay (about 0.3 s).
 */
const DELAY_MS = 10_000;

/** Material's worker file: the `src` parameter, resolved against this file; only a same-origin script. */
const material = new URL(new URL(self.location.href).searchParams.get("src") ?? "", self.location.href);

/**
 * "queueing": Material's worker is not loaded, messages wait in `queued`; "indexing": it is loaded and builds
 * the index, later messages still wait (a query handled before the index is built finds nothing); "passing":
 * every message goes straight to Material's own listener.
 * @type {"queueing" | "indexing" | "passing"}
 */
let phase = "queueing";
/** @type {any[]} messages not yet handed to Material's worker, in the order sent */
const queued = [];
/** True while this file hands Material's listener a queued message (this file's listener lets it pass). */
let handing = false;

/** @param {unknown} data */
function hand(data) {
  handing = true;
  try {
    dispatchEvent(new MessageEvent("message", { data }));
  } finally {
    handing = false;
  }
}

/** Hand the queued messages over in order; after the index, wait for Material's "index built" reply. */
function flush() {
  while (queued.length) {
    const data = queued.shift();
    hand(data);
    if (data?.type === SETUP) {
      phase = "indexing";
      return;
    }
  }
  phase = "passing";
}

/** Load Material's worker (once) and start handing it the queued messages. */
function start() {
  if (phase !== "queueing") return;
  if (material.origin !== self.location.origin || !material.pathname.endsWith(".js")) {
    throw new Error(`search-later.js: not a search worker of this site: ${material.href}`);
  }
  const post = self.postMessage.bind(self);
  // Material's worker answers with the global postMessage: watch for its "index built" reply.
  /** @type {any} */ (self).postMessage = (/** @type {any} */ message, /** @type {any[]} */ ...rest) => {
    post(message, ...rest);
    if (phase === "indexing" && message?.type === READY) flush();
  };
  /** @type {any} */ (self).importScripts(material.href);
  flush();
}

// Registered before Material's listener (loaded later), so it runs first and can keep a message from it.
addEventListener("message", (event) => {
  if (handing || phase === "passing") return;
  event.stopImmediatePropagation();
  queued.push(event.data);
  if (event.data?.type !== SETUP) start();
});
setTimeout(start, DELAY_MS);
