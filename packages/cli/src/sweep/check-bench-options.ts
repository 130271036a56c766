import {
  BENCH_OPTION_KEYS,
  BenchOptionError,
  type BenchOptions,
  resolveBenchOptions,
} from "@infermark/bench";
import { PlanError, type SweepPlan } from "@infermark/core";
import { benchOptionsFor } from "./measure-point.js";

/** BenchOptions the sweep sets for every point, with where a spec sets them instead. */
const SET_BY_THE_SWEEP: Partial<Record<keyof BenchOptions, string>> = {
  baseUrl: "the server recipe",
  model: "modelId and the server's /v1/models",
  workload: "the random workload of scenarios",
  dataset: "the random workload of scenarios",
  isl: "scenarios[].isl",
  osl: "scenarios[].osl",
  rangeRatio: "scenarios[].rangeRatio",
  concurrency: "search.concurrency",
  rate: "search.concurrency (closed-loop levels)",
  maxConcurrency: "search.concurrency (closed-loop levels)",
  arrival: "search.concurrency (closed-loop levels)",
  burstiness: "search.concurrency (closed-loop levels)",
  numRequests: "limits.requests or limits.requestsPerConcurrency",
  durationS: "limits.durationS",
  warmup: "limits.warmupPerConcurrency",
  timeoutS: "limits.requestTimeoutS",
  config: "the plan",
  run: "the sweep's provenance",
};

/** The keys a spec's `bench` block may hold. */
export const SPEC_BENCH_KEYS: readonly string[] = BENCH_OPTION_KEYS.filter(
  (k) => !(k in SET_BY_THE_SWEEP),
);

/** `--api expects ...` → `bench.api expects ...`: the load generator names its flags, a spec names its keys. */
function asSpecKeys(message: string): string {
  const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const renamed = message.replace(/--([a-z][a-z-]*)/g, (flag, name: string) =>
    (BENCH_OPTION_KEYS as readonly string[]).includes(camel(name)) ? `bench.${camel(name)}` : flag,
  );
  const key = /^(\w+):/.exec(renamed)?.[1];
  if (renamed.startsWith("bench.")) return renamed;
  return key && (BENCH_OPTION_KEYS as readonly string[]).includes(key)
    ? `bench.${renamed}`
    : `bench: ${renamed}`;
}

/**
 * Checks a spec's `bench` block at plan time, with the load generator's own checks, so a typo fails before any
 * server starts instead of failing every point: unknown keys (listed with the known ones), keys the sweep sets
 * itself, and values the load generator refuses.
 * @example checkBenchOptions(planSweep(spec)) // throws PlanError("bench.api expects completions or chat, got \"chatt\"")
 */
export function checkBenchOptions(plan: SweepPlan): void {
  const bench = plan.spec.bench;
  if (!bench) return;
  const keys = Object.keys(bench);
  const owned = keys.filter((k) => k in SET_BY_THE_SWEEP);
  if (owned.length > 0) {
    const from = owned.map((k) => `${k} from ${SET_BY_THE_SWEEP[k as keyof BenchOptions]}`);
    throw new PlanError(
      `bench: the sweep sets ${from.join(", ")}; remove ${owned.length > 1 ? "them" : "it"} from bench`,
    );
  }
  const unknown = keys.filter((k) => !SPEC_BENCH_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new PlanError(
      `bench: unknown option${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}; known: ${SPEC_BENCH_KEYS.join(", ")}`,
    );
  }
  const baseUrl =
    plan.spec.server.kind === "external" ? plan.spec.server.baseUrl : "http://127.0.0.1:8000";
  const model = plan.spec.modelId ?? plan.spec.model;
  // one point per server: what the load generator checks depends on the scenario, not on the level
  for (const server of plan.servers) {
    const point = server.points[0]!;
    try {
      resolveBenchOptions(
        benchOptionsFor({
          spec: plan.spec,
          server,
          point,
          baseUrl,
          ready: { models: [model], modelsBody: undefined },
        }),
      );
    } catch (error) {
      if (!(error instanceof BenchOptionError)) throw error;
      throw new PlanError(asSpecKeys(error.message), { cause: error });
    }
  }
}
