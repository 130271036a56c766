import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { SweepSpec } from "./sweep-spec.js";
import { parseOrThrow } from "./validate.js";

const spec = (scenario: Record<string, unknown>) => ({
  name: "t",
  model: "dsr1",
  hardware: "h200",
  framework: "vllm",
  precision: "fp8",
  scenarios: [{ isl: 1024, osl: 256 }, scenario],
  search: { concurrency: [1] },
  server: { kind: "external", baseUrl: "http://127.0.0.1:8000" },
});
const parse = (scenario: Record<string, unknown>) =>
  parseOrThrow(SweepSpec, spec(scenario), "spec.yaml");
const mt = { isl: 1024, osl: 256, workload: "multi-turn" };

describe("SweepSpec scenarios", () => {
  it("takes a multi-turn scenario with its session fields", () => {
    const s = { ...mt, turns: 4, thinkTimeMs: 1000, thinkTime: "exponential", prefixLength: 512 };
    expect(parse(s).scenarios[1]).toEqual(s);
    expect(parse({ ...mt, turns: 2 }).scenarios[1]).toEqual({ ...mt, turns: 2 });
  });

  it.each([
    [
      { isl: 1024, osl: 256, turns: 4 },
      "scenarios[1].turns: turns applies to a multi-turn scenario; add workload: multi-turn",
    ],
    [
      { isl: 1024, osl: 256, workload: "random", thinkTimeMs: 10 },
      "scenarios[1].thinkTimeMs: thinkTimeMs applies to a multi-turn scenario; add workload: multi-turn",
    ],
    [
      { isl: 1024, osl: 256, prefixLength: 64 },
      "scenarios[1].prefixLength: prefixLength applies to a multi-turn scenario; add workload: multi-turn (a random scenario's shared prefix is bench.prefixLength)",
    ],
    [
      mt,
      "scenarios[1].turns: a multi-turn scenario needs turns, the user turns per session (2 or more)",
    ],
    [
      { ...mt, turns: 1, thinkTimeMs: 500 },
      "scenarios[1].turns: a multi-turn scenario has 2 or more turns, got 1 (a single turn is a random scenario)",
    ],
    [
      { ...mt, turns: 3, thinkTime: "exponential" },
      "scenarios[1].thinkTime: thinkTime says how think times are drawn; give their mean as thinkTimeMs",
    ],
  ])("refuses %j with one line naming the field", (scenario, issue) => {
    const [path, message] = issue.split(/: (.*)/s) as [string, string];
    expect(() => parse(scenario)).toThrow(new ValidationError("spec.yaml", [{ path, message }]));
  });

  it("names the workloads it knows", () => {
    expect(() => parse({ ...mt, workload: "agentic", turns: 2 })).toThrow(
      /^spec\.yaml is invalid: scenarios\[1\]\.workload: Invalid option: expected one of "random"\|"multi-turn"\|"sharegpt"\|"jsonl"\|"trace"$/,
    );
  });
});

describe("SweepSpec dataset scenarios", () => {
  it("takes sharegpt, jsonl and multi-turn scenarios of a dataset, with or without a fixed output length", () => {
    for (const s of [
      { workload: "sharegpt", dataset: "chat.json" },
      { workload: "jsonl", dataset: "data/prompts.jsonl", osl: 128 },
      { workload: "multi-turn", dataset: "chat.json" },
      { workload: "multi-turn", dataset: "chat.json", turns: 4, thinkTimeMs: 500, osl: 64 },
    ])
      expect(parse(s).scenarios[1]).toEqual(s);
  });

  it.each([
    [
      { workload: "sharegpt" },
      "scenarios[1].dataset: a sharegpt scenario needs dataset, the file of its requests",
    ],
    [
      { isl: 1024, osl: 256, dataset: "chat.json" },
      "scenarios[1].dataset: a dataset is read by workload: sharegpt, jsonl, trace or multi-turn (ShareGPT conversations); add one",
    ],
    [
      { workload: "jsonl", dataset: "p.jsonl", isl: 1024 },
      "scenarios[1].isl: isl shapes synthetic requests; a jsonl scenario's come from its dataset (osl may fix their output length)",
    ],
    [
      { workload: "multi-turn", dataset: "chat.json", prefixLength: 64 },
      "scenarios[1].prefixLength: prefixLength shapes synthetic requests; a multi-turn scenario's come from its dataset (osl may fix their output length)",
    ],
    [
      { workload: "sharegpt", dataset: "chat.json", turns: 4 },
      "scenarios[1].turns: turns applies to a multi-turn scenario; add workload: multi-turn",
    ],
    [
      { workload: "multi-turn", dataset: "chat.json", turns: 1 },
      "scenarios[1].turns: a multi-turn scenario has 2 or more turns, got 1 (a single turn is a sharegpt scenario)",
    ],
    [{ osl: 256 }, "scenarios[1].isl: a random scenario needs isl, the input tokens per request"],
    [
      { isl: 64, workload: "multi-turn", turns: 2 },
      "scenarios[1].osl: a multi-turn scenario needs osl, the output tokens per turn",
    ],
  ])("refuses %j with one line naming the field", (scenario, issue) => {
    const [path, message] = issue.split(/: (.*)/s) as [string, string];
    expect(() => parse(scenario)).toThrow(new ValidationError("spec.yaml", [{ path, message }]));
  });
});

describe("SweepSpec trace scenarios", () => {
  const trace = { workload: "trace", dataset: "traces/agent.jsonl" };
  const only = (over: Record<string, unknown>) => ({
    ...spec(trace),
    scenarios: [trace],
    search: {},
    ...over,
  });

  it("takes a trace with its speedups, block size and cap, and no search.concurrency when every scenario is one", () => {
    const s = { ...trace, speedups: [1, 2, 4], blockSize: 16, maxConcurrency: 8 };
    expect(parse(s).scenarios[1]).toEqual(s);
    const parsed = parseOrThrow(SweepSpec, only({}), "spec.yaml");
    expect([parsed.scenarios, parsed.search.concurrency]).toEqual([[trace], undefined]);
  });

  it.each([
    [
      { workload: "trace" },
      "scenarios[1].dataset: a trace scenario needs dataset, the file of its requests",
    ],
    [
      { ...trace, osl: 128 },
      "scenarios[1].osl: osl does not apply to a trace scenario: its records give each request's input and output lengths",
    ],
    [
      { isl: 1024, osl: 256, speedups: [2] },
      "scenarios[1].speedups: speedups applies to a trace scenario; add workload: trace",
    ],
    [
      { workload: "sharegpt", dataset: "chat.json", blockSize: 16 },
      "scenarios[1].blockSize: blockSize applies to a trace scenario; add workload: trace",
    ],
    [
      { ...trace, turns: 2 },
      "scenarios[1].turns: turns applies to a multi-turn scenario; add workload: multi-turn",
    ],
    [
      { ...trace, speedups: [] },
      "scenarios[1].speedups: Too small: expected array to have >=1 items",
    ],
    [{ ...trace, speedups: [0] }, "scenarios[1].speedups[0]: Too small: expected number to be >0"],
  ])("refuses %j with one line naming the field", (scenario, issue) => {
    const [path, message] = issue.split(/: (.*)/s) as [string, string];
    expect(() => parse(scenario)).toThrow(new ValidationError("spec.yaml", [{ path, message }]));
  });

  it.each([
    [
      "search.concurrency beside traces alone",
      only({ search: { concurrency: [1] } }),
      "search.concurrency: every scenario is a trace, whose load levels are its speedups (scenarios[].speedups): remove search.concurrency",
    ],
    [
      "no search.concurrency beside a random scenario",
      { ...spec(trace), search: {} },
      "search.concurrency: the concurrency levels, a list [4, 16, 64] or a range {from, to, factor}, are required (only a trace scenario goes without: its levels are its speedups)",
    ],
    [
      "limits.durationS with a trace",
      { ...spec(trace), limits: { durationS: 60 } },
      "limits.durationS: scenarios[1] is a trace, replayed record by record, not for a duration: remove limits.durationS (limits.requests replays a trace's first N records)",
    ],
  ])("refuses %s, naming the field", (_label, input, issue) => {
    const [path, message] = issue.split(/: (.*)/s) as [string, string];
    expect(() => parseOrThrow(SweepSpec, input, "spec.yaml")).toThrow(
      new ValidationError("spec.yaml", [{ path, message }]),
    );
  });
});

describe("SweepSpec search.concurrency", () => {
  const withConcurrency = (concurrency: unknown) => ({
    ...spec({ isl: 128, osl: 32 }),
    search: { concurrency },
  });

  it.each([
    [[1.5], "search.concurrency: [0] expects a whole number from 1 to 1,000,000, got 1.5"],
    [[4, "16"], 'search.concurrency: [1] expects a whole number from 1 to 1,000,000, got "16"'],
    [
      { from: 4 },
      "search.concurrency: to: Invalid input: expected number, received undefined (a range is {from, to, factor})",
    ],
    [
      "4,16",
      'search.concurrency: expects a list [4, 16, 64] or a range {from, to, factor}, got "4,16"',
    ],
  ])("names what is wrong in %j rather than 'Invalid input'", (concurrency, issue) => {
    const [path, message] = issue.split(/: (.*)/s) as [string, string];
    expect(() => parseOrThrow(SweepSpec, withConcurrency(concurrency), "spec.yaml")).toThrow(
      new ValidationError("spec.yaml", [{ path, message }]),
    );
  });
});

describe("SweepSpec bounds on a level's counts and times", () => {
  const base = spec({ isl: 128, osl: 32 });
  const refuses = (input: Record<string, unknown>, issues: string[]) =>
    expect(() => parseOrThrow(SweepSpec, input, "spec.yaml")).toThrow(
      new ValidationError(
        "spec.yaml",
        issues.map((issue) => {
          const [path, message] = issue.split(/: (.*)/s) as [string, string];
          return { path, message };
        }),
      ),
    );

  it("refuses a concurrency past 1,000,000 (1e12 planned one point of 10^13 requests)", () => {
    refuses({ ...base, search: { concurrency: [4, 1e12] } }, [
      "search.concurrency[1]: at most 1,000,000 requests in flight, got 1000000000000",
    ]);
    refuses({ ...base, search: { concurrency: { from: 4, to: 2_000_000 } } }, [
      "search.concurrency.to: at most 1,000,000 requests in flight, got 2000000",
    ]);
    refuses(
      {
        ...base,
        scenarios: [{ workload: "trace", dataset: "t.jsonl", maxConcurrency: 1e7 }],
        search: {},
      },
      ["scenarios[0].maxConcurrency: at most 1,000,000 requests in flight, got 10000000"],
    );
    expect(
      parseOrThrow(SweepSpec, { ...base, search: { concurrency: [1_000_000] } }, "spec.yaml").search
        .concurrency,
    ).toEqual([1_000_000]);
  });

  it("refuses the request counts a level's factors give past 10,000,000 a point", () => {
    refuses({ ...base, search: { concurrency: [64] }, limits: { requestsPerConcurrency: 1e9 } }, [
      "limits.requestsPerConcurrency: 1000000000 x the top concurrency 64 is 64,000,000,000 requests a point, more than the 10,000,000 one point may send; lower it or set limits.requests",
    ]);
    refuses(
      {
        ...base,
        search: { concurrency: { from: 1, to: 1_000_000 } },
        limits: { warmupPerConcurrency: 20 },
      },
      [
        "limits.warmupPerConcurrency: 20 x the top concurrency 1000000 is 20,000,000 warm-up requests a point, more than the 10,000,000 one point may send; lower it",
      ],
    );
    refuses({ ...base, limits: { requests: 1e8 } }, [
      "limits.requests: at most 10,000,000 requests a point, got 100000000",
    ]);
    // limits.requests (or a duration) bounds the level instead of the factor
    const capped = {
      ...base,
      search: { concurrency: [64] },
      limits: { requestsPerConcurrency: 1e9, requests: 100 },
    };
    expect(parseOrThrow(SweepSpec, capped, "spec.yaml").limits.requests).toBe(100);
  });

  it("refuses time limits that Node's timers cannot hold (past them a timer fires at once)", () => {
    refuses({ ...base, limits: { pointTimeoutS: 5e6, stopGraceS: 3e6 } }, [
      "limits.pointTimeoutS: at most 2,147,483 seconds, got 5000000",
      "limits.stopGraceS: at most 2,147,483 seconds, got 3000000",
    ]);
  });
});

describe("SweepSpec disaggregated gpuIds", () => {
  const disagg = (prefill: Record<string, unknown>, decode: Record<string, unknown>) => ({
    ...spec({ isl: 128, osl: 32 }),
    search: { concurrency: [4], disaggregated: { prefill, decode } },
  });

  it("takes one id per GPU of each pool", () => {
    const parsed = parseOrThrow(
      SweepSpec,
      disagg({ tp: [2], gpuIds: [0, 1] }, { workers: [2], tp: [2], gpuIds: [2, 3, 4, 5] }),
      "spec.yaml",
    );
    expect(parsed.search.disaggregated?.decode.gpuIds).toEqual([2, 3, 4, 5]);
  });

  it.each([
    [
      "one pool only",
      disagg({ gpuIds: [0] }, {}),
      "search.disaggregated.decode.gpuIds: prefill.gpuIds is given: give decode.gpuIds too (energy is split by role only when both pools name their GPUs)",
    ],
    [
      "a GPU in both pools",
      disagg({ gpuIds: [0] }, { gpuIds: [0] }),
      "search.disaggregated.decode.gpuIds: GPU 0 is named in both prefill.gpuIds and decode.gpuIds; each GPU serves one pool",
    ],
    [
      "a GPU twice",
      disagg({ tp: [2], gpuIds: [1, 1] }, { gpuIds: [0] }),
      "search.disaggregated.prefill.gpuIds: GPU 1 is named twice in prefill.gpuIds; each GPU serves one pool",
    ],
    [
      "ids that do not fit a pool size of the search",
      disagg({ tp: [2, 4], gpuIds: [0, 1] }, { gpuIds: [4] }),
      "search.disaggregated.prefill.gpuIds: 2 GPU ids, but 1 worker x tp 4 is 4 GPUs; give one id per GPU of the pool (fixed ids cannot pin pools of several sizes: split the search into specs)",
    ],
    [
      "an empty list (one line, not the pool-size line beside it)",
      disagg({ tp: [2], gpuIds: [] }, { gpuIds: [2] }),
      "search.disaggregated.prefill.gpuIds: names no GPU: give one id per GPU of the pool, or leave gpuIds out",
    ],
  ])("refuses %s", (_label, input, issue) => {
    const [path, message] = issue.split(/: (.*)/s) as [string, string];
    expect(() => parseOrThrow(SweepSpec, input, "spec.yaml")).toThrow(
      new ValidationError("spec.yaml", [{ path, message }]),
    );
  });
});
