import {
  frontiers,
  type MetricContext,
  type PointResult,
  pricingLabel,
  resolveFrontierOptions,
  resolveMetric,
} from "@infermark/core";
import {
  type AnalysisCommandOptions,
  contextOf,
  FlaggedPoints,
  knotsAt,
  loadAnalysisPoints,
} from "./frontier.js";

/** The metrics `infermark cost` reports. */
export const COST_METRICS = [
  "costPerMillionTotal",
  "costPerMillionInput",
  "costPerMillionOutput",
  "tokensPerDollar",
  "provisionedJPerToken",
  "tokensPerSecPerMw",
  "jPerToken",
] as const;

/** One row: a frontier point (no targets) or a target (values interpolated, each on its own frontier). */
export interface MetricRow {
  group: string;
  /** the x value: a frontier point's, or the target */
  x: number;
  /** the point's throughput per GPU (frontier points only) */
  tputPerGpu?: number;
  concurrency?: number | null;
  values: Record<string, number | null>;
  /** why a metric has no value at a target */
  reasons?: Record<string, string>;
}

/** The result of `cost` and `margin`. */
export interface MetricTableResult {
  pricing: string;
  x: string;
  metrics: string[];
  rows: MetricRow[];
  /**
   * points that contradict their own throughput (`flagOf`) and are a row (a frontier point) or enter a value at a
   * target: none, or one line
   */
  warnings: string[];
}

/**
 * Values of several metrics per group: at each point of the throughput frontier, or at each target by Steffen
 * interpolation along each metric's own frontier; a metric computed from the throughput is interpolated as a
 * quantity proportional to it (`throughputScale`), so at a target each is what the throughput there gives, and tokens
 * per dollar is 1e6 over the cost per million total tokens (tokens/s per MW 1e6 over provisioned J/token).
 * Shared by `cost` and `margin`.
 */
export function metricTable(
  points: readonly PointResult[],
  metrics: readonly string[],
  options: AnalysisCommandOptions & { targets?: readonly number[] },
  context: MetricContext,
): MetricTableResult {
  const base = resolveFrontierOptions({ ...options, y: "tputPerGpu", context });
  const rows: MetricRow[] = [];
  const flagged = new FlaggedPoints();
  const perMetric = metrics.map((m) => frontiers(points, { ...base, y: resolveMetric(m) }));
  frontiers(points, base).forEach((g, gi) => {
    if (!options.targets) {
      for (const fp of g.frontier.points) {
        flagged.add(fp.item);
        const values: Record<string, number | null> = {};
        for (const m of metrics) values[m] = resolveMetric(m).value(fp.item, context) ?? null;
        rows.push({
          group: g.label,
          x: fp.x,
          tputPerGpu: fp.y,
          concurrency: fp.item.config.load.concurrency ?? null,
          values,
        });
      }
      return;
    }
    for (const target of options.targets) {
      const values: Record<string, number | null> = {};
      const reasons: Record<string, string> = {};
      metrics.forEach((m, mi) => {
        const frontier = perMetric[mi]![gi]!.frontier;
        const r = frontier.at(target);
        if (r.ok) flagged.addAll(knotsAt(frontier, target));
        values[m] = r.ok ? r.value : null;
        if (!r.ok) reasons[m] = r.reason;
      });
      rows.push({
        group: g.label,
        x: target,
        values,
        ...(Object.keys(reasons).length ? { reasons } : {}),
      });
    }
  });
  return {
    pricing: pricingLabel(context.pricing ?? { tier: "hyperscaler" }),
    x: base.x.id,
    metrics: [...metrics],
    rows,
    warnings: flagged.warnings(
      options.targets ? "in the values at the targets" : "on the frontiers",
    ),
  };
}

/**
 * `infermark cost`: cost per million total, input and output tokens, tokens per dollar, provisioned J/token and
 * tokens/s per MW (and measured or reported J/token where points have them), per group.
 * @example await costCommand({ pricing: { tier: "neocloud" }, targets: [40, 116] })
 */
export async function costCommand(
  options: AnalysisCommandOptions & { targets?: readonly number[] },
): Promise<MetricTableResult> {
  const points = await loadAnalysisPoints(options);
  return metricTable(points, COST_METRICS, options, contextOf(options));
}
