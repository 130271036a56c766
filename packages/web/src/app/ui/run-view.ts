import type { RequestRecord } from "@infermark/core";
import * as echarts from "echarts/core";
import type { DataSource } from "../data/data-source.js";
import { toCsv } from "../logic/csv.js";
import { flagOf, flagSentence } from "../logic/flagged-points.js";
import { plural } from "../logic/plural.js";
import {
  buildRunDetail,
  histogram,
  noRecordsText,
  ownRunsNewestFirst,
} from "../logic/run-detail.js";
import type { Item } from "../logic/types.js";
import { encodeState, type ViewState } from "../state/view-state.js";
import { describeChart, errorsOption, histogramOption, timeSeriesOption } from "./chart-options.js";
import { h, selectControl } from "./dom.js";
import { fmt, loadText } from "./format.js";
import { serverMetricsTable } from "./server-metrics-table.js";
import { pointTooltip } from "./tooltip.js";

const runLabel = (i: Item) => {
  const c = i.point.config;
  const load = loadText(c.load, c.workload, true);
  return `${i.point.run.date.slice(0, 16)} ${c.model} ${c.workload.isl}/${c.workload.osl} ${c.hardware} ${c.framework} ${c.precision} ${load} (${i.point.run.source})`;
};

/**
 * A control whose menu's chosen label wraps instead of being cut off at the screen's edge (a phone: a run's label
 * is some 60 characters): the label drawn in the menu's place, the menu over it, transparent, still the control
 * a click or a key opens.
 */
function wrapped(select: HTMLSelectElement, control: HTMLElement): HTMLElement {
  const shown = h("span", {
    class: "select-text",
    "aria-hidden": "true",
    text: select.selectedOptions[0]?.text ?? "",
  });
  const wrap = h("div", { class: "select-wrap" });
  select.replaceWith(wrap);
  wrap.append(shown, select);
  return control;
}

/**
 * Renders the run detail view of `state.run`: the point's configuration and metrics, and, from its stored request
 * records, TTFT/TPOT/E2EL distributions, throughput and concurrency over the run, errors by category, and power
 * over time when measured. Without a chosen point it lists the own (measured and simulated) runs to choose from.
 */
export async function renderRunDetail(
  main: HTMLElement,
  source: DataSource,
  items: readonly Item[],
  state: ViewState,
  dark: boolean,
  setCsv: (csv: (() => string) | undefined) => void,
  status: (text: string) => void,
): Promise<void> {
  const own = ownRunsNewestFirst(items);
  const choices = [
    { value: "", label: "(choose a run)" },
    ...own.map((i) => ({ value: i.id, label: runLabel(i) })),
  ];
  if (state.run && !own.some((i) => i.id === state.run)) {
    const i = items.find((x) => x.id === state.run);
    choices.push({ value: state.run, label: i ? runLabel(i) : state.run });
  }
  // the other settings stay: the tabs lead back to the views as they were
  const menu = selectControl("run", "Point", choices, state.run, (v) => {
    location.hash = encodeState({ ...state, view: "run", run: v });
  });
  main.append(wrapped(menu.querySelector("select")!, menu));
  // nothing to export until the charts are drawn
  setCsv(undefined);
  if (!state.run) {
    status(
      own.length
        ? `${plural(own.length, "own point")}; choose one.`
        : "No own (measured or simulated) points stored.",
    );
    return;
  }
  status("Loading the point…");
  const item = await source.point(state.run);
  if (!item) {
    status(`No point with id ${state.run}.`);
    return;
  }
  const m = item.point.metrics;
  // above the figures: a reader who came for them learns first that they contradict each other
  const flagged = flagOf(item.point);
  if (flagged !== undefined)
    main.append(
      h("p", {
        id: "flagged-point",
        class: "note flagged",
        role: "note",
        text: flagSentence(flagged),
      }),
    );
  const info = h("div", { class: "run-info" });
  info.innerHTML = pointTooltip(
    item,
    {
      xName: "median intvty (tok/s/user)",
      yName: "tput/GPU",
      x: m.intvty?.median ?? Number.NaN,
      y: m.tputPerGpu ?? Number.NaN,
    },
    state,
  );
  main.append(info);
  // the server's own counters and gauges over the level, where it exported them
  info.insertAdjacentHTML("beforeend", serverMetricsTable(item.point));
  // a point the source says has no records is not asked for them (the API would answer 404, a console error)
  let records: RequestRecord[] | undefined;
  try {
    records = item.requestRecords === 0 ? undefined : await source.requests(state.run);
  } catch (error) {
    // the server says why (a point with more records than the run detail reads answers 413 and says so)
    status(`The request records of this point could not be shown: ${(error as Error).message}`);
    return;
  }
  const charts = h("div", { id: "run-charts", class: "run-charts" });
  main.append(charts);
  if (!records || records.length === 0) {
    status(noRecordsText(source));
    return;
  }
  const detail = buildRunDetail(item.point, records);
  status(
    `${plural(detail.measured, "measured request")}, ${detail.ttft.length} completed; median TTFT ${fmt(m.ttft?.median)} s, TPOT ${fmt(m.tpot?.median)} s`,
  );
  const instances: echarts.ECharts[] = [];
  const add = (label: string, option: Record<string, unknown>) => {
    const el = h("div", { class: "chart small", role: "img", tabindex: "0", "aria-label": label });
    charts.append(el);
    const chart = echarts.init(el, dark ? "dark" : undefined);
    chart.setOption(describeChart(option, label));
    instances.push(chart);
  };
  add("Histogram of time to first token", histogramOption("TTFT", histogram(detail.ttft), "s"));
  add("Histogram of time per output token", histogramOption("TPOT", histogram(detail.tpot), "s"));
  add("Histogram of end-to-end latency", histogramOption("E2EL", histogram(detail.e2el), "s"));
  add(
    "Output tokens per second over the run",
    timeSeriesOption("Output throughput", "tok/s", [
      { name: "output tok/s", series: detail.throughput },
    ]),
  );
  // warm-up requests still in flight when the measured window opens: counted (the server has them) and drawn apart
  const warm = detail.warmupInFlight.length > 0;
  add(
    `Requests in flight over the run${warm ? ", warm-up requests included and drawn apart" : ""}`,
    timeSeriesOption(
      "Concurrency",
      "requests in flight",
      [
        { name: "in flight", series: detail.concurrency, step: true },
        ...(warm ? [{ name: "warm-up in flight", series: detail.warmupInFlight, step: true }] : []),
      ],
      warm ? "all requests in flight; the lower line: warm-up ones" : "",
    ),
  );
  if (detail.errors.length > 0) add("Errors by category", errorsOption(detail.errors));
  if (detail.power.length > 0)
    add(
      `Power per GPU over the run (${item.point.energy?.kind ?? "measured"})`,
      timeSeriesOption(
        "GPU power",
        "W",
        detail.power.map((p) => ({ name: `GPU ${p.gpu}`, series: p.series })),
      ),
    );
  echarts.connect(instances);
  setCsv(() =>
    toCsv([
      ["metric", "value_s"],
      ...detail.ttft.map((v) => ["ttft", v]),
      ...detail.tpot.map((v) => ["tpot", v]),
      ...detail.e2el.map((v) => ["e2el", v]),
    ]),
  );
}
