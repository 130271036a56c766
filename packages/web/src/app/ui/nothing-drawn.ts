import { type NothingDrawnCause, nothingDrawnText } from "../logic/nothing-drawn.js";
import { h } from "./dom.js";
import { fmt } from "./format.js";

/**
 * What a view shows in place of a chart that would draw nothing (`nothingDrawnText`): what its groups lack and what
 * to change. The status line counts them; the legend lists them apart.
 */
export function nothingDrawn(groups: number, cause: NothingDrawnCause): HTMLElement {
  const { text, hint } = nothingDrawnText(groups, cause, fmt);
  return h(
    "div",
    { id: "nothing-drawn", class: "empty" },
    h("p", { class: "empty-title", text: "Nothing to draw." }),
    h("p", { text }),
    h("p", { text: hint }),
  );
}
