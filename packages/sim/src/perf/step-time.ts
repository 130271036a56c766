import { expectedDistinctExperts, expectedMaxDistinctPerRank } from "./experts.js";
import { attendedContext, attendedPairs } from "./sliding-window.js";
import type { WorkerModel } from "./worker-model.js";

/** What one engine step computes on one worker. */
export interface BatchShape {
  /** Requests decoding this step. */
  decodeRequests: number;
  /** Sum of the context lengths (tokens) of the decoding requests. */
  decodeContext: number;
  /** New prompt tokens computed this step (prefill chunks). */
  prefillTokens: number;
  /** Attention query-key pairs of those prompt tokens (each token times the context it sees). */
  prefillPairs: number;
  /**
   * Prompts those tokens belong to: each computes the output head for its last token only. @default 1 when
   * there are prefill tokens
   */
  prefillRequests?: number;
}

/**
 * The terms of one step, in seconds; `total` combines them as the roofline does. A step crosses the pipeline
 * stages one after the other, so each term sums the stages.
 */
export interface StepCosts {
  weights: number;
  kv: number;
  /** Bytes of weights and of KV the step reads per GPU, all stages together (a GPU reads 1/pp of them). */
  weightBytes: number;
  kvBytes: number;
  linear: number;
  attention: number;
  allReduce: number;
  allToAll: number;
  overhead: number;
  draft: number;
  compute: number;
  memory: number;
  comm: number;
  total: number;
}

/**
 * Routed experts per MoE layer whose weights the step waits for, in units of `expertBytesPerGpu` (one
 * expert's share on each of the worker's tp GPUs). Without expert parallelism every GPU reads its share of
 * every expert the batch touches. With EP each of the ep ranks holds experts / ep whole experts (split
 * tp / ep ways), and the step waits for the busiest rank: ep x its expected count.
 */
export function expertsRead(
  w: Pick<WorkerModel, "experts" | "topK" | "pool">,
  tokens: number,
): number {
  if (w.experts === 0) return 0;
  const ep = w.pool.ep;
  return ep > 1
    ? ep * expectedMaxDistinctPerRank(w.experts, w.topK, tokens, ep)
    : expectedDistinctExperts(w.experts, w.topK, tokens);
}

/** The group size the collective latency factor is quoted for (one 8-GPU scale-up domain). */
const REFERENCE_GROUP = 8;

/**
 * Latency of one small-message collective over `gpus` ranks, from the latency quoted for 8: it grows
 * with log2 of the group (the recursive-doubling / tree algorithms that collectives use for small
 * messages take log2(n) rounds), so a 2-GPU all-reduce takes a third of an 8-GPU one and 64 GPUs twice.
 * @example groupLatency(11e-6, 4) // 7.3e-6
 */
export function groupLatency(latencyAt8: number, gpus: number): number {
  return gpus > 1 ? (latencyAt8 * Math.log2(gpus)) / Math.log2(REFERENCE_GROUP) : 0;
}

/**
 * One round of a collective between scale-up domains (over the NICs: RDMA plus the proxy that drives it)
 * costs this many times the latency of a whole 8-GPU collective inside one domain.
 */
const NIC_ROUND = 3;

/**
 * One all-reduce of `message` bytes over `gpus` ranks. Inside one scale-up domain: a ring's
 * 2 (n - 1) / n x message per GPU over scale-up, plus log2(n) rounds of latency. Across domains it is
 * hierarchical, as NCCL runs it: reduce-scatter and all-gather inside each domain over scale-up, and
 * between domains each GPU all-reduces only its 1/d shard over its own NIC, in log2(domains) rounds of
 * NIC_ROUND times the in-domain latency each.
 */
export function allReduceTime(
  w: Pick<WorkerModel, "upBw" | "upLatency" | "domainGpus" | "nicBw">,
  message: number,
  gpus: number,
): number {
  const d = Math.min(gpus, w.domainGpus);
  const inside = ((2 * (d - 1)) / d) * (message / w.upBw) + groupLatency(w.upLatency, d);
  if (gpus <= w.domainGpus) return inside;
  const k = gpus / d;
  return (
    inside + ((2 * (k - 1)) / k) * (message / d / w.nicBw) + NIC_ROUND * w.upLatency * Math.log2(k)
  );
}

/**
 * One all-to-all of `bytes` per GPU over `gpus` ranks (already only the share sent to other ranks).
 * Inside one domain it goes over scale-up; across domains the share for ranks in other domains goes
 * over the GPU's NIC while the rest goes over scale-up at the same time.
 */
export function allToAllTime(
  w: Pick<WorkerModel, "upBw" | "upLatency" | "domainGpus" | "nicBw">,
  bytes: number,
  gpus: number,
): number {
  if (gpus <= w.domainGpus) return bytes / w.upBw + 2 * groupLatency(w.upLatency, gpus);
  const d = w.domainGpus;
  const remote = (gpus - d) / (gpus - 1);
  return (
    Math.max((bytes * (1 - remote)) / w.upBw, (bytes * remote) / w.nicBw) +
    2 * (w.upLatency + NIC_ROUND * w.upLatency * Math.log2(gpus / d))
  );
}

/** An empty StepCosts to reuse on the hot path. */
export function emptyStepCosts(): StepCosts {
  return {
    weights: 0,
    kv: 0,
    weightBytes: 0,
    kvBytes: 0,
    linear: 0,
    attention: 0,
    allReduce: 0,
    allToAll: 0,
    overhead: 0,
    draft: 0,
    compute: 0,
    memory: 0,
    comm: 0,
    total: 0,
  };
}

/**
 * Time of one step of a worker: max(weight reads, GEMM FLOPs) + max(KV reads, attention FLOPs) + communication
 * + fixed overhead (+ draft passes).
 * Decode requests verify 1 + draftTokens tokens each. Fills and returns `out`.
 * @example stepCosts(worker, { decodeRequests: 1, decodeContext: 1024, prefillTokens: 0, prefillPairs: 0 }).total
 */
export function stepCosts(
  w: WorkerModel,
  b: BatchShape,
  out: StepCosts = emptyStepCosts(),
): StepCosts {
  const perRequest = 1 + w.draftTokens;
  const decodeTokens = b.decodeRequests * perRequest;
  const tokens = decodeTokens + b.prefillTokens;
  if (tokens === 0) {
    out.weights = out.kv = out.weightBytes = out.kvBytes = 0;
    out.linear = out.attention = out.allReduce = out.allToAll = 0;
    out.overhead = out.draft = out.compute = out.memory = out.comm = out.total = 0;
    return out;
  }
  const { pool } = w;
  const tp = pool.tp;
  // experts: the whole worker's tokens pick experts; with EP the busiest rank's set the bytes (`expertsRead`)
  out.weightBytes = w.fixedWeightBytes + expertsRead(w, tokens) * w.expertBytesPerGpu;
  out.weights = out.weightBytes / w.memBw;
  // sliding-window layers read at most their window of each request's context
  const context =
    b.decodeRequests > 0
      ? attendedContext(w.span, b.decodeRequests, b.decodeContext / b.decodeRequests)
      : 0;
  const pairs = attendedPairs(w.span, b.prefillTokens, b.prefillPairs);
  out.kvBytes = context * w.kvReadBytesPerToken;
  out.kv = out.kvBytes / w.memBw;
  const prefillRequests = b.prefillTokens > 0 ? (b.prefillRequests ?? 1) : 0;
  out.linear =
    (tokens * w.flopsOtherPerToken) / w.flopsOther +
    (tokens * w.flopsExpertPerToken) / w.flopsExpert +
    ((decodeTokens + prefillRequests) * w.flopsHeadPerToken) / w.flopsHead;
  out.attention =
    (context * perRequest * w.decodeAttnFlopsPerCtx + pairs * w.prefillAttnFlopsPerPair) /
    w.flopsAttention;
  let allReduce = 0;
  let allToAll = 0;
  // every token's hidden state (BF16): the message of one all-reduce or gather
  const message = tokens * w.hidden * 2;
  if (w.attnTp > 1) {
    // two all-reduces per layer
    allReduce = 2 * w.layers * allReduceTime(w, message, w.attnTp);
  }
  // With TP attention every rank holds every token after the attention all-reduce, so experts spread
  // over EP ranks need no all-to-all: each rank runs its own experts and the FFN all-reduce above sums
  // the partial outputs. Only DP attention (tokens split over the ranks) moves tokens to experts.
  if (pool.dpAttention && tp > 1 && w.experts > 0 && pool.ep > 1) {
    // dispatch k x hidden FP8 + combine k x hidden BF16 per token per MoE layer, to the other EP ranks
    const perGpu = (tokens / tp) * w.topK * w.hidden * 3 * ((pool.ep - 1) / pool.ep);
    allToAll = w.moeLayers * allToAllTime(w, perGpu, pool.ep);
  } else if (pool.dpAttention && w.ffnTp > 1) {
    // DP attention with a TP-split FFN: gather tokens before the FFN and scatter after (an all-reduce's traffic);
    // a dense model's replicas (ffnTp 1) exchange nothing
    allReduce += w.layers * allReduceTime(w, message, tp);
  }
  if (pool.pp > 1)
    allReduce += (pool.pp - 1) * ((tokens * w.hidden * 2) / w.commBw + w.commLatency);
  out.allReduce = allReduce;
  out.allToAll = allToAll;
  out.compute = out.linear + out.attention;
  out.memory = out.weights + out.kv;
  // attention and the GEMMs are different kernels that run one after the other: each is bound by its
  // own roofline (KV reads vs attention FLOPs; weight reads vs GEMM FLOPs), and the two add
  const bound = Math.max(out.weights, out.linear) + Math.max(out.kv, out.attention);
  out.comm = allReduce + allToAll;
  // each attention rank's scheduler handles its share of the requests, in parallel with the others
  const requests = b.decodeRequests + (b.prefillTokens > 0 ? 1 : 0);
  out.overhead = w.overhead + (w.requestOverhead * requests) / w.attnDp;
  // each draft pass runs the draft module once, sequentially, at a fraction of a target step
  out.draft =
    b.decodeRequests > 0 && w.draftPasses > 0
      ? w.draftPasses * w.draftFraction * (bound + out.comm + out.overhead)
      : 0;
  out.total = bound + out.comm + out.overhead + out.draft;
  return out;
}
