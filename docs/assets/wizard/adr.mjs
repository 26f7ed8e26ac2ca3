/**
 * "Export ADR": the engine's `wizard.render_markdown` output, put back together from the lines stored in the
 * build-time table (tools/asyncfit_docs/wizard_table.py cuts them; its `assemble_adr` is the Python twin of
 * `assembleAdr` below, and the tests check both against `render_markdown` itself).
 *
 * @module adr
 */

import { fillTemplate } from "./panel.mjs";
import { toQuery } from "./query.mjs";

const ADR_DATE = "@@AF_DATE@@";
const ADR_QUERY = "@@AF_QUERY@@";

/**
 * Today's date in the reader's time zone, ISO format (what `date.today().isoformat()` gives in Python).
 *
 * @returns {string}
 */
export function today() {
  const now = new Date();
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The ADR for one decision and its answers.
 *
 * @param {any} table                        the build-time table
 * @param {number} index                     decision index
 * @param {Record<string, string>} answers   normalised answers (hidden questions left out)
 * @param {string} day                       ISO date to put in the record
 * @returns {string}
 */
export function assembleAdr(table, index, answers, day) {
  const adr = table.adr;
  const [verdict, reasonSet, caveatSet, lint, pattern, estimate, exclusionSet] = table.decisions[index];
  const query = toQuery(table, answers);
  /** @type {string[]} */
  const lines = adr.head[verdict].map((/** @type {string} */ line) =>
    line.replaceAll(ADR_QUERY, `?${query}`).replaceAll(ADR_DATE, day),
  );
  table.questions.forEach((/** @type {{id: string, default: string, choices: string[]}} */ q, /** @type {number} */ i) => {
    lines.push(adr.context[i][q.choices.indexOf(answers[q.id] ?? q.default)]);
  });
  lines.push(...adr.decision[verdict]);
  const part = table.estimates[estimate];
  lines.push(
    ...table.reason_sets[reasonSet].map((/** @type {number} */ r) =>
      fillTemplate(adr.reasons[r], table.strategies, part),
    ),
  );
  lines.push("", "## Consequences", "");
  lines.push(...table.caveat_sets[caveatSet].map((/** @type {number} */ c) => adr.caveats[c]));
  lines.push(...adr.lint[lint]);
  const excluded = new Set(
    table.exclusion_sets[exclusionSet].map((/** @type {number} */ x) => table.exclusions[x].strategy),
  );
  const times = table.strategies
    .map(
      (/** @type {string} */ s, /** @type {number} */ i) =>
        `${s} ${part.labels[i]}${excluded.has(s) ? " (excluded)" : ""}`,
    )
    .join(" · ");
  lines.push(`- Modelled time for the batch (${adr.workload[estimate]}): ${times}.`);
  lines.push(...adr.tail[pattern]);
  return `${lines.join("\n")}\n`;
}
