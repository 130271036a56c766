import { z } from "zod";
import type { ValidationIssue } from "../errors.js";
import { formatPath } from "../schemas/validate.js";
import { PRICE_TIERS } from "./gpus.js";

const positive = z.number().positive();
const SourceRefSchema = z
  .object({ source: z.string(), date: z.string(), note: z.string().optional() })
  .strict();

const TflopsOverride = z
  .object({ bf16: positive, fp8: positive, fp4: positive.optional() })
  .strict()
  .partial();
const PriceOverride = z
  .object({ hyperscaler: positive, neocloud: positive, rental: positive })
  .strict()
  .partial();

const GpuOverride = z
  .object({
    name: z.string(),
    vendor: z.enum(["nvidia", "amd"]),
    hbmGb: positive,
    hbmTbps: positive,
    tflops: TflopsOverride,
    scaleUpGBps: positive,
    scaleUpDomain: z.number().int().positive(),
    nicGbps: positive,
    tdpW: positive,
    allInKw: positive,
    price: PriceOverride,
    source: SourceRefSchema.partial(),
  })
  .strict()
  .partial();

const count = z.number().int().positive();
const countOrZero = z.number().int().nonnegative();

// attention and moe replace the model's whole block, so each must be complete
const MlaOverride = z
  .object({
    kind: z.literal("mla"),
    heads: count,
    qLoraRank: count,
    kvLoraRank: count,
    ropeDim: count,
    nopeDim: count,
    vDim: count,
  })
  .strict();
const GqaOverride = z
  .object({
    kind: z.literal("gqa"),
    heads: count,
    kvHeads: count,
    headDim: count,
    slidingWindow: count.optional(),
    slidingLayers: count.optional(),
  })
  .strict();
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
    attention: z.discriminatedUnion("kind", [MlaOverride, GqaOverride]),
    ffn: count,
    moe: MoeOverride,
    activeParamsB: positive,
    totalParamsB: positive,
    mtpParamsB: positive,
    fp4NonExpert: z.enum(["fp8", "bf16"]),
    tiedEmbeddings: z.boolean(),
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
const SOURCE_FIELDS = Object.keys(SourceRefSchema.shape);

/** The fields of each block inside an entry, for unknown-field issues that list them. */
const GPU_BLOCKS: Record<string, readonly string[]> = {
  tflops: Object.keys(TflopsOverride.shape),
  price: PRICE_TIERS,
  source: SOURCE_FIELDS,
};
const MODEL_BLOCKS: Record<string, readonly string[]> = {
  moe: Object.keys(MoeOverride.shape),
  source: SOURCE_FIELDS,
};
const ATTENTION_FIELDS: Record<string, readonly string[]> = {
  mla: Object.keys(MlaOverride.shape),
  gqa: Object.keys(GqaOverride.shape),
};

/** A GPU key as getGpu finds it: looked up lower-cased, so an entry with capitals could never be found. */
const GPU_KEY = /^[a-z0-9][a-z0-9._-]*$/;

// not every figure is needed of a new entry: a dense model has no moe, an MoE model no dense ffn
const OPTIONAL_FIELDS = ["source", "mtpParamsB", "fp4NonExpert", "tiedEmbeddings", "ffn", "moe"];

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function unknownKeys(
  path: string,
  kind: string,
  value: Record<string, unknown>,
  known: readonly string[],
): ValidationIssue[] {
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => ({ path, message: `unknown ${kind} "${key}"; known: ${known.join(", ")}` }));
}

/** A GPU key that getGpu could not find, or a model key that differs from a built-in one only in case. */
function keyIssue(
  section: "gpus" | "models",
  key: string,
  builtIn: readonly string[],
): ValidationIssue | undefined {
  const path = `${section}.${key}`;
  const same = builtIn.find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
  if (section === "gpus" && !GPU_KEY.test(key)) {
    const lower = key.toLowerCase();
    return {
      path,
      message: same
        ? `GPU keys are lower case: write "${same}" to override the built-in GPU's figures`
        : `GPU keys are lower-case letters, digits, ".", "_" and "-" (GPUs are looked up lower-cased)${GPU_KEY.test(lower) ? `: write "${lower}"` : ""}`,
    };
  }
  if (section === "models" && same)
    return {
      path,
      message: `model keys are case-sensitive: write "${same}" to override the built-in model's figures`,
    };
  return undefined;
}

/** The figures a new entry lacks, with those of its blocks (`tflops.bf16`, `price.rental`). */
function missingFigures(section: "gpus" | "models", value: Record<string, unknown>): string[] {
  const fields = section === "gpus" ? GPU_FIELDS : MODEL_FIELDS;
  const missing = fields.filter((f) => !OPTIONAL_FIELDS.includes(f) && !(f in value));
  if (section === "gpus") {
    const inside = (block: string, keys: readonly string[]) =>
      isMapping(value[block]) ? keys.filter((k) => !(k in (value[block] as object))) : [];
    missing.push(
      ...inside("tflops", ["bf16", "fp8"]).map((k) => `tflops.${k}`),
      ...inside("price", PRICE_TIERS).map((k) => `price.${k}`),
    );
  }
  return missing;
}

/** Unknown fields of an entry and of its blocks (attention by its kind). */
function entryFieldIssues(
  section: "gpus" | "models",
  path: string,
  value: Record<string, unknown>,
): ValidationIssue[] {
  const kind = section === "gpus" ? "gpu" : "model";
  const blocks: Record<string, readonly string[]> = {
    ...(section === "gpus" ? GPU_BLOCKS : MODEL_BLOCKS),
  };
  const attention = value.attention;
  if (section === "models" && isMapping(attention) && typeof attention.kind === "string") {
    const fields = ATTENTION_FIELDS[attention.kind];
    if (fields) blocks.attention = fields;
  }
  return [
    ...unknownKeys(path, `${kind} field`, value, section === "gpus" ? GPU_FIELDS : MODEL_FIELDS),
    ...Object.entries(blocks).flatMap(([block, known]) => {
      const inner = value[block];
      return isMapping(inner)
        ? unknownKeys(`${path}.${block}`, `${block} field`, inner, known)
        : [];
    }),
  ];
}

/**
 * Every problem of a catalog override file, each with its place (`gpus.h100.price`): unknown sections, fields and
 * block fields (listing the known ones), GPU keys getGpu could not find, model keys that differ from a built-in one
 * only in case, figures out of range, and the figures a new GPU or model lacks. The parsed overrides when none.
 * @example checkCatalogOverrides(["h100"], ["dsr1"], { gpus: { H100: {} } }).issues[0].path // "gpus.H100"
 */
export function checkCatalogOverrides(
  gpuKeys: readonly string[],
  modelKeys: readonly string[],
  raw: unknown,
): { issues: ValidationIssue[]; overrides?: CatalogOverrides } {
  if (!isMapping(raw))
    return { issues: [{ path: "", message: "expected a mapping with gpus and/or models" }] };
  const issues = unknownKeys("", "catalog section", raw, ["gpus", "models"]);
  const newEntries: ValidationIssue[] = [];
  for (const section of ["gpus", "models"] as const) {
    const entries = raw[section];
    if (!isMapping(entries)) continue;
    const builtIn = section === "gpus" ? gpuKeys : modelKeys;
    for (const [key, value] of Object.entries(entries)) {
      const path = `${section}.${key}`;
      const badKey = keyIssue(section, key, builtIn);
      if (badKey) issues.push(badKey);
      if (!isMapping(value)) continue;
      issues.push(...entryFieldIssues(section, path, value));
      const missing = builtIn.includes(key) || badKey ? [] : missingFigures(section, value);
      const kind = section === "gpus" ? "gpu" : "model";
      if (missing.length > 0)
        newEntries.push({
          path,
          message: `a new ${kind} needs every figure; missing: ${missing.join(", ")}`,
        });
    }
  }
  const parsed = CatalogOverrides.safeParse(raw);
  if (!parsed.success) {
    // unknown keys are reported above, with the known ones
    const rest = parsed.error.issues.filter((i) => i.code !== "unrecognized_keys");
    const schemaIssues = rest.length > 0 || issues.length > 0 ? rest : parsed.error.issues;
    issues.push(...schemaIssues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  }
  issues.push(...newEntries);
  return parsed.success && issues.length === 0 ? { issues, overrides: parsed.data } : { issues };
}
