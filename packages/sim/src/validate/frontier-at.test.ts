import { describe, expect, it } from "vitest";
import { paretoFrontier, throughputAtInteractivity } from "./frontier-at.js";

describe("frontier at an interactivity", () => {
  // concurrency 1..3 on 3 workers: same speed, rising throughput; then batching
  const curve = [
    { intvty: 100, tputPerGpu: 10 },
    { intvty: 100, tputPerGpu: 30 },
    { intvty: 100, tputPerGpu: 20 },
    { intvty: 50, tputPerGpu: 120 },
    { intvty: 25, tputPerGpu: 480 },
    { intvty: 20, tputPerGpu: 400 },
  ];

  it("keeps, per interactivity, the most throughput and drops dominated points", () => {
    expect(paretoFrontier(curve)).toEqual([
      { intvty: 100, tputPerGpu: 30 },
      { intvty: 50, tputPerGpu: 120 },
      { intvty: 25, tputPerGpu: 480 },
    ]);
  });

  it("interpolates in log-log space and clamps outside", () => {
    // halfway in log between 100 and 50 (70.71): sqrt(30 x 120) = 60
    expect(throughputAtInteractivity(curve, 100 / Math.SQRT2).tputPerGpu).toBeCloseTo(60, 9);
    expect(throughputAtInteractivity(curve, 100)).toEqual({ tputPerGpu: 30, clamped: false });
    expect(throughputAtInteractivity(curve, 150)).toEqual({
      tputPerGpu: 30,
      clamped: true,
      side: "faster",
    });
    expect(throughputAtInteractivity(curve, 10)).toEqual({
      tputPerGpu: 480,
      clamped: true,
      side: "slower",
    });
  });
});
