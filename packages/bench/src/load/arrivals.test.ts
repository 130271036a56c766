import { describe, expect, it } from "vitest";
import { createRng } from "../rng.js";
import { interArrivals } from "./arrivals.js";

function moments(xs: number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, cv: Math.sqrt(variance) / mean };
}

describe("interArrivals", () => {
  it("draws Poisson gaps with mean 1/rate, CV 1 and the exponential's tail (seeded, 50k draws)", () => {
    const gap = interArrivals(20, "poisson", 1, createRng(12345));
    const xs = Array.from({ length: 50_000 }, gap);
    const { mean, cv } = moments(xs);
    expect(mean).toBeGreaterThan(49); // 50 ms expected; standard error 0.22 ms
    expect(mean).toBeLessThan(51);
    expect(cv).toBeGreaterThan(0.98);
    expect(cv).toBeLessThan(1.02);
    // P(gap > mean) = e^-1 = 0.3679 for an exponential
    const tail = xs.filter((x) => x > 50).length / xs.length;
    expect(Math.abs(tail - Math.exp(-1))).toBeLessThan(0.01);
    // counts per 1 s window are Poisson(20): variance equals mean
    const counts: number[] = [];
    let t = 0;
    let window = 0;
    let n = 0;
    for (const x of xs) {
      t += x;
      while (t >= (window + 1) * 1000) {
        counts.push(n);
        n = 0;
        window++;
      }
      n++;
    }
    const c = moments(counts);
    expect(c.mean).toBeGreaterThan(19.5);
    expect(c.mean).toBeLessThan(20.5);
    const dispersion = (c.cv * c.mean) ** 2 / c.mean;
    expect(dispersion).toBeGreaterThan(0.9);
    expect(dispersion).toBeLessThan(1.1);
  });

  it("draws gamma gaps whose CV is 1/sqrt(burstiness), and constant gaps", () => {
    const bursty = moments(
      Array.from({ length: 50_000 }, interArrivals(10, "gamma", 0.25, createRng(9))),
    );
    expect(bursty.mean).toBeGreaterThan(97);
    expect(bursty.mean).toBeLessThan(103);
    expect(bursty.cv).toBeGreaterThan(1.9); // expected 2
    expect(bursty.cv).toBeLessThan(2.1);
    const smooth = moments(
      Array.from({ length: 50_000 }, interArrivals(10, "gamma", 4, createRng(9))),
    );
    expect(smooth.cv).toBeGreaterThan(0.48); // expected 0.5
    expect(smooth.cv).toBeLessThan(0.52);
    expect(interArrivals(4, "constant", 1, createRng(1))()).toBe(250);
  });
});
