import type { ProviderPrices } from "@infermark/core";
import { type MetricTableResult, metricTable } from "./cost.js";
import { type AnalysisCommandOptions, contextOf, loadAnalysisPoints } from "./frontier.js";

/** The metrics `infermark margin` reports. */
export const MARGIN_METRICS = [
  "costPerMillionInput",
  "costPerMillionOutput",
  "marginInput",
  "marginOutput",
  "marginBlended",
] as const;

/**
 * `infermark margin --price-in X --price-out Y --at 35`: gross margin on input, output and all tokens at a
 * provider's prices, per group at each target.
 */
export async function marginCommand(
  options: AnalysisCommandOptions & { prices: ProviderPrices; targets: readonly number[] },
): Promise<MetricTableResult & { prices: ProviderPrices }> {
  const points = await loadAnalysisPoints(options);
  const context = { ...contextOf(options), providerPrices: options.prices };
  return { ...metricTable(points, MARGIN_METRICS, options, context), prices: options.prices };
}
