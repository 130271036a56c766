import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, KEY_A, KEY_B, makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { frontierLabels } from "./frontier-labels.js";
import { buildFrontierSeries } from "./frontier-series.js";

const KEY_SGLANG = "dsr1|1024|1024|random|mi355x|sglang|fp8|none|agg";
const KEY_ATOM = "dsr1|1024|1024|random|mi355x|atom|fp8|none|agg";
// measured J/token in two MI355X groups only, as in InferenceX's data (3 of 60 groups)
const measured = [
  makeItem({ id: "s1", hardware: "mi355x", concurrency: 1, intvty: 40, tput: 900, jPerToken: 1.2 }),
  makeItem({ id: "s2", hardware: "mi355x", concurrency: 2, intvty: 80, tput: 600, jPerToken: 2.3 }),
  makeItem({
    id: "t1",
    hardware: "mi355x",
    framework: "atom",
    concurrency: 1,
    intvty: 50,
    tput: 800,
    jPerToken: 0.9,
  }),
];
const items = [...GROUP_A, ...GROUP_B, ...measured];

describe("frontierLabels", () => {
  it("a sparse metric: the subtitle says what the drawn groups share, not what every group kept does", () => {
    const l = frontierLabels(
      buildFrontierSeries(items, { ...DEFAULT_STATE, y: "jPerToken" }).groups,
    );
    // built from all four groups it was "dsr1 · ISL/OSL 1024/1024 · fp8 · no spec decoding · agg"
    expect(l.subtitle).toBe("dsr1 · ISL/OSL 1024/1024 · mi355x · fp8 · no spec decoding · agg");
    expect(l.withPoints.map((g) => g.key)).toEqual([KEY_ATOM, KEY_SGLANG]);
    expect(l.empty.map((g) => g.key)).toEqual([KEY_B, KEY_A]);
    // the drawn groups' labels leave out what the subtitle says; the empty ones what all groups share
    expect(Object.fromEntries(l.labels)).toEqual({
      [KEY_ATOM]: "atom",
      [KEY_SGLANG]: "sglang",
      [KEY_B]: "b200 sglang",
      [KEY_A]: "h200 sglang",
    });
  });

  it("a hidden group is not drawn: the subtitle leaves it out, the labels stay as they were", () => {
    const l = frontierLabels(
      buildFrontierSeries(items, { ...DEFAULT_STATE, y: "jPerToken", hidden: [KEY_ATOM] }).groups,
    );
    expect(l.subtitle).toBe(
      "dsr1 · ISL/OSL 1024/1024 · mi355x · sglang · fp8 · no spec decoding · agg",
    );
    expect(l.labels.get(KEY_ATOM)).toBe("atom");
    expect(l.labels.get(KEY_SGLANG)).toBe("sglang");
  });

  it("one group alone with points: its label sets it apart, the subtitle says what all the groups share", () => {
    const one = [...GROUP_A, ...GROUP_B, ...measured.slice(0, 2)];
    const l = frontierLabels(buildFrontierSeries(one, { ...DEFAULT_STATE, y: "jPerToken" }).groups);
    // it was "dsr1 1024/1024 mi355x sglang fp8 agg" under "dsr1 · ISL/OSL 1024/1024 · mi355x · sglang · fp8 · ..."
    expect(l.subtitle).toBe("dsr1 · ISL/OSL 1024/1024 · sglang · fp8 · no spec decoding · agg");
    expect(l.labels.get(KEY_SGLANG)).toBe("mi355x");
    expect(l.withPoints.map((g) => g.key)).toEqual([KEY_SGLANG]);
  });

  it("every group with points: labels and subtitle as before", () => {
    const l = frontierLabels(buildFrontierSeries(items, DEFAULT_STATE).groups);
    expect(l.empty).toEqual([]);
    expect(l.subtitle).toBe("dsr1 · ISL/OSL 1024/1024 · fp8 · no spec decoding · agg");
    expect(l.labels.get(KEY_A)).toBe("h200 sglang");
  });
});
