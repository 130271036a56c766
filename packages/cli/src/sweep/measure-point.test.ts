import { levelPlan, resolveBenchOptions } from "@infermark/bench";
import { type PlanOptions, planSweep, SweepSpec } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { benchOptionsFor, pointSeed } from "./measure-point.js";

function input(
  limits: Record<string, unknown>,
  scenario: Record<string, unknown> = {},
  datasets?: PlanOptions["datasets"],
) {
  const spec = SweepSpec.parse({
    name: "t",
    model: "dsr1",
    hardware: "h200",
    framework: "vllm",
    precision: "fp8",
    scenarios: [datasets ? scenario : { isl: 1024, osl: 128, ...scenario }],
    // a trace's levels are its speedups
    search: { tp: [8], ...(scenario.workload === "trace" ? {} : { concurrency: [4] }) },
    server: { kind: "external", baseUrl: "http://127.0.0.1:8000" },
    limits,
  });
  const plan = planSweep(spec, { ...(datasets ? { datasets } : {}) });
  return {
    spec,
    specFingerprint: plan.specFingerprint,
    server: plan.servers[0]!,
    point: plan.points[0]!,
    baseUrl: "http://127.0.0.1:8000",
    ready: { models: ["m"], modelsBody: {}, readyS: 1 },
    provenance: { host: "h" },
    runId: "r",
  };
}

describe("benchOptionsFor", () => {
  it("measures the planned request count by default", () => {
    const o = resolveBenchOptions(benchOptionsFor(input({ requestsPerConcurrency: 3 })));
    expect(levelPlan(o, 4)).toEqual({
      mode: "concurrency",
      warmup: 8,
      requests: 12,
      concurrency: 4,
    });
  });

  it("measures for limits.durationS instead of a request count", () => {
    const o = resolveBenchOptions(benchOptionsFor(input({ durationS: 30 })));
    expect(levelPlan(o, 4)).toEqual({
      mode: "concurrency",
      warmup: 8,
      durationS: 30,
      concurrency: 4,
    });
  });

  it("passes a multi-turn scenario to the load generator as sessions", () => {
    const session = {
      workload: "multi-turn",
      turns: 3,
      thinkTimeMs: 500,
      thinkTime: "exponential",
      prefixLength: 64,
    };
    const options = benchOptionsFor(input({}, session));
    expect(options).toMatchObject({ isl: 1024, osl: 128, ...session });
    const o = resolveBenchOptions(options);
    expect([o.workload, o.turns, o.thinkTimeMs, o.thinkTime, o.prefixLength]).toEqual([
      "multi-turn",
      3,
      500,
      "exponential",
      64,
    ]);
    // a random scenario sends no session option, which the load generator would refuse
    const random = benchOptionsFor(input({}));
    expect(random.workload).toBe("random");
    expect([random.turns, random.thinkTimeMs, random.thinkTime]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("passes a dataset scenario's file (as resolved) to the load generator with its format and options", () => {
    const dataset = {
      path: "/specs/data/chat.json",
      sha256: "a".repeat(64),
      requests: 4,
      longest: 100,
      isl: 20,
      osl: 30,
      turns: 3,
    };
    const file = benchOptionsFor(
      input({}, { workload: "jsonl", dataset: "data/p.jsonl", osl: 64 }, [dataset]),
    );
    expect([file.workload, file.dataset, file.isl, file.osl, file.turns]).toEqual([
      "jsonl",
      "/specs/data/chat.json",
      undefined,
      64,
      undefined,
    ]);
    const sessions = benchOptionsFor(
      input({}, { workload: "multi-turn", dataset: "data/chat.json", turns: 2 }, [dataset]),
    );
    const o = resolveBenchOptions(sessions);
    expect([o.workload, o.dataset, o.turns, o.thinkTimeMs, o.thinkTime, o.isl, o.osl]).toEqual([
      "multi-turn",
      "/specs/data/chat.json",
      2,
      0,
      "fixed",
      0,
      0,
    ]);
  });

  it("replays a trace point at its speedup, with its block size, cap, first records and the speedup's seed, and no concurrency level", () => {
    const trace = {
      path: "/specs/traces/t.jsonl",
      sha256: "b".repeat(64),
      requests: 40,
      longest: 500,
      isl: 300,
      osl: 20,
      blockSize: 64,
      spanMs: 1000,
    };
    const scenario = {
      workload: "trace",
      dataset: "traces/t.jsonl",
      blockSize: 64,
      speedups: [3],
      maxConcurrency: 5,
    };
    const options = benchOptionsFor(input({ requests: 10 }, scenario, [trace]));
    expect(["concurrency", "rate", "durationS", "isl", "osl"].filter((k) => k in options)).toEqual(
      [],
    );
    // the load generator takes them, as it resolves them
    const o = resolveBenchOptions(options);
    expect([
      o.workload,
      o.dataset,
      o.traceSpeedup,
      o.traceBlockSize,
      o.maxConcurrency,
      o.numRequests,
      o.warmup,
      o.seed,
    ]).toEqual([
      "trace",
      "/specs/traces/t.jsonl",
      3,
      64,
      5,
      10,
      0,
      pointSeed(input({}).spec, input({ requests: 10 }, scenario, [trace]).point),
    ]);
  });

  it("sends the key it is given, never the name of its variable", () => {
    const base = input({});
    const spec = { ...base.spec, bench: { apiKeyEnv: "GATEWAY_AUTH", seed: 7 } };
    const options = benchOptionsFor({ ...base, spec, apiKey: "k-from-env-1" });
    expect(["apiKeyEnv" in options, options.apiKey]).toEqual([false, "k-from-env-1"]);
    expect(resolveBenchOptions(options).authorization).toBe("Bearer k-from-env-1");
    expect("apiKey" in benchOptionsFor({ ...base, spec })).toBe(false);
  });
});

describe("pointSeed", () => {
  /** The points of an external sweep of `scenarios` at `concurrency`, with `bench` as given. */
  const plan = (
    scenarios: Record<string, unknown>[],
    concurrency: number[],
    bench: Record<string, unknown> = {},
    tp = [8],
  ) => {
    const spec = SweepSpec.parse({
      name: "t",
      model: "dsr1",
      hardware: "h200",
      framework: "vllm",
      precision: "fp8",
      scenarios,
      search: { tp, concurrency },
      server: { kind: "external", baseUrl: "http://127.0.0.1:8000" },
      bench,
    });
    return { spec, points: planSweep(spec).points };
  };

  it("gives each scenario of one ISL at one concurrency, and each concurrency, prompts of its own", () => {
    const { spec, points } = plan(
      [
        { isl: 512, osl: 8 },
        { isl: 512, osl: 16 },
        { isl: 512, osl: 8, rangeRatio: 0.5 },
        { isl: 512, osl: 8, workload: "multi-turn", turns: 2 },
      ],
      [4, 8],
    );
    expect(points).toHaveLength(8);
    expect(new Set(points.map((p) => pointSeed(spec, p))).size).toBe(8);
  });

  it("is the same on every plan, bench.seed moves it, and a re-measure's attempt gives another", () => {
    const once = plan([{ isl: 512, osl: 8 }], [4]);
    const again = plan([{ isl: 512, osl: 8 }], [4]);
    const seeded = plan([{ isl: 512, osl: 8 }], [4], { seed: 5 });
    const first = pointSeed(once.spec, once.points[0]!);
    expect(pointSeed(again.spec, again.points[0]!)).toBe(first);
    // against a managed server, bench.seed is added; against an external one it is in the server's key too
    const managed = (s: typeof once.spec) =>
      ({ ...s, server: { kind: "simulator", speed: 1 } }) as typeof s;
    expect(pointSeed(managed(seeded.spec), seeded.points[0]!)).toBe(
      pointSeed(managed(once.spec), once.points[0]!) + 5,
    );
    expect(pointSeed(seeded.spec, seeded.points[0]!)).not.toBe(first);
    const attempts = [0, 1, 2].map((a) => pointSeed(once.spec, once.points[0]!, a));
    expect([attempts[0], new Set(attempts).size]).toEqual([first, 3]);
    // the load generator's generators take 32 bits
    expect(Number.isSafeInteger(first) && first >= 0 && first < 2 ** 31).toBe(true);
  });

  it("tells two configurations of one external server apart, and stays out of the fingerprints", () => {
    const { spec, points } = plan([{ isl: 512, osl: 8 }], [4], {}, [4, 8]);
    expect(points.map((p) => p.config.topology.gpus)).toEqual([4, 8]);
    expect(pointSeed(spec, points[0]!)).not.toBe(pointSeed(spec, points[1]!));
    // a managed server per configuration: the same prompts to each, so they compare on the same requests
    const managed = { ...spec, server: { kind: "simulator" as const, speed: 1 } } as typeof spec;
    expect(pointSeed(managed, points[0]!)).toBe(pointSeed(managed, points[1]!));
    // bench.seed is in the fingerprint (the spec's); the drawn seed is not
    expect(points[0]!.fingerprint).toBe(
      plan([{ isl: 512, osl: 8 }], [4], {}, [4, 8]).points[0]!.fingerprint,
    );
    expect(JSON.stringify(points[0]!.config.workload)).not.toContain("seed");
  });

  it("gives the options of a re-measure its attempt's seed", () => {
    const base = input({});
    expect(benchOptionsFor({ ...base, attempt: 2 }).seed).toBe(pointSeed(base.spec, base.point, 2));
    expect(benchOptionsFor(base).seed).toBe(pointSeed(base.spec, base.point));
  });
});
