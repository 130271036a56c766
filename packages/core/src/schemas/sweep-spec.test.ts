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
      /^spec\.yaml is invalid: scenarios\[1\]\.workload: Invalid option: expected one of "random"\|"multi-turn"\|"sharegpt"\|"jsonl"$/,
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
      "scenarios[1].dataset: a dataset is read by workload: sharegpt, jsonl or multi-turn (ShareGPT conversations); add one",
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
