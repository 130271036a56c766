import { z } from "zod";
import { Precision } from "./common.js";
import {
  atMost,
  type ConcurrencySpec,
  fmt,
  MAX_LIMIT_S,
  MAX_POINT_REQUESTS,
  MAX_SWEEP_CONCURRENCY,
  seconds,
} from "./sweep-bounds.js";
import { Scenario } from "./sweep-scenario.js";
import { SearchSpace } from "./sweep-search-space.js";
import { Readiness, ServerRecipe } from "./sweep-server.js";

export {
  ConcurrencySpec,
  MAX_LIMIT_S,
  MAX_POINT_REQUESTS,
  MAX_SWEEP_CONCURRENCY,
} from "./sweep-bounds.js";
export { DATASET_WORKLOADS, Scenario } from "./sweep-scenario.js";
export { type PoolSpace, SearchSpace, SpecDecodingOption } from "./sweep-search-space.js";
export { Readiness, ServerRecipe } from "./sweep-server.js";

export const PointLimits = z
  .object({
    requests: z
      .number()
      .int()
      .positive()
      .max(MAX_POINT_REQUESTS, atMost(MAX_POINT_REQUESTS, "requests a point"))
      .optional()
      .describe(
        "default 10 x concurrency; a trace point replays the first N records (default: all)",
      ),
    requestsPerConcurrency: z
      .number()
      .positive()
      .default(10)
      .describe(`x each concurrency level: its requests, at most ${fmt(MAX_POINT_REQUESTS)}`),
    warmupPerConcurrency: z
      .number()
      .nonnegative()
      .default(2)
      .describe(
        `x each concurrency level: its warm-up requests, at most ${fmt(MAX_POINT_REQUESTS)}`,
      ),
    durationS: seconds().optional(),
    requestTimeoutS: seconds().default(600),
    pointTimeoutS: seconds().default(3600),
    stopGraceS: z
      .number()
      .nonnegative()
      .max(MAX_LIMIT_S, atMost(MAX_LIMIT_S, "seconds"))
      .default(30)
      .describe("seconds between SIGTERM and SIGKILL when a server is stopped"),
  })
  .strict();

/** A declared sweep: what to measure and how to start what is measured. */
export const SweepSpec = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    model: z.string().min(1),
    modelId: z.string().optional().describe("served model name / Hugging Face id"),
    hardware: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe("catalog GPU key, or several: each is its own set of server configurations"),
    gpus: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("GPUs per server; default from the topology"),
    framework: z.string().min(1),
    image: z.string().optional(),
    precision: Precision,
    scenarios: z.array(Scenario).min(1),
    search: SearchSpace,
    server: ServerRecipe,
    readiness: Readiness.default({
      path: "/health",
      modelsPath: "/v1/models",
      timeoutS: 1800,
      intervalS: 2,
    }),
    limits: PointLimits.default({
      requestsPerConcurrency: 10,
      warmupPerConcurrency: 2,
      requestTimeoutS: 600,
      pointTimeoutS: 3600,
      stopGraceS: 30,
    }),
    bench: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("extra load-generator options (api, backend, ...)"),
    power: z.enum(["auto", "nvidia-smi", "amd-smi", "dcgm", "none"]).default("auto"),
    dcgmUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        "the dcgm-exporter metrics URL that power dcgm (and auto) reads; on several nodes of a Slurm job, each node's host in its place (default http://localhost:9400/metrics)",
      ),
    saveRequests: z
      .boolean()
      .optional()
      .describe(
        "keep each point's request records (<point>.requests.jsonl, stored with the point for the dashboard's run detail); about 40 KB per 1k-token request, off by default",
      ),
    executor: z
      .object({
        slurm: z
          .object({
            partition: z.string().optional(),
            account: z.string().optional(),
            nodes: z
              .number()
              .int()
              .positive()
              .optional()
              .describe(
                "nodes per job; default: as many as the configuration's GPUs need at gpusPerNode (or the GPUs a node of the partition offers as gres): 16 GPUs on nodes of 8 are 2; else 1",
              ),
            gpusPerNode: z.number().int().nonnegative().optional(),
            time: z.string().optional(),
            directives: z
              .array(z.string())
              .default([])
              .describe("extra #SBATCH lines, for example --qos=high or --constraint=h200"),
            setup: z
              .array(z.string())
              .default([])
              .describe(
                "shell lines run before the sweep in each job (module load, venv activate)",
              ),
            command: z
              .string()
              .optional()
              .describe("how to run infermark on the node; default: the command running now"),
            pollS: seconds().default(10).describe("seconds between squeue polls"),
          })
          .strict()
          .optional(),
        github: z
          .object({
            runsOn: z
              .array(z.string())
              .min(1)
              .default(["self-hosted", "gpu"])
              .describe("runner labels; {{hardware}} is replaced by each configuration's GPU"),
            timeoutMinutes: z.number().int().positive().default(360),
            workflow: z
              .string()
              .default(".github/workflows/infermark-sweep.yml")
              .describe("where `sweep --executor github` writes the workflow"),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const problem = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    const traces = spec.scenarios.flatMap((s, i) => (s.workload === "trace" ? [i] : []));
    const concurrency = spec.search.concurrency;
    if (concurrency === undefined && traces.length < spec.scenarios.length)
      problem(
        ["search", "concurrency"],
        "the concurrency levels, a list [4, 16, 64] or a range {from, to, factor}, are required (only a trace scenario goes without: its levels are its speedups)",
      );
    // no scenario at all is refused by itself, not as "every scenario is a trace"
    if (
      concurrency !== undefined &&
      spec.scenarios.length > 0 &&
      traces.length === spec.scenarios.length
    )
      problem(
        ["search", "concurrency"],
        "every scenario is a trace, whose load levels are its speedups (scenarios[].speedups): remove search.concurrency",
      );
    checkPointRequests(spec, problem);
    checkRepeats(spec, problem);
    // not a combination the search makes (as EP > TP is): this TP fits no server of the spec's GPUs
    const gpus = spec.gpus;
    // (a count that is no positive whole number is refused by itself)
    const whole = (n: number | undefined): n is number => Number.isInteger(n) && n! > 0;
    if (whole(gpus) && !spec.search.disaggregated)
      for (const [i, tp] of spec.search.tp.entries())
        if (whole(tp) && gpus % tp !== 0)
          problem(
            ["search", "tp", i],
            `tp ${tp} does not divide gpus ${gpus} (the GPUs of each server): give a TP that divides it, or leave gpus out (each server then has its TP's GPUs)`,
          );
    for (const [i, label] of (spec.executor?.github?.runsOn ?? []).entries())
      for (const [placeholder] of label.matchAll(/\{\{[^}]*\}\}/g))
        if (placeholder !== "{{hardware}}")
          problem(
            ["executor", "github", "runsOn", i],
            `unknown placeholder ${placeholder}; a runner label may hold {{hardware}} (each configuration's GPU)`,
          );
    for (const field of ["path", "modelsPath"] as const)
      if (!spec.readiness[field].startsWith("/"))
        problem(
          ["readiness", field],
          `a path on the server starts with "/": write ${JSON.stringify(`/${spec.readiness[field]}`)}, got ${JSON.stringify(spec.readiness[field])}`,
        );
    if (traces.length > 0 && spec.limits.durationS !== undefined)
      problem(
        ["limits", "durationS"],
        `scenarios[${traces[0]}] is a trace, replayed record by record, not for a duration: remove limits.durationS (limits.requests replays a trace's first N records)`,
      );
  });
export type SweepSpec = z.infer<typeof SweepSpec>;

/**
 * The request counts that `limits.requestsPerConcurrency` and `limits.warmupPerConcurrency` give the top
 * concurrency level (a range's `to` at most), each within MAX_POINT_REQUESTS: a per-level factor of 1e9 is a typo
 * that would plan points no run finishes.
 */
function checkPointRequests(
  spec: {
    search: { concurrency?: ConcurrencySpec | undefined };
    limits: z.infer<typeof PointLimits>;
  },
  problem: (path: string[], message: string) => void,
): void {
  const c = spec.search.concurrency;
  // an empty list is refused by itself
  if (c === undefined || (Array.isArray(c) && c.length === 0)) return;
  const top = Array.isArray(c) ? Math.max(...c) : c.to;
  // a level out of bounds is refused by itself
  if (!(top <= MAX_SWEEP_CONCURRENCY)) return;
  const { limits } = spec;
  const counts = [
    // a level bounded by its duration or by limits.requests sends no requestsPerConcurrency x concurrency
    ...(limits.requests === undefined && limits.durationS === undefined
      ? ([
          ["requestsPerConcurrency", Math.ceil(limits.requestsPerConcurrency * top), "requests"],
        ] as const)
      : []),
    [
      "warmupPerConcurrency",
      Math.round(limits.warmupPerConcurrency * top),
      "warm-up requests",
    ] as const,
  ];
  for (const [field, n, what] of counts)
    if (typeof limits[field] === "number" && !(n <= MAX_POINT_REQUESTS))
      problem(
        ["limits", field],
        `${limits[field]} x the top concurrency ${top} is ${Number.isFinite(n) ? fmt(n) : "too many"} ${what} a point, more than the ${fmt(MAX_POINT_REQUESTS)} one point may send; lower it${field === "requestsPerConcurrency" ? " or set limits.requests" : ""}`,
      );
}

/**
 * A value listed twice where each value is one set of server configurations (`hardware`, `search.tp`, ...) or one
 * load level (`search.concurrency`): the plan would hold the same server twice (same fingerprints, measured twice,
 * two matrix jobs), or silently drop the repeat, so it is most likely a typo (`[4, 8, 8]` for `[4, 8, 16]`).
 * Repeated scenarios and speculative decoding options, which compare with their defaults, are refused by the plan.
 */
function checkRepeats(
  spec: {
    hardware: string | string[];
    search: z.infer<typeof SearchSpace>;
  },
  problem: (path: (string | number)[], message: string) => void,
): void {
  const { search } = spec;
  const lists: [(string | number)[], readonly unknown[]][] = [
    [["hardware"], Array.isArray(spec.hardware) ? spec.hardware : []],
    [["search", "concurrency"], Array.isArray(search.concurrency) ? search.concurrency : []],
  ];
  if (search.disaggregated)
    for (const side of ["prefill", "decode"] as const)
      for (const field of ["workers", "tp", "ep", "dpAttention"] as const)
        lists.push([["search", "disaggregated", side, field], search.disaggregated[side][field]]);
  else
    for (const field of ["tp", "ep", "dpAttention"] as const)
      lists.push([["search", field], search[field]]);
  for (const [path, values] of lists) {
    // GPU keys are case-insensitive (H200 is h200)
    const key = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
    const seen = new Map<unknown, number>();
    for (const [i, value] of values.entries()) {
      const first = seen.get(key(value));
      if (first === undefined) {
        seen.set(key(value), i);
        continue;
      }
      const tail = path.at(-1) === "concurrency" ? " (or fix the level meant)" : "";
      problem(
        [...path, i],
        `${JSON.stringify(value)} is listed twice (also ${path.join(".")}[${first}]); remove the repeat${tail}`,
      );
      break;
    }
  }
}
export type SweepSpecInput = z.input<typeof SweepSpec>;
