import { describe, expect, it } from "vitest";
import { drawnLabels } from "./drawn-labels.js";

const group = (hardware: string, framework: string, precision = "fp8") => ({
  key: `dsr1|1024|1024|random|${hardware}|${framework}|${precision}|none|agg`,
  dims: {
    model: "dsr1",
    isl: "1024",
    osl: "1024",
    workload: "random",
    hardware,
    framework,
    precision,
    spec: "none",
    disaggregated: "agg",
  },
});
const h200 = group("h200", "sglang");
const b200 = group("b200", "trt", "fp4");
const sglang = group("mi355x", "sglang");
const atom = group("mi355x", "atom");
const groups = [h200, b200, sglang, atom];
const none = new Set<string>();

describe("drawnLabels", () => {
  it("labels and subtitle from the groups with data: together they name each group once", () => {
    const l = drawnLabels(groups, new Set([sglang.key, atom.key]), none);
    expect(l.subtitle).toBe("dsr1 · ISL/OSL 1024/1024 · mi355x · fp8 · no spec decoding · agg");
    expect(Object.fromEntries(l.labels)).toEqual({
      [sglang.key]: "sglang",
      [atom.key]: "atom",
      // without data: without what all four share
      [h200.key]: "h200 sglang fp8",
      [b200.key]: "b200 trt fp4",
    });
  });

  it("one group alone with data: its label sets it apart from the others, the subtitle says what all share", () => {
    const l = drawnLabels(groups, new Set([sglang.key]), none);
    // it was "mi355x sglang fp8" under "dsr1 · ISL/OSL 1024/1024 · mi355x · sglang · fp8 · no spec decoding · agg"
    expect(l.subtitle).toBe("dsr1 · ISL/OSL 1024/1024 · no spec decoding · agg");
    expect(l.labels.get(sglang.key)).toBe("mi355x sglang fp8");
  });

  it("a legend toggle changes the subtitle, never the labels", () => {
    const l = drawnLabels(groups, new Set([sglang.key, atom.key]), new Set([atom.key]));
    expect(l.subtitle).toBe(
      "dsr1 · ISL/OSL 1024/1024 · mi355x · sglang · fp8 · no spec decoding · agg",
    );
    expect(l.labels.get(sglang.key)).toBe("sglang");
    // the one group with data hidden: nothing is drawn, so nothing is shared
    expect(drawnLabels(groups, new Set([sglang.key]), new Set([sglang.key])).subtitle).toBe("");
  });

  it("nothing with data: no subtitle, every label without what all share", () => {
    const l = drawnLabels(groups, none, none);
    expect(l.subtitle).toBe("");
    expect(l.labels.get(atom.key)).toBe("mi355x atom fp8");
  });

  it("a single group: its full label and configuration, as ever", () => {
    const l = drawnLabels([sglang], new Set([sglang.key]), none);
    expect(l.subtitle).toBe(
      "dsr1 · ISL/OSL 1024/1024 · mi355x · sglang · fp8 · no spec decoding · agg",
    );
    expect(l.labels.get(sglang.key)).toBe("dsr1 1024/1024 mi355x sglang fp8 agg");
  });
});
