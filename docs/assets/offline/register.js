/**
 * Registers the site's service worker (sw.js at the site root: pages you have read stay readable offline) and
 * tells it which page and files to keep.
 *
 * The first page a reader opens was loaded before the worker existed, so the worker never saw it; after every
 * page the worker does not control (that first one, and each one reached from it by Material's instant
 * navigation, through its `document$` observable) this module sends the worker the page's URL and the
 * same-origin files the page loaded. The worker skips anything under vendor/. Pages it controls send nothing:
 * their requests went through it and were kept then (sending the list anyway made it fetch every file again,
 * measured to delay Python's start on a returning reader's page with examples by about 0.2 s).
 *
 * Does nothing where service workers are unavailable (plain http on a non-local host, file://, old browsers) or
 * refused (reading `navigator.serviceWorker` throws): the site works the same, minus offline reading.
 *
 * @module offline/register
 */

/** The site root, from this module's own URL (assets/offline/register.js). */
const SITE_ROOT = new URL("../../", import.meta.url);

/**
 * Whether this page was loaded through the service worker (read before the worker can claim it). Read defensively:
 * where the browser refuses service workers to the site, reading `navigator.serviceWorker` itself throws (Firefox
 * with cookies blocked: SecurityError), and a throw here would stop this module; register() then stops quietly.
 */
const controlledAtLoad = (() => {
  try {
    return Boolean(globalThis.navigator?.serviceWorker?.controller);
  } catch {
    return false;
  }
})();

/** @param {ServiceWorker | null | undefined} worker */
function keepThisPage(worker) {
  if (!worker) return;
  const urls = [
    location.href,
    ...performance
      .getEntriesByType("resource")
      .map((entry) => entry.name)
      .filter((name) => name.startsWith(SITE_ROOT.href)),
  ];
  worker.postMessage({ type: "keep", urls });
}

async function register() {
  // A page outside the site's folder (a host's error page borrowing the site's files) is none of its business.
  if (!("serviceWorker" in navigator) || !location.href.startsWith(SITE_ROOT.href)) return;
  let registration;
  try {
    registration = await navigator.serviceWorker.register(new URL("sw.js", SITE_ROOT), { scope: SITE_ROOT.pathname });
  } catch {
    return; // e.g. a browser setting forbids it: the site still works online
  }
  const ready = await navigator.serviceWorker.ready;
  // A page loaded through the worker needs no message: its requests went through the worker, which kept them. The
  // first page is judged by whether it was controlled when it loaded: the worker claims it on activation (sw.js), but
  // its files had already been loaded without it.
  let loadedThroughWorker = controlledAtLoad;
  const keepCurrent = () => {
    if (!loadedThroughWorker) keepThisPage(ready.active ?? registration.active);
    loadedThroughWorker = Boolean(navigator.serviceWorker.controller);
  };
  const documentObservable = /** @type {any} */ (globalThis).document$;
  if (documentObservable && typeof documentObservable.subscribe === "function") {
    documentObservable.subscribe(() => keepCurrent());
  } else {
    keepCurrent();
  }
}

// After the page has loaded, so registering never competes with what the reader came for.
if (document.readyState === "complete") register();
else globalThis.addEventListener("load", () => register(), { once: true });
