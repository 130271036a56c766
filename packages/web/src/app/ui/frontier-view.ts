import { configLabel, envelopeSeries, envelopes } from "../logic/best-per-gpu.js";
import { csvWithNote, frontierCsv } from "../logic/csv.js";
import { flaggedNote } from "../logic/flagged-points.js";
import { frontierLabels } from "../logic/frontier-labels.js";
import { composeFrontierSeries, type FrontierSeries } from "../logic/frontier-series.js";
import { frontierStatus, isEmpty, lacks } from "../logic/frontier-status.js";
import type { GroupIndex } from "../logic/group-index.js";
import { pointYLabel, xLabel, yLabel } from "../logic/metrics.js";
import { plural } from "../logic/plural.js";
import { provenance, withProvenance } from "../logic/provenance.js";
import { describeChart, flaggedMark, frontierOption, pointAt, sliceAt } from "./chart-options.js";
import { checkboxControl, h } from "./dom.js";
import { renderEmptyView } from "./empty-view.js";
import { frontierTable } from "./frontier-table.js";
import { nothingDrawn } from "./nothing-drawn.js";
import { sourceNote } from "./source-note.js";
import { pointTooltip } from "./tooltip.js";
import type { ViewContext } from "./view-context.js";

/**
 * The frontier view: each group's points and Pareto frontier of the chosen y metric against x, with the status
 * line, the legend and a tooltip per point, or the points as a table ("Show as table", or Enter on the chart). Over
 * a frontier chart it replaces the series only.
 */
export function renderFrontierView(view: ViewContext, main: HTMLElement, index: GroupIndex): void {
  const s = view.state;
  const t0 = performance.now();
  const groups = index.groups(s);
  if (groups.length === 0) {
    renderEmptyView(view, main, index);
    return;
  }
  // best per GPU: a line per GPU, its envelope over the configurations the filters keep, drawing its frontier only
  const best =
    s.lines === "best" ? new Map(envelopes(groups).map((e) => [e.group.key, e])) : undefined;
  const lines = best ? [...best.values()].map((e) => e.group) : groups;
  view.paint(lines);
  const t1 = performance.now();
  const series = best
    ? composeFrontierSeries(lines, { ...s, frontierOnly: true }, (g) =>
        envelopeSeries(best.get(g.key)!, s, (m) => index.seriesOf(m, s)),
      )
    : composeFrontierSeries(groups, s, (g) => index.seriesOf(g, s));
  const t2 = performance.now();
  performance.measure("infermark:select", { start: t0, end: t1 });
  performance.measure("infermark:series", { start: t1, end: t2 });
  // a group with no point on these axes (a sparse metric: measured J/token) is listed apart
  const { empty, withPoints, labels: names, subtitle: shared } = frontierLabels(series.groups);
  // and where the drawn groups' points come from and when they ran: a screenshot says it
  const drawnKeys = new Set(withPoints.filter((g) => !g.hidden).map((g) => g.key));
  const subtitle = withProvenance(
    shared,
    provenance(
      lines.filter((g) => drawnKeys.has(g.key)).flatMap((g) => g.items),
      s.asOf,
    ),
  );
  const shown = {
    ...series,
    groups: series.groups.map((g) => ({ ...g, label: names.get(g.key) ?? g.label })),
  };
  const xName = xLabel(s.x);
  const yName = yLabel(s.y, s);
  const counted = frontierStatus(series, { xName, yName }, best !== undefined || s.frontierOnly);
  const status = best ? bestStatus(series, groups.length, counted) : counted;
  view.status(status);
  // short labels, as the chart's series and the other views' legends have them
  const lacking = lacks(empty, { xName, yName });
  const legend = view.legend.split(
    series.groups,
    (g) => !isEmpty(g),
    names,
    lacking,
    (g) => (best ? `best of ${best.get(g.key)?.members.length}` : String(g.points.length)),
  );
  const source = sourceNote(view, groups);
  // the shown groups' points whose throughput contradicts Little's law: counted under the chart, the table and the
  // exports (each is marked in the chart and says why in its tooltip)
  const flagged = flaggedNote(series, flaggedMark(series));
  const note = flagged
    ? {
        text: [source?.text, flagged].filter(Boolean).join("; "),
        elements: [
          ...(source ? [source.element] : []),
          h("p", { id: "flagged-note", class: "note flagged", text: flagged }),
        ],
      }
    : source && { text: source.text, elements: [source.element] };
  if (empty.length === series.groups.length) {
    // no group has a point on these axes: no empty axes nor empty table, but what the groups lack
    view.chart.dispose();
    view.chart.activate = undefined;
    main.append(nothingDrawn(groups.length, { kind: "metric", lacking }), ...legend);
    if (note) main.append(...note.elements);
    view.setCsv(undefined);
    view.finish();
    return;
  }
  main.append(
    checkboxControl("table", "Show as table", s.table, (v) => view.act("table", { table: v })),
  );
  view.setCsv(() => csvWithNote(frontierCsv(series, s.x, s.y), note?.text));
  if (s.table) {
    view.chart.dispose();
    view.chart.activate = undefined;
    main.append(frontierTable(shown.groups, { xName, yName, subtitle }, index.byId, s), ...legend);
    if (note) main.append(...note.elements);
    view.finish();
    return;
  }
  const box = view.chart.box(
    `Frontier chart: ${yName} against ${xName}${subtitle ? `, ${subtitle}` : ""}. ${status}. Press Enter for its points as a table.`,
  );
  // the keyboard's way to a point's figures: the table the "Show as table" box shows, which Enter checks
  view.chart.activate = () => view.act("table", { table: true });
  main.append(box, ...legend);
  if (note) main.append(...note.elements);
  const chart = view.chart.ensure(box);
  const { option, slices } = frontierOption(
    shown,
    { xName, yName, xLog: s.xLog, yLog: s.yLog, title: `${yName} vs ${xName}`, subtitle },
    view.styles,
  );
  view.chart.slices = slices;
  // a point's configuration (its group's short label), for the best per GPU's tooltips: made on the first one
  let configs: Map<string, string> | undefined;
  const configOf = () => {
    if (!configs) {
      configs = new Map(groups.flatMap((g) => g.items.map((i) => [i.id, configLabel(g)])));
    }
    return configs;
  };
  option.tooltip.formatter = (p: { seriesId: string; dataIndex: number; value: number[] }) => {
    const slice = sliceAt(slices.get(p.seriesId), p.dataIndex);
    const point = pointAt(slices.get(p.seriesId), p.dataIndex);
    const item = point && index.byId.get(point.id);
    if (!item || !point) return "";
    // a point's energy per token is measured or reported, and its tooltip says which
    const pointY = pointYLabel(s.y, s, item.point);
    // in the best per GPU, the configuration that reaches the point too
    const config = best && configOf().get(item.id);
    const group = config ? `${slice?.label}: ${config}` : slice?.label;
    return pointTooltip(item, { xName, yName: pointY, x: point.x, y: point.y, group }, s);
  };
  const t3 = performance.now();
  // over a frontier chart, replace the series (by id) and keep the components: half the cost of a rebuild
  chart.setOption(view.chart.fit(describeChart(option, box.getAttribute("aria-label") ?? "")), {
    ...(view.chart.view === "frontier" ? { replaceMerge: ["series"] } : { notMerge: true }),
  });
  // the image's legend names what it draws: not a group without a point on these axes (no measured J/token)
  view.chart.exportable = {
    option,
    legend: view.legend.exported(shown.groups.filter((g) => g.points.length > 0)),
    note: note?.text,
  };
  view.chart.view = "frontier";
  performance.measure("infermark:setOption", { start: t3, end: performance.now() });
}

/**
 * The status line of the best per GPU: how many GPUs are drawn, over how many configurations, and how many of their
 * points are on an envelope, then what `frontierStatus` says past its count (groups without a point, hidden ones).
 * @example "Best per GPU: 9 of 9 GPUs, each the envelope of its configurations (65 in all); 65 of 282 points on one"
 */
function bestStatus(series: FrontierSeries, configurations: number, counted: string): string {
  const drawn = series.groups.filter((g) => !g.hidden && !isEmpty(g)).length;
  return [
    `Best per GPU: ${drawn} of ${plural(series.groups.length, "GPU")}, each the envelope of its configurations (${configurations} in all)`,
    `${series.drawn} of ${plural(series.plotted, "point")} on one`,
    ...counted.split("; ").slice(1),
  ].join("; ");
}
