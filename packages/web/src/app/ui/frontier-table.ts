import type { GroupSeries } from "../logic/frontier-series.js";
import type { Item } from "../logic/types.js";
import type { ViewState } from "../state/view-state.js";
import { h } from "./dom.js";
import { fmt } from "./format.js";
import { runLinks } from "./tooltip.js";

/** The most rows the frontier table shows; Export CSV writes every point. */
export const FRONTIER_TABLE_ROWS = 2000;

/**
 * The frontier view as a table ("Show as table"): each drawn point's group, coordinates, whether it is on its
 * group's frontier, why its throughput contradicts Little's law when it does (`flagOf`) and its links (run detail, source run), in the legend's order and along x within a group. The
 * figures a tooltip gives a mouse, for the keyboard and screen readers. At most `FRONTIER_TABLE_ROWS` rows.
 */
export function frontierTable(
  groups: readonly GroupSeries[],
  axes: { xName: string; yName: string; subtitle: string },
  byId: ReadonlyMap<string, Item>,
  state: ViewState,
): HTMLElement {
  const drawn = groups.filter((g) => !g.hidden);
  const total = drawn.reduce((n, g) => n + g.points.length, 0);
  const body = h("tbody", {});
  let rows = 0;
  for (const g of drawn) {
    if (rows >= FRONTIER_TABLE_ROWS) break;
    const front = new Set(g.frontier.map((p) => p.id));
    for (const p of [...g.points].sort((a, b) => a.x - b.x)) {
      if (rows++ >= FRONTIER_TABLE_ROWS) break;
      const item = byId.get(p.id);
      const links = h("td", {});
      // runLinks escapes what it writes (the point's state and CI link)
      if (item) links.innerHTML = runLinks(item, state);
      body.append(
        h(
          "tr",
          {},
          h("th", { scope: "row", text: g.label }),
          h("td", { class: "num", text: fmt(p.x) }),
          h("td", { class: "num", text: fmt(p.y) }),
          h("td", { text: front.has(p.id) ? "yes" : "" }),
          h("td", {
            class: p.flagged ? "flagged" : undefined,
            text: p.flagged ? `× ${p.flagged}` : "",
          }),
          links,
        ),
      );
    }
  }
  const shown = Math.min(total, FRONTIER_TABLE_ROWS);
  const caption = [
    `${axes.yName} vs ${axes.xName}${axes.subtitle ? ` (${axes.subtitle})` : ""}`,
    shown < total
      ? `: the first ${shown.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} points (Export CSV writes them all)`
      : "",
  ].join("");
  return h(
    "table",
    { id: "frontier-table", class: "data" },
    h("caption", { text: caption }),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["group", axes.xName, axes.yName, "on the frontier", "self-consistency", "links"].map(
          (t) => h("th", { scope: "col", text: t }),
        ),
      ),
    ),
    body,
  );
}
