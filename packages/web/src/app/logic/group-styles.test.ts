import { describe, expect, it } from "vitest";
import { groupStyles, HARDWARE_COLORS, hardwareColor, styleKey } from "./group-styles.js";

/** `n` groups on each GPU, keyed as core keys them (hardware first among the dimensions that vary here). */
const groups = (perGpu: Record<string, number>) =>
  Object.entries(perGpu).flatMap(([hardware, n]) =>
    Array.from({ length: n }, (_, i) => ({
      key: `dsr1|1024|1024|${hardware}|fw${i}`,
      dims: { hardware },
    })),
  );

describe("groupStyles", () => {
  it("gives every group a look of its own: no two share (color, symbol, dash), even 61 groups or 40 on one GPU", () => {
    // the InferenceX 1024/1024 snapshot's groups per GPU, and a crowded GPU past the 32 (symbol, dash) pairs
    for (const perGpu of <Record<string, number>[]>[
      { b200: 16, b300: 6, gb200: 9, gb300: 9, h100: 4, h200: 8, mi300x: 3, mi325x: 2, mi355x: 4 },
      { b200: 40, h200: 33, rtx6000: 12, l40s: 12, a100: 12 },
    ]) {
      const all = groups(perGpu);
      const styles = groupStyles(all);
      expect(styles.size).toBe(all.length);
      expect(new Set([...styles.values()].map(styleKey)).size).toBe(all.length);
    }
  });

  it("colors a group by its GPU, the same color whatever else is shown and in which order", () => {
    const a = groupStyles(groups({ h200: 3, b200: 2 }));
    const b = groupStyles(groups({ h200: 1, mi355x: 5 }).reverse());
    for (const [key, style] of [...a, ...b])
      expect(style.color).toBe(HARDWARE_COLORS[key.split("|")[3]!]);
    expect(a.get("dsr1|1024|1024|h200|fw0")!.color).toBe("#8c564b");
    // a GPU the table lacks gets a color from its key alone
    expect(hardwareColor("rtx6000")).toBe(hardwareColor("rtx6000"));
    expect(Object.values(HARDWARE_COLORS)).not.toContain(hardwareColor("rtx6000"));
  });

  it("within a GPU, neighbours differ in marker and in dash; the first group is a solid line with circles", () => {
    const styles = [...groupStyles(groups({ h200: 9 })).values()];
    expect(styles[0]).toEqual({ color: "#8c564b", symbol: "circle", dash: "solid" });
    for (let i = 1; i < styles.length; i++) {
      expect(styles[i]!.symbol).not.toBe(styles[i - 1]!.symbol);
      expect(styles[i]!.dash).not.toBe(styles[i - 1]!.dash);
    }
    // the ninth comes back to the circle, with another dash than the first
    expect(styles[8]).toEqual({ color: "#8c564b", symbol: "circle", dash: "dashed" });
  });
});
