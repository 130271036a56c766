import { describe, expect, it } from "vitest";
import { CROWDED_BARS, compareOption, frontierOption, trendsOption } from "./chart-options.js";

const SHARED = "dsr1 · ISL/OSL 1024/1024 · h200 · fp8 · agg";

describe("compareOption", () => {
  it("starts the bars' value axis at zero, so bar heights compare as the values do", () => {
    const option = compareOption(
      {
        target: 40,
        bars: [
          { key: "a", label: "sglang", value: 447 },
          { key: "b", label: "sim", value: 243 },
        ],
      },
      "tput/GPU (tok/s/GPU)",
      new Map(),
    );
    expect(option.yAxis.scale).toBe(false);
  });
});

describe("compareOption with many bars", () => {
  it("hides value labels that would overlap and draws crowded group labels steeper", () => {
    const bars = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `k${i}`, label: `group ${i}`, value: 100 + i }));
    const few = compareOption({ target: 40, bars: bars(CROWDED_BARS) }, "y", new Map());
    const many = compareOption({ target: 40, bars: bars(CROWDED_BARS + 1) }, "y", new Map());
    expect(few.series[0].labelLayout).toEqual({ hideOverlap: true });
    expect(few.xAxis.axisLabel.rotate).toBe(35);
    expect(many.xAxis.axisLabel.rotate).toBe(60);
    expect(many.grid.bottom).toBeGreaterThan(few.grid.bottom);
  });
});

describe("chart titles say what the groups share", () => {
  it("compare: the shared dimensions are the title's subtitle, with room kept for it", () => {
    const option = compareOption(
      { target: 40, bars: [{ key: "a", label: "sglang", value: 447 }] },
      "tput/GPU (tok/s/GPU)",
      new Map(),
      SHARED,
    );
    expect(option.title.text).toBe("tput/GPU (tok/s/GPU) at 40.0 tok/s/user");
    expect(option.title.subtext).toBe(SHARED);
    expect(option.grid.top).toBe(58);
  });

  it("frontier and trends carry the subtitle too", () => {
    const { option } = frontierOption(
      { groups: [], plotted: 0, drawn: 0, skipped: 0 },
      { xName: "x", yName: "y", xLog: false, yLog: false, title: "y vs x", subtitle: SHARED },
      new Map(),
    );
    expect(option.title.subtext).toBe(SHARED);
    const trends = trendsOption([], "y", 40, new Map(), SHARED);
    expect(trends.title.subtext).toBe(SHARED);
    expect(trends.grid.top).toBe(58);
  });

  it("without shared dimensions the title stands alone", () => {
    const trends = trendsOption([], "y", 40, new Map());
    expect(trends.title.subtext).toBe("");
    expect(trends.grid.top).toBe(40);
  });
});
