import { describe, expect, it } from "vitest";
import { unsetConfigWarning } from "./print-bench-result.js";

describe("unsetConfigWarning", () => {
  it("names each configuration flag left to its default and what the points record for it", () => {
    expect(unsetConfigWarning({ hardware: "h200", precision: "fp8" })).toBe(
      "infermark: warning: without --gpus the points record 1 GPU (throughput per GPU counts one)",
    );
    expect(unsetConfigWarning({ gpus: 8 })).toBe(
      "infermark: warning: without --hardware, --precision the points record hardware unknown (no cost or energy), precision unknown",
    );
    // the two pools of a disaggregated server count as GPUs given
    expect(
      unsetConfigWarning({ prefillGpus: 2, decodeGpus: 6, hardware: "h200", precision: "fp8" }),
    ).toBe(undefined);
  });
});
