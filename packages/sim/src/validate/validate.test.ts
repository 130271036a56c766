import { describe, expect, it } from "vitest";
import { curveConcurrencies, predictedCurve } from "./validate.js";

// A toy engine: the batch runs at 10 ms + 0.1 ms per request, up to `cap` requests at once.
const toy =
  (cap: number) =>
  (concurrency: number): { intvty: number; tputPerGpu: number } => {
    const batch = Math.min(concurrency, cap);
    const tpot = 0.01 + 0.0001 * batch;
    return { intvty: 1 / tpot, tputPerGpu: batch / tpot };
  };

describe("predictedCurve", () => {
  it("is the ladder when the ladder already reaches the slowest measured point", () => {
    const curve = predictedCurve(toy(1e9), 64, 60);
    expect(curve).toHaveLength(curveConcurrencies(64).length);
  });

  it("extends past the ladder until it is as slow as the slowest measured point", () => {
    // the ladder ends at 256 requests (40 tok/s/user); a point measured at 10 tok/s/user needs ~900
    const curve = predictedCurve(toy(1e9), 64, 10);
    expect(curve.length).toBeGreaterThan(curveConcurrencies(64).length);
    expect(curve.at(-1)!.intvty).toBeLessThanOrEqual(10);
    expect(curve.at(-2)!.intvty).toBeGreaterThan(10);
  });

  it("stops where the throughput stops rising (a capped batch)", () => {
    const ladder = curveConcurrencies(64).length;
    const curve = predictedCurve(toy(300), 64, 1);
    // the ladder (to 256), then steps to 300 and one more step that no longer gains
    expect(curve.length).toBeLessThan(ladder + 5);
    expect(curve.at(-1)!.tputPerGpu).toBe(curve.at(-2)!.tputPerGpu);
  });
});
