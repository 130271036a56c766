import {
  buildPointResult,
  type PointConfig,
  type PointResult,
  type RequestRecord,
} from "@infermark/core";
import type { ResolvedSimConfig, SimOptions } from "./config/options.js";
import { resolveSimConfig } from "./config/resolve.js";
import { runWorkload } from "./engine/run-workload.js";
import type { RequestTimeline } from "./engine/types.js";
import { SimConfigError } from "./errors.js";
import { assertFits } from "./perf/fit-check.js";

/** A predicted sweep: one level per concurrency (closed loop) or per rate (open loop). */
export interface PredictOptions {
  isl: number;
  osl: number;
  /** Closed-loop levels. */
  concurrency?: number[];
  /** Open-loop levels, requests/s. */
  rate?: number[];
  /** Requests in flight at most at every rate level (as `bench --max-concurrency`); rate levels only. @default no cap */
  maxConcurrency?: number;
  /** Requests per level. @default max(16, 3 x concurrency) closed loop; 200 open loop */
  requests?: number;
  rangeRatio?: number;
  prefixLength?: number;
  /** @default 0 */
  seed?: number;
  /** Run date stamped on the points. @default now */
  date?: string;
  /** Tool version stamped on the points. */
  toolVersion?: string;
  /** Stream events per request in the records (steps merge beyond it). @default 32 */
  maxEventsPerRequest?: number;
}

export interface PredictResult {
  config: ResolvedSimConfig;
  points: PointResult[];
  /** The request records of each point, in the order of `points`. */
  records: RequestRecord[][];
}

/** Stream events kept per simulated request in predicted points. */
export const DEFAULT_MAX_EVENTS = 32;

/** The PointConfig of a simulated point (model, hardware, topology, workload, load). */
export function simPointConfig(
  cfg: ResolvedSimConfig,
  o: PredictOptions,
  level: { concurrency?: number; rate?: number; requests: number },
): PointConfig {
  const pool = (role: "prefill" | "decode" | "mixed") => {
    const p = cfg.pools.find((x) => x.role === role)!;
    return {
      tp: p.tp,
      ep: p.ep,
      pp: p.pp,
      dpAttention: p.dpAttention,
      workers: p.workers,
      gpus: p.workers * p.gpusPerWorker,
    };
  };
  const prefill = cfg.disaggregated ? pool("prefill") : pool("mixed");
  const decode = cfg.disaggregated ? pool("decode") : pool("mixed");
  return {
    model: cfg.model.key,
    modelId: cfg.model.hfId,
    hardware: cfg.gpu.key,
    framework: "infermark-sim",
    precision: cfg.precision,
    kvCacheDtype: cfg.kvCacheDtype,
    specDecoding:
      cfg.spec.method === "none"
        ? { method: "none" }
        : {
            method: cfg.spec.method,
            draftTokens: cfg.spec.draftTokens,
            acceptanceLength: cfg.spec.acceptanceLength,
          },
    topology: {
      disaggregated: cfg.disaggregated,
      multinode: cfg.gpus > cfg.gpu.scaleUpDomain,
      gpus: cfg.gpus,
      prefillGpus: cfg.disaggregated ? prefill.gpus : cfg.gpus,
      decodeGpus: cfg.disaggregated ? decode.gpus : cfg.gpus,
      prefill,
      decode,
    },
    workload: {
      kind: "random",
      isl: o.isl,
      osl: o.osl,
      ...(o.rangeRatio !== undefined ? { rangeRatio: o.rangeRatio } : {}),
      ...(o.prefixLength ? { prefixLength: o.prefixLength } : {}),
      seed: o.seed ?? 0,
    },
    load:
      level.rate !== undefined
        ? {
            mode: "rate",
            rate: level.rate,
            arrival: "poisson",
            requests: level.requests,
            ...(level.concurrency ? { concurrency: level.concurrency } : {}),
          }
        : { mode: "concurrency", concurrency: level.concurrency, requests: level.requests },
  };
}

/** Merges a timeline's steps into at most `max` events: the first token alone, the last step last. */
function timelineEvents(tl: RequestTimeline, max: number): RequestRecord["events"] {
  const n = tl.stepEnds.length;
  const events: RequestRecord["events"] = [];
  if (n === 0) return events;
  events.push({ t: tl.stepEnds[0]! * 1000, kind: "content", tokens: tl.stepTokens[0]! });
  const rest = n - 1;
  const groups = Math.min(rest, Math.max(1, max - 1));
  let i = 1;
  for (let g = 0; g < groups; g++) {
    const end = 1 + Math.round(((g + 1) * rest) / groups);
    let tokens = 0;
    for (; i < end; i++) tokens += tl.stepTokens[i]!;
    events.push({ t: tl.stepEnds[end - 1]! * 1000, kind: "content", tokens });
  }
  return events;
}

/**
 * RequestRecords (ms) from simulated timelines: one content event per step that produced tokens,
 * merged to at most `maxEvents` per request (TTFT, TPOT and end times stay exact; ITL is then per
 * merged event, and the token-weighted ITL per token).
 */
export function timelinesToRecords(
  timelines: readonly RequestTimeline[],
  maxEvents = Number.POSITIVE_INFINITY,
): RequestRecord[] {
  return timelines.map((tl, index) => {
    const events = timelineEvents(tl, maxEvents);
    const record: RequestRecord = {
      index,
      warmup: false,
      tSched: tl.scheduled * 1000,
      tSend: tl.arrival * 1000,
      tEnd: tl.end * 1000,
      events,
      promptTokens: tl.isl,
      promptTokensSource: "usage",
      requestedOutputTokens: tl.osl,
    };
    if (tl.rejected) {
      record.error = {
        category: "http_status",
        status: 400,
        message: "prompt does not fit the KV cache",
      };
    } else {
      record.outputTokens = tl.stepTokens.reduce((s, n) => s + n, 0);
      record.outputTokensSource = "usage";
    }
    if (tl.cachedTokens > 0) record.cachedPromptTokens = tl.cachedTokens;
    return record;
  });
}

/**
 * Predicts a sweep without HTTP: each level runs a closed-loop (or Poisson) workload through the
 * discrete-event engine, and the timelines become PointResults marked `source: "simulated"`.
 * @example predictSweep({ model: "dsr1", hardware: "h200", tp: 8 }, { isl: 1024, osl: 1024, concurrency: [1, 8, 64] })
 */
export function predictSweep(sim: SimOptions, o: PredictOptions): PredictResult {
  const cfg = resolveSimConfig(sim);
  if (!(o.isl > 0 && o.osl > 0)) throw new SimConfigError("isl and osl must be positive");
  if (o.isl + o.osl > cfg.model.maxContext)
    throw new SimConfigError(
      `isl + osl = ${o.isl + o.osl} exceeds the model's context length ${cfg.model.maxContext}`,
    );
  assertFits(cfg, o.isl + o.osl);
  // a prefix longer than the prompt made every prompt identical and wholly cached, without a word
  const prefix = o.prefixLength ?? 0;
  if (!(Number.isInteger(prefix) && prefix >= 0 && prefix <= o.isl))
    throw new SimConfigError(
      `prefix length ${prefix} must be a whole number of tokens from 0 to isl (${o.isl}): the prompts share it`,
    );
  // arrival gaps are -ln(u) / rate: a rate of 0 or NaN never ends the run, a negative one runs backwards
  for (const rate of o.rate ?? [])
    if (!(Number.isFinite(rate) && rate > 0))
      throw new SimConfigError(`rate ${rate} must be a positive number of requests/s`);
  const checkCount = (name: string, c: number) => {
    if (!(Number.isInteger(c) && c > 0))
      throw new SimConfigError(`${name} ${c} must be a positive integer`);
  };
  for (const c of o.concurrency ?? []) checkCount("concurrency", c);
  if (o.maxConcurrency !== undefined) checkCount("maxConcurrency", o.maxConcurrency);
  const openLoop = o.rate !== undefined && o.rate.length > 0;
  // each rate level took the concurrency of its own index, so a single cap bound the first level only
  if (openLoop && o.concurrency?.length)
    throw new SimConfigError(
      "concurrency lists closed-loop levels; cap the rate levels with maxConcurrency",
    );
  if (!openLoop && o.maxConcurrency !== undefined)
    throw new SimConfigError("maxConcurrency caps rate levels; give rate, or concurrency levels");
  const levels = openLoop
    ? o.rate!.map((rate) => ({ rate, concurrency: o.maxConcurrency }))
    : (o.concurrency ?? [1]).map((concurrency) => ({ concurrency, rate: undefined }));
  const maxEvents = o.maxEventsPerRequest ?? DEFAULT_MAX_EVENTS;
  const runId = `sim-${Date.now().toString(36)}`;
  const date = o.date ?? new Date().toISOString();
  const records: RequestRecord[][] = [];
  const points = levels.map((level) => {
    const requests =
      o.requests ?? (level.rate !== undefined ? 200 : Math.max(16, 3 * (level.concurrency ?? 1)));
    const timelines = runWorkload(cfg, {
      isl: o.isl,
      osl: o.osl,
      concurrency: level.concurrency,
      rate: level.rate,
      requests,
      rangeRatio: o.rangeRatio,
      prefixLength: o.prefixLength,
      seed: o.seed,
    });
    const levelRecords = timelinesToRecords(timelines, maxEvents);
    records.push(levelRecords);
    return buildPointResult({
      run: {
        source: "simulated",
        date,
        runId,
        ...(o.toolVersion ? { toolVersion: o.toolVersion } : {}),
        simulator: simulatorSettings(cfg, requests, maxEvents),
      },
      config: simPointConfig(cfg, o, { ...level, requests }),
      records: levelRecords,
    });
  });
  return { config: cfg, points, records };
}

/**
 * The simulator settings recorded in `run.simulator`: with the framework label, which picked the calibrated factors
 * and the draft passes (the point's `config.framework` is always `infermark-sim`).
 */
export function simulatorSettings(
  cfg: ResolvedSimConfig,
  requests?: number,
  maxEventsPerRequest = DEFAULT_MAX_EVENTS,
): Record<string, unknown> {
  return {
    engine: "infermark-sim des/v1",
    framework: cfg.framework,
    efficiency: cfg.efficiency,
    efficiencySource: cfg.efficiencySource,
    limits: cfg.engine,
    spec: cfg.spec,
    kvCacheDtype: cfg.kvCacheDtype,
    // recorded only when it differs from the default, so that DeepGEMM runs' settings read as before
    ...(cfg.fp8Gemm === "fallback" ? { fp8Gemm: cfg.fp8Gemm } : {}),
    ...(requests !== undefined ? { requestsPerLevel: requests } : {}),
    maxEventsPerRequest,
  };
}
