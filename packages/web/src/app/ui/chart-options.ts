import type { CompareResult } from "../logic/compare-bars.js";
import type { FrontierSeries } from "../logic/frontier-series.js";
import type { Histogram, TimeSeries } from "../logic/run-detail.js";
import type { TrendLine } from "../logic/trend-series.js";
import { fmt } from "./format.js";

// biome-ignore lint/suspicious/noExplicitAny: ECharts options are loosely typed JSON
type Option = Record<string, any>;

const axis = (name: string, log: boolean, extra: Option = {}): Option => ({
  type: log ? "log" : "value",
  name,
  nameLocation: "middle",
  nameGap: 30,
  scale: true,
  axisLabel: { formatter: (v: number) => fmt(v) },
  splitLine: { lineStyle: { opacity: 0.3 } },
  ...extra,
});

/** Sets the text screen readers announce for a chart (instead of ECharts' generated data dump). */
export function describeChart(option: Option, description: string): Option {
  option.aria = { enabled: true, label: { description } };
  return option;
}

const base = (title: string): Option => ({
  backgroundColor: "transparent",
  animation: false,
  aria: { enabled: true, label: { description: title } },
  title: { text: title, left: "center", textStyle: { fontSize: 14 } },
  grid: { left: 70, right: 30, top: 40, bottom: 50, containLabel: false },
});

/** The frontier chart: per visible group, its points (scatter, large mode when many) and its frontier (line). */
export function frontierOption(
  series: FrontierSeries,
  axes: { xName: string; yName: string; xLog: boolean; yLog: boolean; title: string },
  colors: ReadonlyMap<string, string>,
): Option {
  const out: Option[] = [];
  // Many points: draw every group's scatter as one path (ECharts large mode); per-point elements cost seconds.
  const large = series.plotted > 5000;
  for (const g of series.groups) {
    if (g.hidden) continue;
    const color = colors.get(g.key);
    out.push({
      type: "scatter",
      name: g.label,
      id: `pts:${g.key}`,
      data: g.points.map((p) => [p.x, p.y, p.id]),
      symbolSize: 6,
      large,
      largeThreshold: large ? 0 : 2000,
      itemStyle: { color, opacity: 0.55 },
      emphasis: { focus: "series" },
    });
    out.push({
      type: "line",
      name: g.label,
      id: `front:${g.key}`,
      data: g.frontier.map((p) => [p.x, p.y, p.id]),
      showSymbol: true,
      symbolSize: 7,
      lineStyle: { width: 2, color },
      itemStyle: { color },
      z: 3,
    });
  }
  return {
    ...base(axes.title),
    tooltip: { trigger: "item", enterable: true, confine: true },
    xAxis: axis(axes.xName, axes.xLog),
    yAxis: axis(axes.yName, axes.yLog, { nameGap: 55 }),
    series: out,
  };
}

/** The compare chart: one bar per group at the target (bars without a value are left empty). */
export function compareOption(
  result: CompareResult,
  yName: string,
  colors: ReadonlyMap<string, string>,
): Option {
  const selected = new Set([result.ratio?.a.key, result.ratio?.b.key]);
  return {
    ...base(`${yName} at ${fmt(result.target)} tok/s/user`),
    grid: { left: 70, right: 30, top: 40, bottom: 120 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: {
      type: "category",
      data: result.bars.map((b) => b.label),
      axisLabel: { rotate: 35, interval: 0, fontSize: 10 },
    },
    yAxis: axis(yName, false, { nameGap: 55 }),
    series: [
      {
        type: "bar",
        name: yName,
        data: result.bars.map((b) => ({
          value: b.value ?? null,
          itemStyle: {
            color: colors.get(b.key),
            borderWidth: selected.has(b.key) ? 3 : 0,
            borderColor: "#888",
          },
        })),
        label: { show: true, position: "top", formatter: (p: { value: number }) => fmt(p.value) },
      },
    ],
  };
}

/** The trends chart: one line per group, the value at the target over dates. */
export function trendsOption(
  lines: readonly TrendLine[],
  yName: string,
  target: number,
  colors: ReadonlyMap<string, string>,
): Option {
  return {
    ...base(`${yName} at ${fmt(target)} tok/s/user, by date`),
    tooltip: { trigger: "item" },
    xAxis: { type: "time", name: "date", nameLocation: "middle", nameGap: 30 },
    yAxis: axis(yName, false, { nameGap: 55 }),
    series: lines.map((l) => ({
      type: "line",
      name: l.label,
      id: `trend:${l.key}`,
      connectNulls: true,
      data: l.dates.filter((d) => d.value !== undefined).map((d) => [d.date, d.value]),
      itemStyle: { color: colors.get(l.key) },
      lineStyle: { color: colors.get(l.key) },
    })),
  };
}

/** A histogram as a bar chart (bin centres). */
export function histogramOption(title: string, h: Histogram, unit: string): Option {
  const data = h.counts.map((c, i) => [(h.edges[i]! + h.edges[i + 1]!) / 2, c]);
  return {
    ...base(title),
    grid: { left: 50, right: 20, top: 40, bottom: 45 },
    tooltip: { trigger: "axis" },
    xAxis: axis(unit, false),
    yAxis: { type: "value", name: "requests" },
    series: [{ type: "bar", name: title, data, barCategoryGap: "0%" }],
  };
}

/** One or more time series as lines. */
export function timeSeriesOption(
  title: string,
  yName: string,
  lines: readonly { name: string; series: TimeSeries; step?: boolean }[],
): Option {
  return {
    ...base(title),
    grid: { left: 60, right: 20, top: 40, bottom: 45 },
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
    grid: { left: 50, right: 20, top: 40, bottom: 45 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: errors.map((e) => e.category) },
    yAxis: { type: "value", name: "requests" },
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
