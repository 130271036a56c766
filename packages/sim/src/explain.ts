import type { ResolvedSimConfig, SimOptions } from "./config/options.js";
import { resolveSimConfig } from "./config/resolve.js";
import { SimConfigError } from "./errors.js";
import { expectedDistinctExperts } from "./perf/experts.js";
import { assertFits } from "./perf/fit-check.js";
import { kvTransferSeconds } from "./perf/kv-transfer.js";
import { keptTokens } from "./perf/sliding-window.js";
import { expertsRead, type StepCosts, stepCosts } from "./perf/step-time.js";
import { schedulerPool, workerModel } from "./perf/worker-model.js";

/** One term of a step, in seconds, with the resource it uses. */
export interface ExplainTerm {
  name: string;
  kind: "compute" | "memory" | "comm" | "overhead";
  seconds: number;
  /**
   * Memory terms: GB one GPU reads in the step, its own pipeline stage's share; the term is that read in each of
   * the `pp` stages, one stage after the other.
   */
  gbPerGpu?: number;
  detail: string;
}

/** The breakdown of one decode step (and one prefill) of a configuration. */
export interface Explanation {
  config: ResolvedSimConfig;
  pool: string;
  batch: number;
  context: number;
  decode: {
    terms: ExplainTerm[];
    totalS: number;
    bound: ExplainTerm["kind"];
    tokensPerS: number;
    intvty: number;
  };
  prefill: { tokens: number; totalS: number; bound: ExplainTerm["kind"] };
  kvTransferS: number;
  memory: { weightsGbPerGpu: number; kvCapacityTokens: number; maxBatchAtContext: number };
}

const GB = 1e9;

/**
 * What bounds a step: the kind that takes the most of its time. Only the larger of weights and GEMM FLOPs, and of
 * KV reads and attention FLOPs, is on the step's path (`stepCosts`), so the smaller one of each pair counts for
 * nothing. Before, every memory term was summed against every compute term, and a step whose GEMMs hid its weight
 * reads was called memory-bound when its KV reads and weights together outweighed the GEMMs.
 */
function bound(c: StepCosts): ExplainTerm["kind"] {
  const onPath = {
    compute: (c.linear > c.weights ? c.linear : 0) + (c.attention > c.kv ? c.attention : 0),
    memory: (c.linear > c.weights ? 0 : c.weights) + (c.attention > c.kv ? 0 : c.kv),
    comm: c.comm,
    overhead: c.overhead + c.draft,
  };
  const entries = Object.entries(onPath) as [ExplainTerm["kind"], number][];
  return entries.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

/** The note of a term that the other term of its max() hides (it takes no time of the step). */
const hiddenBy = (seconds: number, other: number, otherName: string) =>
  seconds < other ? `; hidden: the step takes the larger ${otherName}` : "";

/**
 * Explains a decode step of `batch` requests at `context` tokens each, term by term, on the decode
 * (or aggregated) workers, and a prefill of `prefillTokens`, on the prefill (or aggregated) workers.
 * A layout whose weights plus the KV of one request of `context` tokens do not fit throws DoesNotFitError; a context
 * or prefill past the model's context length, or a batch the engine would not run (over its running requests, or
 * over the KV cache at this context), throws SimConfigError.
 */
export function explainStep(
  sim: SimOptions,
  batch: number,
  context: number,
  prefillTokens = 1024,
): Explanation {
  const cfg = resolveSimConfig(sim);
  const { key, maxContext } = cfg.model;
  for (const [what, tokens] of [
    ["context", context],
    ["prefill", prefillTokens],
  ] as const)
    if (tokens > maxContext)
      throw new SimConfigError(
        `a ${what} of ${tokens} tokens exceeds the context length of ${key}, ${maxContext} tokens`,
      );
  assertFits(cfg, context);
  const decPool = cfg.pools.find((p) => p.role !== "prefill")!;
  const prePool = cfg.pools.find((p) => p.role !== "decode")!;
  const w = workerModel(cfg, decPool);
  checkBatchRuns(cfg, w, batch, context);
  const c = {
    ...stepCosts(w, {
      decodeRequests: batch,
      decodeContext: batch * context,
      prefillTokens: 0,
      prefillPairs: 0,
    }),
  };
  const tokens = batch * (1 + cfg.spec.draftTokens);
  const distinct = w.experts > 0 ? expectedDistinctExperts(w.experts, w.topK, tokens) : 0;
  const ep = decPool.ep;
  const experts = !w.experts
    ? ""
    : ep > 1
      ? ` (${distinct.toFixed(1)} of ${w.experts} experts per layer; the busiest of ${ep} EP ranks, which the step waits for, ${(expertsRead(w, tokens) / ep).toFixed(1)} of its ${w.experts / ep})`
      : ` (${distinct.toFixed(1)} of ${w.experts} experts per layer)`;
  // a GPU reads its own stage's layers; the step crosses the stages one after the other
  const stages = decPool.pp;
  const gbPerGpu = (bytes: number) => bytes / stages / GB;
  const inStages = stages > 1 ? ` in each of ${stages} pipeline stages` : "";
  const terms: ExplainTerm[] = [
    {
      name: "weights",
      kind: "memory",
      seconds: c.weights,
      gbPerGpu: gbPerGpu(c.weightBytes),
      detail: `${gbPerGpu(c.weightBytes).toFixed(2)} GB/GPU read${inStages}${experts}${hiddenBy(c.weights, c.linear, "linear")}`,
    },
    {
      name: "kv-read",
      kind: "memory",
      seconds: c.kv,
      gbPerGpu: gbPerGpu(c.kvBytes),
      detail: `${gbPerGpu(c.kvBytes).toFixed(2)} GB/GPU${inStages}${w.span.slidingShare > 0 ? ` (${Math.round(w.span.slidingShare * 100)}% of layers read at most ${w.span.window} tokens)` : ""}${hiddenBy(c.kv, c.attention, "attention")}`,
    },
    {
      name: "linear",
      kind: "compute",
      seconds: c.linear,
      detail: `${tokens} token${tokens === 1 ? "" : "s"} through the GEMMs${hiddenBy(c.linear, c.weights, "weights")}`,
    },
    {
      name: "attention",
      kind: "compute",
      seconds: c.attention,
      detail: `${batch} x ${context} context${hiddenBy(c.attention, c.kv, "kv-read")}`,
    },
    {
      name: "all-reduce",
      kind: "comm",
      seconds: c.allReduce,
      detail: `attention TP ${w.attnTp}${stages > 1 ? ` + ${stages - 1} pipeline hand-off${stages > 2 ? "s" : ""}` : ""}`,
    },
    { name: "all-to-all", kind: "comm", seconds: c.allToAll, detail: `EP ${decPool.ep}` },
    {
      name: "overhead",
      kind: "overhead",
      seconds: c.overhead,
      detail: `fixed per step + per layer + ${perScheduler(batch, w.attnDp)} request${perScheduler(batch, w.attnDp) === 1 ? "" : "s"} per scheduler x ${fmtUs(w.requestOverhead)}`,
    },
    {
      name: "draft",
      kind: "overhead",
      seconds: c.draft,
      detail: `${cfg.spec.draftPasses} draft passes for ${cfg.spec.draftTokens} draft tokens`,
    },
  ];
  // a dense model's DP-attention replica prefills a prompt alone, on its one GPU
  const wp = workerModel(cfg, schedulerPool(cfg, prePool));
  const p = stepCosts(wp, {
    decodeRequests: 0,
    decodeContext: 0,
    prefillTokens,
    prefillPairs: (prefillTokens * prefillTokens) / 2,
  });
  const a = cfg.spec.acceptanceLength;
  return {
    config: cfg,
    pool: decPool.role,
    batch,
    context,
    decode: {
      terms,
      totalS: c.total,
      bound: bound(c),
      tokensPerS: (batch * a) / c.total,
      intvty: a / c.total,
    },
    prefill: {
      tokens: prefillTokens,
      totalS: p.total,
      bound: bound(p),
    },
    kvTransferS: cfg.disaggregated ? kvTransferSeconds(cfg, prefillTokens) : 0,
    memory: {
      weightsGbPerGpu: w.residentWeightBytesPerGpu / GB,
      kvCapacityTokens: w.kvCapacityTokens,
      maxBatchAtContext: Math.floor(w.kvCapacityTokens / keptTokens(w.span, context)),
    },
  };
}

/**
 * Refuses a decode batch the engine would never form: more requests than a worker runs (the engine's limit per
 * scheduler, one per DP-attention rank), or more KV than its cache holds. Such a step's terms were printed as if
 * it ran (batch 100,000 read 5,397 GB of KV per GPU).
 */
function checkBatchRuns(
  cfg: ResolvedSimConfig,
  w: ReturnType<typeof workerModel>,
  batch: number,
  context: number,
): void {
  const running = cfg.engine.maxRunningRequests * w.attnDp;
  if (batch > running)
    throw new SimConfigError(
      `a batch of ${batch} requests exceeds the ${running} running requests of a worker (engine limit maxRunningRequests${w.attnDp > 1 ? ", per DP-attention rank" : ""})`,
    );
  const kept = keptTokens(w.span, context);
  const fits = Math.floor(w.kvCapacityTokens / kept);
  const keeps =
    kept < context
      ? ` (a request keeps ${kept}: its sliding-window layers only their last ${w.span.window})`
      : "";
  if (batch > fits)
    throw new SimConfigError(
      `a batch of ${batch} requests of ${context} tokens does not fit the KV cache of a worker, ${w.kvCapacityTokens} tokens${keeps}: at most ${fits} requests at this context`,
    );
}

/** Requests each scheduler runs: the batch, split over the DP-attention ranks (each schedules its own). */
const perScheduler = (batch: number, attnDp: number) => Math.round((batch / attnDp) * 10) / 10;

/** Seconds as µs, to two significant digits at most. */
const fmtUs = (s: number) => `${+(s * 1e6).toPrecision(2)} µs`;
