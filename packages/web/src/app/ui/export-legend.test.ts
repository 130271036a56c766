import { describe, expect, it } from "vitest";
import type { GroupStyle } from "../logic/group-styles.js";
import { exportLegend } from "./export-legend.js";

const style = (i: number): GroupStyle => ({
  color: `#00000${i}`,
  symbol: i % 2 ? "triangle" : "circle",
  dash: i % 2 ? "dashed" : "solid",
});
const entries = (n: number, label = "h200 sglang fp8") =>
  Array.from({ length: n }, (_, i) => ({ label, style: style(i) }));

describe("exportLegend", () => {
  it("lays entries out in columns as wide as the longest label, rows under the chart", () => {
    // 15 characters: columns of 15 * 7 + 32 + 16 = 153 px; (1000 - 24) / 153 -> 6 columns
    const legend = exportLegend(entries(8), 1000, 520, "#111");
    expect(legend.height).toBe(2 * 18 + 12);
    // each entry's line starts 12 px right of its column's left edge, in the middle of its row
    const lines = legend.elements.filter((e) => e.type === "line");
    expect(lines.map((e) => [e.shape.x1 - 12, e.shape.y1])).toEqual([
      [12, 535],
      [165, 535],
      [318, 535],
      [471, 535],
      [624, 535],
      [777, 535],
      [12, 553],
      [165, 553],
    ]);
    const texts = legend.elements.filter((e) => e.type === "text");
    expect(texts[0]!.style).toMatchObject({
      text: "h200 sglang fp8",
      fill: "#111",
      width: 153 - 41,
    });
  });

  it("draws each entry's marker and a stretch of its line in its dash, in its color", () => {
    const legend = exportLegend(entries(2), 1000, 520, "#111");
    const [line0, marker0, , line1, marker1] = legend.elements;
    // entry 0: a circle in its 10 px box at (12, 530); entry 1: a triangle in its box at (165, 530)
    expect(marker0).toEqual({
      type: "circle",
      shape: { cx: 17, cy: 535, r: 5 },
      style: { fill: "#000000" },
      silent: true,
    });
    expect(marker1).toMatchObject({ type: "polygon", style: { fill: "#000001" } });
    expect(marker1!.shape.points).toEqual([
      [170, 530],
      [175, 539],
      [165, 539],
    ]);
    expect(line0).toMatchObject({
      shape: { x1: 24, x2: 44, y1: 535, y2: 535 },
      style: { stroke: "#000000", lineDash: [] },
    });
    expect(line1!.style).toEqual({ stroke: "#000001", lineWidth: 2, lineDash: [7, 4] });
  });

  it("cuts a label too long for the image's width, one entry per row", () => {
    const legend = exportLegend(entries(2, "x".repeat(300)), 400, 100, "#111");
    expect(legend.height).toBe(2 * 18 + 12);
    const text = legend.elements.find((e) => e.type === "text")!;
    expect(text.style).toMatchObject({ width: 376 - 41, overflow: "truncate" });
  });

  it("takes no room without entries", () => {
    expect(exportLegend([], 1000, 520, "#111")).toEqual({ elements: [], height: 0 });
  });
});
