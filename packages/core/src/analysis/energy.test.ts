import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PowerSample } from "../schemas/point-result.js";
import { measuredEnergy } from "./energy.js";

const samplesOf = (
  gpus: number,
  from: number,
  to: number,
  every: number,
  watts: (g: number, t: number) => number,
) => {
  const out: PowerSample[] = [];
  for (let g = 0; g < gpus; g++)
    for (let t = from; t <= to; t += every) out.push({ t, gpu: g, watts: watts(g, t) });
  return out;
};

describe("measuredEnergy", () => {
  it("trapezoid energy of a constant power is power x time x GPUs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 1, max: 1500, noNaN: true }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.integer({ min: 50, max: 3000 }),
        (gpus, watts, start, length, every) => {
          const samples = samplesOf(
            gpus,
            start - every,
            start + length + every,
            every,
            () => watts,
          );
          const e = measuredEnergy({
            samples,
            window: { startMs: start, endMs: start + length },
            gpus,
          });
          expect(e.valid).toBe(true);
          // relative tolerance: sums of up to 12,000 trapezoids of megajoules round in the last bits
          const expected = watts * (length / 1000) * gpus;
          expect(Math.abs(e.energyJ! - expected) / expected).toBeLessThan(1e-9);
          expect(Math.abs(e.avgPowerW! - watts) / watts).toBeLessThan(1e-9);
        },
      ),
    );
  });

  it("hand example: a ramp, edges interpolated, J per token per role", () => {
    // GPU 0: 100 W at t=0, 300 W at t=2000 (ramp); GPU 1: 200 W flat. Window 500..1500 ms (1 s).
    // GPU 0 on the window: 150 W at 500, 250 W at 1500, mean 200 W -> 200 J; GPU 1: 200 J. Total 400 J.
    const samples: PowerSample[] = [
      { t: 0, gpu: 0, watts: 100 },
      { t: 2000, gpu: 0, watts: 300 },
      { t: 0, gpu: 1, watts: 200 },
      { t: 1000, gpu: 1, watts: 200 },
      { t: 2000, gpu: 1, watts: 200 },
    ];
    const e = measuredEnergy({
      samples,
      window: { startMs: 500, endMs: 1500 },
      gpus: 2,
      tokens: { input: 100, output: 40 },
      roles: { prefill: [0], decode: [1] },
      sampler: "nvidia-smi",
    });
    expect(e).toEqual({
      kind: "measured",
      sampler: "nvidia-smi",
      energyJ: 400,
      avgPowerW: 200,
      valid: true,
      reasons: [],
      jPerTotalToken: 400 / 140,
      jPerInputToken: 200 / 100, // prefill GPU 0's 200 J over 100 input tokens
      jPerOutputToken: 200 / 40, // decode GPU 1's 200 J over 40 output tokens
    });
  });

  it("is invalid, with reasons, on a gap over 3 s, an unbracketed window or a GPU count mismatch", () => {
    const flat = samplesOf(2, 0, 10_000, 1000, () => 500);
    const gap = flat.filter((s) => !(s.gpu === 1 && s.t > 3000 && s.t < 7000)); // GPU 1: 3000 -> 7000
    expect(
      measuredEnergy({ samples: gap, window: { startMs: 1000, endMs: 9000 }, gpus: 2 }),
    ).toEqual({
      kind: "measured",
      valid: false,
      reasons: ["GPU 1: a sample gap of 4000 ms inside the window exceeds 3000 ms"],
    });
    expect(
      measuredEnergy({ samples: flat, window: { startMs: 1000, endMs: 12_000 }, gpus: 2 }).reasons,
    ).toEqual([
      "GPU 0: samples do not bracket the measured window",
      "GPU 1: samples do not bracket the measured window",
    ]);
    expect(
      measuredEnergy({ samples: flat, window: { startMs: 1000, endMs: 9000 }, gpus: 4 }).reasons,
    ).toEqual(["power samples cover 2 GPUs but the configuration has 4"]);
    // a 3 s gap exactly is allowed
    const edge = flat.filter((s) => !(s.t === 4000 || s.t === 5000));
    expect(
      measuredEnergy({ samples: edge, window: { startMs: 1000, endMs: 9000 }, gpus: 2 }).valid,
    ).toBe(true);
  });

  it("names a gap just over 3 s by its size, not rounded down to the limit", () => {
    const samples = [
      { t: 0, gpu: 0, watts: 500 },
      { t: 3001, gpu: 0, watts: 500 },
    ];
    expect(
      measuredEnergy({ samples, window: { startMs: 0, endMs: 3001 }, gpus: 1 }).reasons,
    ).toEqual(["GPU 0: a sample gap of 3001 ms inside the window exceeds 3000 ms"]);
  });

  it("is invalid when a role names a GPU that has no power samples (was 0 J per token)", () => {
    // two GPUs sampled as ids 0 and 1, so the count matches, but the roles name ids 2 and 3
    const flat = samplesOf(2, 0, 10_000, 1000, () => 500);
    const e = measuredEnergy({
      samples: flat,
      window: { startMs: 1000, endMs: 9000 },
      gpus: 2,
      tokens: { input: 100, output: 40 },
      roles: { prefill: [2], decode: [1, 3] },
    });
    expect(e).toEqual({
      kind: "measured",
      valid: false,
      reasons: [
        "prefill GPU 2 has no power samples (sampled: 0, 1)",
        "decode GPU 3 has no power samples (sampled: 0, 1)",
      ],
    });
  });
});
