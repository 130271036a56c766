import type { Load } from "../schemas/point-result.js";
import type { Scenario, SweepSpec } from "../schemas/sweep-spec.js";
import type { ScenarioDataset } from "./types.js";

/** One load level of a server configuration, as its point is named, recorded and fingerprinted. */
export interface PointLoad {
  /** The point name's last part: `c64`, or a trace's speedup `x2`. */
  suffix: string;
  concurrency?: number;
  speedup?: number;
  requests: number;
  warmupRequests: number;
  load: Load;
  /** What the level adds to its server configuration's definition in the point's fingerprint. */
  definition: Record<string, unknown>;
}

/**
 * The closed-loop levels of a server configuration: each concurrency with `limits.requests` (else
 * `requestsPerConcurrency` x concurrency) measured requests after `warmupPerConcurrency` x concurrency warm-up ones,
 * or for `limits.durationS`.
 */
export function concurrencyLoads(spec: SweepSpec, levels: readonly number[]): PointLoad[] {
  const { limits } = spec;
  return levels.map((concurrency) => {
    const requests = limits.requests ?? Math.ceil(limits.requestsPerConcurrency * concurrency);
    const warmupRequests = Math.round(limits.warmupPerConcurrency * concurrency);
    return {
      suffix: `c${concurrency}`,
      concurrency,
      requests,
      warmupRequests,
      load: {
        mode: "concurrency",
        concurrency,
        requests,
        warmupRequests,
        ...(limits.durationS !== undefined ? { durationS: limits.durationS } : {}),
      },
      // as points were always fingerprinted
      definition: { concurrency, requests, warmupRequests, durationS: limits.durationS },
    };
  });
}

/** A trace scenario's speedups, distinct and ascending; `[1]` (as recorded) by default. */
export function traceSpeedups(scenario: Scenario): number[] {
  return [...new Set(scenario.speedups ?? [1])].sort((a, b) => a - b);
}

/**
 * The levels of a trace scenario: one replay at each speedup of its first `limits.requests` records (all of them
 * by default, or when the trace holds fewer), without warm-up, at most `maxConcurrency` in flight when capped.
 * @example traceLoads(spec, { workload: "trace", dataset: "t.jsonl", speedups: [1, 2] }, dataset).map((l) => l.suffix) // ["x1", "x2"]
 */
export function traceLoads(
  spec: SweepSpec,
  scenario: Scenario,
  dataset: ScenarioDataset,
): PointLoad[] {
  const requests = Math.min(spec.limits.requests ?? dataset.requests, dataset.requests);
  const cap = scenario.maxConcurrency;
  return traceSpeedups(scenario).map((speedup) => ({
    suffix: `x${speedup}`,
    ...(cap !== undefined ? { concurrency: cap } : {}),
    speedup,
    requests,
    warmupRequests: 0,
    load: {
      mode: "trace",
      ...(cap !== undefined ? { concurrency: cap } : {}),
      requests,
      warmupRequests: 0,
    },
    definition: { speedup, requests, warmupRequests: 0 },
  }));
}
