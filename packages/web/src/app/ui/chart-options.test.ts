import { describe, expect, it } from "vitest";
import { compareOption } from "./chart-options.js";

describe("compareOption", () => {
  it("starts the bars' value axis at zero, so bar heights compare as the values do", () => {
    const option = compareOption(
      {
        target: 40,
        bars: [
          { key: "a", label: "sglang", value: 447 },
          { key: "b", label: "sim", value: 243 },
        ],
      },
      "tput/GPU (tok/s/GPU)",
      new Map(),
    );
    expect(option.yAxis.scale).toBe(false);
  });
});
