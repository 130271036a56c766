import * as echarts from "echarts/core";
import type { View } from "../state/view-state.js";
import type { GroupSlice } from "./chart-options.js";
import { h } from "./dom.js";
import type { Exportable } from "./export-png.js";
import { fitToWidth, type MeasureText, mergePatch } from "./fit-width.js";

// biome-ignore lint/suspicious/noExplicitAny: ECharts options are loosely typed JSON
type Option = Record<string, any>;

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
  /**
   * what Enter on the focused chart does: the view's keyboard way to the figures a tooltip gives a mouse (the
   * frontier and compare views show them as a table); undefined: nothing
   */
  activate: (() => void) | undefined;
  private theme = "";
  private container: HTMLElement | undefined;
  /** the option the view last drew, before `fit` (a resize fits it again) */
  private drawn: { option: Option; own: Option } | undefined;
  private measureText: MeasureText | undefined;

  /** `finished`: called each time the chart has finished drawing */
  constructor(private readonly finished: () => void) {}

  /** The chart's container, labelled for screen readers: one element kept across renders. */
  box(label: string): HTMLElement {
    if (!this.container) {
      const box = h("div", { id: "chart", class: "chart", role: "img", tabindex: "0" });
      box.addEventListener("keydown", (e) => {
        if (e.key !== "Enter" || !this.activate) return;
        e.preventDefault();
        this.activate();
      });
      this.container = box;
    }
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

  /**
   * `option` with its title broken into lines and its labels thinned to the chart's width (`fitToWidth`), in place:
   * the option drawn is the option exported. Call it on the option given to `setOption`.
   */
  fit(option: Option): Option {
    // the view's own title and grid top, before the title's lines broke and moved the plot down
    const own = { ...option, title: { ...option.title }, grid: { ...option.grid } };
    this.drawn = { option, own };
    return mergePatch(option, this.patchFor(own));
  }

  /** After a resize: fits the last option again to the new width. */
  resize(): void {
    if (!this.instance) return;
    this.instance.resize();
    if (!this.drawn) return;
    const patch = this.patchFor(this.drawn.own);
    this.instance.setOption(patch);
    mergePatch(this.drawn.option, patch);
  }

  private patchFor(option: Option): Option {
    if (!this.instance) return {};
    this.measureText ??= canvasMeasure();
    return fitToWidth(option, this.instance.getWidth(), this.measureText);
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
    this.drawn = undefined;
  }
}

/** Text widths from a canvas of the page (the fonts ECharts draws with). */
function canvasMeasure(): MeasureText {
  const context = document.createElement("canvas").getContext("2d");
  return (text, font) => {
    if (!context) return text.length * 7;
    context.font = font;
    return context.measureText(text).width;
  };
}
