import { describe, expect, it } from "vitest";
import { compareOption } from "./chart-options.js";
import {
  breakLines,
  breakParts,
  fitToWidth,
  mergePatch,
  ROTATED_LABEL_PX,
  rotatedLabelPx,
  TITLE_FONT,
  VALUE_LABEL_FONT,
} from "./fit-width.js";
import { fmtTick } from "./format.js";

/** 8 px per character in any font: widths a test can count. */
const measure = (text: string) => text.length * 8;

describe("breakLines", () => {
  it("breaks at spaces into lines no wider than the width; a longer word keeps a line of its own", () => {
    expect(breakLines("tput/GPU vs interactivity", 100, measure, "")).toEqual([
      "tput/GPU vs",
      "interactivity",
    ]);
    expect(breakLines("a b c", 100, measure, "")).toEqual(["a b c"]);
    expect(breakLines("supercalifragilistic x", 40, measure, "")).toEqual([
      "supercalifragilistic",
      "x",
    ]);
    expect(breakLines("", 100, measure, "")).toEqual([]);
  });
});

describe("breakParts", () => {
  it("breaks a subtitle between its ` · ` parts, each part kept whole on a line where it fits", () => {
    const subtitle =
      "dsr1 · ISL/OSL 1024/1024 · InferenceX, measured · runs 2025-11-02 to 2026-11-29";
    // 42 characters a line: "InferenceX, measured" does not start at the end of a line and go on in the next
    expect(breakParts(subtitle, 42 * 8, measure, "")).toEqual([
      "dsr1 · ISL/OSL 1024/1024",
      "InferenceX, measured",
      "runs 2025-11-02 to 2026-11-29",
    ]);
    expect(breakParts(subtitle, 1000, measure, "")).toEqual([subtitle]);
    // a part wider than a line breaks at its spaces, on lines of its own
    expect(breakParts("dsr1 · runs 2025-11-02 to 2026-11-29", 18 * 8, measure, "")).toEqual([
      "dsr1",
      "runs 2025-11-02 to",
      "2026-11-29",
    ]);
    expect(breakParts("", 100, measure, "")).toEqual([]);
  });
});

describe("fitToWidth", () => {
  const option = () => ({
    title: {
      text: "tput/GPU (tok/s/GPU) vs interactivity (tok/s/user, median)",
      subtext: "dsr1 · ISL/OSL 1024/1024",
    },
    grid: { left: 70, right: 30, top: 58 },
  });

  it("keeps a title that fits on one line, and the plot where the view put it", () => {
    const patch = fitToWidth(option(), 1200, measure);
    expect(patch.title.text).toBe(option().title.text);
    expect(patch.grid.top).toBe(58);
  });

  it("breaks a title wider than the chart into lines, and moves the plot down by the lines added", () => {
    const patch = fitToWidth(option(), 358, measure);
    const lines = patch.title.text.split("\n");
    expect(lines.length).toBe(2);
    for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(358 - 24);
    expect(lines.join(" ")).toBe(option().title.text);
    // the subtitle (24 characters, 192 px) still fits
    expect(patch.title.subtext).toBe(option().title.subtext);
    expect(patch.grid.top).toBe(58 + TITLE_FONT.lineHeight);
  });

  it("shows every n-th group label of a compare chart whose bars are narrower than a rotated label", () => {
    const bars = (n: number) => ({
      target: 50,
      bars: Array.from({ length: n }, (_, i) => ({ key: `g${i}`, label: `group ${i}`, value: i })),
    });
    const chart = (n: number, width: number) =>
      fitToWidth(
        compareOption(bars(n) as Parameters<typeof compareOption>[0], "tput", new Map()),
        width,
        measure,
      ).xAxis.axisLabel.interval;
    // 1,200 px: 1,100 px of plot for 61 bars, 18 px each: every label
    expect(chart(61, 1200)).toBe(0);
    // 390 px: 290 px for 61 bars, 4.75 px each: one label in ceil(16 / 4.75) = 4
    expect(chart(61, 390)).toBe(Math.ceil(ROTATED_LABEL_PX / (290 / 61)) - 1);
    expect(chart(61, 390)).toBe(3);
    expect(chart(10, 390)).toBe(0);
    // 16 bars (labels at 35 degrees) in 258 px, 16.1 px each: narrower than a label at 35 degrees takes (23 px)
    expect(rotatedLabelPx(35)).toBe(23);
    expect(chart(16, 358)).toBe(1);
    expect(chart(16, 1200)).toBe(0);
  });

  it("draws the bars' value labels level, upright or not at all, so that none lies over a neighbouring bar", () => {
    // values 0, 1000, 2000, ...: "9,000" is the widest label, 5 characters, 40 px
    const bars = (n: number) => ({
      target: 50,
      bars: Array.from({ length: n }, (_, i) => ({
        key: `g${i}`,
        label: `g${i}`,
        value: i * 1000,
      })),
    });
    const fit = (n: number, width: number) => {
      const option = compareOption(
        bars(n) as Parameters<typeof compareOption>[0],
        "tput",
        new Map(),
      );
      const patch = fitToWidth(option, width, measure);
      return { label: patch.series[0].label, top: patch.grid.top - option.grid.top };
    };
    // 1,100 px of plot for 10 bars, 110 px each: level, over their bars
    expect(fit(10, 1200)).toMatchObject({
      label: { show: true, rotate: 0, align: "center", verticalAlign: "bottom", position: "top" },
      top: 0,
    });
    // 290 px for 10 bars, 29 px each: narrower than "9,000" (40 px), wider than a line (15 px): upright, and
    // the plot moves down by what the tallest bar's label takes above a line, 40 - 15 px
    expect(fit(10, 390)).toMatchObject({
      label: { show: true, rotate: 90, align: "left", verticalAlign: "middle", position: "top" },
      top: 40 - VALUE_LABEL_FONT.lineHeight,
    });
    // 290 px for 61 bars, 4.75 px each: not even a line fits; the tooltip and the table give the values
    expect(fit(61, 390)).toMatchObject({ label: { show: false }, top: 0 });
    // the labels keep their font, and the bars their data
    const wide = fitToWidth(
      compareOption(bars(3) as Parameters<typeof compareOption>[0], "y", new Map()),
      1200,
      measure,
    );
    expect(wide.series[0].label.fontSize).toBe(VALUE_LABEL_FONT.size);
    expect(wide.series[0].data.map((d: { value: number }) => d.value)).toEqual([0, 1000, 2000]);
  });

  it("is merged member by member, so the title keeps its font and the grid its sides", () => {
    const o = { title: { text: "a", textStyle: { fontSize: 14 } }, grid: { left: 70, top: 40 } };
    mergePatch(o, { title: { textStyle: { lineHeight: 18 } }, grid: { top: 58 } });
    expect(o).toEqual({
      title: { text: "a", textStyle: { fontSize: 14, lineHeight: 18 } },
      grid: { left: 70, top: 58 },
    });
  });
});

describe("fmtTick", () => {
  it("writes ticks as the round numbers they are, thousands grouped, without float noise", () => {
    expect([0, 50, 100, 2500, 0.25, 0.1 + 0.2, 1e6].map(fmtTick)).toEqual([
      "0",
      "50",
      "100",
      "2,500",
      "0.25",
      "0.3",
      "1,000,000",
    ]);
  });
});
