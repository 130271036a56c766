import type { CatalogFigures, GpuFigures } from "../data/catalog-figures.js";
import type { ViewState } from "../state/view-state.js";
import { isCostMetric } from "./metrics.js";

const PROVISIONED = new Set<string>(["provisionedJPerToken", "tokensPerSecPerMw"]);

/**
 * Where the catalog figures behind the y metric come from, for the GPUs a view shows: each GPU's price in the
 * chosen tier (cost metrics) or its all-in power (provisioned energy), grouped by source and date, the groups an
 * override file set named with the file. Undefined for metrics that read no catalog figure.
 * @example figuresNote(figures, { y: "costPerMillionTotal", tier: "neocloud", price: 2 }, ["h200"])
 * // "GPU prices, neocloud tier ($/GPU-h): h200 1.74 from InferenceX-app ... (2026-04)"
 */
export function figuresNote(
  catalog: CatalogFigures,
  state: Pick<ViewState, "y" | "tier" | "price">,
  hardware: readonly string[],
): string | undefined {
  const cost = isCostMetric(state.y);
  if (!cost && !PROVISIONED.has(state.y)) return undefined;
  if (cost && state.tier === "custom")
    return `GPU price: $${state.price}/GPU-h for every GPU (your own, not the catalog's)`;
  const tier = cost && state.tier !== "custom" ? state.tier : undefined;
  const pick = (g: GpuFigures) =>
    tier
      ? { value: g.price[tier], source: g.sources.price, overridden: g.overridden?.price }
      : { value: g.allInKw, source: g.sources.power, overridden: g.overridden?.power };
  const bySource = new Map<string, string[]>();
  const missing: string[] = [];
  for (const key of [...new Set(hardware.map((h) => h.toLowerCase()))].sort()) {
    const gpu = catalog.gpus[key];
    if (!gpu) {
      missing.push(key);
      continue;
    }
    const { value, source, overridden } = pick(gpu);
    const from = overridden
      ? `, catalog override${catalog.override ? ` ${catalog.override.file}` : ""}`
      : "";
    const cited = `${source.source}${source.date ? ` (${source.date})` : ""}${from}`;
    bySource.set(cited, [...(bySource.get(cited) ?? []), `${key} ${value}`]);
  }
  const head = tier ? `GPU prices, ${tier} tier ($/GPU-h)` : "All-in power (kW per GPU)";
  const cited = [...bySource].map(([source, gpus]) => `${gpus.join(", ")} from ${source}`);
  const none = missing.length
    ? `not in the catalog (no ${tier ? "price" : "power"}): ${missing.join(", ")}`
    : "";
  return `${head}: ${[...cited, none].filter(Boolean).join("; ")}`;
}
