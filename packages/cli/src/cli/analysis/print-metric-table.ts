import type { ProviderPrices } from "@infermark/core";
import type { MetricTableResult } from "../../commands/cost.js";
import type { AnalysisFlags } from "./analysis-flags.js";
import { printAnalysis, printWarnings, requireSomeValue } from "./print-analysis.js";

/** The metrics whose figures come from the catalog's all-in power, not from a measurement. */
const PROVISIONED = new Set(["provisionedJPerToken", "tokensPerSecPerMw"]);

/**
 * Prints the table `cost` and `margin` share: one row per frontier point, or per target with `atTargets`, then the
 * pricing and up to three reasons a value is missing.
 * @example printMetricTable(flags, await costCommand(options), false)
 */
export function printMetricTable(
  flags: AnalysisFlags,
  r: MetricTableResult & { prices?: ProviderPrices },
  atTargets: boolean,
): void {
  if (atTargets)
    requireSomeValue(
      r.rows.flatMap((row) =>
        r.metrics.map((m) => ({
          value: row.values[m],
          about: `${row.group} at ${row.x}`,
          ...(row.reasons?.[m] ? { reason: row.reasons[m] } : {}),
        })),
      ),
      [...new Set(r.rows.map((row) => row.x))],
    );
  const header = atTargets
    ? ["group", `${r.x} target`, ...r.metrics]
    : ["group", r.x, "conc", "tputPerGpu", ...r.metrics];
  const rows = r.rows.map((row) =>
    atTargets
      ? [row.group, row.x, ...r.metrics.map((m) => row.values[m])]
      : [row.group, row.x, row.concurrency, row.tputPerGpu, ...r.metrics.map((m) => row.values[m])],
  );
  // margin's table has no provisioned figures but rests on the provider's prices: the footer says what it used
  const provisioned = r.metrics.some((m) => PROVISIONED.has(m))
    ? "; provisioned figures use the catalog's all-in kW per GPU, not a measurement"
    : "";
  const prices = r.prices
    ? `; provider prices: $${r.prices.inputPerMillion} per million input tokens, $${r.prices.outputPerMillion} per million output tokens`
    : "";
  // which tokens "tokens per dollar" counts is not in its name: say it, and that it is the reciprocal of a cost
  const reciprocals = r.metrics.includes("tokensPerDollar")
    ? [
        "tokensPerDollar counts total (input + output) tokens: 1e6 / costPerMillionTotal, at a point and at a target alike",
      ]
    : [];
  const notes = [`pricing: ${r.pricing}${prices}${provisioned}`, ...reciprocals];
  // each reason with the group (and target) it is about: "range 17.8-17.8" alone did not say whose range
  // and with the metrics it is about: each metric has its own frontier, so one group at one target can be outside
  // the input cost's range and inside the output cost's (a disaggregated group's points differ on the two)
  const metricsOf = new Map<string, { about: string; reason: string; metrics: string[] }>();
  for (const row of r.rows)
    for (const [metric, reason] of Object.entries(row.reasons ?? {})) {
      const about = `${row.group}${atTargets ? ` at ${row.x}` : ""}`;
      const key = `${about}\n${reason}`;
      const entry = metricsOf.get(key) ?? { about, reason, metrics: [] };
      entry.metrics.push(metric);
      metricsOf.set(key, entry);
    }
  const reasons = new Set(
    [...metricsOf.values()].map((e) => `${e.about} (${e.metrics.join(", ")}): ${e.reason}`),
  );
  if (reasons.size > 0) notes.push(`no value (-): ${firstOf(reasons, 3)}`);
  printAnalysis(flags, r, header, rows, notes);
  printWarnings(r.warnings);
}

/** The first `n` of `items` joined by "; ", and how many there are in all when some are left out. */
export function firstOf(items: ReadonlySet<string>, n: number): string {
  const shown = [...items].slice(0, n).join("; ");
  return items.size > n ? `${shown}; ... (${items.size} in all; --json lists every one)` : shown;
}
