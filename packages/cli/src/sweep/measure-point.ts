import {
  BACKEND_NAMES,
  type BenchOptions,
  type LevelTelemetry,
  type PowerSampler,
  reportedSpeed,
  runBench,
  serverMetricsUrl,
} from "@infermark/bench";
import {
  fingerprint,
  type PlannedPoint,
  type PlannedServer,
  type PointResult,
  PointResult as PointResultSchema,
  parseOrThrow,
  type RequestRecord,
  type SweepSpec,
  type Workload,
} from "@infermark/core";
import { TOOL_VERSION } from "../version.js";
import type { Provenance } from "./provenance.js";
import type { ReadyInfo } from "./readiness.js";

/** Everything one level's measurement needs. */
export interface MeasurePointInput {
  spec: SweepSpec;
  specFingerprint: string;
  server: PlannedServer;
  point: PlannedPoint;
  baseUrl: string;
  ready: ReadyInfo;
  /** The server command as recorded (secrets redacted). */
  command?: string;
  provenance: Provenance;
  runId: string;
  /** The API key to send (`readSweepApiKey`: read from the environment, never from the spec). */
  apiKey?: string;
  /**
   * The headers to send, the spec's `bench.headers` as the environment completes them (`readSpecHeaders`); without
   * it, the spec's as written (a plan's checks).
   */
  headers?: Readonly<Record<string, string>>;
  /**
   * The sweep's secrets (`RunningServer.secrets`: its environment's, `server.env`'s, the server command's), hidden
   * by value in what the load generator records of the server's answers (error bodies in the PointResult's samples
   * and the request records), as its own API key and headers are.
   */
  secrets?: readonly string[];
  sampler?: PowerSampler;
  /** Relative path of the server log from the result file. */
  serverLog?: string;
  signal?: AbortSignal;
  /**
   * How many times the point was measured before (`measureAttempts`): 0 the first time; a re-measure draws new
   * prompts from it (`pointSeed`) and records it as `extra.sweep.attempt`. @default 0
   */
  attempt?: number;
  /** Called when the server's `/metrics` could not be read over the point, with why (secrets redacted). */
  onServerMetricsError?: (reason: string) => void;
}

/** What a point's load-generator options depend on: the spec, the point and where its server answers. */
export type BenchOptionsInput = Pick<
  MeasurePointInput,
  "spec" | "server" | "point" | "baseUrl" | "apiKey" | "headers" | "secrets" | "attempt"
> & {
  ready: Pick<ReadyInfo, "models" | "modelsBody">;
};

/**
 * How many times faster than the wall clock the server runs: a simulator recipe's speed as the server reports it
 * in `/v1/models` (else as configured), 1 for any other recipe.
 */
export function serverSpeed(spec: SweepSpec, modelsBody: unknown): number {
  return spec.server.kind === "simulator" ? (reportedSpeed(modelsBody) ?? spec.server.speed) : 1;
}

/**
 * The load generator's workload options for a planned server's workload: random requests, multi-turn sessions, a
 * dataset file's requests (sharegpt, jsonl) or conversations (multi-turn), with the scenario's fixed output
 * length and turn limit when it sets them, or a trace (its block size; the point gives its speedup).
 */
function workloadOptions(server: PlannedServer, workload: Workload): Partial<BenchOptions> {
  const { scenario, dataset } = server;
  if (dataset && scenario.workload === "trace")
    return { workload: "trace", dataset: dataset.path, traceBlockSize: dataset.blockSize };
  if (dataset) {
    const sessions = scenario.workload === "multi-turn";
    return {
      workload: sessions ? "multi-turn" : scenario.workload === "jsonl" ? "jsonl" : "sharegpt",
      dataset: dataset.path,
      ...(scenario.osl !== undefined ? { osl: scenario.osl } : {}),
      ...(sessions
        ? {
            ...(scenario.turns !== undefined ? { turns: scenario.turns } : {}),
            thinkTimeMs: workload.thinkTimeMs,
            thinkTime: workload.thinkTime,
          }
        : {}),
    };
  }
  const lengths = {
    isl: workload.isl,
    osl: workload.osl,
    ...(workload.rangeRatio !== undefined ? { rangeRatio: workload.rangeRatio } : {}),
  };
  if (workload.kind !== "session") return { workload: "random", ...lengths };
  return {
    workload: "multi-turn",
    ...lengths,
    turns: workload.turns,
    thinkTimeMs: workload.thinkTimeMs,
    thinkTime: workload.thinkTime,
    prefixLength: workload.prefixLength,
  };
}

/**
 * The seed of a point's prompts: `bench.seed` (default 0) plus a hash of what sets the point's prompts apart (its
 * workload as recorded, less any seed: kind, lengths, range ratio, turns, prefix, dataset; and its concurrency or a
 * trace's speedup), of its server configuration too against an external server, and of `attempt` after the first.
 * Each point is its own load-generator run, and the points of a server share the server: from one seed every level
 * would send the same prompts, and the prefix cache the first level left would serve the next (against the
 * simulator, a concurrency-2 point after a concurrency-1 one found 448 of each 512 prompt tokens cached). An external
 * server is one warm server for every configuration: from a seed of the concurrency alone, two scenarios of one ISL
 * would send the same prompts (lengths are drawn before tokens), and the second be answered from the cache. A
 * re-measure of a point (`attempt` 1, 2, ...) draws new prompts, where the warm server cached the earlier ones.
 * Configurations with servers of their own that differ in hardware or topology alone send the same prompts, so they
 * compare on the same requests. The same point and attempt give the same seed on every plan; the seed enters no
 * fingerprint. A dataset's texts are the file's: only their order follows the seed; a trace's prompts share blocks
 * as its hash ids say.
 * @example pointSeed(spec, plan.points[0]) // bench.seed + a 31-bit hash of the point's workload and concurrency
 */
export function pointSeed(
  spec: Pick<SweepSpec, "bench" | "server">,
  point: Pick<PlannedPoint, "concurrency" | "speedup" | "config" | "serverKey">,
  attempt = 0,
): number {
  const base = spec.bench?.seed;
  const { seed: _recorded, ...workload } = point.config.workload;
  const drawn = fingerprint({
    workload,
    concurrency: point.concurrency,
    speedup: point.speedup,
    ...(spec.server.kind === "external" ? { server: point.serverKey } : {}),
    ...(attempt > 0 ? { attempt } : {}),
  });
  // 31 bits: the load generator's generators take a 32-bit seed, and bench.seed + this stays an exact integer
  return (typeof base === "number" ? base : 0) + (Number.parseInt(drawn.slice(0, 8), 16) >>> 1);
}

/**
 * The load level of one point: its concurrency, with its request count or duration and warm-up; or a trace's
 * speedup, with its cap, its records (the first `requests`), no warm-up and the speedup's own seed.
 */
function loadOptions(spec: SweepSpec, point: PlannedPoint, attempt = 0): Partial<BenchOptions> {
  const seed = pointSeed(spec, point, attempt);
  const counts = { numRequests: point.requests, warmup: point.warmupRequests };
  if (point.speedup !== undefined)
    return {
      traceSpeedup: point.speedup,
      ...(point.concurrency !== undefined ? { maxConcurrency: point.concurrency } : {}),
      ...counts,
      seed,
    };
  return {
    concurrency: [point.concurrency!],
    seed,
    // a level is bounded by its duration or by its request count, never both
    ...(spec.limits.durationS !== undefined
      ? { durationS: spec.limits.durationS, warmup: point.warmupRequests }
      : counts),
  };
}

/**
 * The load-generator options of one point: the spec's `bench` options under the point's fixed parameters, with the
 * API key given (`bench.apiKeyEnv` only names the variable it was read from), the headers as sent and the sweep's
 * secrets to hide, when given.
 */
export function benchOptionsFor(input: BenchOptionsInput): BenchOptions {
  const { spec, point } = input;
  // a key is never the spec's (the plan refuses one there)
  const {
    apiKeyEnv: _variable,
    apiKey: _written,
    ...extra
  } = (spec.bench ?? {}) as Partial<BenchOptions> & { apiKeyEnv?: unknown };
  const framework = spec.framework.toLowerCase();
  const backend =
    extra.backend ??
    ((BACKEND_NAMES as readonly string[]).includes(framework) ? framework : "vllm");
  return {
    ...extra,
    ...(input.apiKey ? { apiKey: input.apiKey } : {}),
    ...(input.headers ? { headers: { ...input.headers } } : {}),
    ...(input.secrets?.length ? { secrets: [...input.secrets] } : {}),
    baseUrl: input.baseUrl,
    model:
      spec.modelId && input.ready.models.includes(spec.modelId)
        ? spec.modelId
        : input.ready.models[0]!,
    backend,
    ...workloadOptions(input.server, point.config.workload),
    ...loadOptions(spec, point, input.attempt),
    timeoutS: spec.limits.requestTimeoutS,
    // the load generator scales a simulator's times back to its engine's, once (a spec's own timeScale wins)
    timeScale: extra.timeScale ?? serverSpeed(spec, input.ready.modelsBody),
    // the per-GPU metrics divide by the configuration's GPUs
    config: {
      gpus: point.config.topology.gpus,
      prefillGpus: point.config.topology.prefillGpus,
      decodeGpus: point.config.topology.decodeGpus,
    },
  };
}

/**
 * Which GPU ids serve prefill and which decode, when the spec names them (`search.disaggregated.*.gpuIds`) for a
 * disaggregated server; undefined otherwise (every sampled GPU does both).
 */
export function gpuRoles(
  spec: SweepSpec,
  server: Pick<PlannedServer, "topology">,
): { prefill: number[]; decode: number[] } | undefined {
  const pools = spec.search.disaggregated;
  const prefill = pools?.prefill.gpuIds;
  const decode = pools?.decode.gpuIds;
  if (!server.topology.disaggregated || !prefill || !decode) return undefined;
  return { prefill: [...prefill], decode: [...decode] };
}

/** A measured point: its PointResult and the request records it was aggregated from. */
export interface MeasuredPoint {
  result: PointResult;
  /** Every request of the level (warm-up included), on the same clock as the result's metrics. */
  records: RequestRecord[];
}

/**
 * Measures one point on a ready server: scrapes `/metrics`, starts the power sampler, runs the load generator at
 * the point's concurrency, stops the sampler, scrapes again, and returns the PointResult with the sweep's
 * provenance, measured energy over exactly the measured window, and the server metrics of the level, with the
 * level's request records.
 */
export async function measurePoint(input: MeasurePointInput): Promise<MeasuredPoint> {
  const { spec, point, server } = input;
  const timeout = AbortSignal.timeout(spec.limits.pointTimeoutS * 1000);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  const roles = gpuRoles(spec, server);
  // the level's power (the spec's GPUs only, when it names them) and the server's metrics before and after it
  const options = benchOptionsFor(input);
  const telemetry: LevelTelemetry = {
    metricsUrl: serverMetricsUrl(input.baseUrl, options.backend),
    ...(input.sampler ? { sampler: input.sampler } : {}),
    ...(roles ? { gpuRoles: roles } : {}),
  };
  const { levels, timeScale } = await runBench(
    { ...options, telemetry },
    {
      signal,
      cancelSignal: timeout,
      // each point records why in extra.serverMetricsError; the caller says it once per server configuration
      ...(input.onServerMetricsError
        ? {
            onServerMetricsError: (_label: string, reason: string) =>
              input.onServerMetricsError!(reason),
          }
        : {}),
    },
  );
  const level = levels[0];
  if (!level)
    throw new Error("the load generator returned no level (interrupted before it started)");

  const measured = level.point;
  const recipe = spec.server;
  const simulator = recipe.kind === "simulator";
  const result: PointResult = {
    ...measured,
    run: {
      ...measured.run,
      source: simulator ? "simulated" : "measured",
      toolVersion: TOOL_VERSION,
      ...(input.provenance.gitSha ? { gitSha: input.provenance.gitSha } : {}),
      ...(input.provenance.ciUrl ? { ciUrl: input.provenance.ciUrl } : {}),
      host: input.provenance.host,
      runId: input.runId,
      specFingerprint: point.fingerprint,
      pointName: point.name,
      ...(input.command ? { serverCommand: input.command } : {}),
      ...(recipe.kind === "simulator"
        ? {
            simulator: {
              ...(recipe.options ?? {}),
              speed: recipe.speed,
              served: input.ready.modelsBody,
            },
          }
        : {}),
    },
    config: {
      ...point.config,
      ...(input.ready.frameworkVersion ? { frameworkVersion: input.ready.frameworkVersion } : {}),
      workload: { ...measured.config.workload, ...point.config.workload },
      load: measured.config.load,
    },
    extra: {
      ...measured.extra,
      sweep: {
        name: spec.name,
        specFingerprint: input.specFingerprint,
        server: server.name,
        serverKey: server.key,
        ...(input.serverLog ? { serverLog: input.serverLog } : {}),
      },
    },
  };
  // the load generator has scaled the records and metrics to the simulated engine's time
  if (timeScale !== 1) (result.extra!.sweep as Record<string, unknown>).timeScale = timeScale;
  // what the next re-measure of the point counts on (its seed moves on from it)
  if (input.attempt) (result.extra!.sweep as Record<string, unknown>).attempt = input.attempt;
  if (timeout.aborted) {
    result.incomplete = true;
    result.validity = {
      valid: false,
      reasons: [
        ...result.validity.reasons,
        `point timeout of ${spec.limits.pointTimeoutS} s reached`,
      ],
    };
  }
  if (roles && input.sampler) (result.extra!.sweep as Record<string, unknown>).gpuRoles = roles;
  return {
    result: parseOrThrow(PointResultSchema, result, `PointResult of ${point.name}`),
    records: level.records,
  };
}
