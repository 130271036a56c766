import { PointResult, type RequestRecord } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { predictSweep, resolveSimConfig, steadyState } from "../src/index.js";

/** The most requests in flight at once: sent and not yet ended (one that ends as another is sent counts out first). */
function maxInFlight(records: readonly RequestRecord[]): number {
  const edges = records.flatMap((r) => [
    { t: r.tSend, step: 1 },
    { t: r.tEnd ?? Number.POSITIVE_INFINITY, step: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const e of edges) {
    now += e.step;
    most = Math.max(most, now);
  }
  return most;
}

describe("sim predict", () => {
  it("writes valid simulated PointResults whose throughput rises with concurrency", () => {
    const { points } = predictSweep(
      { model: "dsr1", hardware: "h200", tp: 8 },
      { isl: 1024, osl: 256, concurrency: [1, 8, 64] },
    );
    expect(points).toHaveLength(3);
    let prev = 0;
    for (const p of points) {
      expect(PointResult.parse(p)).toEqual(p);
      expect(p.run.source).toBe("simulated");
      expect(p.validity.valid).toBe(true);
      expect(p.errors.total).toBe(0);
      const requests = p.config.load.requests!;
      expect(p.metrics.completed).toBe(requests);
      expect(p.metrics.outputTokens).toBe(requests * 256);
      expect(p.metrics.inputTokens).toBe(requests * 1024);
      expect(p.metrics.tputPerGpu!).toBeGreaterThan(prev);
      prev = p.metrics.tputPerGpu!;
    }
  });

  it("agrees with the mean-field steady state on interactivity within 20%", () => {
    const sim = { model: "dsr1", hardware: "h200", tp: 8 } as const;
    const cfg = resolveSimConfig(sim);
    const { points } = predictSweep(sim, { isl: 1024, osl: 1024, concurrency: [4, 32] });
    for (const p of points) {
      const s = steadyState(cfg, 1024, 1024, p.config.load.concurrency!);
      expect(Math.abs(p.metrics.intvty!.median! - s.intvty) / s.intvty).toBeLessThan(0.2);
    }
  });

  it("refuses a rate or concurrency level that is not positive instead of running forever", () => {
    const sim = { model: "dsr1", hardware: "h200", tp: 8 } as const;
    const run = (o: { rate?: number[]; concurrency?: number[]; maxConcurrency?: number }) => () =>
      predictSweep(sim, { isl: 1024, osl: 256, requests: 4, ...o });
    expect(run({ rate: [0] })).toThrow("rate 0 must be a positive number of requests/s");
    expect(run({ rate: [1, Number.NaN] })).toThrow("rate NaN must be a positive number");
    expect(run({ rate: [-1] })).toThrow("rate -1 must be a positive number");
    expect(run({ concurrency: [0] })).toThrow("concurrency 0 must be a positive integer");
    expect(run({ rate: [1], maxConcurrency: 0 })).toThrow(
      "maxConcurrency 0 must be a positive integer",
    );
  });

  it("refuses a shared prefix longer than the prompt (every prompt was then identical and wholly cached)", () => {
    const sim = { model: "dsr1", hardware: "h200", tp: 8 } as const;
    const run = (prefixLength: number) => () =>
      predictSweep(sim, { isl: 1024, osl: 16, concurrency: [1], requests: 2, prefixLength });
    expect(run(2048)).toThrow(
      "prefix length 2048 must be a whole number of tokens from 0 to isl (1024): the prompts share it",
    );
    expect(run(-64)).toThrow("prefix length -64 must be a whole number of tokens");
    expect(run(1024)).not.toThrow();
  });

  it("caps every rate level at maxConcurrency (only the first level was capped)", () => {
    const sim = { model: "dsr1", hardware: "h200", tp: 8 } as const;
    // at 20 and 40 requests/s a request of ~1.5 s would have 30-60 in flight uncapped
    const o = { isl: 1024, osl: 64, requests: 12, rate: [20, 40] };
    const { points, records } = predictSweep(sim, { ...o, maxConcurrency: 2 });
    expect(points.map((p) => p.config.load)).toEqual([
      { mode: "rate", rate: 20, arrival: "poisson", requests: 12, concurrency: 2 },
      { mode: "rate", rate: 40, arrival: "poisson", requests: 12, concurrency: 2 },
    ]);
    expect(records.map(maxInFlight)).toEqual([2, 2]);
    expect(
      predictSweep(sim, o)
        .records.map(maxInFlight)
        .every((n) => n > 2),
    ).toBe(true);
    // concurrency lists closed-loop levels: beside rates it was read one per rate level
    expect(() => predictSweep(sim, { ...o, concurrency: [2] })).toThrow(
      "concurrency lists closed-loop levels; cap the rate levels with maxConcurrency",
    );
    expect(() => predictSweep(sim, { isl: 1024, osl: 64, maxConcurrency: 2 })).toThrow(
      "maxConcurrency caps rate levels; give rate, or concurrency levels",
    );
  });
});

describe("sim predict's queue delay (t_send - t_sched)", () => {
  const sim = { model: "dsr1", hardware: "h200", tp: 8 } as const;
  // ~1.5 s per request: 2 in flight serve ~1.3 requests/s, far below 40/s, so arrivals pile up behind the cap
  const o = { isl: 1024, osl: 64, requests: 12, rate: [40] };
  const delays = (records: readonly RequestRecord[]) => records.map((r) => r.tSend - r.tSched);

  it("keeps a capped open loop's arrival as t_sched, so the wait for a slot shows and grows", () => {
    const { points, records } = predictSweep(sim, { ...o, maxConcurrency: 2 });
    const wait = delays(records[0]!);
    // the first two find free slots; every later one waits longer than the one before it
    expect(wait.slice(0, 2)).toEqual([0, 0]);
    for (let i = 2; i < wait.length; i++) expect(wait[i]!).toBeGreaterThan(wait[i - 1]!);
    // a held request is sent the moment a request ahead of it ends
    const ends = records[0]!.map((r) => r.tEnd);
    for (const r of records[0]!.slice(2)) expect(ends.slice(0, r.index)).toContain(r.tSend);
    const queue = points[0]!.metrics.queueDelay!;
    expect(queue.mean).toBeCloseTo(wait.reduce((s, x) => s + x, 0) / wait.length / 1000, 9);
    // TTFT runs from t_send (METRICS.md), as bench measures it: the wait is not in it
    const ttft = records[0]!.map((r) => r.events[0]!.t - r.tSend);
    expect(Math.max(...ttft)).toBeLessThan(1_000);
  });

  it("is zero without a cap: every request is sent when it arrives", () => {
    const { points, records } = predictSweep(sim, o);
    expect(delays(records[0]!)).toEqual(new Array(12).fill(0));
    const queue = points[0]!.metrics.queueDelay!;
    expect([queue.mean, queue.p99]).toEqual([0, 0]);
  });
});

describe("sim predict's recorded simulator settings", () => {
  it("record the events kept per request and the framework label that chose the factors and draft passes", () => {
    const sim = {
      model: "dsr1",
      hardware: "h200",
      tp: 8,
      framework: "sglang",
      spec: { method: "mtp", draftTokens: 2 },
    } as const;
    const { points, records } = predictSweep(sim, {
      isl: 256,
      osl: 64,
      concurrency: [1],
      requests: 2,
      maxEventsPerRequest: 4,
    });
    expect(records[0]!.map((r) => r.events.length)).toEqual([4, 4]);
    // it said 32 whatever the caller asked for, and the framework (SGLang: one more draft pass) was nowhere
    expect(points[0]!.run.simulator).toMatchObject({
      framework: "sglang",
      maxEventsPerRequest: 4,
      spec: { draftTokens: 2, draftPasses: 3 },
    });
  });
});
