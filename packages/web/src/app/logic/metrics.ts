import {
  type AnalysisMetric,
  type CostCatalog,
  type MetricContext,
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

/** The dashboard's label of a y metric: core's label, with the pricing or the energy kind spelled out. */
export function yLabel(y: YMetricId, state: Pick<ViewState, "tier" | "price">): string {
  const m = resolveMetric(y);
  if (isCostMetric(y))
    return `${m.label} (${state.tier === "custom" ? `$${state.price}/GPU-h` : state.tier})`;
  if (y === "jPerToken") return "J/token (measured)";
  if (y === "provisionedJPerToken") return "J/token (provisioned)";
  if (y === "tokensPerSecPerMw") return "tok/s per MW (provisioned)";
  return `${m.label} (${m.unit})`;
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

/** Menu entries of the y selector, in display order. */
export const Y_CHOICES: readonly { id: YMetricId; label: string }[] = [
  { id: "tputPerGpu", label: "Throughput per GPU (total)" },
  { id: "inputTputPerGpu", label: "Input throughput per GPU" },
  { id: "outputTputPerGpu", label: "Output throughput per GPU" },
  { id: "costPerMillionTotal", label: "Cost per million total tokens" },
  { id: "costPerMillionInput", label: "Cost per million input tokens" },
  { id: "costPerMillionOutput", label: "Cost per million output tokens" },
  { id: "jPerToken", label: "Joules per token (measured)" },
  { id: "provisionedJPerToken", label: "Joules per token (provisioned)" },
  { id: "tokensPerSecPerMw", label: "Tokens/s per MW (provisioned)" },
];

/** Menu entries of the x selector. */
export const X_CHOICES: readonly { id: XMetricId; label: string }[] = [
  { id: "intvty", label: "Interactivity (tok/s/user)" },
  { id: "e2el", label: "End-to-end latency (s)" },
  { id: "ttft", label: "Time to first token (s)" },
];
