import { UnknownKeyError, ValidationError } from "../errors.js";
import { GPUS, type GpuSpec, PRICE_TIERS, type PriceTier } from "./gpus.js";
import { MODELS, type ModelSpec } from "./models.js";
import { checkCatalogOverrides } from "./override-issues.js";
import { SOURCES } from "./sources.js";

export { CatalogOverrides } from "./override-issues.js";

/** GPUs and models, each figure with its source. */
export interface Catalog {
  gpus: Readonly<Record<string, GpuSpec>>;
  models: Readonly<Record<string, ModelSpec>>;
}

/** The built-in catalog of CATALOG.md. */
export const DEFAULT_CATALOG: Catalog = { gpus: GPUS, models: MODELS };

/** The figures a GPU's spec source covers; `price` and `allInKw` have their own. */
const SPEC_FIELDS = [
  "name",
  "vendor",
  "hbmGb",
  "hbmTbps",
  "tflops",
  "scaleUpGBps",
  "scaleUpDomain",
  "nicGbps",
  "tdpW",
] as const;

/**
 * Applies a user's overrides to a catalog. Overridden figures are marked with the user as their source.
 * A file with problems throws one ValidationError that lists each with its place (`checkCatalogOverrides`):
 * unknown sections or fields (with the known ones), keys that could not be looked up, figures out of range, and
 * the figures a new GPU or model lacks.
 * @example applyCatalogOverrides(DEFAULT_CATALOG, { gpus: { h100: { price: { neocloud: 2.1 } } } })
 */
export function applyCatalogOverrides(base: Catalog, raw: unknown): Catalog {
  if (raw === null || raw === undefined) return base;
  const { issues, overrides } = checkCatalogOverrides(
    Object.keys(base.gpus),
    Object.keys(base.models),
    raw,
  );
  if (!overrides) throw new ValidationError("catalog override", issues);

  const userSource = (source?: { source?: string; date?: string; note?: string }) => ({
    source: source?.source ?? SOURCES.user.source,
    // no date rather than an invented one: the user's figures are dated only if they say so
    date: source?.date ?? SOURCES.user.date,
    ...(source?.note ? { note: source.note } : {}),
  });

  const gpus: Record<string, GpuSpec> = { ...base.gpus };
  for (const [key, o] of Object.entries(overrides.gpus ?? {})) {
    const prior = gpus[key];
    const { source, ...figures } = o;
    const next = { ...(prior ?? {}), ...figures, key } as GpuSpec;
    next.tflops = { ...(prior?.tflops ?? {}), ...(o.tflops ?? {}) } as GpuSpec["tflops"];
    next.price = { ...(prior?.price ?? {}), ...(o.price ?? {}) } as GpuSpec["price"];
    const user = userSource(source);
    next.sources = {
      spec: SPEC_FIELDS.some((f) => f in o) || !prior ? user : prior.sources.spec,
      price: "price" in o || !prior ? user : prior.sources.price,
      power: "allInKw" in o || !prior ? user : prior.sources.power,
    };
    gpus[key] = next;
  }

  const models: Record<string, ModelSpec> = { ...base.models };
  for (const [key, o] of Object.entries(overrides.models ?? {})) {
    const prior = models[key];
    const { source, ...figures } = o;
    models[key] = { ...(prior ?? {}), ...figures, key, source: userSource(source) } as ModelSpec;
  }
  return { gpus, models };
}

/** Looks up a GPU; an unknown key throws an error listing the known keys. */
export function getGpu(key: string, catalog: Catalog = DEFAULT_CATALOG): GpuSpec {
  const gpu = catalog.gpus[key.toLowerCase()];
  if (!gpu) throw new UnknownKeyError("GPU", key, Object.keys(catalog.gpus));
  return gpu;
}

/** Looks up a model by catalog key or Hugging Face id. */
export function getModel(key: string, catalog: Catalog = DEFAULT_CATALOG): ModelSpec {
  const model = catalog.models[key] ?? Object.values(catalog.models).find((m) => m.hfId === key);
  if (!model) throw new UnknownKeyError("model", key, Object.keys(catalog.models));
  return model;
}

/** $ per GPU-hour of a GPU in a price tier. */
export function gpuHourPrice(gpu: GpuSpec, tier: PriceTier): number {
  if (!PRICE_TIERS.includes(tier)) throw new UnknownKeyError("price tier", tier, PRICE_TIERS);
  return gpu.price[tier];
}
