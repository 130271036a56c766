import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, KEY_A, KEY_B } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { buildCompare } from "./compare-bars.js";
import { pairChoices } from "./pair-choices.js";

const items = [...GROUP_A, ...GROUP_B];

describe("pairChoices", () => {
  it("offers the groups with a value at the target, in the bars' order", () => {
    const both = buildCompare(items, { ...DEFAULT_STATE, target: 20 });
    const [b, a] = both.bars;
    expect(pairChoices(both.bars, [], "20.0 tok/s/user")).toEqual([
      { value: "", label: "(none)" },
      { value: KEY_B, label: b!.label },
      { value: KEY_A, label: a!.label },
    ]);
    // A's frontier ends at 30: at 35 only B has a value
    const one = buildCompare(items, { ...DEFAULT_STATE, target: 35 });
    expect(pairChoices(one.bars, ["", ""], "35.0 tok/s/user")).toEqual([
      { value: "", label: "(none)" },
      { value: KEY_B, label: b!.label },
    ]);
  });

  it("keeps a chosen group without a value listed, disabled, with why", () => {
    const r = buildCompare(items, { ...DEFAULT_STATE, target: 35, pair: [KEY_B, KEY_A] });
    const a = r.bars.find((bar) => bar.key === KEY_A)!;
    expect(pairChoices(r.bars, [KEY_B, KEY_A], "35.0 tok/s/user")).toEqual([
      { value: "", label: "(none)" },
      { value: KEY_B, label: r.bars[0]!.label },
      {
        value: KEY_A,
        label: `${a.label} (no value at 35.0 tok/s/user)`,
        title: a.reason,
        disabled: true,
      },
    ]);
    expect(a.reason).toMatch(/outside the frontier's range 10.0-30.0/);
  });
});
