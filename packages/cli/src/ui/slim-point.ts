import type { PointResult } from "@infermark/core";

/**
 * A point cut down for the dashboard's overview: configuration, provenance, validity, throughput and the median
 * and p99 latency statistics, and what the Little's-law check reads (output throughput, counted output tokens, mean
 * E2EL: docs/metrics.md, "Self-consistency"); no power samples, server metrics, error samples or extras. Still a valid
 * PointResult; the run detail view fetches the full point.
 */
export function slimPoint(point: PointResult): PointResult {
  const m = point.metrics;
  const pick = (s: { median?: number; p99?: number } | undefined) =>
    s
      ? {
          ...(s.median !== undefined ? { median: s.median } : {}),
          ...(s.p99 !== undefined ? { p99: s.p99 } : {}),
        }
      : undefined;
  const metrics: PointResult["metrics"] = {};
  for (const k of [
    "tputPerGpu",
    "inputTputPerGpu",
    "outputTputPerGpu",
    "completed",
    "outputTokens",
    "outputThroughput",
  ] as const)
    if (m[k] !== undefined) metrics[k] = m[k];
  for (const k of ["ttft", "tpot", "e2el", "intvty"] as const) {
    const s = pick(m[k]);
    if (s) metrics[k] = s;
  }
  // the check's E2EL is the mean (throughputConsistency)
  if (m.e2el?.mean !== undefined) metrics.e2el = { ...metrics.e2el, mean: m.e2el.mean };
  const { samples: _samples, ...energy } =
    point.energy ?? ({} as NonNullable<PointResult["energy"]>);
  const { simulator: _simulator, serverCommand: _cmd, ...run } = point.run;
  return {
    schema: point.schema,
    run,
    config: point.config,
    metrics,
    errors: {
      total: point.errors.total,
      requests: point.errors.requests,
      rate: point.errors.rate,
      byCategory: point.errors.byCategory,
    },
    validity: point.validity,
    ...(point.energy ? { energy: energy as PointResult["energy"] } : {}),
  };
}
