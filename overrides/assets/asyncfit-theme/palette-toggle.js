/*
 * The light/dark toggle in the header, in place of Material's palette component
 * (Material for MkDocs, src/templates/assets/javascripts/components/palette/index.ts, MIT licence; Zensical's
 * header carries the same form). Same markup, same storage (`__palette` through Material's __md_get/__md_set),
 * same behaviour on a click, on Enter and when the system's colour scheme changes.
 *
 * Why not Material's own: when its bundle mounts the component, it writes the body's data-md-color-* attributes
 * again (md-palette.js already set them while the header was parsed), switches data-md-color-switching on and off
 * (a rule with `*` under it) and reads the header's computed style for the theme-color meta tag at once. Each of
 * these restyles every element of the page inside the bundle's start-up task (measured:
 * docs/performance.md#main-thread-at-load). This module writes the page's colours only when they change, and
 * fills the meta tags once the page is idle, when its style is already computed and reading it costs nothing.
 *
 * The template hands the form over by renaming its `data-md-component="palette"` (overrides/main.html, the header
 * block, for both engines' headers), so neither bundle mounts its own component as well.
 */

/** The header's palette form, renamed so that Material's bundle leaves it alone. */
const FORM_SELECTOR = "form[data-af-palette]";
/** Material's storage key for the reader's palette. */
const STORAGE_KEY = "__palette";
/** The palette entry that follows the system (Material's `media: "(prefers-color-scheme)"`). */
const AUTOMATIC = "(prefers-color-scheme)";
const LIGHT = "(prefers-color-scheme: light)";
const DARK = "(prefers-color-scheme: dark)";
/** The input attributes that make a palette, in Material's order. */
const KEYS = ["media", "scheme", "primary", "accent"];

/**
 * @typedef {object} Palette  what Material stores under `__palette`
 * @property {number} index   which of the form's inputs
 * @property {Record<string, string | null>} color  data-md-color-* values by key (media, scheme, primary, accent)
 */

/**
 * The palette of one of the form's inputs, as Material builds it.
 * @param {HTMLInputElement[]} inputs
 * @param {number} index
 * @returns {Palette}
 */
function paletteOf(inputs, index) {
  const input = inputs[index];
  return { index, color: Object.fromEntries(KEYS.map((key) => [key, input.getAttribute(`data-md-color-${key}`)])) };
}

/**
 * The colours to show for a palette: an automatic entry takes those of the entry for the system's scheme.
 * @param {Palette} palette
 * @param {boolean} prefersLight
 * @returns {Palette} a new palette (the argument is left as it is)
 */
function resolve(palette, prefersLight) {
  if (palette.color.media !== AUTOMATIC) return palette;
  const input = document.querySelector(`[data-md-color-media='${prefersLight ? LIGHT : DARK}']`);
  if (!input) return palette;
  const color = { ...palette.color };
  for (const key of KEYS.slice(1)) color[key] = input.getAttribute(`data-md-color-${key}`);
  return { ...palette, color };
}

/**
 * Which input a page starts on: the stored palette's, or else the first whose media query matches (Material's rule).
 * @param {HTMLInputElement[]} inputs
 * @param {Palette | null} stored
 * @param {(query: string) => boolean} matches
 * @returns {number}
 */
function startIndex(inputs, stored, matches) {
  const index = stored && Number.isInteger(stored.index) ? stored.index : -1;
  if (index >= 0 && index < inputs.length) return index;
  return Math.max(0, inputs.findIndex((input) => matches(input.getAttribute("data-md-color-media") ?? "")));
}

/**
 * Material's storage, which throws where the browser blocks it: a blocked store is an empty one.
 * @returns {Palette | null}
 */
function readStored() {
  try {
    return globalThis.__md_get?.(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** @param {Palette} palette */
function store(palette) {
  try {
    globalThis.__md_set?.(STORAGE_KEY, palette);
  } catch {
    // Storage blocked: the palette lasts for this page only, as with Material's component.
  }
}

/**
 * Show a palette: write the body's attributes that differ, show the one toggle that leads to the next palette.
 * @param {Palette} palette   already resolved
 * @param {HTMLInputElement[]} inputs
 */
function show(palette, inputs) {
  const body = document.body;
  const changes = Object.entries(palette.color).filter(
    ([key, value]) => value !== null && body.getAttribute(`data-md-color-${key}`) !== value,
  );
  // Only the colours restyle the page (no rule reads data-md-color-media): only they need Material's
  // no-transitions switch, whose rule restyles every element.
  const recolour = changes.some(([key]) => key !== "media");
  if (recolour) body.setAttribute("data-md-color-switching", "");
  for (const [key, value] of changes) body.setAttribute(`data-md-color-${key}`, value);
  if (recolour) setTimeout(() => body.removeAttribute("data-md-color-switching"));
  inputs.forEach((input, index) => {
    const label = input.nextElementSibling;
    const hidden = index !== palette.index;
    if (label instanceof HTMLElement && label.hidden !== hidden) label.hidden = hidden;
  });
}

/**
 * The theme-color and color-scheme meta tags, from the header's computed style (as Material fills them).
 * @param {{theme: HTMLMetaElement, scheme: HTMLMetaElement}} meta
 * @param {boolean} atLoad  leave an empty color-scheme tag empty for a light page: it means the same, and
 *   writing it restyles every element
 */
function fillMeta(meta, atLoad) {
  const header = document.querySelector("[data-md-component=header]");
  if (!header) return;
  const style = getComputedStyle(header);
  if (!(atLoad && style.colorScheme === "light")) meta.scheme.content = style.colorScheme;
  const rgb = style.backgroundColor.match(/\d+/g) ?? [];
  meta.theme.content = `#${rgb
    .slice(0, 3)
    .map((value) => Number(value).toString(16).padStart(2, "0"))
    .join("")}`;
}

/**
 * Run once the page is idle (its style is computed by then, so reading it is free), or after 2 s at the latest.
 * @param {() => void} work
 */
function whenIdle(work) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(work, { timeout: 2000 });
  else setTimeout(work, 500);
}

/**
 * Take over the header's palette form: show the start palette, then follow clicks, Enter and the system.
 * @param {HTMLFormElement} form
 */
function mount(form) {
  const inputs = [...form.querySelectorAll("input")];
  if (inputs.length === 0) return;
  const meta = { theme: document.createElement("meta"), scheme: document.createElement("meta") };
  meta.theme.name = "theme-color";
  meta.scheme.name = "color-scheme";
  document.head.append(meta.theme, meta.scheme);
  const light = matchMedia(LIGHT);
  /** The palette a page starts on (and starts over from when the system's scheme changes). */
  const startPalette = () => paletteOf(inputs, startIndex(inputs, readStored(), (query) => matchMedia(query).matches));
  let current = startPalette();

  /** @param {Palette} palette  @param {boolean} atLoad  fill the meta tags once the page is idle */
  const apply = (palette, atLoad) => {
    current = palette;
    show(resolve(palette, light.matches), inputs);
    store(palette);
    if (atLoad) whenIdle(() => fillMeta(meta, true));
    else fillMeta(meta, false);
  };

  apply(current, true);
  inputs.forEach((input, index) => input.addEventListener("change", () => apply(paletteOf(inputs, index), false)));
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    const next = inputs[(current.index + 1) % inputs.length];
    next.click();
    next.focus();
  });
  // Material starts over from the stored palette when the system's scheme changes; only an automatic palette
  // then shows other colours.
  light.addEventListener("change", () => apply(startPalette(), false));
}

const form = document.querySelector(FORM_SELECTOR);
if (form instanceof HTMLFormElement) mount(form);
