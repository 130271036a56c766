import { h } from "./dom.js";

/** The line above a view's chart that says what it shows ("288 groups, 50,000 points", "Loading points…"). */
export function statusLine(text: string): HTMLElement {
  return h("p", { id: "status", class: "status", text });
}
