import { describe, expect, it } from "vitest";
import { shortLabels } from "./short-labels.js";

const dims = (hardware: string, isl: string, spec = "none") => ({
  model: "dsr1",
  isl,
  osl: "1024",
  hardware,
  framework: "sglang",
  precision: "fp8",
  spec,
  disagg: "agg",
});

describe("shortLabels", () => {
  it("drops the dimensions every group shares", () => {
    const m = shortLabels([
      { key: "a", dims: dims("h200", "1024") },
      { key: "b", dims: dims("b200", "1024", "mtp") },
    ]);
    expect([...m.values()]).toEqual(["h200", "b200 mtp"]);
  });

  it("keeps ISL/OSL together when the workloads differ", () => {
    const m = shortLabels([
      { key: "a", dims: dims("h200", "1024") },
      { key: "b", dims: dims("h200", "8192") },
    ]);
    expect([...m.values()]).toEqual(["1024/1024", "8192/1024"]);
  });

  it("names the group without speculative decoding when spec is all that differs", () => {
    const m = shortLabels([
      { key: "a", dims: dims("h200", "1024", "mtp") },
      { key: "b", dims: dims("h200", "1024") },
    ]);
    expect([...m.values()]).toEqual(["mtp", "no spec decoding"]);
  });

  it("keeps a single group's full label", () => {
    expect(shortLabels([{ key: "a", dims: dims("h200", "1024") }]).get("a")).toBe(
      "dsr1 1024/1024 h200 sglang fp8 agg",
    );
  });
});
