import { describe, expect, it } from "vitest";
import { autoWorkersLine, notRunLine, unsetConfigWarning } from "./print-bench-result.js";

describe("autoWorkersLine", () => {
  it("says how many threads --workers auto took, and nothing when it took none or the count was given", () => {
    expect(autoWorkersLine("auto", 14, 16)).toBe(
      "infermark: sending and stamping on 14 client threads (--workers auto: one per 64 streams of the largest level, on this machine's 16 cores; --workers 0 keeps them on the main thread)",
    );
    expect(autoWorkersLine("auto", 0, 2)).toBe(undefined);
    expect(autoWorkersLine(4, 4, 16)).toBe(undefined);
  });
});

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

describe("notRunLine", () => {
  it("names the levels a run stopped before, and why when the server stopped answering", () => {
    expect(notRunLine({ notRun: [] })).toBe(undefined);
    // a Ctrl-C between levels: every level run was whole, yet the run is not (exit 1)
    expect(notRunLine({ notRun: ["c4", "c8"] })).toBe("infermark: stopped before c4, c8 (not run)");
    expect(
      notRunLine({
        notRun: ["c8"],
        stopReason:
          "the server at http://h:8000 stopped answering during c4 (connect: ECONNREFUSED)",
      }),
    ).toBe(
      "infermark: the server at http://h:8000 stopped answering during c4 (connect: ECONNREFUSED); stopped before c8 (not run)",
    );
  });
});
