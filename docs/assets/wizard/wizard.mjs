/**
 * The decision wizard's page behaviour: live verdict, permalinks, "Copy link" and "Export ADR".
 *
 * The page (docs/wizard/index.md) is plain HTML generated at build time by tools/asyncfit_docs/wizard_page.py:
 * a real `<form method="get">` that works without JavaScript, the panel's skeleton and the highlighted starter
 * patterns as `<template>`s. The build-time decision table (tools/asyncfit_docs/wizard_table.py) is a file of its
 * own, named by the root's `data-af-table-src` and fetched once the page has painted; until it arrives (or if it
 * cannot be had) the form and the list of outcomes work as they do without JavaScript.
 * This module only looks things up: every verdict was computed by the Python engine (`wizard.decide`) at build
 * time. "Verify in Python" recomputes the shown one with the same engine in Pyodide (docs/assets/runner/worker.js).
 *
 * Material's instant navigation swaps page content without reloading modules, so the module subscribes once to
 * Material's `document$` and mounts every wizard found on each new page (elements are marked, never mounted twice;
 * every listener sits on an element of the page and goes away with it).
 *
 * @module wizard
 */

import { assembleAdr, today } from "./adr.mjs";
import { frozenVerdict, lookup } from "./lookup.mjs";
import { fillTemplate, renderPanel } from "./panel.mjs";
import { parseQuery, toQuery } from "./query.mjs";

/** @typedef {import("./lookup.mjs").WizardTable} WizardTable */

/**
 * @typedef {object} WizardState
 * @property {HTMLElement} root       the `[data-af-wizard]` element
 * @property {HTMLFormElement} form   the questionnaire
 * @property {HTMLElement} panel      where the verdict panel goes
 * @property {WizardTable} table      the build-time table
 * @property {Record<string, string>} answers current normalised answers
 * @property {number} decision        index of the decision shown
 */

/** Tables already fetched, by URL: instant navigation back to the wizard does not fetch its table again. */
const tables = new Map();

/**
 * Fetch the build-time table named by the root's `data-af-table-src` (once per URL per page load).
 *
 * @param {HTMLElement} root
 * @returns {Promise<WizardTable>}
 */
function loadTable(root) {
  const src = root.dataset.afTableSrc;
  if (!src) {
    return Promise.reject(new Error("the page names no decision table (data-af-table-src)"));
  }
  const url = new URL(src, document.baseURI).href;
  if (!tables.has(url)) {
    const request = fetch(url, { credentials: "same-origin" }).then(async (response) => {
      if (!response.ok) {
        throw new Error(`HTTP ${response.status} for ${src}`);
      }
      const table = await response.json();
      if (table.fingerprint !== root.dataset.afTableFingerprint) {
        throw new Error("the decision table does not belong to this page (reload it)");
      }
      return table;
    });
    request.catch(() => tables.delete(url)); // a failed fetch is tried again on the next visit
    tables.set(url, request);
  }
  return tables.get(url);
}

/**
 * The answers currently picked in the form (one per question; a radio group with nothing checked is left out).
 *
 * @param {HTMLFormElement} form
 * @param {WizardTable} table
 * @returns {Record<string, string>}
 */
function formAnswers(form, table) {
  /** @type {Record<string, string>} */
  const answers = {};
  const data = new FormData(form);
  for (const question of table.questions) {
    const value = data.get(question.id);
    if (typeof value === "string") {
      answers[question.id] = value;
    }
  }
  return answers;
}

/**
 * Check the radio buttons for the given answers (questions without an answer get their default).
 *
 * @param {HTMLFormElement} form
 * @param {WizardTable} table
 * @param {Record<string, string>} answers
 */
function setFormAnswers(form, table, answers) {
  for (const question of table.questions) {
    const wanted = answers[question.id] ?? question.default;
    for (const input of form.querySelectorAll(`input[type="radio"][name="${CSS.escape(question.id)}"]`)) {
      /** @type {HTMLInputElement} */ (input).checked = /** @type {HTMLInputElement} */ (input).value === wanted;
    }
  }
}

/**
 * Show the link problems (or hide the box when there are none). Text only: values come from the URL.
 *
 * @param {HTMLElement} root
 * @param {Array<{key: string, message: string}>} problems
 */
function showProblems(root, problems) {
  const box = root.querySelector("[data-af-problems]");
  if (!(box instanceof HTMLElement)) {
    return;
  }
  box.replaceChildren();
  box.hidden = problems.length === 0;
  if (problems.length === 0) {
    return;
  }
  const intro = document.createElement("p");
  intro.textContent =
    problems.length === 1
      ? "One part of this link could not be used; the other answers were kept:"
      : `${problems.length} parts of this link could not be used; the other answers were kept:`;
  const list = document.createElement("ul");
  for (const problem of problems) {
    const item = document.createElement("li");
    item.dataset.afProblemKey = problem.key;
    const key = document.createElement("code");
    key.textContent = problem.key;
    item.append(key, document.createTextNode(`: ${problem.message}`));
    list.append(item);
  }
  box.append(intro, list);
}

/**
 * Say what a link made under older rules said, when today's verdict differs (wizard._history.VersionNote.text).
 *
 * @param {WizardState} state
 * @param {number} version  the link's rules version
 * @param {Record<string, string>} linkAnswers the link's answers as given
 */
function showVersionNote(state, version, linkAnswers) {
  const box = state.root.querySelector("[data-af-version-note]");
  if (!(box instanceof HTMLElement)) {
    return;
  }
  const table = state.table;
  const old = version < table.rules_version ? frozenVerdict(table, version, linkAnswers) : null;
  const verdict = table.verdicts[table.decisions[state.decision][0]].verdict;
  box.replaceChildren();
  box.hidden = !old || old === verdict;
  if (box.hidden) {
    return;
  }
  const later = table.versions
    .filter((/** @type {{number: number}} */ v) => v.number > version)
    .map((/** @type {{number: number, date: string, title: string}} */ v) => `v${v.number} (${v.date}): ${v.title}`)
    .join(", ");
  const text = document.createElement("p");
  text.dataset.afVersionText = "";
  text.textContent =
    `This link was made with rules v${version}, which said ${old}; today's rules (v${table.rules_version}) ` +
    `say ${verdict}. What changed since: ${later}.`;
  const link = document.createElement("a");
  link.href = `rules-changelog/#v${table.rules_version}`;
  link.textContent = "Read the rules changelog";
  box.append(text, link);
  box.dataset.afLinkVerdict = old;
}

/**
 * The canonical permalink for the current answers (non-default answers only, in the engine's question order).
 *
 * @param {WizardState} state
 * @returns {string}
 */
function permalink(state) {
  const query = toQuery(state.table, state.answers);
  const url = new URL(window.location.href);
  url.search = `?${query}`;
  url.hash = "";
  return url.toString();
}

/**
 * Recompute the verdict from the form and update the page: question visibility, panel, URL.
 * The time this takes (from the start of the call to the end of the DOM update) is recorded on the root element
 * as `data-af-update-ms` for the tests and the curious.
 *
 * @param {WizardState} state
 * @param {{updateUrl: boolean}} options
 */
function update(state, { updateUrl }) {
  const started = performance.now();
  const result = lookup(state.table, formAnswers(state.form, state.table));
  for (const fieldset of state.form.querySelectorAll("fieldset[data-af-question]")) {
    const visible = result.visible.includes(/** @type {HTMLElement} */ (fieldset).dataset.afQuestion ?? "");
    /** @type {HTMLFieldSetElement} */ (fieldset).hidden = !visible;
    /** @type {HTMLFieldSetElement} */ (fieldset).disabled = !visible;
  }
  state.answers = result.answers;
  if (result.decision !== state.decision) {
    state.panel.replaceChildren(renderPanel(state.root, state.table, result.decision));
    state.panel.hidden = false;
    state.decision = result.decision;
  }
  const verdict = state.table.verdicts[state.table.decisions[result.decision][0]];
  if (state.root.dataset.afVerdict !== verdict.verdict) {
    // A short live region announces a changed verdict; the panel itself is not live (it would be read in full).
    const announce = state.root.querySelector("[data-af-announce]");
    if (announce) {
      announce.textContent = `Verdict: ${verdict.verdict}, ${verdict.title}.`;
    }
  }
  state.root.dataset.afVerdict = verdict.verdict;
  if (updateUrl) {
    const query = toQuery(state.table, state.answers);
    const url = new URL(window.location.href);
    url.search = `?${query}`;
    if (url.href !== window.location.href) {
      window.history.replaceState(window.history.state, "", url);
    }
  }
  state.root.dataset.afUpdateMs = (performance.now() - started).toFixed(3);
  state.root.dataset.afUpdates = String(Number(state.root.dataset.afUpdates ?? "0") + 1);
}

/**
 * Put a short status message next to the action buttons (announced politely to screen readers).
 *
 * @param {HTMLElement} root
 * @param {string} text
 */
function say(root, text) {
  const status = root.querySelector("[data-af-status]");
  if (status) {
    status.textContent = text;
  }
}

/**
 * Copy the permalink: the Clipboard API when allowed, else a selected text field the reader can copy by hand.
 *
 * @param {WizardState} state
 */
async function copyLink(state) {
  const link = permalink(state);
  const field = state.root.querySelector("[data-af-link-field]");
  if (field instanceof HTMLInputElement) {
    field.value = link;
  }
  try {
    await navigator.clipboard.writeText(link);
    say(state.root, "Link copied to the clipboard.");
  } catch {
    if (field instanceof HTMLInputElement) {
      field.hidden = false;
      field.select();
    }
    say(state.root, "Copying is not allowed here: the link is selected in the field, copy it by hand.");
  }
}

/**
 * Download the decision as an Architecture Decision Record (Markdown rendered by the engine at build time).
 *
 * @param {WizardState} state
 */
function exportAdr(state) {
  const text = assembleAdr(state.table, state.decision, state.answers, today());
  const blob = new Blob([text], { type: "text/markdown;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `adr-concurrency-${state.root.dataset.afVerdict}.md`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say(state.root, `Downloaded ${link.download}.`);
}

/** The Python worker (docs/assets/runner/worker.js, Pyodide), started on the first "Verify in Python" only. */
const pythonWorker = {
  /** @type {Worker|null} */
  worker: null,
  nextId: 1,
  /** @type {Map<number, {resolve: (value: any) => void, reject: (error: Error) => void}>} */
  pending: new Map(),
};

/**
 * Send one request to the Python worker (protocol: docs/assets/runner/protocol.js) and wait for its reply.
 *
 * @param {string} type     message type, e.g. "wizard-decide"
 * @param {object} payload
 * @returns {Promise<any>}
 */
function askPython(type, payload) {
  if (!pythonWorker.worker) {
    const worker = new Worker(new URL("../runner/worker.js", import.meta.url), {
      type: "module",
      name: "asyncfit-wizard-python",
    });
    worker.onmessage = (message) => {
      const { id, result, error, event } = message.data;
      const waiting = pythonWorker.pending.get(id);
      if (event || !waiting) {
        return; // progress and output events are not shown here
      }
      pythonWorker.pending.delete(id);
      if (error) {
        waiting.reject(new Error(`${error.name}: ${error.message}`));
      } else {
        waiting.resolve(result);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      for (const waiting of pythonWorker.pending.values()) {
        waiting.reject(new Error(event.message || "the Python worker could not start"));
      }
      pythonWorker.pending.clear();
      worker.terminate();
      pythonWorker.worker = null;
    };
    pythonWorker.worker = worker;
  }
  const id = pythonWorker.nextId++;
  return new Promise((resolve, reject) => {
    pythonWorker.pending.set(id, { resolve, reject });
    /** @type {Worker} */ (pythonWorker.worker).postMessage({ id, type, ...payload });
  });
}

/**
 * Which parts of the shown decision differ from the engine's own result (empty when they all agree).
 *
 * @param {WizardState} state
 * @param {any} fromPython `wizard.decide(answers).to_dict()` computed in the worker
 * @returns {string[]}
 */
function differences(state, fromPython) {
  const table = state.table;
  const [v, reasonSet, caveatSet, lint, pattern, estimate, exclusionSet] = table.decisions[state.decision];
  const same = (/** @type {unknown} */ a, /** @type {unknown} */ b) => JSON.stringify(a) === JSON.stringify(b);
  const part = table.estimates[estimate];
  const checks = {
    verdict: same(table.verdicts[v].verdict, fromPython.verdict),
    reasons: same(
      table.reason_sets[reasonSet].map((/** @type {number} */ r) =>
        fillTemplate(table.reasons[r].template, table.strategies, part),
      ),
      fromPython.reasons.map((/** @type {{text: string}} */ r) => r.text),
    ),
    caveats: same(
      table.caveat_sets[caveatSet].map((/** @type {number} */ c) => table.caveats[c]),
      fromPython.caveats,
    ),
    lint: same(table.lints[lint], fromPython.lint),
    pattern: same(table.patterns[pattern], fromPython.pattern),
    estimate: same(
      part.times,
      table.strategies.map((/** @type {string} */ s) => fromPython.estimate.times[s]),
    ),
    excluded: same(
      table.exclusion_sets[exclusionSet].map((/** @type {number} */ x) => table.exclusions[x].strategy),
      fromPython.excluded.map((/** @type {{strategy: string}} */ x) => x.strategy),
    ),
  };
  return Object.entries(checks)
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
}

/**
 * Recompute the shown decision with the Python engine itself, in Pyodide, and say whether it agrees.
 *
 * @param {WizardState} state
 */
async function verifyInPython(state) {
  const status = state.root.querySelector("[data-af-verify-status]");
  const say = (/** @type {string} */ text) => {
    if (status) {
      status.textContent = text;
    }
  };
  const decision = state.decision;
  const started = performance.now();
  say("Loading Python (Pyodide) and the wizard package in a worker: the first time takes a few seconds…");
  state.root.dataset.afVerified = "running";
  try {
    const result = await askPython("wizard-decide", { answers: { ...state.answers } });
    if (decision !== state.decision) {
      say("The answers changed while Python was loading: press the button again.");
      delete state.root.dataset.afVerified;
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const diff = differences(state, result);
    state.root.dataset.afVerified = diff.length ? "disagree" : "agree";
    say(
      diff.length
        ? `Python in your browser disagrees on: ${diff.join(", ")} (please report this).`
        : `Python in your browser agrees: wizard.decide() gives ${result.verdict}, with the same reasons, caveats, ` +
            `lint codes, pattern, estimate and exclusions (${seconds} s including loading).`,
    );
  } catch (error) {
    state.root.dataset.afVerified = "error";
    say(`Python could not run here: ${/** @type {Error} */ (error).message}`);
  }
}

/**
 * Turn one server-rendered wizard into the live one. Safe to call twice on the same element (second call no-op).
 *
 * @param {HTMLElement} root
 */
export function mount(root) {
  if (root.dataset.afMounted) {
    return;
  }
  root.dataset.afMounted = "1";
  const form = root.querySelector("form[data-af-form]");
  const panel = root.querySelector("[data-af-panel]");
  if (!(form instanceof HTMLFormElement) || !(panel instanceof HTMLElement)) {
    throw new Error("wizard: the page lacks form[data-af-form] or [data-af-panel]");
  }
  const status = root.querySelector("[data-af-table-status]");
  if (status instanceof HTMLElement) {
    status.hidden = false;
  }
  loadTable(root).then(
    (table) => {
      if (!root.isConnected) {
        return; // the reader has already moved on to another page
      }
      if (status instanceof HTMLElement) {
        status.hidden = true;
      }
      start(root, form, panel, table);
    },
    (/** @type {Error} */ error) => {
      root.dataset.afTableError = "1";
      if (status instanceof HTMLElement) {
        status.textContent =
          `The decision table could not be loaded (${error.message}), so the verdict cannot update here. ` +
          "The questions still work as a form (“Put my answers in the link”), and the outcomes below explain " +
          "each verdict.";
        status.setAttribute("role", "alert");
      }
    },
  );
}

/**
 * Start the live wizard once its table is here: read the link, show the verdict, listen to the form.
 *
 * @param {HTMLElement} root
 * @param {HTMLFormElement} form
 * @param {HTMLElement} panel
 * @param {WizardTable} table
 */
function start(root, form, panel, table) {
  /** @type {WizardState} */
  const state = { root, form, panel, table, answers: {}, decision: -1 };

  const parsed = parseQuery(table, window.location.search);
  setFormAnswers(form, table, parsed.answers);
  showProblems(root, parsed.problems);
  update(state, { updateUrl: false });
  showVersionNote(state, parsed.version, parsed.answers);

  form.addEventListener("change", () => {
    update(state, { updateUrl: true });
    const note = root.querySelector("[data-af-version-note]");
    if (note instanceof HTMLElement) {
      note.hidden = true; // it described the link's answers, which the reader has now changed
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    update(state, { updateUrl: true });
    panel.focus();
  });
  for (const element of root.querySelectorAll("[data-af-js-only]:not([data-af-table-status])")) {
    /** @type {HTMLElement} */ (element).hidden = false;
  }
  for (const element of root.querySelectorAll("[data-af-no-js]")) {
    /** @type {HTMLElement} */ (element).hidden = true;
  }
  root.querySelector("[data-af-copy]")?.addEventListener("click", () => void copyLink(state));
  root.querySelector("[data-af-export]")?.addEventListener("click", () => exportAdr(state));
  root.querySelector("[data-af-verify]")?.addEventListener("click", () => void verifyInPython(state));
  root.dataset.afReady = "1";
}

/** Mount every wizard on the current page (called for each page Material's instant navigation shows). */
function mountAll() {
  for (const root of document.querySelectorAll("[data-af-wizard]")) {
    mount(/** @type {HTMLElement} */ (root));
  }
}

// `document$` is Material's observable of page loads (it replays the current page to a new subscriber).
// Modules are evaluated once per full page load, so this subscription exists exactly once.
const materialDocument = /** @type {{document$?: {subscribe: (fn: () => void) => unknown}}} */ (
  /** @type {unknown} */ (window)
).document$;
if (materialDocument) {
  materialDocument.subscribe(mountAll);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", mountAll, { once: true });
} else {
  mountAll();
}
