import {
  measuredEnergy,
  measuredWindow,
  type PointResult,
  type PowerSample,
  type RequestRecord,
} from "@infermark/core";
import { serverRootPath } from "../client/request-body.js";
import { scrapeServerMetrics, serverMetricsDelta } from "../telemetry/server-metrics.js";
import type { PowerSampler } from "../telemetry/types.js";
import { scaleRecordTimes } from "./time-scale.js";

/** What a level measures beside its requests: the GPUs' power and the server's own metrics. */
export interface LevelTelemetry {
  /** Started before each level and stopped after it; the point's energy is integrated over its measured window. */
  sampler?: PowerSampler;
  /**
   * Which GPU ids (as the sampler numbers them) serve prefill and which decode: the point's energy is integrated over
   * these GPUs only and split by role. Undefined: every sampled GPU serves the point and does both.
   */
  gpuRoles?: { prefill: number[]; decode: number[] };
  /**
   * The server's GPU ids (as the sampler numbers them) when they are not all the node's and no `gpuRoles` split
   * them: the energy is integrated over these only, each doing both prefill and decode.
   */
  gpuIds?: number[];
  /** A Prometheus text endpoint (an engine's `/metrics`) scraped before and after each level. */
  metricsUrl?: string;
  /**
   * Headers sent with each scrape of `metricsUrl` (runBench sends the headers of its requests, authorization
   * included, to its own server's, never to another origin's).
   */
  metricsHeaders?: Record<string, string>;
}

/** What `withLevelTelemetry` caught around one level. */
export interface CapturedTelemetry {
  samples?: PowerSample[];
  samplerError?: string;
  before?: Record<string, number>;
  after?: Record<string, number>;
  /** Why the server's metrics were not read before or after the level (the point then has none). */
  metricsError?: string;
}

/**
 * Runs one level between the telemetry's start and stop: scrapes the server's metrics, starts the power sampler,
 * runs the level, stops the sampler and scrapes again. A sampler that cannot start (its tool died before its first
 * line; srun refused the step on a multi-node job) or stop costs the point its energy, not its measurement; a
 * server without metrics has none, and `metricsError` says why.
 * @example const { value, captured } = await withLevelTelemetry(t, () => runLevel(input));
 */
export async function withLevelTelemetry<T>(
  t: LevelTelemetry,
  run: () => Promise<T>,
): Promise<{ value: T; captured: CapturedTelemetry }> {
  const captured: CapturedTelemetry = {};
  const scrape = () =>
    t.metricsUrl
      ? scrapeServerMetrics(t.metricsUrl, undefined, t.metricsHeaders).catch((error: unknown) => {
          captured.metricsError = (error as Error).message;
          return undefined;
        })
      : undefined;
  captured.before = await scrape();
  const sampling = await t.sampler?.start().then(
    () => true,
    (error: unknown) => {
      captured.samplerError = (error as Error).message;
      return false;
    },
  );
  let value: T;
  try {
    value = await run();
  } finally {
    if (sampling)
      captured.samples = await t.sampler?.stop().catch((error: unknown) => {
        captured.samplerError = (error as Error).message;
        return undefined;
      });
  }
  if (captured.before) captured.after = await scrape();
  return { value, captured };
}

/**
 * Where an engine behind `baseUrl` exports its Prometheus metrics: `/metrics` at the server's root, but
 * `/prometheus/metrics` for trtllm-serve, whose `/metrics` answers its iteration statistics as JSON (and takes them
 * off its queue at each GET); its Prometheus endpoint is mounted with `return_perf_metrics: true` in the extra LLM API
 * options (tensorrt_llm/serve/openai_server.py), and without it answers 404, which the point records as the reason.
 * @example serverMetricsUrl("http://gpu-1:8000/v1") // "http://gpu-1:8000/metrics"
 * @example serverMetricsUrl("http://gpu-1:8000", "trtllm") // "http://gpu-1:8000/prometheus/metrics"
 */
export function serverMetricsUrl(baseUrl: string, backend?: string): string {
  const url = new URL(baseUrl);
  const path = backend === "trtllm" ? "/prometheus/metrics" : "/metrics";
  return `${url.origin}${serverRootPath(url.pathname)}${path}`;
}

/**
 * The point with what the telemetry caught: its measured energy (trapezoid rule over exactly the measured window of
 * `records`, taken on the wall clock: records scaled by `timeScale` are scaled back; the `gpuRoles` GPUs only when
 * given, split by role; invalid, with the reason, when the sampler failed or no request completed) and the server's
 * metrics over the level (`serverMetrics.before/after/delta`), or why they were not read (`extra.serverMetricsError`).
 * @example point = withTelemetryResults(point, records, 1, captured, telemetry);
 */
export function withTelemetryResults(
  point: PointResult,
  records: readonly RequestRecord[],
  timeScale: number,
  captured: CapturedTelemetry,
  t: LevelTelemetry,
): PointResult {
  const result: PointResult = { ...point };
  const { sampler, gpuRoles: roles } = t;
  // power samples are on the wall clock: the window is taken from the records as measured, before scaling
  const window = measuredWindow(scaleRecordTimes([...records], 1 / timeScale));
  if (sampler && captured.samples && window) {
    // the server's GPUs only, when they are named: the node's others serve something else (or nothing)
    const named = roles ? [...roles.prefill, ...roles.decode] : t.gpuIds;
    const ids = named && new Set(named);
    const own = ids ? captured.samples.filter((sample) => ids.has(sample.gpu)) : captured.samples;
    result.energy = {
      ...measuredEnergy({
        samples: own,
        window,
        gpus: point.config.topology.gpus,
        tokens: {
          input: point.metrics.inputTokens ?? 0,
          output: point.metrics.outputTokens ?? 0,
        },
        ...(roles ? { roles } : {}),
        sampler: sampler.kind,
      }),
      samples: own,
    };
  } else if (sampler) {
    result.energy = {
      kind: "measured",
      sampler: sampler.kind,
      valid: false,
      reasons: [
        captured.samples
          ? "no measured window (no completed request)"
          : `the power sampler failed${captured.samplerError ? `: ${captured.samplerError}` : ""}`,
      ],
    };
  }
  if (captured.before && captured.after)
    result.serverMetrics = serverMetricsDelta(captured.before, captured.after);
  else if (t.metricsUrl && captured.metricsError)
    result.extra = { ...result.extra, serverMetricsError: captured.metricsError };
  return result;
}
