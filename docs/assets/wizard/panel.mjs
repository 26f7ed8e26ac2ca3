/**
 * The verdict panel, assembled from the build-time table's parts with DOM APIs (textContent only).
 *
 * The panel's structure is the `<template data-af-skeleton>` rendered by tools/asyncfit_docs/wizard_page.py; the
 * highlighted starter patterns are `<template data-af-pattern="i">`. Links are relative to the wizard page
 * (/wizard/), so the engine's site-relative URLs ("rules/af101/") get a "../" prefix.
 *
 * @module panel
 */

const SVG_NS = "http://www.w3.org/2000/svg";
const SITE_ROOT = "../";
const PLACEHOLDER = /\{(time:[a-z-]+|threads|processes)\}/g;

/**
 * @typedef {object} EstimatePart
 * @property {number[]} times      modelled seconds per strategy, in table.strategies order
 * @property {string[]} labels     the same, formatted ("52.6 s")
 * @property {string} fastest      the strategy with the smallest time
 * @property {number} threads      the thread pool's size
 * @property {number} processes    the number of worker processes
 * @property {Record<string, number|boolean|string|null>} workload the model's inputs
 * @property {number} assumptions  index into table.assumptions
 */

/**
 * @typedef {object} ChartInput
 * @property {string[]} strategies  strategy IDs, in the engine's order
 * @property {EstimatePart} estimate
 * @property {string} verdict       the strategy the verdict chose
 * @property {Set<string>} excluded strategies the constraints rule out
 */

/**
 * Fill a reason template from its decision's estimate, exactly as `wizard._verdict.fill` does in Python.
 *
 * @param {string} template
 * @param {string[]} strategies
 * @param {EstimatePart} estimate
 * @returns {string}
 */
export function fillTemplate(template, strategies, estimate) {
  return template.replace(PLACEHOLDER, (_, name) => {
    if (name === "threads" || name === "processes") {
      return Number(estimate[/** @type {"threads"|"processes"} */ (name)]).toLocaleString("en");
    }
    return estimate.labels[strategies.indexOf(name.slice("time:".length))];
  });
}

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
 * A horizontal bar chart of the modelled times, one row per strategy (SVG: no inline styles, so the strict CSP
 * holds). The verdict's row is marked, so are the fastest one and the ones the constraints exclude: the chart is
 * drawn from the same estimate as the verdict and its reasons.
 *
 * @param {ChartInput} input
 * @returns {SVGSVGElement}
 */
export function chart({ strategies, estimate, verdict, excluded }) {
  const rowHeight = 26;
  const labelWidth = 120;
  const valueWidth = 150;
  const width = 620;
  const barSpace = width - labelWidth - valueWidth;
  const max = Math.max(...estimate.times, 1e-9);
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${rowHeight * strategies.length}`);
  svg.setAttribute("class", "af-chart");
  svg.setAttribute("role", "img");
  const notes = (/** @type {string} */ s) =>
    [s === verdict ? "verdict" : "", excluded.has(s) ? "excluded" : "", s === estimate.fastest ? "fastest" : ""]
      .filter(Boolean)
      .join(", ");
  svg.setAttribute(
    "aria-label",
    `Modelled time: ${strategies
      .map((s, i) => `${s} ${estimate.labels[i]}${notes(s) ? ` (${notes(s)})` : ""}`)
      .join("; ")}`,
  );
  strategies.forEach((strategy, i) => {
    const y = i * rowHeight;
    const row = document.createElementNS(SVG_NS, "g");
    const classes = ["af-chart-row"];
    if (strategy === verdict) {
      classes.push("af-chart-row--verdict");
    }
    if (strategy === estimate.fastest) {
      classes.push("af-chart-row--best");
    }
    if (excluded.has(strategy)) {
      classes.push("af-chart-row--excluded");
    }
    row.setAttribute("class", classes.join(" "));
    row.dataset.model = strategy;
    const label = document.createElementNS(SVG_NS, "text");
    label.setAttribute("x", "0");
    label.setAttribute("y", String(y + rowHeight * 0.65));
    label.setAttribute("class", "af-chart-label");
    label.textContent = strategy === verdict ? `▶ ${strategy}` : strategy;
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
    value.textContent = `${estimate.labels[i]}${excluded.has(strategy) ? " (excluded)" : ""}`;
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
  const [v, reasonSet, caveatSet, lint, pattern, estimateIndex, exclusionSet] = table.decisions[index];
  const verdict = table.verdicts[v];
  /** @type {EstimatePart} */
  const estimate = table.estimates[estimateIndex];
  const exclusions = table.exclusion_sets[exclusionSet].map((/** @type {number} */ x) => table.exclusions[x]);
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
    const text = fillTemplate(reason.template, table.strategies, estimate);
    item.append(link, " ", el("strong", reason.title), document.createTextNode(`: ${text}`));
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

  const excluded = new Set(exclusions.map((/** @type {{strategy: string}} */ x) => x.strategy));
  slot(fragment, "chart").append(chart({ strategies: table.strategies, estimate, verdict: verdict.verdict, excluded }));
  const w = estimate.workload;
  const arrival = w.arrival_per_s ? `, ${Number(w.arrival_per_s).toLocaleString("en")} arriving a second` : "";
  slot(fragment, "workload").textContent =
    `For a batch of ${Number(w.operations).toLocaleString("en")} operations, each waiting ${duration(Number(w.wait_s))}` +
    ` and computing ${duration(Number(w.cpu_s))}, up to ${Number(w.concurrency).toLocaleString("en")} in flight,` +
    ` on ${w.cores} cores${w.free_threaded ? " (free-threaded build)" : ""}${arrival}.` +
    ` Fastest in the model: ${estimate.fastest}; verdict: ${verdict.verdict}.`;
  slot(fragment, "exclusions-block").hidden = exclusions.length === 0;
  slot(fragment, "exclusions").append(
    ...exclusions.map((/** @type {{strategy: string, rule: string, text: string}} */ x) => {
      const item = document.createElement("li");
      const link = el("a", x.rule);
      link.setAttribute("href", `${SITE_ROOT}rules/${x.rule.toLowerCase()}/`);
      item.append(el("code", x.strategy), ": ", link, ` ${x.text}`);
      return item;
    }),
  );
  slot(fragment, "assumptions").append(
    ...table.assumptions[estimate.assumptions].map((/** @type {string} */ a) => el("li", a)),
  );
  const file = table.pattern_files[pattern];
  slot(fragment, "pattern-file").textContent = file
    ? `snippets/patterns/${file}: fits this kind of program and workload.`
    : "";

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
