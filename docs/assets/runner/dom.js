// Small DOM helpers shared by the runner's page modules (runner.js, saved.js, exercise.js): textContent only, so no
// program output, shared code or stored text is ever parsed as HTML.

/**
 * A new element with an optional class, text (as textContent) and attributes.
 * @param {string} tag
 * @param {{className?: string, text?: string, attrs?: Record<string, string>}} [options]
 * @returns {HTMLElement}
 */
export function el(tag, { className, text, attrs } = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [key, value] of Object.entries(attrs ?? {})) node.setAttribute(key, value);
  return node;
}
