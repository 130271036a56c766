import { describe, expect, it } from "vitest";
import { exportLegend } from "./export-legend.js";

const entries = (n: number, label = "h200 sglang fp8") =>
  Array.from({ length: n }, (_, i) => ({ label, color: `#00000${i}` }));

describe("exportLegend", () => {
  it("lays entries out in columns as wide as the longest label, rows under the chart", () => {
    // 15 characters: columns of 15 * 7 + 10 + 16 = 131 px; (1000 - 24) / 131 -> 7 columns
    const legend = exportLegend(entries(8), 1000, 520, "#111");
    expect(legend.height).toBe(2 * 18 + 12);
    const rects = legend.elements.filter((e) => e.type === "rect");
    expect(rects.map((e) => [e.x, e.y])).toEqual([
      [12, 530],
      [143, 530],
      [274, 530],
      [405, 530],
      [536, 530],
      [667, 530],
      [798, 530],
      [12, 548],
    ]);
    expect(rects.map((e) => e.style.fill)).toEqual(entries(8).map((e) => e.color));
    const texts = legend.elements.filter((e) => e.type === "text");
    expect(texts[0]!.style).toMatchObject({
      text: "h200 sglang fp8",
      fill: "#111",
      width: 131 - 19,
    });
  });

  it("cuts a label too long for the image's width, one entry per row", () => {
    const legend = exportLegend(entries(2, "x".repeat(300)), 400, 100, "#111");
    expect(legend.height).toBe(2 * 18 + 12);
    const text = legend.elements.find((e) => e.type === "text")!;
    expect(text.style).toMatchObject({ width: 376 - 19, overflow: "truncate" });
  });

  it("takes no room without entries", () => {
    expect(exportLegend([], 1000, 520, "#111")).toEqual({ elements: [], height: 0 });
  });
});
