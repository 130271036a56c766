import { type ECharts, getInstanceByDom } from "echarts/core";
import type { View, ViewState } from "../state/view-state.js";
import type { MainChart } from "./main-chart.js";

/** Render timings the benchmark and the end-to-end tests read (window.__infermark). */
export interface RenderLog {
  renders: { view: View; ms: number; at: number }[];
  state: () => ViewState;
  /**
   * what the main chart plots: series names, data and look (frontier: one scatter and one line entry per group;
   * a scatter has a color and symbol, a line a color and dash, as ECharts draws them)
   */
  plotted: () => Plotted[];
  /** where a data point [x, y] lies on the main chart's canvas, in CSS pixels from its corner */
  toPixel: (x: number, y: number) => [number, number] | undefined;
  /** the main chart's title and subtitle */
  title: () => { text: string; subtext: string } | undefined;
  /** the labels of the main chart's x axis, as ECharts writes them (the trends chart's dates) */
  xLabels: () => string[];
  /**
   * the labels the main chart shows on its data items (the compare bars' values; hidden ones left out): each
   * one's text, its box (left, right, top, bottom edges; an upright label's is tall and narrow) in CSS pixels from
   * the chart's corner, and font size
   */
  dataLabels: () => DataLabel[];
  /**
   * every text a chart draws: the title and subtitle, axis names and tick labels, data labels; each one's text and
   * box in CSS pixels from the chart's corner (as `dataLabels`), to find texts drawn over one another. The chart is
   * the `index`-th of the page's charts (the main chart, or run detail's), the first by default.
   */
  texts: (index?: number) => ChartText[];
}

/** A label the chart draws on a data item (see `dataLabels`). */
export interface DataLabel {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
  fontSize: number;
}

/** A text a chart draws (see `texts`); `title`: a line of its title or subtitle. */
export interface ChartText extends DataLabel {
  title: boolean;
}

/** What `dataLabels` reads of zrender's elements: a data item's element holds its label as its text content. */
interface ZrElement {
  type?: string;
  ignore?: boolean;
  invisible?: boolean;
  traverse?(cb: (el: ZrElement) => void): void;
  getTextContent?(): ZrText | undefined;
}
interface ZrText {
  ignore?: boolean;
  invisible?: boolean;
  style: { text?: string; fontSize?: number | string };
  getBoundingRect(): {
    clone(): {
      applyTransform(m: unknown): void;
      x: number;
      y: number;
      width: number;
      height: number;
    };
  };
  getComputedTransform(): unknown;
}

/** What `xLabels` reads of ECharts' model: an axis's labels as its ticks name them. */
interface EChartsModel {
  getComponent(
    type: string,
    index: number,
  ): { axis?: { getViewLabels(): { formattedLabel: string }[] } } | undefined;
}

/** One series (or, on the frontier chart, one group's part of a series) as the chart draws it. */
export interface Plotted {
  name: string;
  id: string;
  type: string;
  data: unknown[];
  color?: string;
  symbol?: string;
  dash?: unknown;
  /**
   * the series is drawn in ECharts' large mode (all its markers one path, `symbol` a built-in shape); only set
   * when it is
   */
  large?: true;
}

/** ECharts' series option, as far as `plotted` reads it. */
interface SeriesOption {
  name: string;
  id: string;
  type: string;
  data: unknown[];
  symbol?: string;
  large?: boolean;
  itemStyle?: { color?: string };
  lineStyle?: { type?: unknown };
}

const look = (s: SeriesOption) => ({
  color: s.itemStyle?.color,
  ...(s.type === "line" ? { dash: s.lineStyle?.type } : { symbol: s.symbol }),
  ...(s.large ? { large: true as const } : {}),
});

declare global {
  interface Window {
    __infermark?: RenderLog;
  }
}

/** The test hook of a dashboard: no renders yet, and views of its state and main chart as they are when called. */
export function renderLog(state: () => ViewState, chart: MainChart): RenderLog {
  return {
    renders: [],
    state: () => structuredClone(state()),
    toPixel: (x, y) =>
      chart.instance?.convertToPixel({ xAxisIndex: 0, yAxisIndex: 0 }, [x, y]) as
        | [number, number]
        | undefined,
    title: () => {
      const opt = chart.instance?.getOption() as
        | { title?: { text: string; subtext: string }[] }
        | undefined;
      const t = opt?.title?.[0];
      return t && { text: t.text, subtext: t.subtext };
    },
    xLabels: () => {
      const model = (
        chart.instance as unknown as { getModel?(): EChartsModel } | undefined
      )?.getModel?.();
      return (
        model
          ?.getComponent("xAxis", 0)
          ?.axis?.getViewLabels()
          .map((l) => l.formattedLabel) ?? []
      );
    },
    dataLabels: () => chartTexts(chart.instance, (el) => el.getTextContent?.()),
    texts: (index = 0) => {
      const instance = pageChart(index);
      const title = (instance?.getOption() as { title?: { text?: string; subtext?: string }[] })
        ?.title?.[0];
      const titles = new Set([title?.text, title?.subtext].filter(Boolean));
      return chartTexts(instance, (el) => {
        const text = el.type === "text" ? (el as unknown as ZrText) : el.getTextContent?.();
        return text && !text.invisible && text.style.text ? text : undefined;
      }).map((t) => ({ ...t, title: titles.has(t.text) }));
    },
    plotted: () => {
      const opt = chart.instance?.getOption() as { series?: SeriesOption[] } | undefined;
      const out: Plotted[] = [];
      for (const s of opt?.series ?? []) {
        if (!s) continue; // a series removed by a replacing update leaves a hole
        const parts = chart.view === "frontier" ? chart.slices.get(s.id) : undefined;
        if (!parts) {
          out.push({ name: s.name, id: s.id, type: s.type, data: s.data, ...look(s) });
          continue;
        }
        // items as [x, y, point id]: coordinates from the chart's data (large scatters carry a flat
        // Float64Array x0, y0, x1, y1, ...), the id from the group the item belongs to
        const flat = ArrayBuffer.isView(s.data) ? (s.data as unknown as Float64Array) : undefined;
        // (a frontier line with markers has items { value: [x, y], symbol })
        const xy = (k: number) => {
          if (flat) return [flat[2 * k], flat[2 * k + 1]];
          const item = s.data[k] as number[] | { value: number[] };
          return Array.isArray(item) ? item : item.value;
        };
        // one entry per group, as `pts:<group key>` / `front:<group key>`
        const prefix = s.id.slice(0, s.id.indexOf(":") + 1);
        for (const g of parts)
          out.push({
            name: g.label,
            id: `${prefix}${g.key}`,
            type: s.type,
            data: g.points.map((p, k) => [...xy(g.start + k), p.id]),
            ...look(s),
          });
      }
      return out;
    },
  };
}

/** The texts `pick` finds on the main chart's elements, less those ignored, with their boxes. */
function chartTexts(
  chart: ECharts | undefined,
  pick: (el: ZrElement) => ZrText | undefined,
): DataLabel[] {
  const zr = chart?.getZr() as { storage: { getRoots(): ZrElement[] } } | undefined;
  const out: DataLabel[] = [];
  const visit = (el: ZrElement) => {
    const label = pick(el);
    if (!label || label.ignore) return;
    const r = label.getBoundingRect().clone();
    const m = label.getComputedTransform();
    if (m) r.applyTransform(m);
    out.push({
      text: String(label.style.text ?? ""),
      left: r.x,
      right: r.x + r.width,
      top: r.y,
      bottom: r.y + r.height,
      fontSize: Number(label.style.fontSize ?? 12),
    });
  };
  for (const root of zr?.storage.getRoots() ?? []) {
    visit(root);
    root.traverse?.(visit);
  }
  return out;
}

/** The ECharts instance of the page's `index`-th chart (an element of class `chart`), if it has one. */
function pageChart(index: number): ECharts | undefined {
  const el = document.querySelectorAll<HTMLElement>(".chart")[index];
  return el ? getInstanceByDom(el) : undefined;
}
