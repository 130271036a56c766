import { z } from "zod";
import { UnknownKeyError, ValidationError } from "../errors.js";
import { toValidationIssues } from "../schemas/validate.js";
import { GPUS, type GpuSpec, PRICE_TIERS, type PriceTier } from "./gpus.js";
import { MODELS, type ModelSpec } from "./models.js";
import { SOURCES } from "./sources.js";

/** GPUs and models, each figure with its source. */
export interface Catalog {
  gpus: Readonly<Record<string, GpuSpec>>;
  models: Readonly<Record<string, ModelSpec>>;
}

/** The built-in catalog of CATALOG.md. */
export const DEFAULT_CATALOG: Catalog = { gpus: GPUS, models: MODELS };

const positive = z.number().positive();
const SourceRefSchema = z
  .object({ source: z.string(), date: z.string(), note: z.string().optional() })
  .strict();

const GpuOverride = z
  .object({
    name: z.string(),
    vendor: z.enum(["nvidia", "amd"]),
    hbmGb: positive,
    hbmTbps: positive,
    tflops: z
      .object({ bf16: positive, fp8: positive, fp4: positive.optional() })
      .strict()
      .partial(),
    scaleUpGBps: positive,
    scaleUpDomain: z.number().int().positive(),
    nicGbps: positive,
    tdpW: positive,
    allInKw: positive,
    price: z
      .object({ hyperscaler: positive, neocloud: positive, rental: positive })
      .strict()
      .partial(),
    source: SourceRefSchema.partial(),
  })
  .strict()
  .partial();

const count = z.number().int().positive();
const countOrZero = z.number().int().nonnegative();

// attention and moe replace the model's whole block, so each must be complete
const AttentionOverride = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("mla"),
      heads: count,
      qLoraRank: count,
      kvLoraRank: count,
      ropeDim: count,
      nopeDim: count,
      vDim: count,
    })
    .strict(),
  z
    .object({
      kind: z.literal("gqa"),
      heads: count,
      kvHeads: count,
      headDim: count,
      slidingWindow: count.optional(),
      slidingLayers: count.optional(),
    })
    .strict(),
]);
const MoeOverride = z
  .object({
    routedExperts: count,
    topK: count,
    sharedExperts: countOrZero,
    expertFfn: count,
    denseLayers: countOrZero,
    denseFfn: countOrZero,
  })
  .strict();

const ModelOverride = z
  .object({
    hfId: z.string(),
    layers: count,
    hidden: count,
    vocab: count,
    attention: AttentionOverride,
    ffn: count,
    moe: MoeOverride,
    activeParamsB: positive,
    totalParamsB: positive,
    mtpParamsB: positive,
    fp4NonExpert: z.enum(["fp8", "bf16"]),
    kvElementsPerToken: positive,
    maxContext: z.number().int().positive(),
    source: SourceRefSchema.partial(),
  })
  .strict()
  .partial();

/** A user's catalog override file (YAML or JSON): figures to replace, and new GPUs or models in full. */
export const CatalogOverrides = z
  .object({
    gpus: z.record(z.string(), GpuOverride).optional(),
    models: z.record(z.string(), ModelOverride).optional(),
  })
  .strict();
export type CatalogOverrides = z.infer<typeof CatalogOverrides>;

const GPU_FIELDS = Object.keys(GpuOverride.shape);
const MODEL_FIELDS = Object.keys(ModelOverride.shape);

function assertNoUnknownKeys(
  kind: string,
  value: Record<string, unknown>,
  known: readonly string[],
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new UnknownKeyError(kind, key, known);
  }
}

function requireComplete(
  kind: string,
  key: string,
  value: Record<string, unknown>,
  fields: readonly string[],
  missingInside: readonly string[] = [],
) {
  const missing = [
    ...fields.filter(
      (f) => !["source", "mtpParamsB", "fp4NonExpert", "ffn", "moe"].includes(f) && !(f in value),
    ),
    ...missingInside,
  ];
  if (missing.length > 0) {
    throw new ValidationError(`new ${kind} "${key}" in the catalog override`, [
      {
        path: `${kind}s.${key}`,
        message: `a new ${kind} needs every figure; missing: ${missing.join(", ")}`,
      },
    ]);
  }
}

/**
 * Applies a user's overrides to a catalog. Overridden figures are marked with the user as their source.
 * Unknown sections or fields throw UnknownKeyError listing the known ones.
 * @example applyCatalogOverrides(DEFAULT_CATALOG, { gpus: { h100: { price: { neocloud: 2.1 } } } })
 */
export function applyCatalogOverrides(base: Catalog, raw: unknown): Catalog {
  if (raw === null || raw === undefined) return base;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ValidationError("catalog override", [
      { path: "", message: "expected a mapping with gpus and/or models" },
    ]);
  }
  assertNoUnknownKeys("catalog section", raw as Record<string, unknown>, ["gpus", "models"]);
  for (const [section, fields] of [
    ["gpus", GPU_FIELDS],
    ["models", MODEL_FIELDS],
  ] as const) {
    const entries = (raw as Record<string, unknown>)[section];
    if (entries && typeof entries === "object") {
      for (const value of Object.values(entries)) {
        if (value && typeof value === "object")
          assertNoUnknownKeys(
            `${section.slice(0, -1)} field`,
            value as Record<string, unknown>,
            fields,
          );
      }
    }
  }
  const parsed = CatalogOverrides.safeParse(raw);
  if (!parsed.success)
    throw new ValidationError("catalog override", toValidationIssues(parsed.error));
  const overrides = parsed.data;

  const userSource = (source?: { source?: string; date?: string; note?: string }) => ({
    source: source?.source ?? SOURCES.user.source,
    // no date rather than an invented one: the user's figures are dated only if they say so
    date: source?.date ?? SOURCES.user.date,
    ...(source?.note ? { note: source.note } : {}),
  });

  const gpus: Record<string, GpuSpec> = { ...base.gpus };
  for (const [key, o] of Object.entries(overrides.gpus ?? {})) {
    const prior = gpus[key];
    if (!prior)
      requireComplete("gpu", key, o as Record<string, unknown>, GPU_FIELDS, [
        ...(["bf16", "fp8"] as const)
          .filter((k) => o.tflops && !o.tflops[k])
          .map((k) => `tflops.${k}`),
        ...PRICE_TIERS.filter((t) => o.price && !o.price[t]).map((t) => `price.${t}`),
      ]);
    const { source, ...figures } = o;
    const next = { ...(prior ?? {}), ...figures, key } as GpuSpec;
    next.tflops = { ...(prior?.tflops ?? {}), ...(o.tflops ?? {}) } as GpuSpec["tflops"];
    next.price = { ...(prior?.price ?? {}), ...(o.price ?? {}) } as GpuSpec["price"];
    const user = userSource(source);
    next.sources = {
      spec: o.hbmGb || o.hbmTbps || o.tflops || o.scaleUpGBps || !prior ? user : prior.sources.spec,
      price: o.price || !prior ? user : prior.sources.price,
      power: o.allInKw || !prior ? user : prior.sources.power,
    };
    gpus[key] = next;
  }

  const models: Record<string, ModelSpec> = { ...base.models };
  for (const [key, o] of Object.entries(overrides.models ?? {})) {
    const prior = models[key];
    if (!prior) requireComplete("model", key, o as Record<string, unknown>, MODEL_FIELDS);
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
