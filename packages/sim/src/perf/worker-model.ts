import { FP8_FALLBACK_GEMM_SHARE } from "../config/defaults.js";
import { frameworkEngine, kvBudgetBytes, kvMemoryRule } from "../config/engine-memory.js";
import type { KvDtype, ResolvedPool, ResolvedSimConfig, SimPrecision } from "../config/options.js";
import { layerUnits } from "./layer-kernels.js";
import { modelShape } from "./model-shape.js";
import { type AttentionSpan, attentionSpan } from "./sliding-window.js";

/** Bytes per KV-cache element by dtype (FP4: 4 bits + one 8-bit scale per 16). */
export const KV_BYTES: Record<KvDtype, number> = { bf16: 2, fp8: 1, fp4: 0.5625 };

/** Scale-up bandwidth at which a collective's latency is `collectiveLatencyUs` (NVLink 5); slower fabrics are slower in proportion. */
export const REFERENCE_SCALE_UP_GBPS = 900;

/** Bytes per parameter of NVFP4 weights: 4 bits + one FP8 (E4M3) scale per 16. */
export const NVFP4_BYTES = 0.5625;

/** Bytes per parameter of MXFP4 weights (OCP microscaling, gpt-oss): 4 bits + one E8M0 scale per 32. */
export const MXFP4_BYTES = 0.53125;

/**
 * Bytes per parameter of the expert weights and of everything else, by precision. FP4 checkpoints
 * quantise the experts and keep the rest at the model's `fp4NonExpert` precision: FP8 in NVFP4 checkpoints
 * (DeepSeek-R1's), BF16 in MXFP4 ones (gpt-oss's, `quant_method: mxfp4`), whose experts are MXFP4. A `dense`
 * model's FP4 checkpoint (NVIDIA's NVFP4 Llama) quantises all its decoder linear layers, so `other` is FP4 too.
 * @example weightBytes("fp4", "bf16") // { experts: 0.53125, other: 2 }
 */
export function weightBytes(
  precision: SimPrecision,
  fp4NonExpert: "fp8" | "bf16" = "fp8",
  dense = false,
): { experts: number; other: number } {
  if (precision === "bf16") return { experts: 2, other: 2 };
  // FP8 block scales (one FP32 per 128 x 128 block) add 0.02%; norms and routers are negligible
  if (precision === "fp8") return { experts: 1, other: 1 };
  const fp4 = fp4NonExpert === "bf16" ? MXFP4_BYTES : NVFP4_BYTES;
  return { experts: fp4, other: dense ? fp4 : fp4NonExpert === "bf16" ? 2 : 1 };
}

/**
 * Peak TFLOP/s of the non-expert and the expert GEMMs. Linear layers run at the peak of their weights'
 * precision: FP8 at the FP8 peak, BF16 (bf16 checkpoints, and the non-expert layers of an FP4 checkpoint that
 * keeps them in BF16, as gpt-oss does) at the BF16 peak. FP4 experts (and every linear layer of a `dense` model's
 * FP4 checkpoint) run at the FP4 peak where the GPU has FP4 tensor cores; elsewhere (Hopper, MI300X) the kernels
 * dequantise the weights and multiply in BF16 (W4A16).
 */
export function gemmPeaks(
  precision: SimPrecision,
  fp4NonExpert: "fp8" | "bf16" = "fp8",
  tflops: { bf16: number; fp8: number; fp4?: number },
  dense = false,
): { flopsOther: number; flopsExpert: number } {
  if (precision === "bf16") return { flopsOther: tflops.bf16, flopsExpert: tflops.bf16 };
  if (precision === "fp8") return { flopsOther: tflops.fp8, flopsExpert: tflops.fp8 };
  const fp4 = tflops.fp4 ?? tflops.bf16;
  return {
    flopsOther: dense ? fp4 : fp4NonExpert === "bf16" ? tflops.bf16 : tflops.fp8,
    flopsExpert: fp4,
  };
}

/**
 * Everything the step-time formula needs about one worker of a pool, precomputed once.
 * A step crosses the pipeline stages one after the other (micro-batching is not modelled), so the per-step
 * figures (weight and KV bytes read, FLOPs, layers) are one GPU's summed over the `pool.pp` stages: a GPU of one
 * stage reads and computes 1/pp of them. Resident weights and stored KV are one GPU's own (its stage's layers).
 */
export interface WorkerModel {
  pool: ResolvedPool;
  layers: number;
  moeLayers: number;
  hidden: number;
  topK: number;
  experts: number;
  /** Bytes every step reads per GPU whatever the batch (attention, dense FFN, shared experts, head). */
  fixedWeightBytes: number;
  /** Bytes of one routed expert in all MoE layers, per GPU share. */
  expertBytesPerGpu: number;
  /** KV bytes of one token of context read per GPU (attention shard applied), all layers. */
  kvReadBytesPerToken: number;
  /** Which layers see the whole context and the window of the others (sliding-window attention). */
  span: AttentionSpan;
  /** FLOPs per token through the non-expert linear layers of the decoder layers, per GPU. */
  flopsOtherPerToken: number;
  /**
   * FLOPs of the output head per token it computes logits for, per GPU: every decoding token, but only the
   * last token of each prompt in a prefill step (engines keep those hidden states alone for the head).
   */
  flopsHeadPerToken: number;
  /** FLOPs per token through the shared and top-k routed experts, per GPU. */
  flopsExpertPerToken: number;
  /** Decode attention FLOPs per token of context, per GPU. */
  decodeAttnFlopsPerCtx: number;
  /** Prefill attention FLOPs per query-key pair, per GPU. */
  prefillAttnFlopsPerPair: number;
  /** Peak FLOP/s for non-expert and expert GEMMs (efficiency applied). */
  flopsOther: number;
  flopsExpert: number;
  /** Peak FLOP/s of the output head, a BF16 GEMM in every checkpoint (efficiency applied). */
  flopsHead: number;
  /** Peak FLOP/s of attention (BF16: MLA / flash-attention kernels dequantise an FP8 KV cache). */
  flopsAttention: number;
  /** HBM bytes/s with efficiency applied. */
  memBw: number;
  /**
   * Collective bytes/s per GPU with efficiency applied, and one collective's latency (s) quoted for an
   * 8-GPU group: over scale-up when the worker's TP group fits one domain, else over the NICs (3x).
   */
  commBw: number;
  commLatency: number;
  /** The same over scale-up alone (NVLink / Infinity Fabric), for the part of a collective inside a domain. */
  upBw: number;
  upLatency: number;
  /** GPUs per scale-up domain (8, or 72 on NVL72): a larger group is split over domains. */
  domainGpus: number;
  /** One GPU's NIC bytes/s with efficiency applied, for the part of a collective between domains. */
  nicBw: number;
  /** Per-step fixed overhead (s), per-layer overhead included. */
  overhead: number;
  /** Per-step overhead per request on one scheduler (s). */
  requestOverhead: number;
  /** Attention TP degree (1 with DP attention) and attention data-parallel groups per worker. */
  attnTp: number;
  attnDp: number;
  /**
   * Ranks the FFN's weights are split over: `tp`, or 1 when each DP-attention rank of a dense model is a whole
   * replica (TensorRT-LLM builds the MLP at TP 1 under `enable_attention_dp`; SGLang keeps it split over TP).
   */
  ffnTp: number;
  /** Draft tokens per step. */
  draftTokens: number;
  /** Draft-module passes per step (SGLang's EAGLE: one per draft token plus a draft-extend pass). */
  draftPasses: number;
  /** Cost of one draft pass as a fraction of a target step. */
  draftFraction: number;
  /** Resident bytes per GPU: weights (and the MTP layers under MTP). */
  residentWeightBytesPerGpu: number;
  /**
   * KV bytes stored per GPU per token held in every layer. A request keeps `keptTokens(span, context)` such tokens:
   * its whole context in full-attention layers, the last `window` tokens in sliding-window layers.
   */
  kvStoredBytesPerToken: number;
  /**
   * Tokens of KV the worker can hold, each a token in every layer, as vLLM reports its KV cache size (0 or less
   * when weights alone do not fit). Requests of `context` tokens: `kvCapacityTokens / keptTokens(span, context)`.
   */
  kvCapacityTokens: number;
  /** KV cache bytes per GPU by the engine's memory rule (`kvBudgetBytes`); 0 or less when the weights do not fit. */
  kvBytesPerGpu: number;
}

/**
 * Whether a pool's DP-attention ranks are whole replicas: a dense model under DP attention, as TensorRT-LLM runs
 * it (attention and MLP at TP 1 on every rank, no collective, each rank scheduling its own requests); the same
 * as `tp` workers of TP 1. SGLang instead gathers the ranks' tokens into an MLP split over TP, which stays modelled.
 */
export function denseReplicas(cfg: ResolvedSimConfig, pool: ResolvedPool): boolean {
  return pool.dpAttention && !cfg.model.moe && frameworkEngine(cfg.framework) !== "sglang";
}

/**
 * The pool as its schedulers run it. A dense model's DP-attention worker (`denseReplicas`) is `tp` workers of TP 1:
 * each replica schedules its own requests and prefills each of its prompts on its one GPU, with its own KV cache,
 * running-request cap (`maxRunningRequests` per DP-attention rank) and token budget per step, as vLLM's DP ranks and
 * TensorRT-LLM's attention-DP ranks do. Any other pool is returned as it is.
 * @example schedulerPool(cfg, { role: "mixed", workers: 1, tp: 8, ep: 1, pp: 1, dpAttention: true, gpusPerWorker: 8 })
 * // Llama-3.3-70B under vLLM: { role: "mixed", workers: 8, tp: 1, ep: 1, pp: 1, dpAttention: false, gpusPerWorker: 1 }
 */
export function schedulerPool(cfg: ResolvedSimConfig, pool: ResolvedPool): ResolvedPool {
  if (!denseReplicas(cfg, pool)) return pool;
  return {
    ...pool,
    workers: pool.workers * pool.tp,
    tp: 1,
    ep: 1,
    dpAttention: false,
    gpusPerWorker: pool.pp,
  };
}

/**
 * Builds the per-worker constants of a pool. A dense model's DP-attention worker is modelled as its `tp` replicas
 * stepping together (one step of B requests is each replica's step of B / tp); the engine and the steady state
 * schedule its replicas apart (`schedulerPool`).
 */
export function workerModel(cfg: ResolvedSimConfig, pool: ResolvedPool): WorkerModel {
  const m = cfg.model;
  const g = cfg.gpu;
  const e = cfg.efficiency;
  const shape = modelShape(m);
  const dense = !m.moe;
  const bytes = weightBytes(cfg.precision, m.fp4NonExpert, dense);
  const { tp, pp } = pool;
  const attnTp = pool.dpAttention ? 1 : tp;
  const attnDp = pool.dpAttention ? tp : 1;
  const ffnTp = denseReplicas(cfg, pool) ? 1 : tp;
  const headBytes = 2; // the output head stays BF16
  const a = m.attention;
  // GQA's K and V projections split by KV head: a TP group wider than the KV heads replicates them
  const kvProjSplit = a.kind === "gqa" ? Math.min(attnTp, a.kvHeads) : attnTp;
  const attnWeightBytes =
    ((shape.attention - shape.attentionKv) * bytes.other) / attnTp +
    (shape.attentionKv * bytes.other) / kvProjSplit;
  const fixedWeightBytes =
    attnWeightBytes +
    (shape.denseFfn * bytes.other + shape.sharedExperts * bytes.experts) / ffnTp +
    (shape.head * headBytes) / ffnTp;
  const expertBytesPerGpu = (shape.moeLayers * shape.routedExpert * bytes.experts) / tp;

  const kvBytes = KV_BYTES[cfg.kvCacheDtype];
  // MLA keeps one latent per token, replicated across TP ranks; GQA splits KV heads over TP.
  const kvShard = a.kind === "mla" ? attnDp : pool.dpAttention ? tp : Math.min(tp, a.kvHeads);
  const kvReadBytesPerToken = (m.kvElementsPerToken * kvBytes) / kvShard;
  const span = attentionSpan(m);
  const kvStoredBytesPerToken = (m.kvElementsPerToken * kvBytes) / kvShard / pp;

  const activeRouted = m.moe ? shape.moeLayers * m.moe.topK * shape.routedExpert : 0;
  // under DP attention each rank projects its own tokens (1/tp of them); under TP a rank wider than the KV
  // heads computes its replicated K and V head for every token
  const kvProjFlopsSplit = pool.dpAttention ? tp : kvProjSplit;
  const flopsOtherPerToken =
    (2 * (shape.attention - shape.attentionKv + shape.denseFfn)) / tp +
    (2 * shape.attentionKv) / kvProjFlopsSplit;
  // vocabulary-parallel: each GPU computes the logits of its 1/tp of the vocabulary
  const flopsHeadPerToken = (2 * shape.head) / tp;
  const flopsExpertPerToken = (2 * (shape.sharedExperts + activeRouted)) / tp;
  const decodeAttnFlopsPerCtx =
    (a.kind === "mla"
      ? 2 * a.heads * (2 * a.kvLoraRank + a.ropeDim) * m.layers
      : 4 * a.heads * a.headDim * m.layers) / tp;
  const prefillAttnFlopsPerPair =
    (a.kind === "mla"
      ? 2 * a.heads * (a.nopeDim + a.ropeDim + a.vDim) * m.layers
      : 4 * a.heads * a.headDim * m.layers) / tp;

  const { flopsOther, flopsExpert } = gemmPeaks(cfg.precision, m.fp4NonExpert, g.tflops, dense);
  // SGLang's block-scaled FP8 GEMMs without DeepGEMM, in prefill and decode alike (`FP8_FALLBACK_GEMM_SHARE`)
  const gemmEfficiency = e.compute * (cfg.fp8Gemm === "fallback" ? FP8_FALLBACK_GEMM_SHARE : 1);
  const scaleUp = tp <= g.scaleUpDomain;
  const linkGBps = scaleUp ? g.scaleUpGBps : g.nicGbps / 8;
  const upLatency = e.collectiveLatencyUs * 1e-6 * (REFERENCE_SCALE_UP_GBPS / g.scaleUpGBps);

  // the MTP layers are resident once however many drafts they make; a separate draft model's size is not known
  const mtpBytes =
    cfg.spec.method === "mtp" ? ((m.mtpParamsB ?? 0) * 1e9 * bytes.other) / ffnTp : 0;
  const residentWeightBytesPerGpu =
    (attnWeightBytes +
      (shape.denseFfn * bytes.other +
        shape.sharedExperts * bytes.experts +
        shape.routedTotal * bytes.experts) /
        ffnTp +
      ((shape.head + shape.embedding) * headBytes) / ffnTp) /
      pp +
    mtpBytes;
  // the memory fraction means what the framework's own flag means: a share of all HBM (vLLM, SGLang) or of what the
  // weights and the activation reserve leave (TensorRT-LLM)
  const rule = kvMemoryRule(cfg.framework);
  const hbmBytes = g.hbmGb * 1e9;
  const kvBytesPerGpu = kvBudgetBytes(
    rule,
    cfg.engine.memoryFraction,
    hbmBytes,
    residentWeightBytesPerGpu,
  );
  const kvCapacityTokens = Math.floor(kvBytesPerGpu / kvStoredBytesPerToken);

  return {
    pool,
    layers: m.layers,
    moeLayers: shape.moeLayers,
    hidden: m.hidden,
    topK: m.moe?.topK ?? 0,
    experts: m.moe?.routedExperts ?? 0,
    fixedWeightBytes,
    expertBytesPerGpu,
    kvReadBytesPerToken,
    span,
    flopsOtherPerToken,
    flopsExpertPerToken,
    flopsHeadPerToken,
    decodeAttnFlopsPerCtx,
    prefillAttnFlopsPerPair,
    flopsOther: flopsOther * 1e12 * gemmEfficiency,
    flopsAttention: g.tflops.bf16 * 1e12 * e.compute,
    flopsHead: g.tflops.bf16 * 1e12 * e.compute,
    flopsExpert: flopsExpert * 1e12 * gemmEfficiency,
    memBw: g.hbmTbps * 1e12 * e.memory,
    commBw: linkGBps * 1e9 * e.comm,
    commLatency: upLatency * (scaleUp ? 1 : 3),
    upBw: g.scaleUpGBps * 1e9 * e.comm,
    upLatency,
    domainGpus: g.scaleUpDomain,
    nicBw: (g.nicGbps / 8) * 1e9 * e.comm,
    overhead: (e.stepOverheadUs + e.layerOverheadUs * layerUnits(m)) * 1e-6,
    requestOverhead: e.requestOverheadUs * 1e-6,
    attnTp,
    attnDp,
    ffnTp,
    draftTokens: cfg.spec.draftTokens,
    draftPasses: cfg.spec.draftPasses,
    draftFraction: e.draftFraction,
    residentWeightBytesPerGpu,
    kvStoredBytesPerToken,
    kvCapacityTokens,
    kvBytesPerGpu,
  };
}
