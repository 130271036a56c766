import { describe, expect, it } from "vitest";
import { makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { pointYLabel, Y_CHOICES, yLabel } from "./metrics.js";

describe("yLabel", () => {
  it("energy per token: measured or reported, as the axis draws both (an import's rows report theirs)", () => {
    // it said "J/token (measured)" over InferenceX's reported energy
    expect(yLabel("jPerToken", DEFAULT_STATE)).toBe("J/token (measured or reported)");
    expect(Y_CHOICES.find((c) => c.id === "jPerToken")?.label).toBe("J/token (meas./reported)");
    expect(yLabel("provisionedJPerToken", DEFAULT_STATE)).toBe("J/token (provisioned)");
  });

  it("the pricing of a cost metric", () => {
    expect(yLabel("costPerMillionTotal", { tier: "neocloud", price: 2 })).toBe(
      "$/M total tok (neocloud)",
    );
    expect(yLabel("costPerMillionTotal", { tier: "custom", price: 2.5 })).toBe(
      "$/M total tok ($2.5/GPU-h)",
    );
  });
});

describe("pointYLabel", () => {
  it("a point's energy per token says whether it was measured or reported", () => {
    const measured = makeItem({ id: "m", concurrency: 1, intvty: 10, tput: 100, jPerToken: 1 });
    const reported = makeItem({ id: "r", concurrency: 1, intvty: 10, tput: 100, jPerToken: 1 });
    reported.point.energy!.kind = "reported";
    expect(pointYLabel("jPerToken", DEFAULT_STATE, measured.point)).toBe("J/token (measured)");
    expect(pointYLabel("jPerToken", DEFAULT_STATE, reported.point)).toBe("J/token (reported)");
    // other metrics: the axis' label
    expect(pointYLabel("tputPerGpu", DEFAULT_STATE, reported.point)).toBe(
      yLabel("tputPerGpu", DEFAULT_STATE),
    );
  });
});
