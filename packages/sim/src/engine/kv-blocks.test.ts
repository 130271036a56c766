import { getModel, type ModelSpec } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { kvLayout, unitsFor } from "./kv-blocks.js";

/** Llama 70B's shape with `sliding` of its 80 layers sliding over `window` tokens. */
const withSliding = (sliding: number, window: number): ModelSpec => {
  const m = getModel("llama70b");
  if (m.attention.kind !== "gqa") throw new Error("llama70b is GQA");
  return { ...m, attention: { ...m.attention, slidingLayers: sliding, slidingWindow: window } };
};

describe("KV layout", () => {
  it("is one unit per block in every layer without sliding-window layers", () => {
    expect(kvLayout(getModel("llama70b"))).toEqual({
      full: 1,
      sliding: 0,
      window: Number.POSITIVE_INFINITY,
    });
    expect(kvLayout(getModel("dsr1")).sliding).toBe(0);
    expect(unitsFor(kvLayout(getModel("llama70b")), 1000, 64)).toBe(16);
  });

  it("groups the layers by the largest count that divides both kinds, as vLLM does", () => {
    // gpt-oss: 18 and 18; Gemma 3 1B: 4 full and 22 sliding of 26; Mistral-7B-v0.1: every layer slides
    expect(kvLayout(getModel("gptoss120b"))).toEqual({ full: 1, sliding: 1, window: 128 });
    expect(kvLayout(withSliding(20, 1024))).toEqual({ full: 3, sliding: 1, window: 1024 });
    expect(kvLayout(withSliding(80, 4096))).toEqual({ full: 0, sliding: 1, window: 4096 });
  });

  it("holds every block in full layers and the window's in sliding ones", () => {
    const kv = { full: 3, sliding: 1, window: 1024 };
    // 1000 tokens: 16 blocks in each kind; 10,000: 157 full, 16 sliding
    expect(unitsFor(kv, 1000, 64)).toBe(3 * 16 + 16);
    expect(unitsFor(kv, 10_000, 64)).toBe(3 * 157 + 16);
    expect(unitsFor({ full: 0, sliding: 1, window: 4096 }, 10_000, 64)).toBe(64);
  });
});
