import { PointResult } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { predictSweep, resolveSimConfig, steadyState } from "../src/index.js";

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
    const run = (o: { rate?: number[]; concurrency?: number[] }) => () =>
      predictSweep(sim, { isl: 1024, osl: 256, requests: 4, ...o });
    expect(run({ rate: [0] })).toThrow("rate 0 must be a positive number of requests/s");
    expect(run({ rate: [1, Number.NaN] })).toThrow("rate NaN must be a positive number");
    expect(run({ rate: [-1] })).toThrow("rate -1 must be a positive number");
    expect(run({ concurrency: [0] })).toThrow("concurrency 0 must be a positive integer");
  });
});
