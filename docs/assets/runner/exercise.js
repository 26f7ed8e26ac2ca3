// Exercises: enhances each server-rendered `section.af-exercise` (tools/asyncfit_docs/exercise.py).
//
// - The starting code inside is an ordinary runnable example (runner.js): its `data-af-check` and
//   `data-af-helpers` make the worker run the exercise's check after the program, and runner.js reports each
//   finished run with an `asyncfit:ran` event carrying the RunResult, whose `check` is {passed, message}.
// - This module shows that verdict in an aria-live region, reveals the hints one at a time, and keeps progress
//   (passed, hints shown) per exercise in localStorage; private browsing or a full quota only means that
//   nothing is remembered.
// - Without JavaScript the page already shows the task, the starting code, the build-time verdict, the hints and
//   the solution (in disclosures): nothing here is needed to read the exercise.
// - Loaded once as an ES module (mkdocs.yml extra_javascript); no globals; text is set with textContent only.

import { el } from "./dom.js";

const STORAGE_PREFIX = "asyncfit:exercise:";

/**
 * @typedef {object} Progress
 * @property {boolean} passed  the reader's code passed the check at least once
 * @property {number} hints    how many hints the reader has revealed
 */

/** @param {string} name @returns {Progress} */
function readProgress(name) {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_PREFIX + name) ?? "{}");
    return { passed: stored.passed === true, hints: Number.isInteger(stored.hints) ? stored.hints : 0 };
  } catch {
    return { passed: false, hints: 0 };
  }
}

/** @param {string} name @param {Progress} progress */
function saveProgress(name, progress) {
  try {
    localStorage.setItem(STORAGE_PREFIX + name, JSON.stringify(progress));
  } catch {
    // private browsing or quota: progress is kept for this page view only
  }
}


class Exercise {
  /** @param {HTMLElement} root a `section.af-exercise` */
  constructor(root) {
    this.root = root;
    this.name = root.dataset.afExercise ?? "";
    this.progress = readProgress(this.name);
    root.classList.add("af-exercise-enhanced");

    const title = root.querySelector(".af-exercise-title");
    this.marker = el("span", { className: "af-exercise-progress" });
    title?.append(" ", this.marker);

    // The build-time verdict is the no-JavaScript page's; the live feedback replaces it.
    const staticVerdict = /** @type {HTMLElement|null} */ (root.querySelector(".af-exercise-verdict"));
    this.feedback = el("p", {
      className: "af-exercise-feedback",
      text: "Press Run: after your program, a hidden check measures what it did and says what it found.",
      attrs: { role: "status", "aria-live": "polite" },
    });
    if (staticVerdict) {
      staticVerdict.hidden = true;
      staticVerdict.before(this.feedback);
    } else {
      root.querySelector(".af-runnable")?.after(this.feedback);
    }

    this.buildHints();
    this.showProgress();
    const runnable = root.querySelector(".af-runnable");
    runnable?.addEventListener("asyncfit:ran", (event) => {
      const result = /** @type {CustomEvent} */ (event).detail;
      if (result?.check) this.showVerdict(result.check);
    });
  }

  /** Turn the hints' disclosure into a button revealing one hint at a time. */
  buildHints() {
    const details = this.root.querySelector("details.af-exercise-hints");
    const items = details ? Array.from(details.querySelectorAll("li")) : [];
    if (!details || !items.length) return;
    const box = el("div", { className: "af-exercise-hints-live" });
    const list = el("ol", { className: "af-exercise-hint-list", attrs: { "aria-live": "polite" } });
    for (const item of items) {
      item.hidden = true;
      item.setAttribute("tabindex", "-1");
      list.append(item);
    }
    this.hintItems = items;
    this.hintButton = el("button", { className: "md-button af-exercise-hint-button", attrs: { type: "button" } });
    this.hintButton.addEventListener("click", () => this.revealHint());
    box.append(list, this.hintButton);
    details.replaceWith(box);
    const shown = Math.min(this.progress.hints, items.length);
    for (let i = 0; i < shown; i++) items[i].hidden = false;
    this.updateHintButton();
  }

  /** Show the next hint; after the last one the button goes away, and focus moves to that hint. */
  revealHint() {
    const items = this.hintItems ?? [];
    const next = items.find((item) => item.hidden);
    if (!next) return;
    next.hidden = false;
    this.progress.hints = items.filter((item) => !item.hidden).length;
    saveProgress(this.name, this.progress);
    this.updateHintButton();
    if (this.hintButton?.hidden) next.focus();
  }

  updateHintButton() {
    const items = this.hintItems ?? [];
    const shown = items.filter((item) => !item.hidden).length;
    if (!this.hintButton) return;
    this.hintButton.hidden = shown >= items.length;
    if (!this.hintButton.hidden) this.hintButton.textContent = `Show a hint (${shown + 1} of ${items.length})`;
  }

  /** @param {{passed: boolean, message: string}} verdict */
  showVerdict(verdict) {
    this.feedback.dataset.afVerdict = verdict.passed ? "pass" : "fail";
    this.feedback.replaceChildren(
      el("strong", { text: verdict.passed ? "Passed. " : "Not yet. " }),
      document.createTextNode(verdict.message),
    );
    if (verdict.passed && !this.progress.passed) {
      this.progress.passed = true;
      saveProgress(this.name, this.progress);
      this.showProgress();
    }
  }

  showProgress() {
    this.root.dataset.afProgress = this.progress.passed ? "passed" : "open";
    this.marker.textContent = this.progress.passed ? "✓ passed" : "not passed yet";
  }
}

/** Enhance the exercises of the current page (called on every page, instant navigation included). */
function enhancePage() {
  const roots = /** @type {NodeListOf<HTMLElement>} */ (
    document.querySelectorAll("section.af-exercise:not(.af-exercise-enhanced)")
  );
  for (const root of roots) new Exercise(root);
}

const documentObservable = /** @type {any} */ (globalThis).document$;
if (documentObservable && typeof documentObservable.subscribe === "function") {
  documentObservable.subscribe(() => enhancePage());
} else {
  enhancePage();
}
