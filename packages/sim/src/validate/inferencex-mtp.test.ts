import { describe, expect, it } from "vitest";
import { defaultAcceptanceLength } from "../config/defaults.js";
import { inferencexMtpDraftTokens } from "./inferencex-mtp.js";

const key = (
  framework: string,
  over: Partial<Parameters<typeof inferencexMtpDraftTokens>[0]> = {},
) =>
  inferencexMtpDraftTokens({
    framework,
    hardware: "b200",
    precision: "fp8",
    isl: 1024,
    osl: 1024,
    decodeDpAttention: false,
    concurrency: 64,
    ...over,
  });

describe("InferenceX MTP recipes", () => {
  it("takes each framework's depth from its recipe", () => {
    expect(key("sglang")).toBe(2);
    expect(key("sglang", { hardware: "mi355x" })).toBe(3);
    expect(key("dynamo-sglang", { hardware: "h100" })).toBe(2);
    expect(key("dynamo-sglang", { precision: "fp4", isl: 8192 })).toBe(3);
    expect(key("dynamo-sglang", { precision: "fp4" })).toBe(2);
    expect(key("dynamo-sglang", { precision: "fp4", decodeDpAttention: true, isl: 8192 })).toBe(2);
    expect(key("dynamo-sglang", { decodeDpAttention: true, decodeWorkers: 2 })).toBe(1);
    expect(key("dynamo-sglang", { decodeDpAttention: true, decodeWorkers: 5 })).toBe(2);
    expect(key("mori-sglang", { hardware: "mi355x" })).toBe(2);
    expect(key("mori-sglang", { hardware: "mi355x", decodeDpAttention: true })).toBe(1);
    expect(key("trt")).toBe(3);
    expect(key("trt", { decodeDpAttention: true })).toBe(1);
    expect(key("dynamo-trt", { concurrency: 896 })).toBe(3);
    expect(key("dynamo-trt", { concurrency: 1600 })).toBe(2);
    expect(key("dynamo-trt", { isl: 8192, concurrency: 1088 })).toBe(2);
    expect(
      key("dynamo-trt", { hardware: "gb300", precision: "fp4", isl: 8192, concurrency: 1127 }),
    ).toBe(3);
    expect(key("dynamo-trt", { hardware: "gb200", precision: "fp4", concurrency: 16130 })).toBe(1);
    expect(key("dynamo-trt", { hardware: "h200", isl: 8192, concurrency: 128 })).toBe(2);
    expect(key("dynamo-trt", { hardware: "h100", concurrency: 615 })).toBe(2);
    // a row of no listed recipe (another date or concurrency) follows the recipes' trend
    expect(key("dynamo-trt", { hardware: "gb200", precision: "fp4", concurrency: 6000 })).toBe(1);
    expect(key("dynamo-trt", { hardware: "gb200", precision: "fp4", concurrency: 300 })).toBe(3);
    expect(key("atom", { hardware: "mi355x" })).toBe(3);
    expect(key("atom", { hardware: "mi355x", precision: "fp4" })).toBe(1);
  });
});

describe("default acceptance length", () => {
  it("sums p^i over the drafts, the bonus token included", () => {
    expect(defaultAcceptanceLength(0, 0.7)).toBe(1);
    expect(defaultAcceptanceLength(1, 0.7)).toBeCloseTo(1.7, 12);
    expect(defaultAcceptanceLength(3, 0.7)).toBeCloseTo(1 + 0.7 + 0.49 + 0.343, 12);
    expect(defaultAcceptanceLength(2, 1)).toBe(3);
  });
});
