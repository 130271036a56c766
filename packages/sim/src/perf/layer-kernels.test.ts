import { getModel } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { layerUnits, REFERENCE_LAYER_KERNELS } from "./layer-kernels.js";

describe("layerUnits", () => {
  it("counts DeepSeek-R1's MoE layers as whole reference layers and its three dense layers as 20/28", () => {
    expect(REFERENCE_LAYER_KERNELS).toBe(28);
    expect(layerUnits(getModel("dsr1"))).toBeCloseTo(58 + (3 * 20) / 28, 10);
  });

  it("gives a dense GQA layer half the fixed cost of an MLA + MoE layer", () => {
    // Llama 3.3 70B: 80 layers of GQA (9 kernels) + dense FFN (5)
    expect(layerUnits(getModel("llama70b"))).toBeCloseTo(40, 10);
  });

  it("leaves the shared-expert kernels out of a MoE without shared experts", () => {
    // gpt-oss: 36 layers of GQA (9) + MoE without shared experts (9)
    expect(layerUnits(getModel("gptoss120b"))).toBeCloseTo((36 * 18) / 28, 10);
  });
});
