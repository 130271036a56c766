import { h } from "./dom.js";

/**
 * The line above a view's chart that says what it shows ("288 groups, 50,000 points", "Loading points…"): the
 * page's one live region, so a screen reader reads what a change of filters, axes or view did. One element kept
 * across renders and updated in place: a live region that is replaced is a new region, which announces nothing.
 */
export class StatusLine {
  readonly element: HTMLElement = h("p", {
    id: "status",
    class: "status",
    role: "status",
    "aria-live": "polite",
    "aria-atomic": "true",
  });

  /** Says `text`; the same text again changes nothing (and is not read out again). */
  set(text: string): void {
    if (this.element.textContent !== text) this.element.textContent = text;
  }
}
