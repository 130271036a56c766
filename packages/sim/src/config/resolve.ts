import { DEFAULT_CATALOG, type GpuSpec, getGpu, getModel, type ModelSpec } from "@infermark/core";
import { SimConfigError, SimSpecMethodError, SimUnknownKeyError } from "../errors.js";
import { calibrationKey } from "./calibration-key.js";
import { defaultKvCacheDtype, isBlackwell } from "./default-kv-cache-dtype.js";
import {
  DEFAULT_EFFICIENCY,
  DEFAULT_ENGINE,
  DEFAULT_FRAMEWORK,
  defaultAcceptanceLength,
  defaultDraftPasses,
  fp8GemmApplies,
  platformEfficiency,
} from "./defaults.js";
import { defaultMaxRunningRequests, kvMemoryRule, memoryFractionMeaning } from "./engine-memory.js";
import {
  FP8_GEMMS,
  type Fp8Gemm,
  KV_DTYPES,
  type KvDtype,
  type PoolOptions,
  type ResolvedPool,
  type ResolvedSimConfig,
  SIM_PRECISIONS,
  type SimOptions,
  type SimPrecision,
  type SpecOptions,
} from "./options.js";

const OPTION_KEYS = [
  "model",
  "hardware",
  "catalog",
  "framework",
  "gpus",
  "tp",
  "ep",
  "pp",
  "dpAttention",
  "workers",
  "disaggregated",
  "prefill",
  "decode",
  "precision",
  "kvCacheDtype",
  "fp8Gemm",
  "spec",
  "engine",
  "efficiency",
  "calibration",
];
const POOL_KEYS = ["tp", "ep", "pp", "dpAttention", "workers"];
const SPEC_KEYS = ["method", "draftTokens", "acceptanceLength", "draftPasses"];

function checkKeys(kind: string, value: object | undefined, known: readonly string[]): void {
  for (const key of Object.keys(value ?? {})) {
    if (!known.includes(key)) throw new SimUnknownKeyError(kind, key, known);
  }
}

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n <= 0)
    throw new SimConfigError(`${name} must be a positive integer, got ${v}`);
  return n;
}

function normalisePrecision(p: string): string {
  const s = p.toLowerCase();
  return s === "nvfp4" || s === "mxfp4" ? "fp4" : s;
}

function resolvePool(role: ResolvedPool["role"], o: PoolOptions, name: string): ResolvedPool {
  checkKeys(`${name} option`, o, POOL_KEYS);
  const tp = positiveInt(`${name}.tp`, o.tp, 1);
  const pp = positiveInt(`${name}.pp`, o.pp, 1);
  const ep = positiveInt(`${name}.ep`, o.ep, 1);
  if (ep > tp)
    throw new SimConfigError(
      `${name}: ep ${ep} exceeds tp ${tp}; experts are spread over the TP ranks of a stage`,
    );
  if (tp % ep !== 0)
    throw new SimConfigError(
      `${name}: ep ${ep} does not divide tp ${tp}; each expert-parallel group takes an equal share of the TP ranks`,
    );
  const workers = positiveInt(`${name}.workers`, o.workers, 1);
  return { role, workers, tp, ep, pp, dpAttention: o.dpAttention ?? false, gpusPerWorker: tp * pp };
}

/**
 * vLLM's rule for tensor-parallel attention: each TP rank takes an equal share of the query heads, and of the KV
 * heads, or one KV head that `tp / kvHeads` ranks share. Under DP attention every rank holds whole heads.
 */
function checkHeadSplit(model: ModelSpec, pool: ResolvedPool, name: string): void {
  if (pool.dpAttention || pool.tp === 1) return;
  const { heads } = model.attention;
  if (heads % pool.tp !== 0) {
    const fits = Array.from({ length: heads }, (_, i) => i + 1).filter((n) => heads % n === 0);
    throw new SimConfigError(
      `${name}: tp ${pool.tp} does not divide the ${heads} attention heads of ${model.key}: each TP rank takes an equal share (give tp ${fits.slice(0, -1).join(", ")} or ${fits.at(-1)}, or DP attention)`,
    );
  }
  if (model.attention.kind !== "gqa") return;
  const { kvHeads } = model.attention;
  if (kvHeads % pool.tp !== 0 && pool.tp % kvHeads !== 0)
    throw new SimConfigError(
      `${name}: tp ${pool.tp} neither divides nor is a multiple of the ${kvHeads} KV heads of ${model.key}: each TP rank takes an equal share of them, or one that tp / ${kvHeads} ranks share`,
    );
}

/** Each expert-parallel rank holds at least one whole expert: EP16 of Mixtral's 8 experts would hold half of one. */
function checkExpertSplit(model: ModelSpec, pool: ResolvedPool, name: string): void {
  const experts = model.moe?.routedExperts;
  if (experts !== undefined && pool.ep > experts)
    throw new SimConfigError(
      `${name}: ep ${pool.ep} exceeds the ${experts} routed experts of ${model.key}: each expert-parallel rank holds whole experts (give ep ${experts} or fewer)`,
    );
}

/**
 * Speculative-decoding settings the model can run. MTP drafts with the model's own multi-token-prediction layers
 * (DeepSeek-V3/R1 ship one, which SGLang and TensorRT-LLM run once per draft token), so a model without them
 * (`mtpParamsB`, read from a config.json's `num_nextn_predict_layers`) cannot; a separate draft model ("draft")
 * suits any model. Draft settings without a method would be ignored, so they are refused.
 */
function checkSpecMethod(model: ModelSpec, method: string, spec: SpecOptions | undefined): void {
  if (method === "mtp" && !((model.mtpParamsB ?? 0) > 0)) throw new SimSpecMethodError(model.key);
  if (method !== "none") return;
  const given = SPEC_KEYS.find(
    (k) => k !== "method" && spec?.[k as keyof SpecOptions] !== undefined,
  );
  if (given)
    throw new SimConfigError(
      `spec.${given} is a setting of speculative decoding: give spec.method "mtp" or "draft" with it, or leave it out`,
    );
}

/** Factors that are a share of a peak (FLOPS, HBM or link bandwidth), so in (0, 1]; the others are costs, >= 0. */
const FRACTION_FACTORS: ReadonlySet<string> = new Set(["compute", "memory", "comm"]);

/**
 * Checks efficiency factors given as options or read from a calibration file: known keys, each a finite number,
 * shares of a peak in (0, 1], costs (overheads, latency, the draft pass) not negative. `where` names their source.
 * Without it a factor such as `memory: fast` made every predicted time NaN and every figure 0.
 * @example checkEfficiencyFactors("calibration h200/sglang", { memory: 1.4 }) // throws: must be in (0, 1]
 */
export function checkEfficiencyFactors(where: string, factors: object | undefined): void {
  const kind = where === "efficiency" ? "efficiency factor" : `efficiency factor (${where})`;
  checkKeys(kind, factors, Object.keys(DEFAULT_EFFICIENCY));
  for (const [key, value] of Object.entries(factors ?? {})) {
    const fraction = FRACTION_FACTORS.has(key);
    const ok =
      typeof value === "number" &&
      Number.isFinite(value) &&
      (fraction ? value > 0 && value <= 1 : value >= 0);
    if (!ok)
      throw new SimConfigError(
        `${where}: efficiency factor ${key} must be ${fraction ? "a share of the peak in (0, 1]" : "a number >= 0"}, got ${JSON.stringify(value)}`,
      );
  }
}

/**
 * Fills every default and checks the options. Unknown keys throw with the known ones listed.
 * @example resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8 }).gpus // 8
 */
export function resolveSimConfig(options: SimOptions): ResolvedSimConfig {
  checkKeys("simulator option", options, OPTION_KEYS);
  checkKeys("spec option", options.spec, SPEC_KEYS);
  checkKeys("engine option", options.engine, Object.keys(DEFAULT_ENGINE));
  checkEfficiencyFactors("efficiency", options.efficiency);
  const catalog = options.catalog ?? DEFAULT_CATALOG;
  const model: ModelSpec =
    typeof options.model === "string" ? getModel(options.model, catalog) : options.model;
  const gpu: GpuSpec =
    typeof options.hardware === "string" ? getGpu(options.hardware, catalog) : options.hardware;
  const precision = normalisePrecision(options.precision ?? "fp8");
  if (!(SIM_PRECISIONS as readonly string[]).includes(precision))
    throw new SimUnknownKeyError("precision", precision, SIM_PRECISIONS);
  const framework = options.framework ?? DEFAULT_FRAMEWORK;
  const kv = normalisePrecision(
    options.kvCacheDtype ??
      defaultKvCacheDtype({ model, gpu, framework, precision: precision as SimPrecision }),
  );
  if (!(KV_DTYPES as readonly string[]).includes(kv))
    throw new SimUnknownKeyError("KV cache dtype", kv, KV_DTYPES);

  const fp8Gemm = options.fp8Gemm ?? "deepgemm";
  if (!(FP8_GEMMS as readonly string[]).includes(fp8Gemm))
    throw new SimUnknownKeyError("FP8 GEMM kernel", fp8Gemm, FP8_GEMMS);
  if (fp8Gemm === "fallback" && !fp8GemmApplies(model, precision, framework, gpu))
    throw new SimConfigError(
      isBlackwell(gpu)
        ? `FP8 GEMM kernel "fallback" (--fp8-gemm) runs SGLang's block-scaled FP8 GEMMs without DeepGEMM: it needs --precision fp8, a model with MLA attention or MoE experts and a --framework naming sglang; got ${precision}, ${model.key}, ${framework}`
        : `FP8 GEMM kernel "fallback" (--fp8-gemm) needs a Blackwell GPU (B200, B300, GB200, GB300), where its share was fitted (B200); got ${gpu.key}, ${gpu.vendor === "amd" ? "an AMD GPU, where SGLang runs aiter's kernels and no DeepGEMM" : "whose fallback kernels (CUTLASS or Triton) no measured row fits"}`,
    );

  const method = options.spec?.method ?? "none";
  if (!["none", "mtp", "draft"].includes(method))
    throw new SimUnknownKeyError("speculative decoding method", method, ["none", "mtp", "draft"]);
  checkSpecMethod(model, method, options.spec);
  const draftTokens =
    method === "none" ? 0 : positiveInt("spec.draftTokens", options.spec?.draftTokens, 1);
  const acceptanceLength =
    method === "none"
      ? 1
      : (options.spec?.acceptanceLength ?? defaultAcceptanceLength(draftTokens));
  // written so that NaN fails it too
  if (!(acceptanceLength >= 1 && acceptanceLength <= draftTokens + 1))
    throw new SimConfigError(
      `acceptance length ${acceptanceLength} must lie in [1, 1 + draft tokens = ${draftTokens + 1}]`,
    );

  let pools: ResolvedPool[];
  const disaggregated = options.disaggregated ?? false;
  if (disaggregated) {
    pools = [
      resolvePool("prefill", options.prefill ?? {}, "prefill"),
      resolvePool("decode", options.decode ?? {}, "decode"),
    ];
  } else {
    const tp = positiveInt("tp", options.tp, 1);
    const pp = positiveInt("pp", options.pp, 1);
    const perWorker = tp * pp;
    const workers = options.workers ?? (options.gpus ? options.gpus / perWorker : 1);
    if (!Number.isInteger(workers) || workers <= 0)
      throw new SimConfigError(
        `gpus ${options.gpus} is not a multiple of tp x pp = ${perWorker}; set --tp/--pp so that they divide --gpus`,
      );
    pools = [
      resolvePool(
        "mixed",
        { tp, ep: options.ep, pp, dpAttention: options.dpAttention, workers },
        "aggregated",
      ),
    ];
  }
  for (const pool of pools) {
    const name = pool.role === "mixed" ? "aggregated" : pool.role;
    checkHeadSplit(model, pool, name);
    checkExpertSplit(model, pool, name);
  }
  const gpus = pools.reduce((s, p) => s + p.workers * p.gpusPerWorker, 0);
  if (options.gpus !== undefined && options.gpus !== gpus)
    throw new SimConfigError(
      `gpus ${options.gpus} does not match the layout, which uses ${gpus} GPUs`,
    );

  const engine = {
    ...DEFAULT_ENGINE,
    maxRunningRequests: defaultMaxRunningRequests(
      framework,
      gpu,
      DEFAULT_ENGINE.maxRunningRequests,
    ),
    ...(options.engine ?? {}),
  };
  // a share above 1 gives the KV cache memory the GPU does not have
  if (!(engine.memoryFraction > 0 && engine.memoryFraction <= 1))
    throw new SimConfigError(
      `memory fraction ${engine.memoryFraction} must lie in (0, 1]: under ${framework} it is ${memoryFractionMeaning(kvMemoryRule(framework))}`,
    );

  const draftPasses =
    draftTokens === 0
      ? 0
      : positiveInt(
          "spec.draftPasses",
          options.spec?.draftPasses,
          defaultDraftPasses(framework, draftTokens),
        );
  const calibrationEntry = calibrationKey(gpu.key, framework);
  const calibrated = options.calibration?.[calibrationEntry];
  checkEfficiencyFactors(`calibration ${calibrationEntry}`, calibrated);
  const efficiency = {
    ...platformEfficiency(gpu.key, model, precision),
    ...(calibrated ?? {}),
    ...(options.efficiency ?? {}),
  };
  return {
    model,
    gpu,
    framework,
    precision: precision as SimPrecision,
    kvCacheDtype: kv as KvDtype,
    fp8Gemm: fp8Gemm as Fp8Gemm,
    spec: {
      method: method as "none" | "mtp" | "draft",
      draftTokens,
      acceptanceLength,
      draftPasses,
    },
    disaggregated,
    pools,
    gpus,
    engine,
    efficiency,
    efficiencySource: options.efficiency ? "options" : calibrated ? "calibration" : "default",
  };
}
