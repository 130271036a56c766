import * as echarts from "echarts/core";
import type { View } from "../state/view-state.js";
import { download } from "./dom.js";
import { exportLegend, type LegendEntry } from "./export-legend.js";
import { exportNote } from "./export-note.js";
import type { MainChart } from "./main-chart.js";

/** What an export draws: the main chart's last option, the groups its legend lists and its data-source note. */
export interface Exportable {
  // biome-ignore lint/suspicious/noExplicitAny: ECharts options are loosely typed JSON
  option: Record<string, any>;
  legend: readonly LegendEntry[];
  /** the note citing the catalog figures the chart's values use (`figuresNote`), drawn under the legend */
  note?: string;
}

/**
 * A PNG (data URL) of a chart with its legend and data-source note under it: the chart's option is drawn again,
 * with the legend and the note as ECharts graphic elements, on a taller chart out of view, so the live chart and its
 * HTML legend stay as they are.
 * Resolves when that chart has finished drawing (large scatters draw over several frames).
 */
export function chartWithLegendPng(
  live: echarts.ECharts,
  what: Exportable,
  dark: boolean,
  image: { pixelRatio: number; backgroundColor: string },
): Promise<string> {
  const width = live.getWidth();
  const height = live.getHeight();
  const legend = exportLegend(what.legend, width, height, dark ? "#e6e8eb" : "#1b1f24");
  const note = exportNote(what.note, width, height + legend.height, dark ? "#a9b0b8" : "#4a525c");
  const below = legend.height + note.height;
  const box = document.createElement("div");
  box.style.cssText = `position:absolute;left:-20000px;top:0;width:${width}px;height:${height + below}px`;
  document.body.append(box);
  const chart = echarts.init(box, dark ? "dark" : undefined);
  return new Promise<string>((resolve) => {
    chart.on("finished", () => {
      const url = chart.getDataURL({ type: "png", ...image });
      chart.dispose();
      box.remove();
      resolve(url);
    });
    const grid = what.option.grid ?? {};
    chart.setOption({
      ...what.option,
      tooltip: { show: false },
      grid: { ...grid, bottom: (grid.bottom ?? 50) + below },
      graphic: [...legend.elements, ...note.elements],
    });
  });
}

/**
 * Export PNG: saves the main chart as `infermark-<view>.png`, with its legend and data-source note when it has
 * them, or else the run detail view's charts (connected, in one image).
 */
export function exportPng(chart: MainChart, view: View, dark: boolean): void {
  const bg = dark ? "#16181d" : "#ffffff";
  const runChart = document.querySelector<HTMLElement>("#run-charts .chart");
  const options = { type: "png" as const, pixelRatio: 2, backgroundColor: bg };
  const name = `infermark-${view}.png`;
  // the legend is HTML next to the chart: an image of the chart alone would have unnamed colored lines; the
  // compare chart's exported option carries the ratio line, which the live chart has above it in HTML
  if (chart.instance && chart.exportable) {
    void chartWithLegendPng(chart.instance, chart.exportable, dark, options).then((url) =>
      download(name, url),
    );
    return;
  }
  const url = chart.instance
    ? chart.instance.getDataURL(options)
    : runChart
      ? echarts.getInstanceByDom(runChart)?.getConnectedDataURL(options)
      : undefined;
  if (url) download(name, url);
}
