import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, KEY_A, KEY_B } from "../../../test/helpers/make-point.js";
import { buildCompare } from "../logic/compare-bars.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { ratioHeadline, withRatioHeadline } from "./ratio-headline.js";

const items = [...GROUP_A, ...GROUP_B];

describe("ratioHeadline", () => {
  it("headlines the ratio with the metric and the target, and says when lower is better", () => {
    const r = buildCompare(items, { ...DEFAULT_STATE, target: 20, pair: [KEY_B, KEY_A] });
    const [b, a] = r.bars.map((bar) => bar.label);
    expect(ratioHeadline(r, "tput/GPU (tok/s/GPU)", "higher")).toBe(
      `${b} / ${a} = 1.88× tput/GPU (tok/s/GPU) at 20.0 tok/s/user`,
    );
    expect(ratioHeadline(r, "$/M total tok (hyperscaler)", "lower")).toBe(
      `${b} / ${a} = 1.88× $/M total tok (hyperscaler) at 20.0 tok/s/user (lower is better)`,
    );
    const out = buildCompare(items, { ...DEFAULT_STATE, target: 35, pair: [KEY_B, KEY_A] });
    expect(ratioHeadline(out, "tput/GPU (tok/s/GPU)", "higher")).toBe(
      `${b} / ${a} at 35.0 tok/s/user: B: intvty 35.0 is outside the frontier's range 10.0-30.0 tok/s/user; never extrapolated`,
    );
  });

  it("puts the headline under the exported chart's subtitle, and leaves a chart without a pair as it is", () => {
    const option = { title: { text: "t", subtext: "dsr1 · ISL/OSL 1024/1024" }, grid: { top: 58 } };
    const r = buildCompare(items, { ...DEFAULT_STATE, target: 20, pair: [KEY_B, KEY_A] });
    expect(withRatioHeadline(option, r, "A / B = 1.88×")).toEqual({
      title: {
        text: "t",
        subtext: "dsr1 · ISL/OSL 1024/1024\nA / B = 1.88×",
        subtextStyle: { lineHeight: 16 },
      },
      grid: { top: 76 },
    });
    const none = buildCompare(items, { ...DEFAULT_STATE, target: 20 });
    expect(withRatioHeadline(option, none, "unused")).toBe(option);
  });

  it("says that A or B is hidden in the legend rather than asking to select two groups", () => {
    const r = buildCompare(items, { ...DEFAULT_STATE, pair: [KEY_B, KEY_A], hidden: [KEY_A] });
    expect(r.ratio).toBeUndefined();
    expect(ratioHeadline(r, "y", "higher")).toBe(
      "A or B is hidden in the legend: show it again to see the ratio.",
    );
    const none = buildCompare(items, { ...DEFAULT_STATE, hidden: [KEY_A] });
    expect(ratioHeadline(none, "y", "higher")).toBe(
      "Select two groups (A and B) to see their ratio.",
    );
  });

  it("names A or B when the filters leave its group out, rather than asking to select two groups", () => {
    // a link's or an earlier choice's pair, with a filter (here GPU b200) that leaves A's group out
    const r = buildCompare(
      items.filter((i) => i.point.config.hardware === "b200"),
      { ...DEFAULT_STATE, pair: [KEY_A, KEY_B] },
    );
    expect(r.ratio).toBeUndefined();
    expect(ratioHeadline(r, "y", "higher")).toBe(
      "A (dsr1 1024/1024 h200 sglang fp8 agg) is not among the groups these filters show: choose another A, or widen the filters.",
    );
    const both = buildCompare([], { ...DEFAULT_STATE, pair: [KEY_A, KEY_B] });
    expect(ratioHeadline(both, "y", "higher")).toBe(
      "A (dsr1 1024/1024 h200 sglang fp8 agg) and B (dsr1 1024/1024 b200 sglang fp8 agg) are not among the groups these filters show: choose others, or widen the filters.",
    );
  });
});
