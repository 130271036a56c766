import type { ResolvedSimConfig } from "../config/options.js";
import { kvTransferSeconds } from "./kv-transfer.js";
import { keptTokens } from "./sliding-window.js";
import { type BatchShape, emptyStepCosts, stepCosts } from "./step-time.js";
import { schedulerPool, type WorkerModel, workerModel } from "./worker-model.js";

/** A closed-loop steady state predicted without simulating requests (mean-field). */
export interface SteadyStatePoint {
  concurrency: number;
  /** Requests decoding at once per decode (or mixed) worker. */
  batchPerWorker: number;
  tpotS: number;
  ttftS: number;
  /** 1 / TPOT, tokens/s/user. */
  intvty: number;
  /** (input + output) tokens/s per GPU, all GPUs. */
  tputPerGpu: number;
  outputTputPerGpu: number;
  /** What limits the batch: the concurrency itself, KV capacity, max running requests, or prefill. */
  limit: "concurrency" | "kv" | "max-running" | "prefill";
}

/** A step with nothing decoding: the batch a prefill runs beside when it runs alone. */
const NO_DECODE: BatchShape = {
  decodeRequests: 0,
  decodeContext: 0,
  prefillTokens: 0,
  prefillPairs: 0,
};

const costs = emptyStepCosts();
function step(w: WorkerModel, b: BatchShape): number {
  return stepCosts(w, b, costs).total;
}

/**
 * Query-key pairs of the first `x` tokens of prompts of `promptLen` tokens laid end to end: promptLen^2 / 2 for
 * each whole prompt (causal attention: each token sees the tokens before it) and r^2 / 2 for the r tokens of the
 * prompt under way.
 */
function promptPairs(x: number, promptLen: number): number {
  const whole = Math.floor(x / promptLen);
  const rest = x - whole * promptLen;
  return (whole * promptLen * promptLen) / 2 + (rest * rest) / 2;
}

/**
 * Query-key pairs of the prefill chunk of `n` tokens that starts `done` tokens into prompts of `promptLen`: a
 * chunk deep into a long prompt attends to the chunks before it as well as to itself.
 * @example chunkPairs(8192, 8192, 16384) // 8192 x (8192 + 4096) = 100,663,296
 */
export function chunkPairs(done: number, n: number, promptLen: number): number {
  return promptPairs(done + n, promptLen) - promptPairs(done, promptLen);
}

/** Seconds to prefill `tokens` prompt tokens (prompts of `promptLen`) in chunks beside `others`. */
function prefillSeconds(
  w: WorkerModel,
  cfg: ResolvedSimConfig,
  tokens: number,
  others: BatchShape,
  promptLen: number,
): number {
  const chunk = Math.min(cfg.engine.chunkedPrefill, cfg.engine.maxBatchedTokens);
  let t = 0;
  for (let done = 0; done < tokens; done += chunk) {
    const n = Math.min(chunk, tokens - done);
    // each prompt in the chunk computes the output head for its last token in it
    const prompts = Math.ceil((done + n) / promptLen) - Math.floor(done / promptLen);
    t += step(w, {
      ...others,
      prefillTokens: n,
      prefillPairs: chunkPairs(done, n, promptLen),
      prefillRequests: prompts,
    });
  }
  return t;
}

/**
 * What one prefill worker sustains on its own: it batches whole prompts of `isl` tokens up to the engine's max
 * batched tokens (at least one) and prefills each batch in chunks. `requestsPerS` is one worker's prompts per second;
 * a dense model's DP-attention worker is `tp` TP-1 replicas (`schedulerPool`), each batching its own prompts
 * (`perBatch` and `batchS` are one replica's), so its rate is theirs together.
 */
export function prefillCapacity(
  cfg: ResolvedSimConfig,
  isl: number,
): { perBatch: number; batchS: number; requestsPerS: number } {
  const pre = cfg.pools.find((p) => p.role === "prefill") ?? cfg.pools[0]!;
  const replicas = schedulerPool(cfg, pre);
  const w = workerModel(cfg, replicas);
  const perBatch = Math.max(1, Math.floor(cfg.engine.maxBatchedTokens / isl));
  const batchS = prefillSeconds(w, cfg, isl * perBatch, NO_DECODE, isl);
  return { perBatch, batchS, requestsPerS: ((replicas.workers / pre.workers) * perBatch) / batchS };
}

function batchLimit(w: WorkerModel, cfg: ResolvedSimConfig, isl: number, osl: number) {
  const kv = Math.floor(w.kvCapacityTokens / keptTokens(w.span, isl + osl / 2));
  const run = cfg.engine.maxRunningRequests * w.attnDp;
  return kv < run ? { max: kv, limit: "kv" as const } : { max: run, limit: "max-running" as const };
}

/**
 * Mean-field closed-loop steady state at `concurrency`: every decode step carries the batch and the
 * prompt tokens other requests need per step; disaggregated pools are balanced by the prefill
 * capacity. Used by `sim validate` and `sim calibrate` where the event simulation would be too slow.
 */
export function steadyState(
  cfg: ResolvedSimConfig,
  isl: number,
  osl: number,
  concurrency: number,
): SteadyStatePoint {
  const a = cfg.spec.acceptanceLength;
  const ctx = isl + osl / 2;
  if (!cfg.disaggregated) {
    // a dense model's DP-attention worker is its replicas, each with its own batch (`schedulerPool`)
    const pool = schedulerPool(cfg, cfg.pools[0]!);
    const w = workerModel(cfg, pool);
    const perWorker = concurrency / pool.workers;
    const lim = batchLimit(w, cfg, isl, osl);
    const B = Math.max(1, Math.min(perWorker, lim.max));
    // below one request per worker, only `concurrency` requests run (each at batch 1)
    const running = Math.min(concurrency, pool.workers * B);
    const tDec = step(w, {
      decodeRequests: B,
      decodeContext: B * ctx,
      prefillTokens: 0,
      prefillPairs: 0,
    });
    // prompts of the other requests arrive at (B - 1) a / osl per step; they prefill in batches of k
    const n = ((B - 1) * a) / osl;
    const k = Math.max(1, Math.round(n));
    const stall = n > 0 ? (n * prefillSeconds(w, cfg, isl * k, NO_DECODE, isl)) / k : 0;
    const tpot = (tDec + stall) / a;
    const others = {
      decodeRequests: B - 1,
      decodeContext: (B - 1) * ctx,
      prefillTokens: 0,
      prefillPairs: 0,
    };
    const ttft = prefillSeconds(w, cfg, isl, others, isl);
    const cycle = ttft + (osl - 1) * tpot;
    const rate = running / cycle;
    return {
      concurrency,
      batchPerWorker: B,
      tpotS: tpot,
      ttftS: perWorker > B ? ttft + (cycle * (perWorker - B)) / B : ttft,
      intvty: 1 / tpot,
      tputPerGpu: (rate * (isl + osl)) / cfg.gpus,
      outputTputPerGpu: (rate * osl) / cfg.gpus,
      limit: perWorker > B ? lim.limit : "concurrency",
    };
  }
  const pre = cfg.pools.find((p) => p.role === "prefill")!;
  const dec = schedulerPool(cfg, cfg.pools.find((p) => p.role === "decode")!);
  const wp = workerModel(cfg, schedulerPool(cfg, pre));
  const wd = workerModel(cfg, dec);
  const lim = batchLimit(wd, cfg, isl, osl);
  const tPrefill = prefillSeconds(wp, cfg, isl, NO_DECODE, isl);
  const tKv = kvTransferSeconds(cfg, isl);
  const prefillRate = pre.workers * prefillCapacity(cfg, isl).requestsPerS;
  const tpotAt = (B: number) =>
    step(wd, { decodeRequests: B, decodeContext: B * ctx, prefillTokens: 0, prefillPairs: 0 }) / a;
  const perWorker = concurrency / dec.workers;
  let B = Math.max(1, Math.min(perWorker, lim.max));
  let limit: SteadyStatePoint["limit"] = perWorker > B ? lim.limit : "concurrency";
  let tpot = tpotAt(B);
  let rate = Math.min(concurrency, dec.workers * B) / (tPrefill + tKv + (osl - 1) * tpot);
  if (rate > prefillRate) {
    limit = "prefill";
    rate = prefillRate;
    for (let i = 0; i < 30; i++) {
      const next = Math.max(1, Math.min(B, (rate * (osl - 1) * tpot) / dec.workers));
      B = 0.5 * B + 0.5 * next;
      tpot = tpotAt(B);
    }
  }
  const cycle = concurrency / rate;
  return {
    concurrency,
    batchPerWorker: B,
    tpotS: tpot,
    ttftS: Math.max(tPrefill + tKv, cycle - (osl - 1) * tpot),
    intvty: 1 / tpot,
    tputPerGpu: (rate * (isl + osl)) / cfg.gpus,
    outputTputPerGpu: (rate * osl) / (dec.workers * dec.gpusPerWorker),
    limit,
  };
}
