import { describe, expect, it } from "vitest";
import {
  groupStyles,
  HARDWARE_COLORS,
  hardwareColor,
  oneGpuPalette,
  styleKey,
} from "./group-styles.js";

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
    const styles = [...groupStyles(groups({ h200: 9, b200: 1 })).values()].slice(0, 9);
    expect(styles[0]).toEqual({ color: "#8c564b", symbol: "circle", dash: "solid" });
    for (let i = 1; i < styles.length; i++) {
      expect(styles[i]!.symbol).not.toBe(styles[i - 1]!.symbol);
      expect(styles[i]!.dash).not.toBe(styles[i - 1]!.dash);
    }
    // the ninth comes back to the circle, with another dash than the first
    expect(styles[8]).toEqual({ color: "#8c564b", symbol: "circle", dash: "dashed" });
  });

  it("the groups of one GPU shown alone take a color each, the first its GPU's, markers and dashes as in one color", () => {
    const alone = groups({ h200: 11 });
    const styles = [...groupStyles(alone).values()];
    expect(styles.map((s) => s.color)).toEqual([
      "#8c564b",
      "#1f77b4",
      "#ff7f0e",
      "#2ca02c",
      "#d62728",
      "#9467bd",
      "#e377c2",
      "#7f7f7f",
      "#bcbd22",
      "#17becf",
      // past ten, shades of the ten: no bar (compare draws no marker) shares the first's color
      "#694138",
    ]);
    expect(styles[0]).toEqual({ color: "#8c564b", symbol: "circle", dash: "solid" });
    expect(styles[8]).toEqual({ color: "#bcbd22", symbol: "circle", dash: "dashed" });
    // the 11th has the first's color but not its marker
    expect(styles[10]!.symbol).not.toBe(styles[0]!.symbol);
    // still no two alike, past the 32 (symbol, dash) pairs too
    const many = groups({ h200: 70 });
    expect(new Set([...groupStyles(many).values()].map(styleKey)).size).toBe(70);
    // one group alone keeps its GPU's color; a GPU the table lacks starts from its own
    expect(groupStyles(groups({ h200: 1 })).get("dsr1|1024|1024|h200|fw0")!.color).toBe("#8c564b");
    expect(oneGpuPalette("rtx6000")[0]).toBe(hardwareColor("rtx6000"));
    expect(new Set(oneGpuPalette("rtx6000")).size).toBe(10);
  });
});
