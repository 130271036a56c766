import { csvWithNote, trendsCsv } from "../logic/csv.js";
import { drawnLabels } from "../logic/drawn-labels.js";
import type { GroupIndex } from "../logic/group-index.js";
import { xLabel, yLabel } from "../logic/metrics.js";
import { provenance, withProvenance } from "../logic/provenance.js";
import { softwareChange } from "../logic/software-change.js";
import { buildTrends, hasValue, type TrendLine } from "../logic/trend-series.js";
import { trendsCause, trendsStatus } from "../logic/trends-status.js";
import { describeChart, trendsOption } from "./chart-options.js";
import { h } from "./dom.js";
import { renderEmptyView } from "./empty-view.js";
import { fmt } from "./format.js";
import { nothingDrawn } from "./nothing-drawn.js";
import { sourceNote } from "./source-note.js";
import type { ViewContext } from "./view-context.js";

/**
 * The trends view: each group's y metric at the target interactivity by date, and a table of the change from the
 * first to the last date with a value. As in the frontier view, the legend toggles the groups with a line (a value
 * at the target on some date); the others, which draw nothing (a sparse metric: measured J/token), are listed apart.
 */
export function renderTrendsView(view: ViewContext, main: HTMLElement, index: GroupIndex): void {
  const s = view.state;
  const groups = index.groups(s);
  if (groups.length === 0) {
    renderEmptyView(view, main, index);
    return;
  }
  view.paint(groups);
  const full: TrendLine[] = buildTrends(index.select(s), s, view.catalog);
  const withLine = new Set(full.filter(hasValue).map((l) => l.key));
  // labels and subtitle from the groups with a line, so that together they name each group once
  const { labels: names, subtitle: shared } = drawnLabels(groups, withLine, new Set(s.hidden));
  // and where the lines' points come from (their dates are the axis)
  const subtitle = withProvenance(
    shared,
    provenance(
      groups
        .filter((g) => withLine.has(g.key) && !s.hidden.includes(g.key))
        .flatMap((g) => g.items),
      s.asOf,
      { dates: false },
    ),
  );
  const lines = full.map((l) => ({ ...l, label: names.get(l.key) ?? l.label }));
  // the lines drawn: a group without a value at the target on any date draws none
  const drawn = lines.filter((l) => !l.hidden && hasValue(l));
  const yName = yLabel(s.y, s);
  const words = { xName: xLabel("intvty"), yName, at: `${fmt(s.target)} tok/s/user` };
  const status = trendsStatus(lines, words);
  const box = view.chart.box(
    `Line chart: ${yName} at ${s.target} tok/s/user by date${subtitle ? `, ${subtitle}` : ""}. ${status}. Its figures are in the table below the chart.`,
  );
  view.chart.activate = undefined;
  const cause = trendsCause(
    lines.filter((l) => !hasValue(l)),
    words,
  );
  const legend = view.legend.split(groups, (g) => withLine.has(g.key), names, cause.lacking);
  const note = sourceNote(view, groups);
  view.status(status);
  // every group not hidden through the legend, with a line or not (each date's reason when it has no value)
  view.setCsv(() =>
    csvWithNote(
      trendsCsv(
        full.filter((l) => !l.hidden),
        s.target,
        s.y,
      ),
      note?.text,
    ),
  );
  if (withLine.size === 0) {
    // no group has a value at the target on any date: no empty axes nor empty table, but what they lack
    view.chart.dispose();
    main.append(nothingDrawn(groups.length, cause), ...legend);
    if (note) main.append(note.element);
    view.finish();
    return;
  }
  main.append(box, ...legend);
  if (note) main.append(note.element);
  main.append(trendsTable(drawn));
  const chart = view.chart.ensure(box);
  const option = view.chart.fit(
    describeChart(
      trendsOption(drawn, yName, s.target, view.styles, subtitle),
      box.getAttribute("aria-label") ?? "",
    ),
  );
  chart.setOption(option, { notMerge: true });
  // the image's legend names what it draws: not a group without a value at the target on any date
  view.chart.exportable = { option, legend: view.legend.exported(drawn), note: note?.text };
  view.chart.view = "trends";
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
