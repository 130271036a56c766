import { z } from "zod";
import { Precision } from "./common.js";

const intList = z.array(z.number().int().positive()).min(1);

/**
 * The most requests (or sessions) in flight a load level may hold: far past what one client machine drives (a
 * typo such as `1e12` would otherwise plan a point of 10^13 requests).
 */
export const MAX_SWEEP_CONCURRENCY = 1_000_000;
/** The most measured (or warm-up) requests one point may send: the default 10 per request in flight at the top level. */
export const MAX_POINT_REQUESTS = 10 * MAX_SWEEP_CONCURRENCY;
/** The most seconds a time limit may hold: Node's timers hold at most 2^31 - 1 ms (24.8 days; past it they fire at once). */
export const MAX_LIMIT_S = 2_147_483;

const fmt = (n: number) => n.toLocaleString("en-US");
/** A bound's message: `at most 1,000,000 requests in flight, got 1000000000000`. */
const atMost = (max: number, what: string) => ({
  error: (issue: { input?: unknown }) =>
    `at most ${fmt(max)} ${what}, got ${JSON.stringify(issue.input)}`,
});
const concurrencyLevel = z
  .number()
  .int()
  .positive()
  .max(MAX_SWEEP_CONCURRENCY, atMost(MAX_SWEEP_CONCURRENCY, "requests in flight"));
/** Seconds of a time limit, bounded by what a timer holds. */
const seconds = () => z.number().positive().max(MAX_LIMIT_S, atMost(MAX_LIMIT_S, "seconds"));

/**
 * What is wrong in a concurrency spec that neither form takes, from the form its value has (a list or a range), so
 * the user reads that `1.5` is not a whole number rather than zod's bare "Invalid input" for a failed union.
 */
function concurrencyProblem(issue: {
  input?: unknown;
  errors?: readonly (readonly ZodIssueLike[])[];
}) {
  const { input } = issue;
  if (Array.isArray(input)) {
    const at = issue.errors?.[0]?.[0]?.path?.[0];
    if (typeof at === "number")
      return `[${at}] expects a whole number from 1 to ${fmt(MAX_SWEEP_CONCURRENCY)}, got ${JSON.stringify(input[at])}`;
  } else if (typeof input === "object" && input !== null) {
    const first = issue.errors?.[1]?.[0];
    if (first)
      return `${first.path?.length ? `${first.path.join(".")}: ` : ""}${first.message} (a range is {from, to, factor})`;
  }
  return `expects a list [4, 16, 64] or a range {from, to, factor}, got ${JSON.stringify(input)}`;
}
interface ZodIssueLike {
  path?: readonly PropertyKey[];
  message: string;
}

/** Concurrency levels: a list, or a geometric range `{from, to, factor}` (from, from*factor, ... <= to). */
export const ConcurrencySpec = z.union(
  [
    z.array(concurrencyLevel).min(1),
    z
      .object({
        from: concurrencyLevel,
        to: concurrencyLevel,
        factor: z.number().gt(1).default(2),
      })
      .strict(),
  ],
  { error: concurrencyProblem },
);
export type ConcurrencySpec = z.infer<typeof ConcurrencySpec>;

/** The fields of a multi-turn scenario, which a random scenario refuses. */
const SESSION_FIELDS = ["turns", "thinkTimeMs", "thinkTime", "prefixLength"] as const;

/** The fields of a trace scenario, which other scenarios refuse. */
const TRACE_FIELDS = ["speedups", "blockSize", "maxConcurrency"] as const;

/**
 * The workloads a scenario reads from its `dataset` file (multi-turn with one: ShareGPT conversations; trace: a
 * request trace replayed at its timestamps).
 */
export const DATASET_WORKLOADS = ["sharegpt", "jsonl", "trace"] as const;

/**
 * One workload of the sweep: random requests of `isl` input and `osl` output tokens; (`workload: multi-turn`)
 * chat sessions of `turns` user turns of that size each, with think time between turns and a shared system prompt;
 * or requests from a `dataset` file (`workload: sharegpt` or `jsonl`, or `multi-turn` replaying ShareGPT
 * conversations as sessions), whose lengths come from the file (`osl` fixes every output length); or (`workload:
 * trace`) a request trace replayed at its timestamps, divided by each of its `speedups` (its load levels).
 * @example Scenario.parse({ isl: 1024, osl: 256, workload: "multi-turn", turns: 4, thinkTimeMs: 1000 })
 * @example Scenario.parse({ workload: "sharegpt", dataset: "data/chat.json" })
 * @example Scenario.parse({ workload: "trace", dataset: "traces/agent.jsonl", speedups: [1, 2, 4] })
 */
export const Scenario = z
  .object({
    isl: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("input tokens per request (per user turn for multi-turn); not with a dataset"),
    osl: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "output tokens per request (per reply for multi-turn); with a dataset, optional: every request's output length instead of the file's",
      ),
    rangeRatio: z.number().min(0).max(1).optional(),
    workload: z
      .enum(["random", "multi-turn", ...DATASET_WORKLOADS])
      .optional()
      .describe(
        "random (default); multi-turn: chat sessions whose every turn carries the history (synthetic, or ShareGPT conversations with dataset); sharegpt or jsonl: requests from the dataset file; trace: the dataset's request trace replayed at its timestamps",
      ),
    dataset: z
      .string()
      .min(1)
      .optional()
      .describe(
        "sharegpt, jsonl, multi-turn, trace: the file of requests (ShareGPT JSON, JSONL, or a Mooncake-format trace), relative to the spec file",
      ),
    speedups: z
      .array(
        z
          .number()
          .positive()
          .max(MAX_SWEEP_CONCURRENCY, atMost(MAX_SWEEP_CONCURRENCY, "times as fast")),
      )
      .min(1)
      .optional()
      .describe(
        "trace: its load levels, one point each: the timestamps divided by each speedup; default [1] (as recorded)",
      ),
    blockSize: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("trace: tokens per hash id; default 512 (Mooncake's)"),
    maxConcurrency: concurrencyLevel
      .optional()
      .describe("trace: the most requests in flight (a record the cap holds waits); default none"),
    turns: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "multi-turn: user turns per session (2 or more); with a dataset, the most per conversation",
      ),
    thinkTimeMs: z
      .number()
      .nonnegative()
      .max(MAX_LIMIT_S * 1000, atMost(MAX_LIMIT_S * 1000, "ms"))
      .optional()
      .describe("multi-turn: think time between a reply and the next turn (ms, mean); default 0"),
    thinkTime: z
      .enum(["fixed", "exponential"])
      .optional()
      .describe(
        "multi-turn: think times exactly thinkTimeMs (default), or exponential with that mean",
      ),
    prefixLength: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(
        "multi-turn: tokens of the system prompt every session shares; default bench.prefixLength",
      ),
  })
  .strict()
  .superRefine((s, ctx) => {
    const problem = (field: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [field], message });
    const workload = s.workload ?? "random";
    const fromFile = s.dataset !== undefined;
    if (fromFile && workload === "random")
      return problem(
        "dataset",
        "a dataset is read by workload: sharegpt, jsonl, trace or multi-turn (ShareGPT conversations); add one",
      );
    if (!fromFile && workload !== "random" && workload !== "multi-turn")
      return problem("dataset", `a ${workload} scenario needs dataset, the file of its requests`);
    if (workload !== "trace") {
      const field = TRACE_FIELDS.find((f) => s[f] !== undefined);
      if (field) return problem(field, `${field} applies to a trace scenario; add workload: trace`);
    } else {
      // bench refuses these with --workload trace: the records give each request's lengths
      const field = (["isl", "osl", "rangeRatio", "prefixLength"] as const).find(
        (f) => s[f] !== undefined,
      );
      if (field)
        return problem(
          field,
          `${field} does not apply to a trace scenario: its records give each request's input and output lengths`,
        );
    }
    if (fromFile) {
      const synthetic = (["isl", "rangeRatio", "prefixLength"] as const).find(
        (f) => s[f] !== undefined,
      );
      if (synthetic)
        return problem(
          synthetic,
          `${synthetic} shapes synthetic requests; a ${workload} scenario's come from its dataset (osl may fix their output length)`,
        );
    } else {
      for (const f of ["isl", "osl"] as const)
        if (s[f] === undefined)
          problem(
            f,
            `a ${workload} scenario needs ${f}, the ${f === "isl" ? "input" : "output"} tokens per ${workload === "random" ? "request" : "turn"}`,
          );
    }
    if (workload !== "multi-turn") {
      const field = SESSION_FIELDS.find((f) => s[f] !== undefined);
      if (field)
        problem(
          field,
          `${field} applies to a multi-turn scenario; add workload: multi-turn${field === "prefixLength" ? " (a random scenario's shared prefix is bench.prefixLength)" : ""}`,
        );
      return;
    }
    if (s.turns === undefined) {
      if (!fromFile)
        problem(
          "turns",
          "a multi-turn scenario needs turns, the user turns per session (2 or more)",
        );
    } else if (s.turns < 2)
      problem(
        "turns",
        `a multi-turn scenario has 2 or more turns, got ${s.turns} (a single turn is a ${fromFile ? "sharegpt" : "random"} scenario)`,
      );
    if (s.thinkTime !== undefined && s.thinkTimeMs === undefined)
      problem(
        "thinkTime",
        "thinkTime says how think times are drawn; give their mean as thinkTimeMs",
      );
  });
export type Scenario = z.infer<typeof Scenario>;

const PoolSpace = z
  .object({
    workers: intList.default([1]),
    tp: intList.default([1]),
    ep: intList.default([1]),
    dpAttention: z.array(z.boolean()).min(1).default([false]),
    gpuIds: z
      .array(z.number().int().nonnegative())
      .min(1, "names no GPU: give one id per GPU of the pool, or leave gpuIds out")
      .optional()
      .describe(
        "the GPUs this pool's servers run on (the recipe pins them, e.g. CUDA_VISIBLE_DEVICES), as the power sampler numbers them (nvidia-smi index, amd-smi gpu, DCGM gpu label); one per GPU of the pool (workers x tp). Given for both pools, measured energy is integrated over these GPUs only and split by role: J per input token on the prefill GPUs, per output token on the decode GPUs",
      ),
  })
  .strict();
export type PoolSpace = z.infer<typeof PoolSpace>;

/**
 * What is wrong with the disaggregated pools' `gpuIds`, if anything: they are given for both pools or neither, name
 * no GPU twice, and hold one id per GPU of every pool size the search holds (fixed ids cannot pin pools of
 * several sizes).
 */
function gpuIdsProblem(pools: {
  prefill: PoolSpace;
  decode: PoolSpace;
}): { path: string[]; message: string } | undefined {
  const sides = ["prefill", "decode"] as const;
  const given = sides.filter((side) => pools[side].gpuIds !== undefined);
  if (given.length === 1) {
    const other = sides.find((side) => side !== given[0])!;
    return {
      path: ["disaggregated", other, "gpuIds"],
      message: `${given[0]}.gpuIds is given: give ${other}.gpuIds too (energy is split by role only when both pools name their GPUs)`,
    };
  }
  const owner = new Map<number, string>();
  for (const side of given) {
    const { gpuIds = [], workers, tp } = pools[side];
    const path = ["disaggregated", side, "gpuIds"];
    for (const id of gpuIds) {
      const first = owner.get(id);
      if (first !== undefined) {
        const where =
          first === side ? `twice in ${side}.gpuIds` : "in both prefill.gpuIds and decode.gpuIds";
        return { path, message: `GPU ${id} is named ${where}; each GPU serves one pool` };
      }
      owner.set(id, side);
    }
    const n = gpuIds.length;
    // an empty list is refused by itself
    if (n === 0) continue;
    for (const w of workers)
      for (const t of tp)
        if (w * t !== n)
          return {
            path,
            message: `${n} GPU id${n === 1 ? "" : "s"}, but ${w} worker${w === 1 ? "" : "s"} x tp ${t} is ${w * t} GPUs; give one id per GPU of the pool (fixed ids cannot pin pools of several sizes: split the search into specs)`,
          };
  }
  return undefined;
}

export const SpecDecodingOption = z
  .object({
    method: z.string().min(1).default("none"),
    draftTokens: z.number().int().nonnegative().optional(),
    acceptanceLength: z.number().positive().optional(),
  })
  .strict();

/** The search space: every combination is one server configuration; concurrency levels share a server. */
export const SearchSpace = z
  .object({
    tp: intList.default([1]),
    ep: intList.default([1]),
    dpAttention: z.array(z.boolean()).min(1).default([false]),
    disaggregated: z
      .object({ prefill: PoolSpace, decode: PoolSpace })
      .strict()
      .optional()
      .describe("when set, points are disaggregated and tp/ep/dpAttention above are ignored"),
    specDecoding: z
      .array(SpecDecodingOption)
      .min(1)
      .default([{ method: "none" }]),
    concurrency: ConcurrencySpec.optional().describe(
      "the load levels of every scenario but a trace (whose levels are its speedups); required unless every scenario is a trace",
    ),
  })
  .strict()
  .superRefine((space, ctx) => {
    const problem = space.disaggregated && gpuIdsProblem(space.disaggregated);
    if (problem) ctx.addIssue({ code: "custom", ...problem });
  });
export type SearchSpace = z.infer<typeof SearchSpace>;

const TemplateValues = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .describe("extra {{placeholders}} for the templates (constants of this recipe)");

/**
 * How a point's server is started. Templates use `{{name}}` placeholders filled from the point (model, modelId, tp,
 * ep, dp, gpus, dpAttention, expertParallel, mtp, draftTokens, isl, osl, maxModelLen, maxConcurrency, port, ...;
 * see docs/sweep.md) and `{{#name}}...{{/name}}` sections kept when the value is truthy.
 */
export const ServerRecipe = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("command"),
      command: z.string().min(1).describe("shell command template, run in its own process group"),
      env: z
        .record(z.string(), z.string())
        .optional()
        .describe("environment; values are templates"),
      port: z
        .number()
        .int()
        .positive()
        .optional()
        .describe("port the server listens on; default 8000"),
      vars: TemplateValues.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("docker"),
      image: z.string().min(1).optional().describe("default: the spec's image"),
      args: z.string().default("").describe("extra `docker run` arguments (template)"),
      command: z.string().min(1).describe("command inside the container (template)"),
      env: z.record(z.string(), z.string()).optional(),
      port: z.number().int().positive().optional(),
      vars: TemplateValues.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("simulator"),
      speed: z
        .number()
        .positive()
        .default(1)
        .describe("simulated time runs this many times faster than the wall clock"),
      port: z.number().int().positive().optional().describe("default: a free port"),
      options: z
        .record(z.string(), z.unknown())
        .optional()
        .describe("extra simulator options (engine limits, efficiency factors)"),
    })
    .strict(),
  z
    .object({ kind: z.literal("external"), baseUrl: z.string().url() })
    .strict()
    .describe("an endpoint that is already running"),
]);
export type ServerRecipe = z.infer<typeof ServerRecipe>;

export const Readiness = z
  .object({
    path: z.string().default("/health"),
    modelsPath: z.string().default("/v1/models"),
    timeoutS: seconds().default(1800),
    intervalS: seconds().default(2),
  })
  .strict();

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
    const problem = (path: string[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    const traces = spec.scenarios.flatMap((s, i) => (s.workload === "trace" ? [i] : []));
    const concurrency = spec.search.concurrency;
    if (concurrency === undefined && traces.length < spec.scenarios.length)
      problem(
        ["search", "concurrency"],
        "the concurrency levels, a list [4, 16, 64] or a range {from, to, factor}, are required (only a trace scenario goes without: its levels are its speedups)",
      );
    if (concurrency !== undefined && traces.length === spec.scenarios.length)
      problem(
        ["search", "concurrency"],
        "every scenario is a trace, whose load levels are its speedups (scenarios[].speedups): remove search.concurrency",
      );
    checkPointRequests(spec, problem);
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
  if (c === undefined) return;
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
export type SweepSpecInput = z.input<typeof SweepSpec>;
