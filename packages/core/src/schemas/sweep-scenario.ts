import { z } from "zod";
import { atMost, concurrencyLevel, MAX_LIMIT_S, MAX_SWEEP_CONCURRENCY } from "./sweep-bounds.js";

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
