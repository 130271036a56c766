import { chartSubtitle } from "../logic/chart-subtitle.js";
import { csvWithNote, trendsCsv } from "../logic/csv.js";
import type { GroupIndex } from "../logic/group-index.js";
import { yLabel } from "../logic/metrics.js";
import { shortLabels } from "../logic/short-labels.js";
import { buildTrends, type TrendLine } from "../logic/trend-series.js";
import { describeChart, trendsOption } from "./chart-options.js";
import { h } from "./dom.js";
import { renderEmptyView } from "./empty-view.js";
import { sourceNote } from "./source-note.js";
import type { ViewContext } from "./view-context.js";

/**
 * The trends view: each group's y metric at the target interactivity by date, and a table of the change from the
 * first to the last date with a value.
 */
export function renderTrendsView(view: ViewContext, main: HTMLElement, index: GroupIndex): void {
  const s = view.state;
  const groups = index.groups(s);
  if (groups.length === 0) {
    renderEmptyView(view, main, index);
    return;
  }
  view.paint(groups);
  const names = shortLabels(groups);
  const full: TrendLine[] = buildTrends(index.select(s), s, view.catalog);
  const lines = full.map((l) => ({ ...l, label: names.get(l.key) ?? l.label }));
  // the lines drawn: a group without a value at the target on any date draws none
  const drawn = lines.filter((l) => l.dates.some((d) => d.value !== undefined));
  // what the groups drawn share, not every group the filters keep
  const withLine = new Set(drawn.map((l) => l.key));
  const subtitle = chartSubtitle(groups.filter((g) => withLine.has(g.key)));
  const yName = yLabel(s.y, s);
  const hidden = groups.length - lines.length;
  const status = `${lines.length} groups over ${new Set(lines.flatMap((l) => l.dates.map((d) => d.date))).size} dates${hidden > 0 ? ` (${hidden} more hidden in the legend)` : ""}`;
  const box = view.chart.box(
    `Line chart: ${yName} at ${s.target} tok/s/user by date${subtitle ? `, ${subtitle}` : ""}. ${status}. Its figures are in the table below the chart.`,
  );
  view.chart.activate = undefined;
  const legendGroups = groups.map((g) => ({
    key: g.key,
    label: names.get(g.key) ?? g.label,
    full: g.label,
    hidden: s.hidden.includes(g.key),
  }));
  const note = sourceNote(view, groups);
  view.status(status);
  main.append(box, view.legend.render(legendGroups));
  if (note) main.append(note.element);
  main.append(trendsTable(lines));
  const chart = view.chart.ensure(box);
  const option = view.chart.fit(
    describeChart(
      trendsOption(lines, yName, s.target, view.styles, subtitle),
      box.getAttribute("aria-label") ?? "",
    ),
  );
  chart.setOption(option, { notMerge: true });
  // the image's legend names what it draws: not a group without a value at the target on any date
  view.chart.exportable = { option, legend: view.legend.exported(drawn), note: note?.text };
  view.chart.view = "trends";
  view.setCsv(() => csvWithNote(trendsCsv(full, s.target, s.y), note?.text));
}

/** Each line's dates with a value and its change from the first to the last of them. */
function trendsTable(lines: readonly TrendLine[]): HTMLElement {
  const rows = lines.map((l) =>
    h(
      "tr",
      {},
      h("th", { scope: "row", text: l.label }),
      h("td", {
        class: "num",
        text: String(l.dates.filter((d) => d.value !== undefined).length),
      }),
      h("td", { class: "num", text: l.factor !== undefined ? `${l.factor.toFixed(2)}×` : "–" }),
      h("td", { text: softwareChange(l) }),
      h("td", { text: l.factorReason ?? "" }),
    ),
  );
  return h(
    "table",
    { id: "trends-table", class: "data" },
    h("caption", { text: "Change from the first to the last date with a value" }),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["group", "dates with a value", "last / first", "software", "note"].map((t) =>
          h("th", { scope: "col", text: t }),
        ),
      ),
    ),
    h("tbody", {}, ...rows),
  );
}

/**
 * The software of a line's first and last dates with a value (`first -> last`, one name when it did not change,
 * "–" for a date whose points record none; empty when neither does).
 */
function softwareChange(l: TrendLine): string {
  const valued = l.dates.filter((d) => d.value !== undefined);
  const name = (d: TrendLine["dates"][number] | undefined) => d?.software.join(", ") || "–";
  const first = name(valued[0]);
  const last = name(valued.at(-1));
  if (first === "–" && last === "–") return "";
  return first === last ? first : `${first} → ${last}`;
}
