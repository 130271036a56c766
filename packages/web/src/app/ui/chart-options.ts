import type { CompareBar, CompareResult } from "../logic/compare-bars.js";
import type { FrontierSeries, PlotPoint } from "../logic/frontier-series.js";
import {
  echartsDash,
  echartsSymbol,
  FALLBACK_STYLE,
  type GroupStyle,
  type SymbolName,
} from "../logic/group-styles.js";
import type { Histogram, TimeSeries } from "../logic/run-detail.js";
import type { TrendLine } from "../logic/trend-series.js";
import {
  plotTop,
  SUBTITLE_FONT,
  TITLE_FONT,
  TITLE_GAP,
  TITLE_PADDING,
  VALUE_LABEL_FONT,
} from "./fit-width.js";
import { esc, fmt, fmtTick } from "./format.js";

// biome-ignore lint/suspicious/noExplicitAny: ECharts options are loosely typed JSON
type Option = Record<string, any>;

const axis = (name: string, log: boolean, extra: Option = {}): Option => ({
  type: log ? "log" : "value",
  name,
  nameLocation: "middle",
  nameGap: 30,
  scale: true,
  axisLabel: { formatter: (v: number) => fmtTick(v) },
  splitLine: { lineStyle: { opacity: 0.3 } },
  ...extra,
});

/** The widest a tooltip is drawn (px), on a screen wide enough for it. */
export const TOOLTIP_MAX_PX = 640;

/**
 * Every main chart's tooltip frame: kept inside the chart, and no wider than the screen less its margins, its
 * text wrapping within that (ECharts keeps a tooltip's text on one line: on a phone a point's tooltip ran 280 px
 * past the screen's right edge, a compare bar's past its left edge, where the group's name was cut off).
 */
export const TOOLTIP_FRAME = {
  confine: true,
  extraCssText: `max-width: min(${TOOLTIP_MAX_PX}px, calc(100vw - 32px)); white-space: normal;`,
} as const;

/** Sets the text screen readers announce for a chart (instead of ECharts' generated data dump). */
export function describeChart(option: Option, description: string): Option {
  option.aria = { enabled: true, label: { description } };
  return option;
}

/** Room above the plot: the title, and the subtitle's line when there is one. */
const gridTop = (subtitle: string) => plotTop(1, subtitle ? 1 : 0);

/**
 * A chart's frame. The subtitle says what every group on the chart shares (model, workload, GPU...): in the
 * option, so an exported PNG says it too.
 */
const base = (title: string, subtitle = ""): Option => ({
  backgroundColor: "transparent",
  animation: false,
  aria: { enabled: true, label: { description: title } },
  title: {
    text: title,
    subtext: subtitle,
    left: "center",
    // at the top edge, where `plotTop` counts from (ECharts 6 sets it 15 px lower)
    top: 0,
    padding: TITLE_PADDING,
    textStyle: { fontSize: TITLE_FONT.size, lineHeight: TITLE_FONT.lineHeight },
    subtextStyle: { fontSize: SUBTITLE_FONT.size, lineHeight: SUBTITLE_FONT.lineHeight },
    itemGap: TITLE_GAP,
  },
  grid: { left: 70, right: 30, top: gridTop(subtitle), bottom: 50, containLabel: false },
});

/** Where a group's points lie in a drawn series: the series draws several groups of one color. */
export interface GroupSlice {
  key: string;
  label: string;
  /** index of the group's first data item in the series */
  start: number;
  /** the group's items, in order (their count, coordinates and point ids) */
  points: readonly PlotPoint[];
}

/** The frontier chart's option and, per drawn series id, the groups it holds. */
export interface FrontierChart {
  option: Option;
  slices: Map<string, GroupSlice[]>;
}

/** The point behind a data item of a frontier series, from its slices; undefined at a gap between lines. */
export function pointAt(
  slices: readonly GroupSlice[] | undefined,
  index: number,
): PlotPoint | undefined {
  const s = sliceAt(slices, index);
  return s ? s.points[index - s.start] : undefined;
}

/** The group slice a data item of a frontier series belongs to (its group's key and label). */
export function sliceAt(
  slices: readonly GroupSlice[] | undefined,
  index: number,
): GroupSlice | undefined {
  if (!slices) return undefined;
  let lo = 0;
  let hi = slices.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (slices[mid]!.start <= index) lo = mid;
    else hi = mid - 1;
  }
  return slices[lo];
}

// a group's points as a flat Float64Array x0, y0, x1, y1, ...: computed once per (cached) points array
const flatCache = new WeakMap<readonly PlotPoint[], Float64Array>();
function flatOf(points: readonly PlotPoint[]): Float64Array {
  let flat = flatCache.get(points);
  if (!flat) {
    flat = new Float64Array(points.length * 2);
    for (let i = 0; i < points.length; i++) {
      flat[2 * i] = points[i]!.x;
      flat[2 * i + 1] = points[i]!.y;
    }
    flatCache.set(points, flat);
  }
  return flat;
}

/** Over this many points drawn, the frontier chart draws in large mode (`frontierOption`). */
export const LARGE_POINTS = 5000;

/** Whether the frontier chart draws these series in large mode: every marker a square, each series one path. */
export const isLarge = (series: Pick<FrontierSeries, "plotted">) => series.plotted > LARGE_POINTS;

/**
 * The mark drawn over a flagged point: a cross, or in large mode a square (ECharts draws a large series' markers
 * as one path of built-in shapes only; the note under the chart names the mark drawn).
 */
export const flaggedMark = (series: Pick<FrontierSeries, "plotted">) =>
  isLarge(series) ? "■" : "×";

/**
 * The frontier chart: the visible groups' points (scatter) and frontiers (lines), each group in its style (its GPU's
 * color, its marker and dash: `groupStyles`). Groups share series where they look alike, so ECharts' cost, which is
 * per series, stays bounded with hundreds of groups: one scatter per (color, symbol), or per color in large mode
 * where every marker is drawn as a small square, and one line per (color, dash), each frontier point's marker
 * given on its item (the line breaks between groups). Series ids are `pts:<color>|<symbol>` and
 * `front:<color>|<dash>`; `slices` maps them back to groups and points (`pointAt`). Items are `[x, y]` (string
 * dimensions such as a point id are costly to ECharts). In large mode (over 5,000 points) the scatter data is a flat
 * Float64Array `x0, y0, x1, y1, ...`, assembled from per-group arrays kept across renders, which ECharts takes
 * without parsing an item per point (parsing 50,000 items cost 200-400 ms per change); so are the lines (NaN
 * between groups) when they draw no markers, and the flagged points' marks (squares in large mode: `flaggedMark`).
 */
export function frontierOption(
  series: FrontierSeries,
  axes: {
    xName: string;
    yName: string;
    xLog: boolean;
    yLog: boolean;
    title: string;
    /** what every group shares (`chartSubtitle`) */
    subtitle?: string;
  },
  styles: ReadonlyMap<string, GroupStyle>,
): FrontierChart {
  // Many points: draw every scatter as one path (ECharts large mode); per-point elements cost seconds.
  const large = isLarge(series);
  // Frontier markers are one element each: with thousands of frontier points they cost more than the scatter,
  // which marks (and gives tooltips for) the same points anyway.
  let onFront = 0;
  for (const g of series.groups) if (!g.hidden) onFront += g.frontier.length;
  const markers = onFront <= 400;
  const scatters = new Map<string, Bucket>();
  const lines = new Map<string, Bucket>();
  for (const g of series.groups) {
    if (g.hidden) continue;
    const style = styles.get(g.key) ?? FALLBACK_STYLE;
    const scatter = bucket(scatters, large ? style.color : `${style.color}|${style.symbol}`, style);
    scatter.slices.push({ key: g.key, label: g.label, start: scatter.n, points: g.points });
    scatter.n += g.points.length;
    const line = bucket(lines, `${style.color}|${style.dash}`, style);
    if (line.slices.length > 0) line.n++; // a gap item: the next group's frontier is a new line
    line.slices.push({ key: g.key, label: g.label, start: line.n, points: g.frontier });
    line.symbols.push(style.symbol);
    line.n += g.frontier.length;
  }
  const out: Option[] = [];
  const slices = new Map<string, GroupSlice[]>();
  const flagged = flaggedOverlay(series, large);
  for (const [key, b] of scatters) {
    slices.set(`pts:${key}`, b.slices);
    let data: Float64Array | number[][];
    if (large) {
      const flat = new Float64Array(b.n * 2);
      for (const sl of b.slices) flat.set(flatOf(sl.points), sl.start * 2);
      data = flat;
    } else data = b.slices.flatMap((sl) => sl.points.map((p) => [p.x, p.y]));
    out.push({
      type: "scatter",
      name: bucketName(b),
      id: `pts:${key}`,
      ...(large ? { dimensions: ["x", "y"] } : {}),
      data,
      // in large mode, symbols under 4 px are drawn as squares: far cheaper to fill than 50,000 circles
      symbol: echartsSymbol(b.style.symbol),
      symbolKeepAspect: true,
      symbolSize: large ? 3.5 : 7,
      large,
      largeThreshold: large ? 0 : 2000,
      itemStyle: { color: b.style.color, opacity: 0.6 },
    });
  }
  for (const [key, b] of lines) {
    slices.set(`front:${key}`, b.slices);
    let front: Float64Array | (number[] | string | Option)[];
    if (large && !markers) {
      // flat too; NaN at the gap between two groups' lines
      front = new Float64Array(b.n * 2).fill(Number.NaN);
      for (const sl of b.slices) front.set(flatOf(sl.points), sl.start * 2);
    } else {
      front = [];
      for (const [i, sl] of b.slices.entries()) {
        // the gap item before every group but the first, as `n` counted it: a group without a point on these
        // axes (no measured J/token) leaves its gap too, or the later groups' items sit one before their slices'
        // `start`, and a frontier marker's tooltip gave the next point's figures
        if (i > 0) front.push("-");
        const symbol = echartsSymbol(b.symbols[i]!);
        for (const p of sl.points) front.push(markers ? { value: [p.x, p.y], symbol } : [p.x, p.y]);
      }
    }
    out.push({
      type: "line",
      name: bucketName(b),
      id: `front:${key}`,
      ...(large && !markers ? { dimensions: ["x", "y"] } : {}),
      data: front,
      connectNulls: false,
      showSymbol: markers,
      symbolKeepAspect: true,
      symbolSize: 8,
      silent: !markers,
      lineStyle: { width: 2, color: b.style.color, type: echartsDash(b.style.dash) },
      itemStyle: { color: b.style.color },
      z: 3,
    });
  }
  if (flagged) {
    slices.set(FLAGGED_SERIES, flagged.slices);
    out.push(flagged.series);
  }
  return {
    option: {
      ...base(axes.title, axes.subtitle),
      tooltip: { trigger: "item", enterable: true, ...TOOLTIP_FRAME },
      xAxis: axis(axes.xName, axes.xLog),
      yAxis: axis(axes.yName, axes.yLog, { nameGap: 55 }),
      series: out,
    },
    slices,
  };
}

/** The id of the frontier chart's series of flagged points (`flaggedOverlay`); the test hook lists its items per group as `flagged:<group key>`. */
export const FLAGGED_SERIES = "flagged:cross";

/** A cross: the flagged points' marker, drawn over the group's own (an ECharts path, filled). */
const CROSS = "path://M1,0 L5,4 L9,0 L10,1 L6,5 L10,9 L9,10 L5,6 L1,10 L0,9 L4,5 L0,1 Z";

/**
 * The flagged points (`flagOf`: their throughput contradicts Little's law) of the visible groups, as drawn: a dark
 * red cross over each one's own marker, above the lines, with its tooltip (the point's, which says why).
 * Undefined when no drawn point is flagged. Its slices map items back to points, as the other series'. In large
 * mode the marks are one path too, of dark red squares (`flaggedMark`), from a flat Float64Array as the scatters:
 * 30,000 crosses as elements of their own took 2 s a draw on a 2-core VM.
 */
function flaggedOverlay(
  series: FrontierSeries,
  large: boolean,
): { series: Option; slices: GroupSlice[] } | undefined {
  const slices: GroupSlice[] = [];
  let n = 0;
  for (const g of series.groups) {
    if (g.hidden) continue;
    const points = flaggedOf(g.points);
    if (points.length === 0) continue;
    slices.push({ key: g.key, label: g.label, start: n, points });
    n += points.length;
  }
  if (n === 0) return undefined;
  return {
    slices,
    series: {
      type: "scatter",
      name: "flagged: throughput contradicts Little's law",
      id: FLAGGED_SERIES,
      ...(large ? { dimensions: ["x", "y"] } : {}),
      data: large
        ? flatOfSlices(slices, n)
        : slices.flatMap((sl) => sl.points.map((p) => [p.x, p.y])),
      // large: a square, one path of them all (a path:// symbol is not placed per point in large mode, and a
      // path of 30,000 closed diamonds took Chromium's canvas 0.9 s to draw; squares draw in milliseconds)
      symbol: large ? "rect" : CROSS,
      symbolSize: large ? 7 : 12,
      large,
      largeThreshold: large ? 0 : 2000,
      itemStyle: { color: FLAGGED_COLOR, borderColor: "#fff", borderWidth: 0.5, opacity: 1 },
      z: 5,
    },
  };
}

// a group's flagged points: computed once per (cached) points array, so their flat array is cached too
const flaggedCache = new WeakMap<readonly PlotPoint[], readonly PlotPoint[]>();
function flaggedOf(points: readonly PlotPoint[]): readonly PlotPoint[] {
  let flagged = flaggedCache.get(points);
  if (!flagged) {
    flagged = points.filter((p) => p.flagged !== undefined);
    flaggedCache.set(points, flagged);
  }
  return flagged;
}

/** The slices' points as one flat Float64Array x0, y0, x1, y1, ... (`n` points in all). */
function flatOfSlices(slices: readonly GroupSlice[], n: number): Float64Array {
  const flat = new Float64Array(n * 2);
  for (const sl of slices) flat.set(flatOf(sl.points), sl.start * 2);
  return flat;
}

/** The flagged points' cross: dark red, with a thin white edge that keeps it apart from a red group's marker. */
export const FLAGGED_COLOR = "#B00020";

/** Groups drawn by one series: their slices, item count, the look they share and (lines) each one's marker. */
interface Bucket {
  slices: GroupSlice[];
  n: number;
  style: GroupStyle;
  symbols: SymbolName[];
}

function bucket(buckets: Map<string, Bucket>, key: string, style: GroupStyle): Bucket {
  let b = buckets.get(key);
  if (!b) {
    b = { slices: [], n: 0, style, symbols: [] };
    buckets.set(key, b);
  }
  return b;
}

const bucketName = (b: Bucket) =>
  b.slices.length === 1 ? b.slices[0]!.label : `${b.slices[0]!.label} +${b.slices.length - 1}`;

/**
 * The bars the compare chart draws: the groups with a value at the target, in their order. A group without one
 * takes no slot: empty slots crowded out the labels of the bars there were (of 60 groups with one value, the only
 * bar's label was thinned away); the status line counts them and the table says why each has none.
 */
export function drawnBars(result: Pick<CompareResult, "bars">): CompareBar[] {
  return result.bars.filter((b) => b.value !== undefined);
}

/** A compare bar's tooltip: its group, its value (as the table writes it) and the frontier range it is read from. */
export function compareTooltip(bar: CompareBar, yName: string, target: number): string {
  const range = bar.range ? `${fmt(bar.range[0])}–${fmt(bar.range[1])}` : "–";
  return [
    `<b>${esc(bar.label)}</b>`,
    `${esc(yName)} at ${fmt(target)} tok/s/user: <b>${fmt(bar.value)}</b>`,
    `frontier range: ${range} tok/s/user`,
  ].join("<br>");
}

/** The compare chart: one bar per group with a value at the target (`drawnBars`), named by its group. */
export function compareOption(
  result: Pick<CompareResult, "target" | "bars" | "ratio">,
  yName: string,
  styles: ReadonlyMap<string, GroupStyle>,
  subtitle = "",
): Option {
  const selected = new Set([result.ratio?.a.key, result.ratio?.b.key]);
  const bars = drawnBars(result);
  // many bars: steeper group labels, so that the labels of neighbouring bars do not run into each other
  const crowded = bars.length > CROWDED_BARS;
  return {
    ...base(`${yName} at ${fmt(result.target)} tok/s/user`, subtitle),
    grid: { left: 70, right: 30, top: gridTop(subtitle), bottom: crowded ? 180 : 120 },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      ...TOOLTIP_FRAME,
      // ECharts' own tooltip wrote the raw value (4,592.709356775184)
      formatter: (params: { dataIndex: number } | { dataIndex: number }[]) => {
        const p = Array.isArray(params) ? params[0] : params;
        const bar = p && bars[p.dataIndex];
        return bar ? compareTooltip(bar, yName, result.target) : "";
      },
    },
    xAxis: {
      type: "category",
      data: bars.map((b) => b.label),
      axisLabel: { rotate: crowded ? 60 : 35, interval: 0, fontSize: 10 },
    },
    // bars from zero: a value axis fitted to the data makes a 1.8x gap look like 4x
    yAxis: axis(yName, false, { nameGap: 55, scale: false }),
    series: [
      {
        type: "bar",
        name: yName,
        // one or a few bars would fill the plot's width: a wide block reads as a different kind of chart
        barMaxWidth: BAR_MAX_WIDTH,
        data: bars.map((b) => ({
          name: b.label,
          value: b.value,
          itemStyle: {
            color: styles.get(b.key)?.color,
            borderWidth: selected.has(b.key) ? 3 : 0,
            borderColor: "#888",
          },
        })),
        label: {
          show: true,
          position: "top",
          formatter: (p: { value: number }) => fmt(p.value),
          // zrender takes a label's height from the width of "国", a few pixels where no CJK font is installed,
          // and then finds no overlap between labels a line apart: give the height, so hideOverlap sees it
          fontSize: VALUE_LABEL_FONT.size,
          lineHeight: VALUE_LABEL_FONT.lineHeight,
        },
        // values of neighbouring bars that would overlap are left out (the tooltip and the table give them);
        // `fitToWidth` turns them upright, or leaves them all out, where they are wider than their bars
        labelLayout: { hideOverlap: true },
      },
    ],
  };
}

/** The widest a compare bar is drawn (px), however few bars share the plot. */
export const BAR_MAX_WIDTH = 64;

/** Over this many bars the compare chart's group labels are drawn at 60 degrees, not 35. */
export const CROWDED_BARS = 16;

/** The trends chart: one line per group, the value at the target over dates. */
export function trendsOption(
  lines: readonly TrendLine[],
  yName: string,
  target: number,
  styles: ReadonlyMap<string, GroupStyle>,
  subtitle = "",
): Option {
  return {
    ...base(`${yName} at ${fmt(target)} tok/s/user, by date`, subtitle),
    tooltip: {
      trigger: "item",
      ...TOOLTIP_FRAME,
      // the group, the date and value, and the software that date's frontier ran (when its points record it)
      formatter: (p: {
        seriesName: string;
        data: { value: [string, number]; software: string[] };
      }) =>
        [
          esc(p.seriesName),
          `${esc(p.data.value[0])}: ${fmt(p.data.value[1])}`,
          ...(p.data.software.length > 0 ? [esc(p.data.software.join(", "))] : []),
        ].join("<br>"),
    },
    xAxis: dateAxis(lines),
    // from zero, as the compare bars: an axis fitted to the data drew a change of 0.4% (5,790 to 5,812) from the
    // bottom of the plot to its top
    yAxis: axis(yName, false, { nameGap: 55, scale: false }),
    series: lines.map((l) => {
      const style = styles.get(l.key) ?? FALLBACK_STYLE;
      return {
        type: "line",
        name: l.label,
        id: `trend:${l.key}`,
        connectNulls: true,
        data: l.dates
          .filter((d) => d.value !== undefined)
          .map((d) => ({ value: [d.date, d.value], software: d.software })),
        symbol: echartsSymbol(style.symbol),
        symbolKeepAspect: true,
        symbolSize: 8,
        itemStyle: { color: style.color },
        lineStyle: { color: style.color, type: echartsDash(style.dash) },
      };
    }),
  };
}

const DAY_MS = 86_400_000;

/**
 * The trends chart's date axis. Dates are days: a time axis ticks at most once a day and names each tick by its
 * day ("Feb 18"), month ("Mar") or year, never by an hour (over one date or two close ones it ticked 06:00, 12:00,
 * 18:00 between days named "17" and "18"). One date alone is a category axis of that one date: a time axis
 * spreads a single instant over the days around it.
 */
export function dateAxis(lines: readonly Pick<TrendLine, "dates">[]): Option {
  const dates = new Set(
    lines.flatMap((l) => l.dates.filter((d) => d.value !== undefined).map((d) => d.date)),
  );
  const frame = { name: "date", nameLocation: "middle", nameGap: 30 };
  if (dates.size === 1) return { ...frame, type: "category", data: [...dates] };
  return {
    ...frame,
    type: "time",
    minInterval: DAY_MS,
    axisLabel: {
      formatter: { year: "{yyyy}", month: "{MMM}", day: "{MMM} {d}" },
    },
  };
}

/**
 * The run detail bar charts' y axis: request counts from zero, named along the axis as every other chart's y axis
 * (its name at the axis' top end stood beside the title, level with it, on a phone).
 */
const countAxis = (): Option =>
  axis("requests", false, { nameGap: 45, scale: false, minInterval: 1 });

/** A histogram as a bar chart (bin centres). */
export function histogramOption(title: string, h: Histogram, unit: string): Option {
  const data = h.counts.map((c, i) => [(h.edges[i]! + h.edges[i + 1]!) / 2, c]);
  return {
    ...base(title),
    grid: { left: 60, right: 20, top: gridTop(""), bottom: 45 },
    tooltip: { trigger: "axis" },
    xAxis: axis(unit, false),
    yAxis: countAxis(),
    series: [{ type: "bar", name: title, data, barCategoryGap: "0%" }],
  };
}

/** One or more time series as lines. */
export function timeSeriesOption(
  title: string,
  yName: string,
  lines: readonly { name: string; series: TimeSeries; step?: boolean }[],
  subtitle = "",
): Option {
  return {
    ...base(title, subtitle),
    grid: { left: 60, right: 20, top: gridTop(subtitle), bottom: 45 },
    tooltip: { trigger: "axis" },
    xAxis: axis("s since first request", false),
    yAxis: axis(yName, false, { nameGap: 45 }),
    series: lines.map((l) => ({
      type: "line",
      name: l.name,
      data: l.series,
      showSymbol: false,
      step: l.step ? "end" : false,
    })),
  };
}

/** Errors by category as a bar chart. */
export function errorsOption(errors: readonly { category: string; count: number }[]): Option {
  return {
    ...base("Errors by category"),
    grid: { left: 60, right: 20, top: gridTop(""), bottom: 45 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: errors.map((e) => e.category) },
    yAxis: countAxis(),
    series: [
      {
        type: "bar",
        name: "errors",
        data: errors.map((e) => e.count),
        itemStyle: { color: "#D55E00" },
      },
    ],
  };
}
