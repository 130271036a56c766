import {
  BENCH_OPTION_KEYS,
  type BenchOptions,
  DEFAULT_HEALTH_BOUNDS,
  type HealthBounds,
} from "@infermark/bench";
import type { Slo } from "@infermark/core";
import { z } from "zod";

/** BenchOptions the sweep sets for every point, with where a spec sets them instead. */
export const SET_BY_THE_SWEEP = {
  baseUrl: "the server recipe",
  model: "modelId and the server's /v1/models",
  workload: "scenarios[].workload (random, multi-turn, sharegpt, jsonl or trace)",
  dataset: "scenarios[].dataset (sharegpt, jsonl, multi-turn or trace)",
  traceBlockSize: "scenarios[].blockSize (trace)",
  traceSpeedup: "scenarios[].speedups (trace)",
  turns: "scenarios[].turns (multi-turn)",
  thinkTimeMs: "scenarios[].thinkTimeMs (multi-turn)",
  thinkTime: "scenarios[].thinkTime (multi-turn)",
  isl: "scenarios[].isl",
  osl: "scenarios[].osl",
  rangeRatio: "scenarios[].rangeRatio",
  concurrency: "search.concurrency",
  rate: "search.concurrency (closed-loop levels)",
  maxConcurrency: "search.concurrency (closed-loop levels), or scenarios[].maxConcurrency (trace)",
  arrival: "search.concurrency (closed-loop levels)",
  burstiness: "search.concurrency (closed-loop levels)",
  numRequests: "limits.requests or limits.requestsPerConcurrency (a trace: its records)",
  durationS: "limits.durationS",
  warmup: "limits.warmupPerConcurrency",
  timeoutS: "limits.requestTimeoutS",
  waitReadyS: "readiness.timeoutS (the sweep waits for each server it starts, or for the endpoint)",
  telemetry: "the spec's power (or --power) and gpuIds; the server's /metrics are always read",
  config: "the plan",
  run: "the sweep's provenance",
  secrets:
    "the environment, server.env and the server's command (the values hidden in every record)",
} as const satisfies Partial<Record<keyof BenchOptions, string>>;

/**
 * A BenchOptions key that a spec's `bench` block may hold: not one the sweep sets, nor the API key, which a spec file
 * would commit (`bench.apiKeyEnv` names the environment variable that holds it instead).
 */
export type SpecBenchKey = Exclude<keyof BenchOptions, keyof typeof SET_BY_THE_SWEEP | "apiKey">;

/** A key of a spec's `bench` block: a BenchOptions key, or `apiKeyEnv` (as `infermark bench --api-key-env`). */
export type SpecBenchOption = SpecBenchKey | "apiKeyEnv";

/** The keys a spec's `bench` block may hold, in the load generator's order (`apiKeyEnv` where its `apiKey` is). */
export const SPEC_BENCH_KEYS: readonly SpecBenchOption[] = BENCH_OPTION_KEYS.flatMap(
  (k): SpecBenchOption[] =>
    k === "apiKey" ? ["apiKeyEnv"] : k in SET_BY_THE_SWEEP ? [] : [k as SpecBenchKey],
);

const slo = {
  ttftS: z.number(),
  tpotS: z.number(),
  e2elS: z.number(),
} satisfies Record<keyof Slo, z.ZodNumber>;
const healthBounds = Object.fromEntries(
  Object.keys(DEFAULT_HEALTH_BOUNDS).map((k) => [k, z.number()]),
) as Record<keyof HealthBounds, z.ZodNumber>;

/** A mapping of these keys, each optional; an unknown key is refused with the known ones. */
const mapping = <S extends Record<string, z.ZodType>>(shape: S) =>
  z
    .strictObject(shape, {
      error: (issue) =>
        issue.code === "unrecognized_keys" ? `known: ${Object.keys(shape).join(", ")}` : undefined,
    })
    .partial();

/**
 * The type of each key a spec's `bench` block may hold, as the load generator's BenchOptions declares it (the
 * compiler holds the two together: below). Values are checked further (names, ranges) by the load generator
 * when it resolves them.
 */
const FIELDS = {
  api: z.string(),
  backend: z.string(),
  prefixLength: z.number(),
  seed: z.number(),
  tokenizer: z.string(),
  tokenIds: z.boolean(),
  useChatTemplate: z.boolean(),
  stream: z.boolean(),
  fixedOutput: z.boolean(),
  headers: z.record(z.string(), z.string()),
  extraBody: z.record(z.string(), z.unknown()),
  apiKeyEnv: z.string(),
  metadata: z.record(z.string(), z.string()),
  workers: z.union([z.number(), z.literal("auto")], { error: 'a number or "auto"' }),
  transport: z.string(),
  drainTimeoutS: z.number(),
  preflight: z.boolean(),
  timeScale: z.union([z.number(), z.literal("auto")], { error: 'a number or "auto"' }),
  slo: mapping(slo),
  healthBounds: mapping(healthBounds),
} satisfies Record<SpecBenchOption, z.ZodType>;

// A key whose schema would refuse a value that BenchOptions allows fails to compile here, naming the key.
type Refused = {
  [K in SpecBenchKey]: [NonNullable<BenchOptions[K]>] extends [z.input<(typeof FIELDS)[K]>]
    ? never
    : K;
}[SpecBenchKey];
const everyBenchValueAccepted: [Refused] extends [never] ? true : Refused = true;
void everyBenchValueAccepted;

/**
 * A spec's `bench` block, typed: every key optional, each value of the type BenchOptions gives it.
 * @example SpecBenchOptions.safeParse({ stream: "no" }).success // false
 */
export const SpecBenchOptions = z.object(FIELDS).partial();
