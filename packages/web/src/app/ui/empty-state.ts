import type { ActiveFilter } from "../logic/active-filters.js";
import type { ViewState } from "../state/view-state.js";
import { h } from "./dom.js";

/**
 * What a view shows when its filters leave no point: which filters exclude everything and a button to clear each
 * (with how many points that would show, when known) or all of them.
 */
export function emptyState(
  filters: readonly (ActiveFilter & { points?: number })[],
  clear: (id: string, patch: Partial<ViewState>) => void,
): HTMLElement {
  const box = h("div", { id: "empty", class: "empty", role: "status" });
  if (filters.length === 0) {
    box.append(
      h("p", { class: "empty-title", text: "No points to show." }),
      h("p", {
        text: "The store has no points for this view yet: import results (infermark import) or run a benchmark.",
      }),
    );
    return box;
  }
  const names = filters.map((f) => `${f.label} (${f.values})`);
  box.append(
    h("p", { class: "empty-title", text: "No point matches these filters." }),
    h("p", {
      text: `${filters.length === 1 ? "The filter" : "Together, the filters"} ${names.join(", ")} exclude${filters.length === 1 ? "s" : ""} every point. Widen them in the filters panel, or:`,
    }),
  );
  const list = h("ul", { class: "empty-actions" });
  filters.forEach((f, i) => {
    const id = `clear-filter-${i}`;
    const button = h("button", { type: "button", id, text: `Clear ${f.label}: ${f.values}` });
    button.addEventListener("click", () => clear(id, f.clear));
    const shows =
      f.points === undefined
        ? ""
        : f.points === 0
          ? " (still no point)"
          : ` (${f.points.toLocaleString("en-US")} point${f.points === 1 ? "" : "s"})`;
    list.append(h("li", {}, button, shows));
  });
  if (filters.length > 1) {
    const all = h("button", { type: "button", id: "clear-filters", text: "Clear all filters" });
    all.addEventListener("click", () =>
      clear(all.id, Object.assign({}, ...filters.map((f) => f.clear))),
    );
    list.append(h("li", {}, all));
  }
  box.append(list);
  return box;
}
