import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, KEY_A, KEY_B, makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { buildCompare } from "./compare-bars.js";

const items = [...GROUP_A, ...GROUP_B];

describe("buildCompare", () => {
  it("interpolates each group's frontier at the target and gives the ratio of the pair", () => {
    const r = buildCompare(items, { ...DEFAULT_STATE, target: 20, pair: [KEY_B, KEY_A] });
    // A: a knot (20, 800); B: two knots, a straight line 2000 -> 500 over 10..40: 2000 - 1500 * 10 / 30 = 1500
    expect(r.bars.map((b) => [b.key, b.value])).toEqual([
      [KEY_B, 1500],
      [KEY_A, 800],
    ]);
    expect(r.bars[1]!.range).toEqual([10, 30]);
    expect(r.ratio?.value).toBe(1500 / 800);
  });

  it("never extrapolates: a target outside a frontier gives a reason, and the ratio says why it is missing", () => {
    const r = buildCompare(items, { ...DEFAULT_STATE, target: 35, pair: [KEY_B, KEY_A] });
    expect(r.bars[0]!.value).toBe(750);
    expect(r.bars[1]!.value).toBeUndefined();
    expect(r.bars[1]!.reason).toMatch(/outside the frontier's range 10.0-30.0/);
    // which side has none, and why, as `infermark compare` says it
    expect(r.ratio).toMatchObject({ reason: `B: ${r.bars[1]!.reason}` });
    const neither = buildCompare(items, { ...DEFAULT_STATE, target: 45, pair: [KEY_A, KEY_B] });
    expect(neither.ratio?.reason).toBe(
      "A: intvty 45.0 is outside the frontier's range 10.0-30.0 tok/s/user; never extrapolated; B: intvty 45.0 is outside the frontier's range 10.0-40.0 tok/s/user; never extrapolated",
    );
  });

  it("leaves hidden groups out", () => {
    const r = buildCompare(items, { ...DEFAULT_STATE, hidden: [KEY_A] });
    expect(r.bars.map((b) => b.key)).toEqual([KEY_B]);
  });

  it("names every group with a value at the target, hidden or not: the groups the chart's labels come from", () => {
    expect(buildCompare(items, { ...DEFAULT_STATE, target: 20, hidden: [KEY_A] }).valued).toEqual([
      KEY_B,
      KEY_A,
    ]);
    // A's frontier ends at 30
    expect(buildCompare(items, { ...DEFAULT_STATE, target: 35 }).valued).toEqual([KEY_B]);
  });

  it("sorts the bars by value, best first (descending, or ascending where lower is better), stably", () => {
    // a straight frontier per GPU, (10, 1.5 v) to (30, 0.5 v): v at 20
    const flat = (hardware: string, v: number) => [
      makeItem({ id: `${hardware}-1`, hardware, concurrency: 1, intvty: 10, tput: 1.5 * v }),
      makeItem({ id: `${hardware}-2`, hardware, concurrency: 2, intvty: 30, tput: 0.5 * v }),
    ];
    // grouped in GPU order: b200, b300, h100, h200, mi300x (no value at 20: its frontier starts at 30)
    const set = [
      ...flat("b200", 500),
      ...flat("b300", 900),
      ...flat("h100", 300),
      ...flat("h200", 900),
      makeItem({ id: "m1", hardware: "mi300x", concurrency: 1, intvty: 30, tput: 5000 }),
      makeItem({ id: "m2", hardware: "mi300x", concurrency: 2, intvty: 40, tput: 4000 }),
    ];
    const gpu = (key: string) => key.split("|")[4];
    const tput = buildCompare(set, { ...DEFAULT_STATE, target: 20 });
    // the tie (b300, h200 at 900) keeps the groups' order; a bar without a value comes last
    expect(tput.bars.map((b) => [gpu(b.key), b.value])).toEqual([
      ["b300", 900],
      ["h200", 900],
      ["b200", 500],
      ["h100", 300],
      ["mi300x", undefined],
    ]);
    const cost = buildCompare(set, { ...DEFAULT_STATE, target: 20, y: "costPerMillionTotal" });
    const values = cost.bars.map((b) => b.value).filter((v) => v !== undefined);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(cost.bars.map((b) => gpu(b.key)).at(-1)).toBe("mi300x");
    expect(values).toHaveLength(4);
  });
});
