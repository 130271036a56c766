import { BarChart, LineChart, ScatterChart } from "echarts/charts";
import {
  AriaComponent,
  GraphicComponent,
  GridComponent,
  TitleComponent,
  TooltipComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { LabelLayout } from "echarts/features";
import { CanvasRenderer } from "echarts/renderers";
import type { CatalogFigures } from "../data/catalog-figures.js";
import type { DataSource, PointScope } from "../data/data-source.js";
import { GroupIndex } from "../logic/group-index.js";
import { type GroupStyle, groupStyles } from "../logic/group-styles.js";
import { resolveGroupKeys } from "../logic/resolve-group-keys.js";
import type { FilterOptions } from "../logic/select-points.js";
import type { Item } from "../logic/types.js";
import { invalidCount, validityStatus, withValidity } from "../logic/validity-status.js";
import {
  decodeState,
  encodeState,
  firstView,
  opensFirstView,
  type View,
  type ViewState,
} from "../state/view-state.js";
import { renderCompareView } from "./compare-view.js";
import { controlsPanel } from "./controls-panel.js";
import { download, h } from "./dom.js";
import { exportPng } from "./export-png.js";
import { esc } from "./format.js";
import { renderFrontierView } from "./frontier-view.js";
import { GroupLegend } from "./group-legend.js";
import { loadErrorText, loadErrorView } from "./load-error.js";
import { MainChart } from "./main-chart.js";
import { type RenderLog, renderLog } from "./render-log.js";
import { renderRunDetail } from "./run-view.js";
import { StatusLine } from "./status-line.js";
import { renderTrendsView } from "./trends-view.js";
import type { ViewContext } from "./view-context.js";

echarts.use([
  ScatterChart,
  LineChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  TitleComponent,
  AriaComponent,
  GraphicComponent,
  // the compare bars' hideOverlap of value labels
  LabelLayout,
  CanvasRenderer,
]);

const VIEW_LABELS: Record<View, string> = {
  frontier: "Frontier",
  compare: "Compare",
  trends: "Trends",
  run: "Run detail",
};

/**
 * The point set a view needs: the latest points of the chosen sources as of a day, or every date (trends, runs);
 * valid ones only with "Valid points only" (the run list lists every own run, its controls being hidden).
 */
export function viewScope(state: ViewState): PointScope {
  const validOnly = state.validOnly;
  switch (state.view) {
    case "trends":
      return { source: state.source, asOf: "", latest: false, validOnly };
    case "run":
      return { source: ["measured", "simulated"], asOf: "", latest: false, validOnly: false };
    default:
      return { source: state.source, asOf: state.asOf, latest: true, validOnly };
  }
}

const scopeKey = (s: PointScope) =>
  `${s.latest}|${[...s.source].sort().join(",")}|${s.asOf}|${s.validOnly}`;

/**
 * The dashboard: controls, the view's chart, legend, table and exports, driven by the URL state. It holds the
 * state and the loaded point sets and hands each render to its view (`frontier-view.ts`, `compare-view.ts`,
 * `trends-view.ts`, `run-view.ts`).
 */
export class Dashboard {
  private state: ViewState;
  /**
   * the state the view drawn reads: `state` with its group keys read against the view's groups
   * (`resolveGroupKeys`: a link's hidden group or pair still finds its groups when they are split by source)
   */
  private shown: ViewState | undefined;
  /** the looks of the groups the view shows (see `paint`) */
  private readonly styles = new Map<string, GroupStyle>();
  /** loaded point sets by scope, each grouped once */
  private readonly sets = new Map<string, GroupIndex>();
  private readonly loading = new Map<string, Promise<GroupIndex>>();
  /**
   * the scope whose load failed and why: its view shows the error and a Retry button, and loads it again only
   * when asked (Retry, or a change of state), not at each render
   */
  private failed: { key: string; error: unknown } | undefined;
  private scheduled = 0;
  private readonly chart = new MainChart(() => this.finish());
  private readonly legend = new GroupLegend(
    this.styles,
    () => this.shown ?? this.state,
    (id, patch) => this.act(id, patch),
  );
  private renderStart = 0;
  /** what Export CSV writes for the view drawn; undefined: nothing (the button is disabled) */
  private lastCsv: (() => string) | undefined;
  private readonly log: RenderLog;
  /** the page's one live region: kept across renders, each render updating its text */
  private readonly status = new StatusLine();
  /** what the view drawn says on the status line, before the validity part (`validityPart`) */
  private viewStatus = "";
  /**
   * the view's element, kept across renders with the status line in it (replaced, the live region would be a new
   * one each time); focusable from script (tabindex -1): where keyboard focus goes when the control that had it is
   * gone
   */
  private readonly main = h("main", { id: "view", tabindex: "-1" }, this.status.element);
  private readonly layout = h("div", { class: "layout" });

  constructor(
    private readonly root: HTMLElement,
    private readonly source: DataSource,
    private readonly options: FilterOptions,
    private readonly catalog: CatalogFigures,
  ) {
    this.state = this.withDefaults(location.hash);
    this.log = renderLog(() => this.state, this.chart);
    window.__infermark = this.log;
    // a link's hash, or back/forward between the entries a view switch pushed (popstate, not always hashchange)
    const follow = () => {
      const next = this.withDefaults(location.hash);
      if (encodeState(next) !== encodeState(this.state)) {
        this.state = next;
        this.failed = undefined;
        this.render();
      }
    };
    window.addEventListener("hashchange", follow);
    window.addEventListener("popstate", follow);
    window.addEventListener("resize", () => this.chart.resize());
  }

  /**
   * A link's state, with the workload chosen when the link gives none (one workload per chart reads best), and the
   * best per GPU drawn when it names no filter (`opensFirstView`): the first view reads at once.
   */
  private withDefaults(hash: string): ViewState {
    const state = decodeState(hash);
    if (!state.workload && this.options.workload.length > 0)
      state.workload = this.options.workload[0]!;
    return opensFirstView(hash) ? firstView(state) : state;
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
        try {
          const t0 = performance.now();
          const items = await (fetched ?? this.source.points(scope));
          const t1 = performance.now();
          const index = new GroupIndex(items, this.catalog);
          if (!fetched) performance.measure("infermark:load", { start: t0, end: t1 });
          performance.measure("infermark:index", { start: t1, end: performance.now() });
          this.sets.set(key, index);
          return index;
        } finally {
          // a failed load is not kept: the next render that asks for the scope loads it again
          this.loading.delete(key);
        }
      })();
      this.loading.set(key, pending);
    }
    return pending;
  }

  /**
   * Changes the state, writes it to the URL and renders on the next frame (several changes in a frame: once). A
   * change of view adds a history entry (Back returns to the previous view); other changes replace the current one.
   */
  update(patch: Partial<ViewState>): void {
    if (!this.renderStart) this.renderStart = performance.now();
    const switched = patch.view !== undefined && patch.view !== this.state.view;
    this.state = { ...this.state, ...patch };
    this.shown = undefined;
    this.failed = undefined;
    const url = `#${encodeState(this.state)}`;
    if (switched) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
    if (this.scheduled) return;
    this.scheduled = requestAnimationFrame(() => {
      this.scheduled = 0;
      this.render();
    });
  }

  render(): void {
    if (!this.renderStart) this.renderStart = performance.now();
    this.viewStatus = "";
    const scope = viewScope(this.state);
    const wanted = scopeKey(scope);
    const index = this.sets.get(wanted);
    const failed = !index && this.failed?.key === wanted ? this.failed : undefined;
    if (!index && !failed) {
      // show the controls at once, draw when the scope's points have arrived (unless the state moved on); a failed
      // load shows its error in the view, the tabs and filters staying usable
      this.load(scope).then(
        () => {
          if (scopeKey(viewScope(this.state)) === wanted) this.render();
        },
        (error: unknown) => {
          if (scopeKey(viewScope(this.state)) !== wanted) return;
          this.failed = { key: wanted, error };
          this.render();
        },
      );
    }
    // the element with keyboard focus, which the re-render replaces: it gets focus back (restoreFocus)
    const active = document.activeElement;
    const had = active && active !== document.body && active.id ? active.id : "";
    const dark = this.state.theme === "dark";
    document.documentElement.dataset.theme = this.state.theme;
    const tDom = performance.now();
    this.chart.exportable = undefined;
    this.lastCsv = undefined;
    const main = this.main;
    const controls = controlsPanel(this.state, this.options, (id, patch) => this.act(id, patch));
    this.layout.className = this.state.view === "run" ? "layout full" : "layout";
    // the header and controls are made again; the view's element stays, emptied but for its status line
    if (this.main.parentElement !== this.layout || this.layout.parentElement !== this.root) {
      this.layout.replaceChildren(controls, main);
      this.root.replaceChildren(this.header(), this.layout);
    } else {
      this.root.firstElementChild?.replaceWith(this.header());
      this.layout.firstElementChild?.replaceWith(controls);
      for (const child of [...main.children]) if (child !== this.status.element) child.remove();
    }
    this.chart.useTheme(dark ? "dark" : "light");
    performance.measure("infermark:dom", { start: tDom, end: performance.now() });
    if (failed) {
      this.chart.dispose();
      this.status.set("The points could not be loaded");
      main.append(
        loadErrorView(failed.error, () => {
          this.failed = undefined;
          this.render();
        }),
      );
      this.restoreFocus(had);
      this.finish();
      return;
    }
    if (!index) {
      this.status.set("Loading points…");
      this.restoreFocus(had);
      return;
    }
    this.shown = resolveGroupKeys(this.state, index.all);
    switch (this.state.view) {
      case "frontier":
        renderFrontierView(this.viewContext(), main, index);
        break;
      case "compare":
        renderCompareView(this.viewContext(), main, index);
        break;
      case "trends":
        renderTrendsView(this.viewContext(), main, index);
        break;
      case "run": {
        this.chart.dispose();
        // the run detail draws after its point has arrived: into an element of this render's own, so that a later
        // render (another view) has emptied the view of it and what it draws late goes nowhere
        const body = h("div", { class: "run-view" });
        main.append(body);
        const current = () => body.isConnected;
        void renderRunDetail(
          body,
          this.source,
          index.items,
          this.state,
          dark,
          (csv) => {
            if (current()) this.lastCsv = csv;
          },
          (text) => {
            if (current()) this.status.set(text);
          },
        ).then(
          () => {
            if (current()) this.finish();
          },
          // the point itself could not be fetched (the server is gone): say so under the run list, as a view does
          (error: unknown) => {
            if (!current()) return;
            body.append(loadErrorView(error, () => this.render()));
            this.finish();
          },
        );
        break;
      }
    }
    // after the view's own controls (legend, A and B, "Show as table") are in the page again
    this.restoreFocus(had);
    // a chart may finish drawing inside setOption, before its view has set the CSV: again once the view is done
    this.enableExports();
  }

  /** What the frontier, compare and trends views render with: this render's state, the chart and legend. */
  private viewContext(): ViewContext {
    return {
      state: this.shown ?? this.state,
      catalog: this.catalog,
      styles: this.styles,
      chart: this.chart,
      legend: this.legend,
      paint: (groups) => this.paint(groups),
      status: (text) => {
        this.viewStatus = text;
        this.status.set(withValidity(text, this.validityPart()));
      },
      act: (id, patch) => this.act(id, patch),
      update: (patch) => this.update(patch),
      setCsv: (csv) => {
        this.lastCsv = csv;
      },
      finish: () => this.finish(),
    };
  }

  /**
   * The status line's part on validity (`validityStatus`): the invalid points of the groups the filters keep, in the
   * view's point set without "Valid points only", which is loaded (once) to count what the filter leaves out; when
   * it arrives, the status line is said again with the count.
   */
  private validityPart(): string | undefined {
    const state = this.shown ?? this.state;
    const scope = { ...viewScope(state), validOnly: false };
    const all = this.sets.get(scopeKey(scope));
    if (!all && state.validOnly) {
      const wanted = scopeKey(viewScope(state));
      this.load(scope).then(
        () => {
          if (scopeKey(viewScope(this.state)) === wanted && this.viewStatus)
            this.status.set(withValidity(this.viewStatus, this.validityPart()));
        },
        // the count is a remark: without it the status line says the filter is on
        () => undefined,
      );
    }
    return validityStatus(all && invalidCount(all.groups(state)), state.validOnly);
  }

  /** the control of the last state change (`act`), for the render that follows it */
  private focusId = "";
  /**
   * Gives keyboard focus back to the element that had it before the re-render (`had`: its id), or else to the
   * control of the last change, which the re-render replaced (or, for a legend entry, took out of the page and put
   * back), so Tab goes on from it, or to the control the change was made for when the element that had focus is
   * gone (Enter on the chart checks "Show as table", which replaces the chart); to the view when both are gone (a
   * "Clear" button of the empty state).
   */
  private restoreFocus(had: string): void {
    const ids = [had, this.focusId].filter(Boolean);
    this.focusId = "";
    const active = document.activeElement;
    if (ids.length === 0 || (active && active !== document.body && active.isConnected)) return;
    const target = ids.map((id) => document.getElementById(id)).find((e) => e !== null);
    (target ?? document.getElementById("view"))?.focus();
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
      if (!this.lastCsv) return;
      download(
        `infermark-${this.state.view}.csv`,
        new Blob([this.lastCsv()], { type: "text/csv" }),
      );
    });
    const png = h("button", { type: "button", id: "export-png", text: "Export PNG" });
    png.addEventListener("click", () =>
      exportPng(this.chart, this.state.view, this.state.theme === "dark"),
    );
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

  private finish(): void {
    if (!this.renderStart) return;
    this.enableExports();

    this.log.renders.push({
      view: this.state.view,
      ms: performance.now() - this.renderStart,
      at: performance.now(),
    });
    this.renderStart = 0;
    document.body.dataset.rendered = String(this.log.renders.length);
  }

  /**
   * Export CSV and Export PNG are enabled when the view drawn has data and a chart to export (not the run list, a
   * point without request records, the compare table or an empty view): a button that did nothing, or wrote an
   * empty file, was taken for broken.
   */
  private enableExports(): void {
    const set = (id: string, enabled: boolean, why: string) => {
      const b = document.getElementById(id) as HTMLButtonElement | null;
      if (!b) return;
      b.disabled = !enabled;
      b.title = enabled ? "" : why;
    };
    set("export-csv", this.lastCsv !== undefined, "This view shows no data to export");
    set(
      "export-png",
      this.chart.instance !== undefined || document.querySelector("#run-charts .chart") !== null,
      "This view draws no chart to export",
    );
  }

  /**
   * Styles the groups a view shows, hidden ones included (a legend toggle restyles nothing): each its GPU's color
   * and, within a color, a marker and dash no other shown group of that color has (`groupStyles`).
   */
  private paint(groups: readonly { key: string; dims: { hardware?: string } }[]): void {
    this.styles.clear();
    for (const [key, style] of groupStyles(groups)) this.styles.set(key, style);
  }
}

/** Shows a fatal error in place of the dashboard. */
export function showError(root: HTMLElement, error: unknown): void {
  root.innerHTML = `<p class="error" role="alert">Could not load the dashboard. ${esc(loadErrorText(error))}</p>`;
}
