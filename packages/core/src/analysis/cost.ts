import { DEFAULT_CATALOG } from "../catalog/catalog.js";
import { type GpuSpec, PRICE_TIERS, type PriceTier } from "../catalog/gpus.js";
import { AnalysisError } from "./analysis-error.js";

/**
 * The slice of a catalog that cost and provisioned energy read: each GPU's prices per tier and all-in power, by
 * catalog key. A whole Catalog is one; so are the figures the dashboard receives from its server.
 */
export interface CostCatalog {
  gpus: Readonly<Record<string, Pick<GpuSpec, "price" | "allInKw">>>;
}

/** Where a GPU-hour price comes from: a catalog tier, or the user's own $ per GPU-hour for every GPU. */
export type Pricing = { tier: PriceTier } | { usdPerGpuHour: number };

/** The pricing used when a caller gives none: the catalog's hyperscaler (owned TCO) tier. */
export const DEFAULT_PRICING: Pricing = { tier: "hyperscaler" };

/** A short label of a pricing: `hyperscaler`, `$2.5/GPU-h`. */
export function pricingLabel(pricing: Pricing): string {
  return "tier" in pricing ? pricing.tier : `$${pricing.usdPerGpuHour}/GPU-h`;
}

/**
 * $ per GPU-hour of a GPU under a pricing; undefined when the GPU is not in the catalog (user prices apply to any GPU).
 * @example gpuHourlyPrice("h200", { tier: "neocloud" }) // 1.74
 */
export function gpuHourlyPrice(
  hardware: string,
  pricing: Pricing,
  catalog: CostCatalog = DEFAULT_CATALOG,
): number | undefined {
  if ("usdPerGpuHour" in pricing) {
    if (!(pricing.usdPerGpuHour > 0))
      throw new AnalysisError(`a GPU-hour price must be positive, got ${pricing.usdPerGpuHour}`);
    return pricing.usdPerGpuHour;
  }
  if (!PRICE_TIERS.includes(pricing.tier))
    throw new AnalysisError(
      `unknown price tier "${pricing.tier}"; known: ${PRICE_TIERS.join(", ")}`,
    );
  return catalog.gpus[hardware.toLowerCase()]?.price[pricing.tier];
}

/**
 * Cost per million tokens (METRICS.md): `usd_per_gpu_hour * 1e6 / (tokens_per_s_per_gpu * 3600)`.
 * Undefined when the throughput is not positive.
 * @example costPerMillionTokens(1000, 3.6) // 1 ($ per million tokens)
 */
export function costPerMillionTokens(
  tokensPerSecPerGpu: number,
  usdPerGpuHour: number,
): number | undefined {
  if (!(tokensPerSecPerGpu > 0) || !Number.isFinite(usdPerGpuHour)) return undefined;
  return (usdPerGpuHour * 1e6) / (tokensPerSecPerGpu * 3600);
}

/**
 * Tokens per dollar: `tokens_per_s_per_gpu * 3600 / usd_per_gpu_hour`, the reciprocal of the cost per token
 * (1e6 / cost per million).
 * @example tokensPerDollar(1000, 3.6) // 1_000_000
 */
export function tokensPerDollar(
  tokensPerSecPerGpu: number,
  usdPerGpuHour: number,
): number | undefined {
  if (!(tokensPerSecPerGpu >= 0) || !(usdPerGpuHour > 0)) return undefined;
  return (tokensPerSecPerGpu * 3600) / usdPerGpuHour;
}
