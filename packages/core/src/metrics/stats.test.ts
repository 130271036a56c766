import { describe, expect, it } from "vitest";
import { mapStats, maxOf, minOf, NumberList, percentileSorted, summarize } from "./stats.js";

// Expected values computed with numpy 2.4.6: np.percentile(x, q) (method="linear"), np.mean, np.std (population).
const SAMPLE = [0.12, 0.5, 0.031, 2.4, 1.1, 0.77, 0.05, 3.3, 0.9, 0.42, 1.7];

describe("percentileSorted", () => {
  it("interpolates linearly between closest ranks, as numpy does", () => {
    const sorted = [...SAMPLE].sort((a, b) => a - b);
    expect(percentileSorted(sorted, 50)).toBeCloseTo(0.77, 12);
    expect(percentileSorted(sorted, 90)).toBeCloseTo(2.4, 12);
    expect(percentileSorted(sorted, 99)).toBeCloseTo(3.21, 12);
    expect(percentileSorted(sorted, 99.9)).toBeCloseTo(3.291, 12);
  });

  it("handles the edges and one-element samples", () => {
    expect(percentileSorted([1, 2, 3, 4, 5, 6, 7], 90)).toBeCloseTo(6.4, 12);
    expect(percentileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(percentileSorted([1, 2, 3, 4], 100)).toBe(4);
    expect(percentileSorted([42], 99)).toBe(42);
    expect(percentileSorted([], 50)).toBeNaN();
  });
});

describe("summarize", () => {
  it("gives mean, median, population std and tail percentiles", () => {
    const s = summarize(SAMPLE)!;
    expect(s.mean).toBeCloseTo(1.0264545454545455, 12);
    expect(s.std).toBeCloseTo(1.0003391573621747, 12);
    expect(s.median).toBeCloseTo(0.77, 12);
    expect(s.p90).toBeCloseTo(2.4, 12);
    expect(s.p99).toBeCloseTo(3.21, 12);
    expect(s.p999).toBeCloseTo(3.291, 12);
    expect(s.count).toBe(11);
  });

  it("is undefined for an empty sample", () => {
    expect(summarize([])).toBeUndefined();
  });

  it("mapStats applies a function to every statistic but the count", () => {
    expect(mapStats({ mean: 0.02, median: 0.025, count: 3 }, (x) => 1 / x)).toEqual({
      mean: 50,
      median: 40,
      count: 3,
    });
  });

  it("mapStats leaves out statistics that map to a non-finite value", () => {
    expect(mapStats({ mean: 0.02, std: 0, count: 1 }, (x) => 1 / x)).toEqual({
      mean: 50,
      count: 1,
    });
  });
});

describe("minOf and maxOf", () => {
  it("agree with Math.min and Math.max, NaN and no values included", () => {
    for (const values of [[3, -1, 2], [5], [], [1, Number.NaN, 0]]) {
      expect(minOf(values)).toBe(Math.min(...values));
      expect(maxOf(values)).toBe(Math.max(...values));
    }
  });

  it("take more values than a call takes arguments", () => {
    const values = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_001);
    expect(() => Math.max(...values)).toThrow(RangeError);
    expect(minOf(values)).toBe(0);
    expect(maxOf(values)).toBe(values.reduce((a, b) => Math.max(a, b)));
    expect(maxOf(values)).toBeGreaterThan(299_000);
  });
});

describe("NumberList", () => {
  it("keeps every number pushed, in order, past its first capacity", () => {
    const list = new NumberList();
    const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 1000);
    for (const v of values) list.push(v);
    expect(list.length).toBe(5000);
    expect(Array.from(list.view())).toEqual(values);
    expect(summarize(list.view())).toEqual(summarize(values));
    expect(new NumberList().view().length).toBe(0);
  });
});
