import { resolveMetric } from "@infermark/core";
import { chartSubtitle } from "../logic/chart-subtitle.js";
import { type CompareResult, compareGroups } from "../logic/compare-bars.js";
import { compareStatus } from "../logic/compare-status.js";
import { compareCsv, csvWithNote } from "../logic/csv.js";
import { drawnLabels } from "../logic/drawn-labels.js";
import type { GroupIndex } from "../logic/group-index.js";
import { yLabel } from "../logic/metrics.js";
import { frontierSpan } from "../logic/nothing-drawn.js";
import { pairChoices } from "../logic/pair-choices.js";
import { provenance, withProvenance } from "../logic/provenance.js";
import { shortLabels } from "../logic/short-labels.js";
import type { ViewState } from "../state/view-state.js";
import { compareOption, describeChart, drawnBars } from "./chart-options.js";
import { checkboxControl, h, selectControl } from "./dom.js";
import { renderEmptyView } from "./empty-view.js";
import { fmt } from "./format.js";
import { nothingDrawn } from "./nothing-drawn.js";
import { ratioHeadline, withRatioHeadline } from "./ratio-headline.js";
import { sourceNote } from "./source-note.js";
import type { Act, ViewContext } from "./view-context.js";

/**
 * The compare view: each group's y metric at the target interactivity, as bars or a table, and the ratio of two
 * chosen groups (A and B; clicking a bar chooses it).
 */
export function renderCompareView(view: ViewContext, main: HTMLElement, index: GroupIndex): void {
  const s = view.state;
  const groups = index.groups(s);
  if (groups.length === 0) {
    renderEmptyView(view, main, index);
    return;
  }
  view.paint(groups);
  const full = compareGroups(groups, s, view.catalog);
  // the chart: labels and subtitle from the groups with a bar, so that together they name each bar's group once;
  // the table lists every group, with a value or not: labels without what all share, which its caption says
  const valued = new Set(full.valued);
  const barLabels = drawnLabels(groups, valued, new Set(s.hidden));
  const names = s.table ? shortLabels(groups) : barLabels.labels;
  const named = <T extends { key: string; label: string }>(b: T): T => ({
    ...b,
    label: names.get(b.key) ?? b.label,
  });
  const result: CompareResult = {
    ...full,
    bars: full.bars.map(named),
    ...(full.ratio
      ? { ratio: { ...full.ratio, a: named(full.ratio.a), b: named(full.ratio.b) } }
      : {}),
  };
  // and where the bars' points come from and when they ran: a screenshot says it
  const hidden = new Set(s.hidden);
  const subtitle = withProvenance(
    barLabels.subtitle,
    provenance(
      groups.filter((g) => valued.has(g.key) && !hidden.has(g.key)).flatMap((g) => g.items),
      s.asOf,
    ),
  );
  const yName = yLabel(s.y, s);
  const note = sourceNote(view, groups);
  const status = compareStatus(result, groups.length, `${fmt(s.target)} tok/s/user`);
  view.status(status);
  // no group has a value: no ratio to choose
  if (valued.size > 0)
    main.append(pairControls(result, s.pair, view.act, yName, resolveMetric(s.y).direction));
  main.append(
    checkboxControl("table", "Show as table", s.table, (v) => view.act("table", { table: v })),
  );
  // the legend toggles what the view shows: the chart's bars (hidden or not), the groups without a value at the
  // target listed apart, as the frontier and trends views list the groups they draw nothing of; or the table's
  // rows, one per group
  const rank = new Map(full.order.map((key, i) => [key, i]));
  const legend = view.legend.split(
    [...groups].sort((a, b) => rank.get(a.key)! - rank.get(b.key)!),
    (g) => s.table || valued.has(g.key),
    names,
    `value at ${fmt(s.target)} tok/s/user`,
  );
  if (s.table) {
    view.chart.dispose();
    // the table lists every group, with a value or not: its caption says what they all share
    main.append(compareTable(result, yName, chartSubtitle(groups)), ...legend);
    view.finish();
  } else if (valued.size === 0) {
    // no bar: no empty axes, but why (the table, a checkbox away, gives each group's reason)
    view.chart.dispose();
    view.chart.activate = undefined;
    const span = frontierSpan(full.bars.map((b) => b.range));
    main.append(
      nothingDrawn(
        groups.length,
        span || full.bars.length === 0
          ? {
              kind: "target",
              lacking: `value at ${fmt(s.target)} tok/s/user`,
              ...(span ? { span } : {}),
            }
          : { kind: "metric", lacking: yName },
      ),
      ...legend,
    );
    view.finish();
  } else {
    const box = view.chart.box(
      `Bar chart: ${yName} per group at ${s.target} tok/s/user${subtitle ? `, ${subtitle}` : ""}. ${status}. Press Enter for its values as a table.`,
    );
    // the keyboard's way to each bar's figures: the table "Show as table" shows, which Enter checks
    view.chart.activate = () => view.act("table", { table: true });
    main.append(box, ...legend);
    const chart = view.chart.ensure(box);
    const option = view.chart.fit(
      describeChart(
        compareOption(result, yName, view.styles, subtitle),
        box.getAttribute("aria-label") ?? "",
      ),
    );
    chart.setOption(option, { notMerge: true });
    // each bar is labelled on the x axis: the image needs no legend
    // the image carries the ratio line too, under the subtitle
    const headline = ratioHeadline(result, yName, resolveMetric(s.y).direction);
    view.chart.exportable = {
      option: withRatioHeadline(option, result, headline),
      legend: [],
      note: note?.text,
    };
    view.chart.view = "compare";
    const drawn = drawnBars(result);
    chart.off("click");
    chart.on("click", (p) => {
      const bar = drawn[p.dataIndex];
      if (!bar) return;
      const pair = [...s.pair.filter((k) => k && k !== bar.key), bar.key].slice(-2);
      view.update({ pair });
    });
  }
  if (note) main.append(note.element);
  view.setCsv(() => csvWithNote(compareCsv(full, s.y), note?.text));
}

/** The A and B choices and their ratio. */
function pairControls(
  result: CompareResult,
  pair: ViewState["pair"],
  act: Act,
  yName: string,
  direction: "higher" | "lower",
): HTMLElement {
  const choices = pairChoices(result.bars, pair, `${fmt(result.target)} tok/s/user`);
  const [a = "", b = ""] = pair;
  const text = ratioHeadline(result, yName, direction);
  return h(
    "div",
    { class: "pair" },
    selectControl("pair-a", "A", choices, a, (v) => act("pair-a", { pair: [v, b] })),
    selectControl("pair-b", "B", choices, b, (v) => act("pair-b", { pair: [a, v] })),
    h("p", { id: "ratio", class: "ratio", text }),
  );
}

/** The compare view as a table ("Show as table"): each group's value, frontier range and note. */
function compareTable(result: CompareResult, yName: string, subtitle: string): HTMLElement {
  const body = result.bars.map((b) =>
    h(
      "tr",
      {},
      h("th", { scope: "row", text: b.label }),
      h("td", { class: "num", text: fmt(b.value) }),
      h("td", { text: b.range ? `${fmt(b.range[0])}–${fmt(b.range[1])}` : "–" }),
      h("td", { text: b.reason ?? "" }),
    ),
  );
  return h(
    "table",
    { id: "compare-table", class: "data" },
    h("caption", {
      text: `${yName} at ${fmt(result.target)} tok/s/user${subtitle ? ` (${subtitle})` : ""}`,
    }),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["group", yName, "frontier range (tok/s/user)", "note"].map((t) =>
          h("th", { scope: "col", text: t }),
        ),
      ),
    ),
    h("tbody", {}, ...body),
  );
}
