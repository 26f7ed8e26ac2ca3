/**
 * asyncfit's service worker: pages you have read stay readable offline.
 *
 * Network first, cache second. Online, every page and file comes from the server exactly as without this worker
 * (nothing can go stale after a deploy); each successful answer is also kept in one cache. Offline (or when the
 * server cannot be reached), the kept copy answers; a page never opened before redirects to the offline page.
 *
 * What is kept: pages (navigations) and the same-origin styles, scripts, fonts and images they use. What is never
 * touched: the BYPASSED folders below (where the browser supports static routing, their requests do not even
 * start this worker), other origins, and non-GET requests.
 *
 * The page-side half is assets/offline/register.js: it registers this file and, because the first page a reader
 * opens loads before this worker exists, asks it to keep that page and the files it loaded.
 *
 * The delay endpoint, `<site root>__delay__/?ms=N&id=X` (GET, same origin): this worker answers it itself, after N
 * milliseconds (0 to MAX_DELAY_MS), with JSON `{id, ms, received, answered}` (times in ms since the epoch, this
 * worker's clock), never cached and never sent to a server. Bad input gets a 400 with a one-line text body. It lets
 * the examples that make many HTTP requests (snippets/delay_fanout.py, delay_timeout.py) run in the
 * browser with real `fetch` calls and real waits. No page can live there: MkDocs never writes a folder starting
 * with `__`. Every answer carries `X-Asyncfit-Delay: service-worker`, so a caller can tell it apart from a server's
 * 404 when this worker does not control the page (first visit, unsupported browser).
 *
 * Messages (page -> worker): `{type: "keep", urls: string[]}`.
 * Lives at the site root so that its scope is the whole site (a worker controls only URLs under its own folder).
 */

/** Bump to drop every copy kept by an earlier version of this worker. */
const CACHE = "asyncfit-offline-v1";
const SCOPE = new URL(/** @type {any} */ (self).registration.scope);
const OFFLINE_PAGE = new URL("offline/", SCOPE).href;
const KEPT_DESTINATIONS = new Set(["style", "script", "font", "image"]);

/**
 * Folders this worker never touches: `vendor/` (Pyodide and the editor: large, versioned, left to the HTTP cache)
 * and `assets/runner/` (the runner's scripts: its Python worker must start without waiting for this one; measured
 * about 0.1 s on a page with examples).
 */
const BYPASSED = ["vendor/", "assets/runner/"].map((folder) => `${SCOPE.pathname}${folder}`);

/**
 * The delay endpoint's path and bounds (see the header). The path is also DELAY_ENDPOINT in
 * assets/runner/protocol.js, which the runner's page and worker import; this worker is a classic script
 * (register.js registers it without `type: "module"`) and cannot import that module, so the two are kept alike.
 */
const DELAY_PATH = `${SCOPE.pathname}__delay__/`;
const MAX_DELAY_MS = 10_000;
const DELAY_HEADERS = { "Cache-Control": "no-store", "X-Asyncfit-Delay": "service-worker" };

/**
 * Answer the delay endpoint: after `ms` milliseconds, `{id, ms, received, answered}`; bad input: a 400 saying why.
 * @param {URL} url
 * @returns {Promise<Response>}
 */
async function delayed(url) {
  const received = performance.timeOrigin + performance.now();
  const raw = url.searchParams.get("ms");
  const id = url.searchParams.get("id") ?? "";
  if (raw === null || !/^\d{1,5}$/.test(raw) || Number(raw) > MAX_DELAY_MS) {
    const body = `__delay__: ms must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}, got ${JSON.stringify(raw)}\n`;
    return new Response(body, { status: 400, headers: { ...DELAY_HEADERS, "Content-Type": "text/plain; charset=utf-8" } });
  }
  const ms = Number(raw);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const answered = performance.timeOrigin + performance.now();
  return new Response(JSON.stringify({ id, ms, received, answered }), {
    headers: { ...DELAY_HEADERS, "Content-Type": "application/json" },
  });
}

/** @param {Request} request */
const isDelay = (request) => {
  const url = new URL(request.url);
  return request.method === "GET" && url.origin === SCOPE.origin && url.pathname === DELAY_PATH;
};

/**
 * Whether this worker may keep a copy of url: this site's origin, under its scope, outside the BYPASSED folders.
 * @param {URL} url
 */
const inScope = (url) =>
  url.origin === SCOPE.origin &&
  url.pathname.startsWith(SCOPE.pathname) &&
  !BYPASSED.some((folder) => url.pathname.startsWith(folder));

/** @param {string} url */
function withoutQuery(url) {
  const bare = new URL(url);
  bare.search = "";
  bare.hash = "";
  return bare.href;
}

/**
 * Whether this worker answers the request (otherwise the browser goes to the network as if it did not exist).
 * @param {Request} request
 */
function handles(request) {
  if (request.method !== "GET" || !inScope(new URL(request.url))) return false;
  return request.mode === "navigate" || KEPT_DESTINATIONS.has(request.destination);
}

/**
 * Network first; keep a copy of every successful same-origin answer (written after the answer has gone to the
 * page, the worker kept alive until then); fall back to the kept copy, then (for pages) to the offline page.
 * @param {any} event  the fetch event
 * @returns {Promise<Response>}
 */
async function networkFirst(event) {
  const request = /** @type {Request} */ (event.request);
  const cache = await caches.open(CACHE);
  // A page is kept once, whatever its query (the wizard's permalinks only differ there).
  const key = request.mode === "navigate" ? withoutQuery(request.url) : request;
  try {
    // Navigation preload: the browser started the page's request while this worker was starting up.
    const preloaded = request.mode === "navigate" ? await event.preloadResponse : undefined;
    const response = preloaded ?? (await fetch(request));
    if (response.ok && response.type === "basic") event.waitUntil(cache.put(key, response.clone()));
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    // A page never kept: send the reader to the offline page (a redirect, so that its relative links resolve).
    if (request.mode === "navigate" && (await cache.match(OFFLINE_PAGE))) return Response.redirect(OFFLINE_PAGE, 302);
    throw error;
  }
}

/**
 * Keep copies of the given same-origin URLs (those outside this worker's reach are skipped).
 * @param {unknown[]} urls
 */
async function keep(urls) {
  const cache = await caches.open(CACHE);
  const wanted = urls
    .filter((url) => typeof url === "string")
    .map((url) => new URL(url, SCOPE))
    .filter(inScope);
  await Promise.allSettled(
    wanted.map(async (url) => {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok) await cache.put(withoutQuery(url.href), response);
    }),
  );
}

self.addEventListener("install", (/** @type {any} */ event) => {
  // Static routing (Chromium 123+): requests for the bypassed folders never start this worker at all.
  if (typeof event.addRoutes === "function" && typeof URLPattern === "function") {
    const routes = BYPASSED.map((folder) => ({
      condition: { urlPattern: new URLPattern({ pathname: `${folder}*` }) },
      source: "network",
    }));
    event.waitUntil(event.addRoutes(routes).catch(() => {}));
  }
  event.waitUntil(keep([OFFLINE_PAGE]));
});

self.addEventListener("activate", (/** @type {any} */ event) => {
  // Take control of the pages already open, and of their workers: on a first visit the runner's Python worker starts
  // before this one exists, and the delay endpoint answers only requests from clients this worker controls.
  // Measured in Chromium 156: without claim() that worker's fetches went to the server (404) until a reload; with it,
  // the same running worker's next fetch was answered here, and after a reload always (with the static routing
  // bypass of assets/runner/ in place: the routes decide where a request goes, not who controls the client). A worker
  // still starting at that moment is left out (claim() skips clients not yet execution ready): the runner then
  // starts a fresh one (assets/runner/runner.js, "Service worker control").
  event.waitUntil(/** @type {any} */ (self).clients.claim());
  // Navigation preload: a page's request starts while this worker is still starting up, instead of after.
  const preload = /** @type {any} */ (self).registration.navigationPreload;
  if (preload) event.waitUntil(preload.enable().catch(() => {}));
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith("asyncfit-offline-") && n !== CACHE).map((n) => caches.delete(n))),
      ),
  );
});

self.addEventListener("fetch", (/** @type {any} */ event) => {
  if (isDelay(event.request)) event.respondWith(delayed(new URL(event.request.url)));
  else if (handles(event.request)) event.respondWith(networkFirst(event));
});

self.addEventListener("message", (/** @type {any} */ event) => {
  const data = event.data;
  if (data && data.type === "keep" && Array.isArray(data.urls)) event.waitUntil(keep(data.urls));
});
