import { type PointGroup, PRICE_TIERS } from "@infermark/core";
import { BarChart, LineChart, ScatterChart } from "echarts/charts";
import {
  AriaComponent,
  GraphicComponent,
  GridComponent,
  TitleComponent,
  TooltipComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import type { DataSource, PointScope } from "../data/data-source.js";
import { activeFilters } from "../logic/active-filters.js";
import { chartSubtitle } from "../logic/chart-subtitle.js";
import { type CompareResult, compareGroups } from "../logic/compare-bars.js";
import { compareCsv, frontierCsv, trendsCsv } from "../logic/csv.js";
import { composeFrontierSeries } from "../logic/frontier-series.js";
import { frontierStatus } from "../logic/frontier-status.js";
import { GroupIndex } from "../logic/group-index.js";
import { isCostMetric, X_CHOICES, xLabel, Y_CHOICES, yLabel } from "../logic/metrics.js";
import type { FilterOptions } from "../logic/select-points.js";
import { shortLabels } from "../logic/short-labels.js";
import { buildTrends, type TrendLine } from "../logic/trend-series.js";
import type { Item } from "../logic/types.js";
import {
  type DisaggChoice,
  decodeState,
  encodeState,
  type TierChoice,
  type View,
  type ViewState,
  type XMetricId,
  type YMetricId,
} from "../state/view-state.js";
import {
  compareOption,
  describeChart,
  frontierOption,
  type GroupSlice,
  pointAt,
  trendsOption,
} from "./chart-options.js";
import { checkboxControl, download, h, multiControl, selectControl } from "./dom.js";
import { emptyState } from "./empty-state.js";
import { chartWithLegendPng, type Exportable } from "./export-png.js";
import { colorAt, esc, fmt } from "./format.js";
import { renderRunDetail } from "./run-view.js";
import { pointTooltip } from "./tooltip.js";

echarts.use([
  ScatterChart,
  LineChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  TitleComponent,
  AriaComponent,
  GraphicComponent,
  CanvasRenderer,
]);

/** Render timings the benchmark and the end-to-end tests read (window.__infermark). */
export interface RenderLog {
  renders: { view: View; ms: number; at: number }[];
  state: () => ViewState;
  /** what the main chart plots: series names and data (frontier: one scatter and one line entry per group) */
  plotted: () => { name: string; id: string; type: string; data: unknown[] }[];
  /** where a data point [x, y] lies on the main chart's canvas, in CSS pixels from its corner */
  toPixel: (x: number, y: number) => [number, number] | undefined;
  /** the main chart's title and subtitle */
  title: () => { text: string; subtext: string } | undefined;
}

declare global {
  interface Window {
    __infermark?: RenderLog;
  }
}

const VIEW_LABELS: Record<View, string> = {
  frontier: "Frontier",
  compare: "Compare",
  trends: "Trends",
  run: "Run detail",
};

/** The dashboard: controls, the view's chart, legend, table and exports, driven by the URL state. */
/** The point set a view needs: the latest points of the chosen sources as of a day, or every date (trends, runs). */
export function viewScope(state: ViewState): PointScope {
  switch (state.view) {
    case "trends":
      return { source: state.source, asOf: "", latest: false };
    case "run":
      return { source: ["measured", "simulated"], asOf: "", latest: false };
    default:
      return { source: state.source, asOf: state.asOf, latest: true };
  }
}

const scopeKey = (s: PointScope) => `${s.latest}|${[...s.source].sort().join(",")}|${s.asOf}`;

export class Dashboard {
  private state: ViewState;
  /** the colors of the groups the view shows (see `paint`) */
  private readonly colors = new Map<string, string>();
  /** loaded point sets by scope, each grouped once */
  private readonly sets = new Map<string, GroupIndex>();
  private readonly loading = new Map<string, Promise<GroupIndex>>();
  /** the view the main chart last drew (a frontier update merges into a frontier chart only) */
  private chartView: View | "" = "";
  /** the groups each frontier series holds (several groups of one color share a series) */
  private slices = new Map<string, GroupSlice[]>();
  private scheduled = 0;
  private chart: echarts.ECharts | undefined;
  private chartTheme = "";
  private renderStart = 0;
  private lastCsv: () => string = () => "";
  /** what Export PNG draws for the main chart (its option and the legend the image carries) */
  private exportable: Exportable | undefined;
  private readonly log: RenderLog;

  constructor(
    private readonly root: HTMLElement,
    private readonly source: DataSource,
    private readonly options: FilterOptions,
  ) {
    this.state = this.withDefaults(decodeState(location.hash));
    this.log = {
      renders: [],
      state: () => structuredClone(this.state),
      toPixel: () => undefined,
      title: () => {
        const opt = this.chart?.getOption() as
          | { title?: { text: string; subtext: string }[] }
          | undefined;
        const t = opt?.title?.[0];
        return t && { text: t.text, subtext: t.subtext };
      },
      plotted: () => {
        const opt = this.chart?.getOption() as
          | { series?: { name: string; id: string; type: string; data: unknown[] }[] }
          | undefined;
        const out: { name: string; id: string; type: string; data: unknown[] }[] = [];
        for (const s of opt?.series ?? []) {
          if (!s) continue; // a series removed by a replacing update leaves a hole
          const parts = this.chartView === "frontier" ? this.slices.get(s.id) : undefined;
          if (!parts) {
            out.push({ name: s.name, id: s.id, type: s.type, data: s.data });
            continue;
          }
          // items as [x, y, point id]: coordinates from the chart's data (large scatters carry a flat
          // Float64Array x0, y0, x1, y1, ...), the id from the group the item belongs to
          const flat = ArrayBuffer.isView(s.data) ? (s.data as unknown as Float64Array) : undefined;
          const xy = (k: number) =>
            flat ? [flat[2 * k], flat[2 * k + 1]] : (s.data[k] as number[]);
          // one entry per group, as `pts:<group key>` / `front:<group key>`
          const prefix = s.id.slice(0, s.id.indexOf(":") + 1);
          for (const g of parts)
            out.push({
              name: g.label,
              id: `${prefix}${g.key}`,
              type: s.type,
              data: g.points.map((p, k) => [...xy(g.start + k), p.id]),
            });
        }
        return out;
      },
    };
    this.log.toPixel = (x, y) =>
      this.chart?.convertToPixel({ xAxisIndex: 0, yAxisIndex: 0 }, [x, y]) as
        | [number, number]
        | undefined;
    window.__infermark = this.log;
    window.addEventListener("hashchange", () => {
      const next = this.withDefaults(decodeState(location.hash));
      if (encodeState(next) !== encodeState(this.state)) {
        this.state = next;
        this.render();
      }
    });
    window.addEventListener("resize", () => this.chart?.resize());
  }

  /** A state with the workload chosen when the link gives none (one workload per chart reads best). */
  private withDefaults(state: ViewState): ViewState {
    if (!state.workload && this.options.workload.length > 0)
      state.workload = this.options.workload[0]!;
    return state;
  }

  /**
   * Loads (once) the point set of a scope and groups it; resolves with it. Starting the load early (before the
   * filter choices arrive) overlaps the two requests.
   */
  load(scope: PointScope, fetched?: Promise<Item[]>): Promise<GroupIndex> {
    const key = scopeKey(scope);
    const done = this.sets.get(key);
    if (done) return Promise.resolve(done);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = (async () => {
        const t0 = performance.now();
        const items = await (fetched ?? this.source.points(scope));
        const t1 = performance.now();
        const index = new GroupIndex(items);
        if (!fetched) performance.measure("infermark:load", { start: t0, end: t1 });
        performance.measure("infermark:index", { start: t1, end: performance.now() });
        this.sets.set(key, index);
        this.loading.delete(key);
        return index;
      })();
      this.loading.set(key, pending);
    }
    return pending;
  }

  /** Changes the state, writes it to the URL and renders on the next frame (several changes in a frame: once). */
  update(patch: Partial<ViewState>): void {
    if (!this.renderStart) this.renderStart = performance.now();
    this.state = { ...this.state, ...patch };
    history.replaceState(null, "", `#${encodeState(this.state)}`);
    if (this.scheduled) return;
    this.scheduled = requestAnimationFrame(() => {
      this.scheduled = 0;
      this.render();
    });
  }

  render(): void {
    if (!this.renderStart) this.renderStart = performance.now();
    const scope = viewScope(this.state);
    const index = this.sets.get(scopeKey(scope));
    if (!index) {
      // show the controls at once, draw when the scope's points have arrived (unless the state moved on)
      const wanted = scopeKey(scope);
      this.load(scope).then(
        () => {
          if (scopeKey(viewScope(this.state)) === wanted) this.render();
        },
        (error: unknown) => showError(this.root, error),
      );
    }
    const dark = this.state.theme === "dark";
    document.documentElement.dataset.theme = this.state.theme;
    const tDom = performance.now();
    this.exportable = undefined;
    this.root.replaceChildren();
    const main = h("main", { id: "view", "aria-live": "polite" });
    this.root.append(
      this.header(),
      h(
        "div",
        { class: this.state.view === "run" ? "layout full" : "layout" },
        this.controls(),
        main,
      ),
    );
    const theme = dark ? "dark" : "light";
    if (this.chart && this.chartTheme !== theme) {
      this.chart.dispose();
      this.chart = undefined;
    }
    this.chartTheme = theme;
    this.restoreFocus();
    performance.measure("infermark:dom", { start: tDom, end: performance.now() });
    if (!index) {
      main.append(h("p", { id: "status", class: "status", text: "Loading points…" }));
      return;
    }
    switch (this.state.view) {
      case "frontier":
        this.renderFrontier(main, index);
        break;
      case "compare":
        this.renderCompare(main, index);
        break;
      case "trends":
        this.renderTrends(main, index);
        break;
      case "run":
        this.chart?.dispose();
        this.chart = undefined;
        void renderRunDetail(main, this.source, index.items, this.state, dark, (csv) => {
          this.lastCsv = csv;
        }).then(() => this.finish());
        break;
    }
  }

  private focusId = "";
  private restoreFocus(): void {
    if (this.focusId) document.getElementById(this.focusId)?.focus();
  }

  private header(): HTMLElement {
    const tabs = h("nav", { "aria-label": "Views", class: "tabs" });
    for (const v of Object.keys(VIEW_LABELS) as View[]) {
      const b = h("button", {
        type: "button",
        id: `tab-${v}`,
        "aria-pressed": String(this.state.view === v),
        text: VIEW_LABELS[v],
      });
      b.addEventListener("click", () => this.act(b.id, { view: v }));
      tabs.append(b);
    }
    const csv = h("button", { type: "button", id: "export-csv", text: "Export CSV" });
    csv.addEventListener("click", () => {
      download(
        `infermark-${this.state.view}.csv`,
        new Blob([this.lastCsv()], { type: "text/csv" }),
      );
    });
    const png = h("button", { type: "button", id: "export-png", text: "Export PNG" });
    png.addEventListener("click", () => this.exportPng());
    const theme = h("button", {
      type: "button",
      id: "theme",
      "aria-label": `Switch to ${this.state.theme === "dark" ? "light" : "dark"} theme`,
      text: this.state.theme === "dark" ? "Light theme" : "Dark theme",
    });
    theme.addEventListener("click", () =>
      this.act(theme.id, { theme: this.state.theme === "dark" ? "light" : "dark" }),
    );
    return h(
      "header",
      {},
      h("h1", { text: this.source.title }),
      tabs,
      h("div", { class: "actions" }, csv, png, theme),
    );
  }

  /** Runs a state change from a control, keeping keyboard focus on it across the re-render. */
  private act(focusId: string, patch: Partial<ViewState>): void {
    this.focusId = focusId;
    this.update(patch);
  }

  private exportPng(): void {
    const dark = this.state.theme === "dark";
    const bg = dark ? "#16181d" : "#ffffff";
    const runChart = document.querySelector<HTMLElement>("#run-charts .chart");
    const options = { type: "png" as const, pixelRatio: 2, backgroundColor: bg };
    const name = `infermark-${this.state.view}.png`;
    // the legend is HTML next to the chart: an image of the chart alone would have unnamed colored lines
    if (this.chart && this.exportable && this.exportable.legend.length > 0) {
      void chartWithLegendPng(this.chart, this.exportable, dark, options).then((url) =>
        download(name, url),
      );
      return;
    }
    const url = this.chart
      ? this.chart.getDataURL(options)
      : runChart
        ? echarts.getInstanceByDom(runChart)?.getConnectedDataURL(options)
        : undefined;
    if (url) download(name, url);
  }

  private controls(): HTMLElement {
    const s = this.state;
    const o = this.options;
    const set = (id: string) => (patch: Partial<ViewState>) => this.act(id, patch);
    const aside = h("aside", { "aria-label": "Chart settings and filters", class: "controls" });
    if (s.view === "run") {
      aside.hidden = true;
      return aside;
    }
    const yChoices = Y_CHOICES.map((c) => ({ value: c.id, label: c.label }));
    aside.append(
      selectControl("y", "Y axis", yChoices, s.y, (v) => set("y")({ y: v as YMetricId })),
    );
    if (s.view === "frontier") {
      aside.append(
        selectControl(
          "x",
          "X axis",
          X_CHOICES.map((c) => ({ value: c.id, label: c.label })),
          s.x,
          (v) => set("x")({ x: v as XMetricId }),
        ),
        checkboxControl("xlog", "Log x axis", s.xLog, (v) => set("xlog")({ xLog: v })),
        checkboxControl("ylog", "Log y axis", s.yLog, (v) => set("ylog")({ yLog: v })),
        checkboxControl("frontier-only", "Hide points off the frontier", s.frontierOnly, (v) =>
          set("frontier-only")({ frontierOnly: v }),
        ),
      );
    }
    if (isCostMetric(s.y)) {
      const tiers = [...PRICE_TIERS, "custom"].map((t) => ({
        value: t,
        label: t === "custom" ? "custom $/GPU-h" : t,
      }));
      aside.append(
        selectControl("tier", "Price tier", tiers, s.tier, (v) =>
          set("tier")({ tier: v as TierChoice }),
        ),
      );
      if (s.tier === "custom") {
        const input = h("input", {
          type: "number",
          id: "price",
          min: "0.01",
          step: "0.01",
          value: String(s.price),
        });
        input.addEventListener("change", () => {
          const n = Number(input.value);
          if (n > 0) set("price")({ price: n });
        });
        aside.append(
          h(
            "div",
            { class: "control" },
            h("label", { for: "price", text: "Custom price ($ per GPU-hour)" }),
            input,
          ),
        );
      }
    }
    if (s.view === "compare" || s.view === "trends") aside.append(this.targetControl());
    const workloads = [
      { value: "", label: "all" },
      ...o.workload.map((w) => ({ value: w, label: w })),
    ];
    aside.append(
      selectControl("workload", "ISL/OSL", workloads, s.workload, (v) =>
        set("workload")({ workload: v }),
      ),
    );
    const multi = (key: "model" | "hardware" | "framework" | "precision" | "spec", label: string) =>
      multiControl(`f-${key}`, label, o[key], s[key], (v) => {
        this.focusId = document.activeElement?.id ?? "";
        this.update({ [key]: v } as Partial<ViewState>);
      });
    aside.append(
      multi("model", "Model"),
      multi("hardware", "GPU"),
      multi("framework", "Framework"),
      multi("precision", "Precision"),
      multi("spec", "Speculative decoding"),
      selectControl(
        "disagg",
        "Disaggregation",
        [
          { value: "any", label: "any" },
          { value: "agg", label: "aggregated" },
          { value: "disagg", label: "disaggregated" },
        ],
        s.disagg,
        (v) => set("disagg")({ disagg: v as DisaggChoice }),
      ),
      multiControl("f-source", "Source", ["measured", "imported", "simulated"], s.source, (v) => {
        this.focusId = document.activeElement?.id ?? "";
        this.update({ source: v as ViewState["source"] });
      }),
    );
    if (s.view !== "trends")
      aside.append(
        selectControl(
          "asof",
          "As of date",
          [
            { value: "", label: "latest" },
            ...[...o.dates].reverse().map((d) => ({ value: d, label: d })),
          ],
          s.asOf,
          (v) => set("asof")({ asOf: v }),
        ),
      );
    return aside;
  }

  private targetControl(): HTMLElement {
    const s = this.state;
    const range = h("input", {
      type: "range",
      id: "target",
      min: "1",
      max: "400",
      step: "1",
      value: String(Math.min(400, s.target)),
      "aria-valuetext": `${s.target} tokens per second per user`,
    });
    const num = h("input", {
      type: "number",
      id: "target-num",
      min: "0.1",
      step: "any",
      value: String(s.target),
      "aria-label": "Target interactivity, exact value",
    });
    range.addEventListener("change", () => this.act("target", { target: Number(range.value) }));
    range.addEventListener("input", () => {
      num.value = range.value;
    });
    num.addEventListener("change", () => {
      const n = Number(num.value);
      if (n > 0) this.act("target-num", { target: n });
    });
    return h(
      "div",
      { class: "control" },
      h("label", { for: "target", text: "Target interactivity (tok/s/user)" }),
      range,
      num,
    );
  }

  private ensureChart(container: HTMLElement): echarts.ECharts {
    if (this.chart && this.chart.getDom() !== container) {
      this.chart.dispose();
      this.chart = undefined;
    }
    if (!this.chart) {
      this.chartView = "";
      this.chart = echarts.init(container, this.chartTheme === "dark" ? "dark" : undefined);
      this.chart.on("finished", () => this.finish());
    }
    return this.chart;
  }

  private finish(): void {
    if (!this.renderStart) return;

    this.log.renders.push({
      view: this.state.view,
      ms: performance.now() - this.renderStart,
      at: performance.now(),
    });
    this.renderStart = 0;
    document.body.dataset.rendered = String(this.log.renders.length);
  }

  /**
   * Colors the groups a view shows in their order, hidden ones included (a legend toggle recolors nothing): up to
   * 18 groups get 18 different colors, whichever filters chose them.
   */
  private paint(groups: readonly { key: string }[]): void {
    this.colors.clear();
    const dark = this.state.theme === "dark";
    for (const [i, g] of groups.entries()) this.colors.set(g.key, colorAt(i, dark));
  }

  /** The legend an exported image carries: the groups drawn (not the hidden ones), by their short labels. */
  private legendEntries(
    groups: readonly { key: string; label: string; hidden?: boolean }[],
  ): { label: string; color: string }[] {
    return groups
      .filter((g) => !g.hidden)
      .map((g) => ({ label: g.label, color: this.colors.get(g.key) ?? "#888888" }));
  }

  private readonly legendButtons = new Map<string, HTMLButtonElement>();

  /** The legend's toggle buttons: each group's short label, its full label as the button's title (tooltip). */
  private legend(
    groups: readonly {
      key: string;
      label: string;
      full: string;
      hidden: boolean;
      count?: string;
    }[],
  ): HTMLElement {
    const list = h("div", {
      class: "legend",
      role: "group",
      "aria-label": "Groups (toggle to show or hide)",
    });
    groups.forEach((g, i) => {
      // one button per group, kept across renders (hundreds of groups: re-creating them costs a frame)
      let b = this.legendButtons.get(g.key);
      if (!b) {
        const button = h(
          "button",
          { type: "button", "data-key": g.key, class: "legend-item" },
          h("span", { class: "swatch", "aria-hidden": "true" }),
          h("span", {}),
        );
        button.addEventListener("click", () => {
          const hidden = new Set(this.state.hidden);
          if (hidden.has(g.key)) hidden.delete(g.key);
          else hidden.add(g.key);
          this.act(button.id, { hidden: [...hidden] });
        });
        this.legendButtons.set(g.key, button);
        b = button;
      }
      b.id = `legend-${i}`;
      (b.firstElementChild as HTMLElement).style.background = this.colors.get(g.key) ?? "#888";
      b.setAttribute("aria-pressed", String(!g.hidden));
      if (b.title !== g.full) b.title = g.full;
      const text = `${g.label}${g.count ? ` (${g.count})` : ""}`;
      const label = b.lastElementChild as HTMLElement;
      if (label.textContent !== text) label.textContent = text;
      list.append(b);
    });
    const all = h("button", {
      type: "button",
      id: "legend-all",
      class: "legend-all",
      text: "Show all",
    });
    all.addEventListener("click", () => this.act("legend-all", { hidden: [] }));
    const none = h("button", {
      type: "button",
      id: "legend-none",
      class: "legend-all",
      text: "Hide all",
    });
    none.addEventListener("click", () =>
      this.act("legend-none", { hidden: groups.map((g) => g.key) }),
    );
    list.append(all, none);
    return list;
  }

  private chartEl: HTMLElement | undefined;

  /** The main chart's container: one element kept across renders, so the chart is updated, not rebuilt. */
  private chartBox(label: string): HTMLElement {
    this.chartEl ??= h("div", { id: "chart", class: "chart", role: "img", tabindex: "0" });
    this.chartEl.setAttribute("aria-label", label);
    return this.chartEl;
  }

  private renderFrontier(main: HTMLElement, index: GroupIndex): void {
    const s = this.state;
    const t0 = performance.now();
    const groups = index.groups(s);
    if (groups.length === 0) {
      this.renderEmpty(main, index, () =>
        frontierCsv({ groups: [], plotted: 0, drawn: 0, skipped: 0 }, s.x, s.y),
      );
      return;
    }
    this.paint(groups);
    const t1 = performance.now();
    const series = composeFrontierSeries(groups, s, (g) => index.seriesOf(g, s));
    const t2 = performance.now();
    performance.measure("infermark:select", { start: t0, end: t1 });
    performance.measure("infermark:series", { start: t1, end: t2 });
    const names = shortLabels(series.groups);
    const subtitle = chartSubtitle(series.groups);
    const shown = {
      ...series,
      groups: series.groups.map((g) => ({ ...g, label: names.get(g.key) ?? g.label })),
    };
    const xName = xLabel(s.x);
    const yName = yLabel(s.y, s);
    const status = frontierStatus(series, { xName, yName }, s.frontierOnly);
    const box = this.chartBox(
      `Frontier chart: ${yName} against ${xName}${subtitle ? `, ${subtitle}` : ""}. ${status}.`,
    );
    main.append(
      h("p", { id: "status", class: "status", text: status }),
      box,
      // short labels, as the chart's series and the other views' legends have them
      this.legend(
        series.groups.map((g) => ({
          ...g,
          label: names.get(g.key) ?? g.label,
          full: g.label,
          count: String(g.points.length),
        })),
      ),
    );
    const chart = this.ensureChart(box);
    const { option, slices } = frontierOption(
      shown,
      { xName, yName, xLog: s.xLog, yLog: s.yLog, title: `${yName} vs ${xName}`, subtitle },
      this.colors,
    );
    this.slices = slices;
    option.tooltip.formatter = (p: { seriesId: string; dataIndex: number; value: number[] }) => {
      const point = pointAt(slices.get(p.seriesId), p.dataIndex);
      const item = point && index.byId.get(point.id);
      return item && point ? pointTooltip(item, { xName, yName, x: point.x, y: point.y }) : "";
    };
    const t3 = performance.now();
    // over a frontier chart, replace the series (by id) and keep the components: half the cost of a rebuild
    chart.setOption(describeChart(option, box.getAttribute("aria-label") ?? ""), {
      ...(this.chartView === "frontier" ? { replaceMerge: ["series"] } : { notMerge: true }),
    });
    this.exportable = { option, legend: this.legendEntries(shown.groups) };
    this.chartView = "frontier";
    performance.measure("infermark:setOption", { start: t3, end: performance.now() });
    this.lastCsv = () => frontierCsv(series, s.x, s.y);
  }

  /**
   * A view whose filters leave no group: no chart over empty axes, but which filters exclude every point and how
   * many points clearing each would show (counted per group, on the loaded set).
   */
  private renderEmpty(main: HTMLElement, index: GroupIndex, csv: () => string): void {
    const s = this.state;
    const filters = activeFilters(s).map((f) =>
      f.scope
        ? f
        : {
            ...f,
            points: index.groups({ ...s, ...f.clear }).reduce((n, g) => n + g.items.length, 0),
          },
    );
    this.chart?.dispose();
    this.chart = undefined;
    main.append(
      h("p", {
        id: "status",
        class: "status",
        text: filters.length > 0 ? "0 points: the filters exclude every point" : "0 points",
      }),
      emptyState(filters, (id, patch) => this.act(id, patch)),
    );
    this.lastCsv = csv;
    this.finish();
  }

  private pairControls(result: CompareResult): HTMLElement {
    const choices = [
      { value: "", label: "(none)" },
      ...result.bars.map((b) => ({ value: b.key, label: b.label })),
    ];
    const [a = "", b = ""] = this.state.pair;
    const ratio = result.ratio;
    const text = ratio
      ? ratio.value !== undefined
        ? `${ratio.a.label} / ${ratio.b.label} = ${ratio.value.toFixed(2)}×`
        : `${ratio.a.label} / ${ratio.b.label}: ${ratio.reason}`
      : "Select two groups (A and B) to see their ratio.";
    return h(
      "div",
      { class: "pair" },
      selectControl("pair-a", "A", choices, a, (v) => this.act("pair-a", { pair: [v, b] })),
      selectControl("pair-b", "B", choices, b, (v) => this.act("pair-b", { pair: [a, v] })),
      h("p", { id: "ratio", class: "ratio", text }),
    );
  }

  private renderCompare(main: HTMLElement, index: GroupIndex): void {
    const s = this.state;
    const groups = index.groups(s);
    if (groups.length === 0) {
      this.renderEmpty(main, index, () => compareCsv({ target: s.target, bars: [] }, s.y));
      return;
    }
    this.paint(groups);
    const full = compareGroups(groups, s);
    const names = shortLabels(groups);
    const subtitle = chartSubtitle(groups);
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
    const yName = yLabel(s.y, s);
    const withValue = result.bars.filter((b) => b.value !== undefined).length;
    const status = `${withValue} of ${result.bars.length} groups have a value at ${fmt(s.target)} tok/s/user`;
    main.append(h("p", { id: "status", class: "status", text: status }), this.pairControls(result));
    main.append(
      checkboxControl("table", "Show as table", s.table, (v) => this.act("table", { table: v })),
    );
    const legendGroups = groups.map((g) => ({
      key: g.key,
      label: names.get(g.key) ?? g.label,
      full: g.label,
      hidden: s.hidden.includes(g.key),
    }));
    if (s.table) {
      this.chart?.dispose();
      this.chart = undefined;
      main.append(this.compareTable(result, yName, subtitle), this.legend(legendGroups));
      this.finish();
    } else {
      const box = this.chartBox(
        `Bar chart: ${yName} per group at ${s.target} tok/s/user${subtitle ? `, ${subtitle}` : ""}. ${status}.`,
      );
      main.append(box, this.legend(legendGroups));
      const chart = this.ensureChart(box);
      const option = describeChart(
        compareOption(result, yName, this.colors, subtitle),
        box.getAttribute("aria-label") ?? "",
      );
      chart.setOption(option, { notMerge: true });
      // each bar is labelled on the x axis: the image needs no legend
      this.exportable = { option, legend: [] };
      this.chartView = "compare";
      chart.off("click");
      chart.on("click", (p) => {
        const bar = result.bars[p.dataIndex];
        if (!bar) return;
        const pair = [...s.pair.filter((k) => k && k !== bar.key), bar.key].slice(-2);
        this.update({ pair });
      });
    }
    this.lastCsv = () => compareCsv(full, s.y);
  }

  private compareTable(result: CompareResult, yName: string, subtitle: string): HTMLElement {
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

  private renderTrends(main: HTMLElement, index: GroupIndex): void {
    const s = this.state;
    const groups: PointGroup<unknown>[] = index.groups(s);
    if (groups.length === 0) {
      this.renderEmpty(main, index, () => trendsCsv([], s.target, s.y));
      return;
    }
    this.paint(groups);
    const names = shortLabels(groups);
    const subtitle = chartSubtitle(groups);
    const full: TrendLine[] = buildTrends(index.select(s), s);
    const lines = full.map((l) => ({ ...l, label: names.get(l.key) ?? l.label }));
    const yName = yLabel(s.y, s);
    const status = `${lines.length} groups over ${new Set(lines.flatMap((l) => l.dates.map((d) => d.date))).size} dates`;
    const box = this.chartBox(
      `Line chart: ${yName} at ${s.target} tok/s/user by date${subtitle ? `, ${subtitle}` : ""}. ${status}.`,
    );
    const legendGroups = groups.map((g) => ({
      key: g.key,
      label: names.get(g.key) ?? g.label,
      full: g.label,
      hidden: s.hidden.includes(g.key),
    }));
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
        h("td", { text: l.factorReason ?? "" }),
      ),
    );
    const table = h(
      "table",
      { id: "trends-table", class: "data" },
      h("caption", { text: "Change from the first to the last date with a value" }),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["group", "dates with a value", "last / first", "note"].map((t) =>
            h("th", { scope: "col", text: t }),
          ),
        ),
      ),
      h("tbody", {}, ...rows),
    );
    main.append(
      h("p", { id: "status", class: "status", text: status }),
      box,
      this.legend(legendGroups),
      table,
    );
    const chart = this.ensureChart(box);
    const option = describeChart(
      trendsOption(lines, yName, s.target, this.colors, subtitle),
      box.getAttribute("aria-label") ?? "",
    );
    chart.setOption(option, { notMerge: true });
    this.exportable = { option, legend: this.legendEntries(lines) };
    this.chartView = "trends";
    this.lastCsv = () => trendsCsv(full, s.target, s.y);
  }
}

/** Shows a fatal error in place of the dashboard. */
export function showError(root: HTMLElement, error: unknown): void {
  root.innerHTML = `<p class="error" role="alert">Could not load the dashboard: ${esc(error instanceof Error ? error.message : String(error))}</p>`;
}
