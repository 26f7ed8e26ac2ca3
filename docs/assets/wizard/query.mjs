/**
 * Answers in the page address, parsed exactly like the engine's `wizard.parse_query` (wizard/_query.py) and
 * written exactly like `wizard.to_query`. tests/test_wizard_browser.py checks both against the Python functions
 * for a set of hostile and odd queries, so keep the two in step when either changes.
 *
 * Python semantics reproduced here: `urllib.parse.parse_qsl(query, keep_blank_values=True, errors="replace")`
 * (split on "&" only, empty fields skipped, "+" is a space, %XX decoded as UTF-8 with U+FFFD for bad bytes) and
 * `repr()` of the strings quoted in messages.
 *
 * @module query
 */

/** @typedef {import("./lookup.mjs").WizardTable} WizardTable */

/**
 * @typedef {object} Problem
 * @property {string} key      the parameter as given ("" when the whole query is unusable)
 * @property {string} message  what is wrong, in the engine's words
 */

/**
 * @typedef {object} ParsedQuery
 * @property {Record<string, string>} answers the usable answers, in the order given (not normalised)
 * @property {Problem[]} problems            one per parameter that was ignored
 * @property {number} version                the rules version the link was made with (1 when it has no `v`)
 */

/** The parameter that carries a link's rules version (wizard/_query.py VERSION_KEY). */
export const VERSION_KEY = "v";

const MAX_SHOWN = 40; // code points of a bad value echoed back (wizard/_query.py _MAX_SHOWN)
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

/**
 * Python's `repr()` of a str.
 *
 * @param {string} text
 * @returns {string}
 */
export function pyRepr(text) {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const cp = /** @type {number} */ (ch.codePointAt(0));
    if (ch === quote || ch === "\\") {
      out += `\\${ch}`;
    } else if (ch === "\t") {
      out += "\\t";
    } else if (ch === "\n") {
      out += "\\n";
    } else if (ch === "\r") {
      out += "\\r";
    } else if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${cp.toString(16).padStart(2, "0")}`;
    } else if (cp < 0x7f || !NOT_PRINTABLE.test(ch)) {
      out += ch;
    } else if (cp <= 0xff) {
      out += `\\x${cp.toString(16).padStart(2, "0")}`;
    } else if (cp <= 0xffff) {
      out += `\\u${cp.toString(16).padStart(4, "0")}`;
    } else {
      out += `\\U${cp.toString(16).padStart(8, "0")}`;
    }
  }
  return out + quote;
}

/**
 * `_shown` in wizard/_query.py: repr of the value, cut to 40 code points plus "...".
 *
 * @param {string} value
 * @returns {string}
 */
function shown(value) {
  const points = Array.from(value);
  return pyRepr(points.length <= MAX_SHOWN ? value : `${points.slice(0, MAX_SHOWN).join("")}...`);
}

const HEX = /^[0-9a-fA-F]{2}$/;
const DECODER = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Python's `urllib.parse.unquote(text, errors="replace")`: runs of ASCII are %-decoded to bytes and decoded as
 * UTF-8 (bad bytes become U+FFFD); non-ASCII characters are kept as they are.
 *
 * @param {string} text
 * @returns {string}
 */
export function pyUnquote(text) {
  if (!text.includes("%")) {
    return text;
  }
  let out = "";
  for (const run of text.match(/[\x00-\x7f]+|[^\x00-\x7f]+/gu) ?? []) {
    if (run.charCodeAt(0) > 0x7f) {
      out += run;
      continue;
    }
    /** @type {number[]} */
    const bytes = [];
    const pieces = run.split("%");
    for (const ch of pieces[0]) {
      bytes.push(ch.charCodeAt(0));
    }
    for (const piece of pieces.slice(1)) {
      const rest = HEX.test(piece.slice(0, 2)) ? piece.slice(2) : `%${piece}`;
      if (HEX.test(piece.slice(0, 2))) {
        bytes.push(Number.parseInt(piece.slice(0, 2), 16));
      }
      for (const ch of rest) {
        bytes.push(ch.charCodeAt(0));
      }
    }
    out += DECODER.decode(new Uint8Array(bytes));
  }
  return out;
}

/**
 * Python's `parse_qsl(query, keep_blank_values=True, errors="replace")`.
 *
 * @param {string} query
 * @returns {Array<[string, string]>}
 */
export function parseQsl(query) {
  /** @type {Array<[string, string]>} */
  const pairs = [];
  for (const field of query.split("&")) {
    if (!field) {
      continue;
    }
    const at = field.indexOf("=");
    const name = at < 0 ? field : field.slice(0, at);
    const value = at < 0 ? "" : field.slice(at + 1);
    pairs.push([pyUnquote(name.replaceAll("+", " ")), pyUnquote(value.replaceAll("+", " "))]);
  }
  return pairs;
}

/**
 * Parse a query string of answers (a leading "?" is fine); never throws. Mirrors `wizard.parse_query`.
 *
 * @param {WizardTable} table
 * @param {string} query
 * @returns {ParsedQuery}
 */
export function parseQuery(table, query) {
  /** @type {ParsedQuery} */
  const result = { answers: {}, problems: [], version: 1 };
  const byId = new Map(table.questions.map((q) => [q.id, q]));
  const ids = table.questions.map((q) => q.id).join(", ");
  const text = query.startsWith("?") ? query.slice(1) : query;
  const current = table.rules_version;
  let seenVersion = false;
  for (const [key, value] of parseQsl(text)) {
    const question = byId.get(key);
    if (key === VERSION_KEY) {
      if (seenVersion) {
        result.problems.push({ key, message: `${pyRepr(key)} is given more than once; the first value is used` });
      } else if (/^[0-9]+$/.test(value) && Number(value) >= 1 && Number(value) <= current) {
        result.version = Number(value);
      } else {
        result.version = current;
        result.problems.push({
          key,
          message: `${shown(value)} is not a rules version; expected 1 to ${current} (read with today's rules)`,
        });
      }
      seenVersion = true;
    } else if (!question) {
      result.problems.push({ key, message: `unknown question ${shown(key)}; expected one of: ${ids}` });
    } else if (Object.hasOwn(result.answers, key)) {
      result.problems.push({ key, message: `${pyRepr(key)} is given more than once; the first value is used` });
    } else if (!question.choices.includes(value)) {
      result.problems.push({
        key,
        message: `${shown(value)} is not an answer to ${pyRepr(key)}; expected one of: ${question.choices.join(", ")}`,
      });
    } else {
      result.answers[key] = value;
    }
  }
  return result;
}

/**
 * The query string (without "?") for normalised answers: the rules version, then every question asked, in
 * question order. Mirrors `wizard.to_query` (IDs are lowercase letters, digits, "-" and "_": nothing to escape).
 *
 * @param {WizardTable} table
 * @param {Record<string, string>} answers normalised answers of the questions asked (as lookup() returns them)
 * @returns {string}
 */
export function toQuery(table, answers) {
  const pairs = table.questions
    .filter((q) => answers[q.id] !== undefined)
    .map((q) => `${encodeURIComponent(q.id)}=${encodeURIComponent(answers[q.id])}`);
  return [`${VERSION_KEY}=${table.rules_version}`, ...pairs].join("&");
}
