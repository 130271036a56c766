import { DEFAULT_CATALOG } from "../catalog/catalog.js";
import { STAT_KEYS, type StatKey } from "../schemas/common.js";
import type { PointResult } from "../schemas/point-result.js";
import { AnalysisError } from "./analysis-error.js";
import {
  type CostCatalog,
  costPerMillionTokens,
  DEFAULT_PRICING,
  gpuHourlyPrice,
  type Pricing,
  tokensPerDollar,
} from "./cost.js";
import { grossMargin, type ProviderPrices, revenuePerGpuHour } from "./margin.js";
import { provisionedJoulesPerToken, tokensPerSecondPerMw } from "./provisioned-energy.js";

/** Which way a metric is better. */
export type Direction = "higher" | "lower";

/** What some metrics need beyond the point: GPU prices, the catalog, a provider's token prices. */
export interface MetricContext {
  /** @default DEFAULT_PRICING (hyperscaler tier) */
  pricing?: Pricing;
  /** the GPUs' prices and all-in power (a Catalog, or just those figures). @default DEFAULT_CATALOG */
  catalog?: CostCatalog;
  /** needed by the margin metrics */
  providerPrices?: ProviderPrices;
}

/** One metric a frontier can be drawn on: its id, how to read it from a point, and its better direction. */
export interface AnalysisMetric {
  id: string;
  label: string;
  unit: string;
  direction: Direction;
  /** the value of a point, undefined when the point lacks what it needs */
  value(point: PointResult, context: MetricContext): number | undefined;
  /** a metric that needs provider prices refuses to run without them */
  needsProviderPrices?: boolean;
  /**
   * How a metric computed from a point's throughput per GPU is interpolated at a target: in a quantity proportional
   * to that throughput (within a group the price and power per GPU are one), so that its value at a target is the
   * same function of the throughput interpolated there as it is at each point. Cost per million tokens, `k / tput`,
   * is interpolated as 1 / itself; a margin, `1 - k / (tput x P)`, as 1 / (1 - itself). Interpolated as themselves
   * they were not: Steffen's cubic scales with its knots but does not commute with a reciprocal, and on a sparse
   * frontier cost at 75 tok/s/user read $13.14/M where the throughput there, 4,834 tok/s/GPU, costs $0.152/M, while
   * tokens per dollar (`tput / k`, as throughput is) read 86x apart from "the reciprocal" METRICS.md names. Absent:
   * interpolated as itself (throughput, tokens per dollar, tokens/s per MW: proportional already; measured energy).
   */
  throughputScale?: ThroughputScale;
}

/** A metric as a quantity proportional to the throughput it is computed from, and back (`throughputScale`). */
export interface ThroughputScale {
  toThroughput(value: number): number;
  fromThroughput(scaled: number): number;
}

/** `k / tput`: cost per million tokens, provisioned J per token. */
const RECIPROCAL: ThroughputScale = {
  toThroughput: (v) => 1 / v,
  fromThroughput: (u) => 1 / u,
};

/** `1 - k / tput`: a gross margin (below 1: every cost is above 0). */
const MARGIN: ThroughputScale = {
  toThroughput: (v) => 1 / (1 - v),
  fromThroughput: (u) => 1 - 1 / u,
};

const price = (p: PointResult, c: MetricContext) =>
  gpuHourlyPrice(p.config.hardware, c.pricing ?? DEFAULT_PRICING, c.catalog ?? DEFAULT_CATALOG);
const allInKw = (p: PointResult, c: MetricContext) =>
  (c.catalog ?? DEFAULT_CATALOG).gpus[p.config.hardware.toLowerCase()]?.allInKw;
const validEnergy = (p: PointResult) => (p.energy?.valid ? p.energy : undefined);
const withBoth = <T>(
  a: number | undefined,
  b: T | undefined,
  f: (a: number, b: T) => number | undefined,
) => (a === undefined || b === undefined ? undefined : f(a, b));
const positive = (v: number | undefined) => (v !== undefined && v > 0 ? v : undefined);
const needPrices = (c: MetricContext): ProviderPrices => {
  if (!c.providerPrices)
    throw new AnalysisError(
      "the margin metrics need the provider's prices (--price-in, --price-out)",
    );
  return c.providerPrices;
};

const y = (m: AnalysisMetric): AnalysisMetric => m;

/** The y metrics of METRICS.md (throughput, cost, energy, margin), by id. */
export const Y_METRICS: Readonly<Record<string, AnalysisMetric>> = {
  tputPerGpu: y({
    id: "tputPerGpu",
    label: "tput/GPU",
    unit: "tok/s/GPU",
    direction: "higher",
    value: (p) => p.metrics.tputPerGpu,
  }),
  inputTputPerGpu: y({
    id: "inputTputPerGpu",
    label: "input tput/GPU",
    unit: "tok/s/GPU",
    direction: "higher",
    value: (p) => p.metrics.inputTputPerGpu,
  }),
  outputTputPerGpu: y({
    id: "outputTputPerGpu",
    label: "output tput/GPU",
    unit: "tok/s/GPU",
    direction: "higher",
    value: (p) => p.metrics.outputTputPerGpu,
  }),
  costPerMillionTotal: y({
    id: "costPerMillionTotal",
    label: "$/M total tok",
    unit: "$/M tokens",
    direction: "lower",
    throughputScale: RECIPROCAL,
    value: (p, c) => withBoth(p.metrics.tputPerGpu, price(p, c), costPerMillionTokens),
  }),
  costPerMillionInput: y({
    id: "costPerMillionInput",
    label: "$/M input tok",
    unit: "$/M tokens",
    direction: "lower",
    throughputScale: RECIPROCAL,
    value: (p, c) => withBoth(p.metrics.inputTputPerGpu, price(p, c), costPerMillionTokens),
  }),
  costPerMillionOutput: y({
    id: "costPerMillionOutput",
    label: "$/M output tok",
    unit: "$/M tokens",
    direction: "lower",
    throughputScale: RECIPROCAL,
    value: (p, c) => withBoth(p.metrics.outputTputPerGpu, price(p, c), costPerMillionTokens),
  }),
  tokensPerDollar: y({
    id: "tokensPerDollar",
    label: "tokens/$",
    unit: "total tokens/$",
    direction: "higher",
    // the points cost per million total tokens has (throughput above 0), so the two frontiers are one
    value: (p, c) => withBoth(positive(p.metrics.tputPerGpu), price(p, c), tokensPerDollar),
  }),
  jPerToken: y({
    id: "jPerToken",
    label: "J/token",
    unit: "J/token (measured or reported)",
    direction: "lower",
    value: (p) => validEnergy(p)?.jPerTotalToken,
  }),
  jPerInputToken: y({
    id: "jPerInputToken",
    label: "J/input token",
    unit: "J/token (measured or reported)",
    direction: "lower",
    value: (p) => validEnergy(p)?.jPerInputToken,
  }),
  jPerOutputToken: y({
    id: "jPerOutputToken",
    label: "J/output token",
    unit: "J/token (measured or reported)",
    direction: "lower",
    value: (p) => validEnergy(p)?.jPerOutputToken,
  }),
  provisionedJPerToken: y({
    id: "provisionedJPerToken",
    label: "provisioned J/token",
    unit: "J/token (provisioned)",
    direction: "lower",
    throughputScale: RECIPROCAL,
    value: (p, c) => withBoth(p.metrics.tputPerGpu, allInKw(p, c), provisionedJoulesPerToken),
  }),
  tokensPerSecPerMw: y({
    id: "tokensPerSecPerMw",
    label: "tok/s/MW",
    unit: "tokens/s per MW (provisioned)",
    direction: "higher",
    // the points provisioned J/token has (throughput above 0), so the two frontiers are one
    value: (p, c) => withBoth(positive(p.metrics.tputPerGpu), allInKw(p, c), tokensPerSecondPerMw),
  }),
  marginInput: y({
    id: "marginInput",
    label: "margin input",
    unit: "fraction",
    direction: "higher",
    throughputScale: MARGIN,
    needsProviderPrices: true,
    value: (p, c) => {
      const cost = withBoth(p.metrics.inputTputPerGpu, price(p, c), costPerMillionTokens);
      return cost === undefined ? undefined : grossMargin(cost, needPrices(c).inputPerMillion);
    },
  }),
  marginOutput: y({
    id: "marginOutput",
    label: "margin output",
    unit: "fraction",
    direction: "higher",
    throughputScale: MARGIN,
    needsProviderPrices: true,
    value: (p, c) => {
      const cost = withBoth(p.metrics.outputTputPerGpu, price(p, c), costPerMillionTokens);
      return cost === undefined ? undefined : grossMargin(cost, needPrices(c).outputPerMillion);
    },
  }),
  marginBlended: y({
    id: "marginBlended",
    label: "margin blended",
    unit: "fraction",
    direction: "higher",
    throughputScale: MARGIN,
    needsProviderPrices: true,
    value: (p, c) => {
      const revenue = revenuePerGpuHour(p, needPrices(c));
      const usd = price(p, c);
      return revenue === undefined || usd === undefined || !(revenue > 0)
        ? undefined
        : 1 - usd / revenue;
    },
  }),
};

const statMetric = (
  name: "intvty" | "e2el" | "ttft",
  stat: StatKey,
  label: string,
  unit: string,
  direction: Direction,
): AnalysisMetric => ({
  id: stat === "median" ? name : `${name}.${stat}`,
  label: stat === "median" ? label : `${stat} ${label}`,
  unit,
  direction,
  value: (p) => p.metrics[name]?.[stat],
});

/** Aliases accepted on the command line. */
export const METRIC_ALIASES: Readonly<Record<string, string>> = {
  tput: "tputPerGpu",
  "input-tput": "inputTputPerGpu",
  "output-tput": "outputTputPerGpu",
  cost: "costPerMillionTotal",
  "input-cost": "costPerMillionInput",
  "output-cost": "costPerMillionOutput",
  "tokens-per-dollar": "tokensPerDollar",
  "j-per-token": "jPerToken",
  "j-per-input-token": "jPerInputToken",
  "j-per-output-token": "jPerOutputToken",
  "provisioned-j": "provisionedJPerToken",
  "tokens-per-mw": "tokensPerSecPerMw",
  "margin-input": "marginInput",
  "margin-output": "marginOutput",
  "margin-blended": "marginBlended",
};

/** The statistics of interactivity an axis may take: every one but `std` (1 / std(TPOT) is no interactivity). */
const INTVTY_STATS = STAT_KEYS.filter((s) => s !== "std");

/**
 * Resolves a metric id: a y metric (`tputPerGpu`, `cost`, ...) or an x metric with an optional statistic
 * (`intvty` = median interactivity, `intvty.p99`, `e2el`, `ttft.p90`). Unknown ids throw, listing the known ones;
 * so does `intvty.std` (1 / std(TPOT), InferenceX's `std_intvty`, which no frontier can be drawn on).
 * @example resolveMetric("cost").direction // "lower"
 */
export function resolveMetric(id: string | AnalysisMetric): AnalysisMetric {
  if (typeof id !== "string") return id;
  const direct = Y_METRICS[id] ?? Y_METRICS[METRIC_ALIASES[id] ?? ""];
  if (direct) return direct;
  const [name, stat = "median"] = id.split(".");
  if (
    (name === "intvty" || name === "e2el" || name === "ttft") &&
    STAT_KEYS.includes(stat as StatKey)
  ) {
    if (name === "intvty" && stat === "std")
      throw new AnalysisError(
        `intvty.std is 1 / std(TPOT), InferenceX's std_intvty: neither an interactivity nor their spread (docs/metrics.md), so a frontier on it means nothing; interactivity axes: ${INTVTY_STATS.map((s) => (s === "median" ? "intvty (median)" : `intvty.${s}`)).join(", ")}`,
      );
    if (name === "intvty")
      return statMetric(name, stat as StatKey, "intvty", "tok/s/user", "higher");
    return statMetric(name, stat as StatKey, name.toUpperCase(), "s", "lower");
  }
  const known = [
    "intvty[.stat]",
    "e2el[.stat]",
    "ttft[.stat]",
    ...Object.keys(Y_METRICS),
    ...Object.keys(METRIC_ALIASES),
  ];
  throw new AnalysisError(
    `unknown metric "${id}"; known: ${known.join(", ")} (stat: ${STAT_KEYS.join(", ")}; intvty takes every stat but std)`,
  );
}
