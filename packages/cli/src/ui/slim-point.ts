import type { PointResult } from "@infermark/core";
import { METRIC_COLUMNS } from "@infermark/web";

/** METRIC_COLUMNS as [metric, statistic] pairs (`e2el.median`: ["e2el", "median"]), parsed once. */
const COLUMNS = METRIC_COLUMNS.map((c) => c.split(".") as [string, string | undefined]);

/**
 * A point cut down for the dashboard's overview: configuration, provenance, validity, throughput and the median
 * and p99 latency statistics, and what the Little's-law check reads (output throughput, counted output tokens, mean
 * E2EL: docs/metrics.md, "Self-consistency"); no power samples, server metrics, error samples or extras. Still a valid
 * PointResult; the run detail view fetches the full point.
 */
export function slimPoint(point: PointResult): PointResult {
  // the metrics the overview's columns carry (METRIC_COLUMNS: `tputPerGpu`, `e2el.median`), and no others
  const metrics: Record<string, unknown> = {};
  const from = point.metrics as Record<string, unknown>;
  for (const [name, stat] of COLUMNS) {
    const value = from[name];
    if (stat === undefined) {
      if (value !== undefined) metrics[name] = value;
      continue;
    }
    const part = (value as Record<string, number | undefined> | undefined)?.[stat];
    if (part !== undefined) metrics[name] = { ...(metrics[name] as object), [stat]: part };
  }
  const { samples: _samples, ...energy } =
    point.energy ?? ({} as NonNullable<PointResult["energy"]>);
  const { simulator: _simulator, serverCommand: _cmd, ...run } = point.run;
  return {
    schema: point.schema,
    run,
    config: point.config,
    metrics: metrics as PointResult["metrics"],
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
