import {
  type AnalysisMetric,
  type CostCatalog,
  type MetricContext,
  type PointResult,
  type Pricing,
  resolveMetric,
} from "@infermark/core";
import type { ViewState, XMetricId, YMetricId } from "../state/view-state.js";

/** The pricing a state asks for: a catalog tier, or the custom $ per GPU-hour. */
export function statePricing(state: Pick<ViewState, "tier" | "price">): Pricing {
  return state.tier === "custom" ? { usdPerGpuHour: state.price } : { tier: state.tier };
}

/**
 * The metric context of a state: its pricing, and the catalog figures (GPU prices and all-in power) the page has
 * from its server or report.
 */
export function stateContext(
  state: Pick<ViewState, "tier" | "price">,
  catalog: CostCatalog,
): MetricContext {
  return { pricing: statePricing(state), catalog };
}

const COST = new Set<YMetricId>([
  "costPerMillionTotal",
  "costPerMillionInput",
  "costPerMillionOutput",
]);

/** Whether a y metric depends on the price tier (the tier control is shown only then). */
export const isCostMetric = (y: YMetricId) => COST.has(y);

/**
 * The dashboard's label of a y metric: core's label, with the pricing or the energy kind spelled out. Energy per
 * token is measured by infermark's power sampling or reported by an import's source (InferenceX's rows give their
 * power): one axis draws both, so its label says both, as core's unit does.
 */
export function yLabel(y: YMetricId, state: Pick<ViewState, "tier" | "price">): string {
  const m = resolveMetric(y);
  if (isCostMetric(y))
    return `${m.label} (${state.tier === "custom" ? `$${state.price}/GPU-h` : state.tier})`;
  if (y === "jPerToken") return "J/token (measured or reported)";
  if (y === "provisionedJPerToken") return "J/token (provisioned)";
  if (y === "tokensPerSecPerMw") return "tok/s per MW (provisioned)";
  return `${m.label} (${m.unit})`;
}

/**
 * The label of one point's y value (a tooltip's first row): the axis' label, but a point's energy per token is
 * either measured or reported, and says which.
 * @example pointYLabel("jPerToken", state, importedPoint) // "J/token (reported)"
 */
export function pointYLabel(
  y: YMetricId,
  state: Pick<ViewState, "tier" | "price">,
  point: Pick<PointResult, "energy">,
): string {
  if (y === "jPerToken" && point.energy) return `J/token (${point.energy.kind})`;
  return yLabel(y, state);
}

/** The dashboard's label of an x metric. */
export function xLabel(x: XMetricId): string {
  const m = resolveMetric(x);
  return x === "intvty" ? "interactivity (tok/s/user, median)" : `${m.label} (s, median)`;
}

/** Both axes of a state as core metrics. */
export function stateAxes(state: Pick<ViewState, "x" | "y">): {
  x: AnalysisMetric;
  y: AnalysisMetric;
} {
  return { x: resolveMetric(state.x), y: resolveMetric(state.y) };
}

/**
 * Menu entries of the y selector, in display order: a label short enough for the 260 px sidebar (a select shows its
 * chosen entry on one line: "Tokens/s per MW (provisionec" was cut) and the full name, which the entry and the
 * select give as their title.
 */
export const Y_CHOICES: readonly { id: YMetricId; label: string; title: string }[] = [
  {
    id: "tputPerGpu",
    label: "Throughput/GPU (total)",
    title: "Throughput per GPU: total (input and output) tokens/s per GPU",
  },
  {
    id: "inputTputPerGpu",
    label: "Throughput/GPU (input)",
    title: "Input throughput per GPU: input tokens/s per prefill GPU",
  },
  {
    id: "outputTputPerGpu",
    label: "Throughput/GPU (output)",
    title: "Output throughput per GPU: output tokens/s per decode GPU",
  },
  {
    id: "costPerMillionTotal",
    label: "Cost/M tokens (total)",
    title: "Cost per million total tokens ($)",
  },
  {
    id: "costPerMillionInput",
    label: "Cost/M tokens (input)",
    title: "Cost per million input tokens ($)",
  },
  {
    id: "costPerMillionOutput",
    label: "Cost/M tokens (output)",
    title: "Cost per million output tokens ($)",
  },
  {
    id: "jPerToken",
    label: "J/token (meas./reported)",
    title:
      "Joules per token: measured by infermark's power sampling, or reported by an import's source (InferenceX)",
  },
  {
    id: "provisionedJPerToken",
    label: "J/token (provisioned)",
    title: "Joules per token (provisioned: all-in power per GPU over throughput per GPU)",
  },
  {
    id: "tokensPerSecPerMw",
    label: "Tok/s/MW (provisioned)",
    title: "Tokens/s per MW of all-in power (provisioned)",
  },
];

/** Menu entries of the x selector (see `Y_CHOICES`). */
export const X_CHOICES: readonly { id: XMetricId; label: string; title: string }[] = [
  {
    id: "intvty",
    label: "Interactivity (tok/s/user)",
    title: "Interactivity: tokens/s per user (median)",
  },
  { id: "e2el", label: "End-to-end latency (s)", title: "End-to-end latency (s, median)" },
  { id: "ttft", label: "Time to first token (s)", title: "Time to first token (s, median)" },
];
