import * as echarts from "echarts/core";
import type { View } from "../state/view-state.js";
import type { GroupSlice } from "./chart-options.js";
import { h } from "./dom.js";
import type { Exportable } from "./export-png.js";

/**
 * The dashboard's main chart: one container and one ECharts instance kept across renders, so a view updates the
 * chart instead of rebuilding it, and what the chart last drew (for the test hook and Export PNG).
 */
export class MainChart {
  /** the live chart, undefined while no view draws one */
  instance: echarts.ECharts | undefined;
  /** the view the chart last drew (a frontier update merges into a frontier chart only) */
  view: View | "" = "";
  /** the groups each frontier series holds (several groups of one color share a series) */
  slices = new Map<string, GroupSlice[]>();
  /** what Export PNG draws for the main chart (its option and the legend the image carries) */
  exportable: Exportable | undefined;
  private theme = "";
  private container: HTMLElement | undefined;

  /** `finished`: called each time the chart has finished drawing */
  constructor(private readonly finished: () => void) {}

  /** The chart's container, labelled for screen readers: one element kept across renders. */
  box(label: string): HTMLElement {
    this.container ??= h("div", { id: "chart", class: "chart", role: "img", tabindex: "0" });
    this.container.setAttribute("aria-label", label);
    return this.container;
  }

  /** The chart in `container`, started there when it is not yet (a new chart has drawn no view). */
  ensure(container: HTMLElement): echarts.ECharts {
    if (this.instance && this.instance.getDom() !== container) this.dispose();
    if (!this.instance) {
      this.view = "";
      this.instance = echarts.init(container, this.theme === "dark" ? "dark" : undefined);
      this.instance.on("finished", () => this.finished());
    }
    return this.instance;
  }

  /** Sets the theme the chart draws with: a chart of another theme is dropped, to start again in this one. */
  useTheme(theme: "dark" | "light"): void {
    if (this.instance && this.theme !== theme) this.dispose();
    this.theme = theme;
  }

  /** Drops the chart (a view that draws none: a table, the empty state, run detail). */
  dispose(): void {
    this.instance?.dispose();
    this.instance = undefined;
  }
}
