import { describe, expect, it } from "vitest";
import { chartSubtitle } from "./chart-subtitle.js";

const dims = (hardware: string, framework: string, spec = "none", isl = "1024") => ({
  model: "dsr1",
  isl,
  osl: "1024",
  hardware,
  framework,
  precision: "fp8",
  spec,
  disagg: "agg",
});

describe("chartSubtitle", () => {
  it("names the model, workload, GPU and every other dimension the groups share", () => {
    // the audit's example: h200, sglang (with and without MTP) and the simulator
    expect(
      chartSubtitle([
        { key: "a", dims: dims("h200", "sglang", "mtp") },
        { key: "b", dims: dims("h200", "sglang") },
        { key: "c", dims: dims("h200", "sim") },
      ]),
    ).toBe("dsr1 · ISL/OSL 1024/1024 · h200 · fp8 · agg");
  });

  it("spells out a shared absence of speculative decoding", () => {
    expect(
      chartSubtitle([
        { key: "a", dims: dims("h200", "sglang") },
        { key: "b", dims: dims("b200", "sglang") },
      ]),
    ).toBe("dsr1 · ISL/OSL 1024/1024 · sglang · fp8 · no spec decoding · agg");
  });

  it("leaves the workload out when the groups' ISL or OSL differ", () => {
    expect(
      chartSubtitle([
        { key: "a", dims: dims("h200", "sglang") },
        { key: "b", dims: dims("h200", "sglang", "none", "8192") },
      ]),
    ).toBe("dsr1 · h200 · sglang · fp8 · no spec decoding · agg");
  });

  it("describes a single group fully, and no group with nothing", () => {
    expect(chartSubtitle([{ key: "a", dims: dims("b200", "trt", "mtp") }])).toBe(
      "dsr1 · ISL/OSL 1024/1024 · b200 · trt · fp8 · mtp · agg",
    );
    expect(chartSubtitle([])).toBe("");
  });
});
