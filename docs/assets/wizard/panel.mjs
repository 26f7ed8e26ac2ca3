/**
 * The verdict panel, assembled from the build-time table's parts with DOM APIs (textContent only).
 *
 * The panel's structure is the `<template data-af-skeleton>` rendered by tools/asyncfit_docs/wizard_page.py; the
 * highlighted starter patterns are `<template data-af-pattern="i">`. Links are relative to the wizard page
 * (/wizard/), so the engine's site-relative URLs ("rules/#af101") get a "../" prefix.
 *
 * @module panel
 */

const SVG_NS = "http://www.w3.org/2000/svg";
const MODELS = ["sync", "threads", "async", "processes"];
const SITE_ROOT = "../";

/**
 * @typedef {object} EstimatePart
 * @property {number[]} times      modelled seconds: sync, threads, async, processes
 * @property {string[]} labels     the same, formatted ("52.6 s")
 * @property {string} fastest      the model with the smallest time
 * @property {Record<string, number|boolean>} workload the model's inputs
 * @property {number} assumptions  index into table.assumptions
 */

/**
 * @param {ParentNode} fragment
 * @param {string} slot
 * @returns {HTMLElement}
 */
function slot(fragment, slot) {
  const element = fragment.querySelector(`[data-af-slot="${slot}"]`);
  if (!(element instanceof HTMLElement || element instanceof SVGElement)) {
    throw new Error(`wizard: the panel template has no slot ${slot}`);
  }
  return /** @type {HTMLElement} */ (element);
}

/**
 * @param {string} tag
 * @param {string} text
 * @returns {HTMLElement}
 */
function el(tag, text) {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}

/**
 * Format a number of seconds or a count for the workload line.
 *
 * @param {number} seconds
 * @returns {string}
 */
function duration(seconds) {
  if (seconds >= 1) {
    return `${seconds.toLocaleString("en", { maximumFractionDigits: 1 })} s`;
  }
  return `${(seconds * 1000).toLocaleString("en", { maximumFractionDigits: 1 })} ms`;
}

/**
 * A horizontal bar chart of the four modelled times (SVG: no inline styles, so the strict CSP holds).
 *
 * @param {EstimatePart} estimate
 * @returns {SVGSVGElement}
 */
export function chart(estimate) {
  const rowHeight = 26;
  const labelWidth = 90;
  const valueWidth = 80;
  const width = 520;
  const barSpace = width - labelWidth - valueWidth;
  const max = Math.max(...estimate.times, 1e-9);
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${rowHeight * MODELS.length}`);
  svg.setAttribute("class", "af-chart");
  svg.setAttribute("role", "img");
  svg.setAttribute(
    "aria-label",
    `Modelled time: ${MODELS.map((m, i) => `${m} ${estimate.labels[i]}`).join(", ")}; fastest: ${estimate.fastest}`,
  );
  MODELS.forEach((model, i) => {
    const y = i * rowHeight;
    const row = document.createElementNS(SVG_NS, "g");
    row.setAttribute("class", model === estimate.fastest ? "af-chart-row af-chart-row--best" : "af-chart-row");
    row.dataset.model = model;
    const label = document.createElementNS(SVG_NS, "text");
    label.setAttribute("x", "0");
    label.setAttribute("y", String(y + rowHeight * 0.65));
    label.setAttribute("class", "af-chart-label");
    label.textContent = model;
    const track = document.createElementNS(SVG_NS, "rect");
    track.setAttribute("x", String(labelWidth));
    track.setAttribute("y", String(y + 5));
    track.setAttribute("width", String(barSpace));
    track.setAttribute("height", String(rowHeight - 10));
    track.setAttribute("class", "af-chart-track");
    const bar = document.createElementNS(SVG_NS, "rect");
    bar.setAttribute("x", String(labelWidth));
    bar.setAttribute("y", String(y + 5));
    bar.setAttribute("width", String(Math.max(2, (barSpace * estimate.times[i]) / max).toFixed(1)));
    bar.setAttribute("height", String(rowHeight - 10));
    bar.setAttribute("class", "af-chart-bar");
    const value = document.createElementNS(SVG_NS, "text");
    value.setAttribute("x", String(width));
    value.setAttribute("y", String(y + rowHeight * 0.65));
    value.setAttribute("text-anchor", "end");
    value.setAttribute("class", "af-chart-value");
    value.textContent = estimate.labels[i];
    row.append(label, track, bar, value);
    svg.append(row);
  });
  return svg;
}

/**
 * Build the panel for one decision.
 *
 * @param {HTMLElement} root the wizard element (holds the templates)
 * @param {any} table        the build-time table (see tools/asyncfit_docs/wizard_table.py)
 * @param {number} index     decision index
 * @returns {DocumentFragment}
 */
export function renderPanel(root, table, index) {
  const skeleton = root.querySelector("template[data-af-skeleton]");
  if (!(skeleton instanceof HTMLTemplateElement)) {
    throw new Error("wizard: no panel skeleton template");
  }
  const [v, reasonSet, caveatSet, lint, pattern, estimateIndex] = table.decisions[index];
  const verdict = table.verdicts[v];
  const fragment = /** @type {DocumentFragment} */ (skeleton.content.cloneNode(true));

  slot(fragment, "verdict").textContent = verdict.verdict;
  slot(fragment, "verdict-link").setAttribute("href", SITE_ROOT + verdict.url);
  slot(fragment, "title").textContent = verdict.title;
  slot(fragment, "summary").textContent = verdict.summary;

  const reasons = slot(fragment, "reasons");
  for (const r of table.reason_sets[reasonSet]) {
    const reason = table.reasons[r];
    const item = document.createElement("li");
    const link = el("a", reason.rule);
    link.setAttribute("href", SITE_ROOT + reason.url);
    item.append(link, " ", el("strong", reason.title), document.createTextNode(`: ${reason.text}`));
    reasons.append(item);
  }

  const caveats = table.caveat_sets[caveatSet];
  slot(fragment, "caveats-block").hidden = caveats.length === 0;
  slot(fragment, "caveats").append(...caveats.map((/** @type {number} */ c) => el("li", table.caveats[c])));

  const codes = table.lints[lint];
  const lintSlot = slot(fragment, "lint");
  if (codes.length === 0) {
    lintSlot.append(el("p", "None specific to this verdict: there is no event loop to block."));
  } else {
    const list = document.createElement("p");
    list.append("Enable in ruff (or flake8-async): ");
    codes.forEach((/** @type {string} */ code, /** @type {number} */ i) => {
      list.append(i ? ", " : "", el("code", code));
    });
    lintSlot.append(list);
  }

  /** @type {EstimatePart} */
  const estimate = table.estimates[estimateIndex];
  slot(fragment, "chart").append(chart(estimate));
  const w = estimate.workload;
  slot(fragment, "workload").textContent =
    `For a batch of ${Number(w.operations).toLocaleString("en")} operations, each waiting ${duration(Number(w.wait_s))}` +
    ` and computing ${duration(Number(w.cpu_s))}, up to ${Number(w.concurrency).toLocaleString("en")} in flight,` +
    ` on ${w.cores} cores${w.free_threaded ? " (free-threaded build)" : ""}. Fastest in the model: ${estimate.fastest}.`;
  slot(fragment, "assumptions").append(
    ...table.assumptions[estimate.assumptions].map((/** @type {string} */ a) => el("li", a)),
  );

  const code = root.querySelector(`template[data-af-pattern="${pattern}"]`);
  if (code instanceof HTMLTemplateElement) {
    const block = /** @type {DocumentFragment} */ (code.content.cloneNode(true));
    // Scrollable code must be reachable by keyboard (Material does this for code present at page load only).
    for (const element of block.querySelectorAll("pre > code")) {
      /** @type {HTMLElement} */ (element).tabIndex = 0;
    }
    slot(fragment, "pattern").append(block);
  }
  return fragment;
}
