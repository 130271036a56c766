import { z } from "zod";
import { ErrorCategory, Precision, SpecDecoding, Stats, WorkerPool } from "./common.js";
import { isIsoDay } from "./iso-day.js";
import { withSortedKeys } from "./sorted-keys.js";

/**
 * A run's date: a calendar day (YYYY-MM-DD), or one followed by `T` (or a space, as RFC 3339 allows and database
 * dumps write it) and a time that parses (`2026-07-01T12:00:00Z`, `2026-07-01 12:00:00+00`).
 * "yesterday" or "07/01/2026" would be stored, then sort and filter as text under a day that is not one.
 */
function isRunDate(date: string): boolean {
  if (!isIsoDay(date.slice(0, 10))) return false;
  return (
    date.length === 10 ||
    ((date[10] === "T" || date[10] === " ") && !Number.isNaN(Date.parse(date)))
  );
}

export const POINT_SCHEMA_ID = "infermark.point/v1";

/** Where a point came from. */
export const PointSource = z.enum(["measured", "simulated", "imported"]);
export type PointSource = z.infer<typeof PointSource>;

/** Run provenance: who produced the point, with what, when and where. */
export const RunInfo = z
  .object({
    source: PointSource,
    date: z
      .string()
      .min(1)
      // filters, latest points and trends take the day as the first 10 characters and compare it as text
      .refine(
        isRunDate,
        "expected an ISO 8601 date or date-time (2026-07-01 or 2026-07-01T12:00:00Z)",
      )
      .describe("ISO 8601 date or date-time of the measurement"),
    toolVersion: z.string().optional(),
    gitSha: z.string().optional(),
    ciUrl: z.string().optional().describe("link to the CI run or the original result"),
    host: z.string().optional(),
    runId: z.string().optional().describe("groups the points of one invocation"),
    specFingerprint: z.string().optional(),
    pointName: z.string().optional(),
    serverCommand: z.string().optional().describe("exact server command, secrets redacted"),
    importedFrom: z.string().optional().describe("file or URL an imported point was read from"),
    simulator: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("simulator settings of a simulated point"),
  })
  .strict();
export type RunInfo = z.infer<typeof RunInfo>;

/** Serving topology: aggregated (prefill = decode pool) or disaggregated. */
export const Topology = z
  .object({
    disaggregated: z.boolean().default(false),
    multinode: z.boolean().default(false),
    gpus: z.number().int().positive().describe("all GPUs serving the point"),
    prefillGpus: z
      .number()
      .int()
      .positive()
      .describe("GPUs doing prefill (all GPUs when aggregated)"),
    decodeGpus: z
      .number()
      .int()
      .positive()
      .describe("GPUs doing decode (all GPUs when aggregated)"),
    prefill: WorkerPool.optional(),
    decode: WorkerPool.optional(),
  })
  .strict();
export type Topology = z.infer<typeof Topology>;

/** A replayed request trace (`kind: "trace"`): which file, and how its records became requests. */
export const TraceInfo = z
  .object({
    file: z.string().min(1).describe("the trace file's name"),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe("sha256 of the file's bytes"),
    records: z.number().int().positive().describe("records in the file"),
    blockSize: z.number().int().positive().describe("tokens per hash id"),
    speedup: z.number().positive().describe("the timestamps were divided by this"),
  })
  .strict();
export type TraceInfo = z.infer<typeof TraceInfo>;

export const Workload = z
  .object({
    kind: z
      .string()
      .min(1)
      .default("random")
      .describe("random, sharegpt, jsonl, session, trace, ..."),
    isl: z.number().int().nonnegative().describe("nominal input sequence length"),
    osl: z.number().int().nonnegative().describe("nominal output sequence length"),
    rangeRatio: z.number().min(0).max(1).optional(),
    prefixLength: z.number().int().nonnegative().optional(),
    seed: z.number().int().optional(),
    dataset: z.string().optional(),
    api: z.enum(["completions", "chat"]).optional(),
    achievedIsl: Stats.optional().describe("achieved input lengths (tokens)"),
    turns: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("session workloads: user turns per session (the most, for sessions from a file)"),
    thinkTimeMs: z
      .number()
      .nonnegative()
      .optional()
      .describe("session workloads: think time between a response and the next turn (ms, mean)"),
    thinkTime: z
      .enum(["fixed", "exponential"])
      .optional()
      .describe("session workloads: how think times are drawn around thinkTimeMs"),
    trace: TraceInfo.optional().describe("trace replay: the trace file and how it was replayed"),
  })
  .strict();
export type Workload = z.infer<typeof Workload>;

export const Load = z
  .object({
    mode: z
      .enum(["concurrency", "rate", "trace"])
      .describe("closed loop, open loop at a rate, or a trace replayed at its timestamps"),
    concurrency: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("closed-loop concurrency, or the cap in rate and trace mode"),
    rate: z
      .number()
      .positive()
      .optional()
      .describe("requests per second (open loop; a trace: its mean over the replayed schedule)"),
    arrival: z.enum(["poisson", "gamma", "constant"]).optional(),
    burstiness: z.number().positive().optional().describe("gamma shape; 1 is Poisson"),
    requests: z.number().int().nonnegative().optional(),
    durationS: z.number().positive().optional(),
    warmupRequests: z.number().int().nonnegative().optional(),
  })
  .strict();
export type Load = z.infer<typeof Load>;

/** Everything that defines a point's configuration. */
export const PointConfig = z
  .object({
    model: z.string().min(1).describe("catalog key (dsr1) or served model name"),
    modelId: z.string().optional().describe("Hugging Face id or path"),
    hardware: z.string().min(1).describe("catalog GPU key (h200, b200, ...)"),
    hardwareLabel: z.string().optional().describe("original hardware or runner label"),
    framework: z.string().min(1),
    frameworkVersion: z.string().optional(),
    image: z.string().optional(),
    precision: Precision,
    kvCacheDtype: z.string().optional(),
    specDecoding: SpecDecoding.default({ method: "none" }),
    topology: Topology,
    workload: Workload,
    load: Load,
  })
  .strict();
export type PointConfig = z.infer<typeof PointConfig>;

/** The metrics of one point (METRICS.md). Times in seconds, throughput in tokens/s, interactivity in tokens/s/user. */
export const PointMetrics = z
  .object({
    completed: z.number().int().nonnegative().optional(),
    durationS: z.number().nonnegative().optional(),
    inputTokens: z.number().nonnegative().optional(),
    outputTokens: z.number().nonnegative().optional(),
    requestThroughput: z.number().nonnegative().optional(),
    inputThroughput: z.number().nonnegative().optional(),
    outputThroughput: z.number().nonnegative().optional(),
    totalThroughput: z.number().nonnegative().optional(),
    tputPerGpu: z.number().nonnegative().optional().describe("total tokens/s / all GPUs"),
    inputTputPerGpu: z.number().nonnegative().optional().describe("input tokens/s / prefill GPUs"),
    outputTputPerGpu: z.number().nonnegative().optional().describe("output tokens/s / decode GPUs"),
    ttft: Stats.optional(),
    tpot: Stats.optional(),
    itl: Stats.optional(),
    itlTokenWeighted: Stats.optional().describe("each gap divided by the tokens its event carried"),
    e2el: Stats.optional(),
    intvty: Stats.optional().describe("InferenceX convention: X_intvty = 1 / X_tpot"),
    perRequestIntvty: Stats.optional().describe("distribution of 1 / TPOT_i"),
    queueDelay: Stats.optional(),
    goodput: z
      .object({
        requestsPerS: z.number().nonnegative(),
        fraction: z.number().min(0).max(1),
        slo: z
          .object({
            ttftS: z.number().optional(),
            tpotS: z.number().optional(),
            e2elS: z.number().optional(),
          })
          .strict(),
      })
      .strict()
      .optional(),
    outputTokensSource: z.record(z.string(), z.number().int().nonnegative()).optional(),
    usageTokenizerDiff: z
      .number()
      .optional()
      .describe("sum of (usage - re-tokenized) output tokens over requests that have both"),
    cachedPromptTokens: z.number().nonnegative().optional(),
  })
  .strict();
export type PointMetrics = z.infer<typeof PointMetrics>;

export const PowerSample = z
  .object({
    t: z.number().describe("ms on the run's monotonic clock"),
    gpu: z.number().int().nonnegative(),
    watts: z.number(),
  })
  .strict();
export type PowerSample = z.infer<typeof PowerSample>;

export const Energy = z
  .object({
    kind: z
      .enum(["measured", "reported"])
      .describe("measured by infermark, or reported by the source of an import"),
    sampler: z.string().optional(),
    energyJ: z.number().nonnegative().optional(),
    avgPowerW: z.number().nonnegative().optional().describe("average power per GPU"),
    jPerTotalToken: z.number().nonnegative().optional(),
    jPerInputToken: z.number().nonnegative().optional(),
    jPerOutputToken: z.number().nonnegative().optional(),
    valid: z.boolean(),
    reasons: z.array(z.string()).default([]),
    samples: z.array(PowerSample).optional(),
  })
  .strict();
export type Energy = z.infer<typeof Energy>;

export const ClientHealth = z
  .object({
    eventLoopDelayP99Ms: z.number().nonnegative().optional(),
    eventLoopDelayMaxMs: z.number().nonnegative().optional(),
    sendLagP99Ms: z.number().nonnegative().optional(),
    sendLagMaxMs: z.number().nonnegative().optional(),
    saturated: z.boolean().default(false),
    workers: z.number().int().positive().optional(),
    loopUtilization: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("highest event-loop busy share of a thread that stamps reads"),
  })
  .strict();
export type ClientHealth = z.infer<typeof ClientHealth>;

/** One measured (or simulated, or imported) point: the durable contract of infermark. */
export const PointResult = z
  .object({
    schema: z.literal(POINT_SCHEMA_ID),
    run: RunInfo,
    config: PointConfig,
    metrics: PointMetrics.default({}),
    errors: z
      .object({
        total: z.number().int().nonnegative(),
        requests: z
          .number()
          .int()
          .nonnegative()
          .describe("measured requests, completed and failed"),
        rate: z.number().min(0).max(1),
        byCategory: z.partialRecord(ErrorCategory, z.number().int().nonnegative()).default({}),
        samples: z.array(z.string()).optional().describe("a few error messages, secrets redacted"),
      })
      .strict()
      .default({ total: 0, requests: 0, rate: 0, byCategory: {} }),
    validity: z.object({ valid: z.boolean(), reasons: z.array(z.string()).default([]) }).strict(),
    incomplete: z
      .boolean()
      .optional()
      .describe("the level was interrupted (Ctrl-C) before its bound"),
    energy: Energy.optional(),
    serverMetrics: z
      .object({
        before: z.record(z.string(), z.number()).optional(),
        after: z.record(z.string(), z.number()).optional(),
        delta: z.record(z.string(), z.number()).optional(),
      })
      .strict()
      .optional(),
    client: ClientHealth.optional(),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type PointResult = z.infer<typeof PointResult>;
export type PointResultInput = z.input<typeof PointResult>;

/**
 * PointResult with the keys of every object of a parsed point in sorted order: the same checks and messages,
 * and `JSON.stringify` of a point it parsed is the point's canonical JSON (what the store hashes and keeps),
 * which the store then writes at native speed. For ingesting; files and documentation use PointResult. Marked
 * pure, so a bundle that does not use it (the dashboard) leaves out the few ms of building it.
 */
export const CanonicalPointResult = /* @__PURE__ */ withSortedKeys(PointResult);
