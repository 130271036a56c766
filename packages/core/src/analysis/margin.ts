import type { PointResult } from "../schemas/point-result.js";

/** A provider's list prices, $ per million input and output tokens. */
export interface ProviderPrices {
  inputPerMillion: number;
  outputPerMillion: number;
}

/**
 * Gross margin against a provider's price P per million tokens (METRICS.md): `1 - cost_per_million / P`.
 * @example grossMargin(0.55, 1) // 0.45
 */
export function grossMargin(costPerMillion: number, pricePerMillion: number): number | undefined {
  if (!Number.isFinite(costPerMillion) || !(pricePerMillion > 0)) return undefined;
  return 1 - costPerMillion / pricePerMillion;
}

/**
 * Revenue per GPU-hour of a point at a provider's prices: every input and output token the system serves,
 * billed, spread over all its GPUs:
 * `(input_tput_per_gpu * prefill_gpus * P_in + output_tput_per_gpu * decode_gpus * P_out) / gpus * 3600 / 1e6`.
 */
export function revenuePerGpuHour(point: PointResult, prices: ProviderPrices): number | undefined {
  const m = point.metrics;
  const t = point.config.topology;
  if (m.inputTputPerGpu === undefined || m.outputTputPerGpu === undefined) return undefined;
  const perSecond =
    (m.inputTputPerGpu * t.prefillGpus * prices.inputPerMillion +
      m.outputTputPerGpu * t.decodeGpus * prices.outputPerMillion) /
    t.gpus /
    1e6;
  return perSecond * 3600;
}
