import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, KEY_A, makeItem } from "../../../test/helpers/make-point.js";
import { buildFrontierSeries } from "../logic/frontier-series.js";
import {
  DASH_ARRAYS,
  type GroupStyle,
  groupStyles,
  HARDWARE_COLORS,
  SYMBOL_PATHS,
} from "../logic/group-styles.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import {
  BAR_MAX_WIDTH,
  CROWDED_BARS,
  compareOption,
  dateAxis,
  errorsOption,
  FLAGGED_COLOR,
  FLAGGED_SERIES,
  frontierOption,
  type GroupSlice,
  histogramOption,
  LARGE_POINTS,
  pointAt,
  timeSeriesOption,
  trendsOption,
} from "./chart-options.js";
import { plotTop, SUBTITLE_FONT, TITLE_FONT, TITLE_GAP, TITLE_PADDING } from "./fit-width.js";

const SHARED = "dsr1 · ISL/OSL 1024/1024 · h200 · fp8 · agg";
const NONE_FLAGGED = { points: 0, onFrontier: 0 };

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

  const result = {
    target: 40,
    bars: [
      {
        key: "a",
        label: "sglang",
        value: 4592.709356775184,
        range: [12.5, 220] as [number, number],
      },
      { key: "b", label: "trt", reason: "intvty 40.0 is outside the frontier's range 104-153" },
      { key: "c", label: "sim", value: 243.25, range: [20, 80] as [number, number] },
    ],
  };

  it("draws a single bar no wider than a bar among a few (not across the whole plot)", () => {
    const option = compareOption(
      { target: 40, bars: [{ key: "a", label: "sglang", value: 403 }] },
      "tput/GPU (tok/s/GPU)",
      new Map(),
    );
    expect(BAR_MAX_WIDTH).toBe(64);
    expect(option.series[0].barMaxWidth).toBe(BAR_MAX_WIDTH);
  });

  it("draws a bar for each group with a value only, named by its group (no empty slot crowds out labels)", () => {
    const option = compareOption(result, "tput/GPU (tok/s/GPU)", new Map());
    expect(option.xAxis.data).toEqual(["sglang", "sim"]);
    expect(
      option.series[0].data.map((d: { name: string; value: number }) => [d.name, d.value]),
    ).toEqual([
      ["sglang", 4592.709356775184],
      ["sim", 243.25],
    ]);
  });

  it("a bar's tooltip gives its group, its value as the table writes it and its frontier range", () => {
    const option = compareOption(result, "tput/GPU (tok/s/GPU)", new Map());
    expect(option.tooltip.formatter([{ dataIndex: 0 }])).toBe(
      "<b>sglang</b><br>tput/GPU (tok/s/GPU) at 40.0 tok/s/user: <b>4,593</b><br>frontier range: 12.5–220 tok/s/user",
    );
    expect(option.tooltip.formatter([{ dataIndex: 1 }])).toBe(
      "<b>sim</b><br>tput/GPU (tok/s/GPU) at 40.0 tok/s/user: <b>243</b><br>frontier range: 20.0–80.0 tok/s/user",
    );
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
      { groups: [], plotted: 0, drawn: 0, skipped: 0, flagged: NONE_FLAGGED },
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
    expect(trends.grid.top).toBe(39);
  });
});

describe("every chart's title takes a band of its own above the plot", () => {
  it("the title block starts at the chart's top edge, the plot under it with room for the y axis' top label", () => {
    const charts = {
      frontier: frontierOption(
        { groups: [], plotted: 0, drawn: 0, skipped: 0, flagged: NONE_FLAGGED },
        { xName: "x", yName: "y", xLog: false, yLog: false, title: "y vs x", subtitle: SHARED },
        new Map(),
      ).option,
      compare: compareOption({ target: 40, bars: [] }, "y", new Map(), SHARED),
      trends: trendsOption([], "y", 40, new Map(), SHARED),
      histogram: histogramOption("TTFT", { edges: [0, 1], counts: [3] }, "s"),
      throughput: timeSeriesOption("Output throughput", "tok/s", []),
      concurrency: timeSeriesOption("Concurrency", "requests in flight", [], "a subtitle"),
      errors: errorsOption([{ category: "timeout", count: 1 }]),
    };
    for (const [name, o] of Object.entries(charts)) {
      // ECharts 6 sets a title 15 px below the top edge by default: at 390 px the subtitle's line ran into the top
      // tick label of the y axis ("1,000" over "dsr1 · ISL/OSL 1024/1024 · h200 · fp8")
      expect([name, o.title.top, o.title.padding, o.title.itemGap]).toEqual([
        name,
        0,
        TITLE_PADDING,
        TITLE_GAP,
      ]);
      expect(o.title.textStyle.lineHeight).toBe(TITLE_FONT.lineHeight);
      expect(o.title.subtextStyle.lineHeight).toBe(SUBTITLE_FONT.lineHeight);
      const subtitleBottom = o.title.subtext
        ? TITLE_PADDING + TITLE_FONT.lineHeight + TITLE_GAP + SUBTITLE_FONT.lineHeight
        : TITLE_PADDING + TITLE_FONT.lineHeight;
      // a 12 px tick label centred on the plot's top edge reaches 6-7 px above it
      expect([name, o.grid.top - subtitleBottom]).toEqual([name, 16]);
      // the y axis is named along its side, below the title's band: the run detail's "requests" stood at the axis'
      // top end, level with the title
      expect([name, o.yAxis.nameLocation]).toEqual([name, "middle"]);
    }
    expect(plotTop(1, 1)).toBe(58);
    expect(plotTop(2, 2)).toBe(58 + TITLE_FONT.lineHeight + SUBTITLE_FONT.lineHeight);
  });

  it("the run detail's request counts: whole numbers from zero", () => {
    const errors = errorsOption([{ category: "timeout", count: 1 }]);
    expect([errors.yAxis.scale, errors.yAxis.minInterval]).toEqual([false, 1]);
  });
});

describe("trendsOption's date axis", () => {
  const line = (dates: [string, number | undefined][]) => ({
    key: "k",
    label: "h200",
    hidden: false,
    considered: 2,
    skipped: 0,
    missingY: 0,
    dates: dates.map(([date, value]) => ({
      date,
      software: [],
      ...(value === undefined ? { reason: "outside" } : { value }),
    })),
  });

  it("one date with a value: that date, the axis's one label (a time axis ticked 06:00, 12:00 around it)", () => {
    const option = trendsOption(
      [line([["2026-05-18", 420]]), line([["2026-05-18", 380]])],
      "y",
      30,
      new Map(),
    );
    expect(option.xAxis).toEqual({
      type: "category",
      data: ["2026-05-18"],
      name: "date",
      nameLocation: "middle",
      nameGap: 30,
    });
  });

  it("several dates: a time axis that ticks at most once a day and names days, months and years, not hours", () => {
    // a date without a value draws no point: it does not count
    const option = trendsOption(
      [
        line([
          ["2026-02-17", 400],
          ["2026-02-19", 420],
        ]),
        line([["2026-03-01", undefined]]),
      ],
      "y",
      30,
      new Map(),
    );
    expect(option.xAxis.type).toBe("time");
    expect(option.xAxis.minInterval).toBe(86_400_000);
    expect(option.xAxis.axisLabel.formatter).toEqual({
      year: "{yyyy}",
      month: "{MMM}",
      day: "{MMM} {d}",
    });
    expect(dateAxis([line([["2026-03-01", undefined]])]).type).toBe("time");
  });

  it("draws values from zero: a change of 0.4% is not drawn across the whole plot's height", () => {
    const option = trendsOption(
      [
        line([
          ["2025-12-19", 5790.4],
          ["2025-12-21", 5812],
        ]),
      ],
      "y",
      30,
      new Map(),
    );
    expect(option.yAxis.scale).toBe(false);
  });
});

describe("frontierOption draws each group in its own look", () => {
  // 61 groups as the InferenceX 1024/1024 snapshot has them per GPU, two points each, both on the frontier
  const perGpu = {
    b200: 16,
    b300: 6,
    gb200: 9,
    gb300: 9,
    h100: 4,
    h200: 8,
    mi300x: 3,
    mi325x: 2,
    mi355x: 4,
  };
  const groups = Object.entries(perGpu).flatMap(([hardware, n]) =>
    Array.from({ length: n }, (_, i) => {
      const points = [
        { x: 10 + i, y: 100, id: `${hardware}-${i}-a` },
        { x: 20 + i, y: 50, id: `${hardware}-${i}-b` },
      ];
      return {
        key: `dsr1|1024|1024|${hardware}|fw${i}`,
        label: `${hardware} fw${i}`,
        dims: { hardware },
        points,
        frontier: points,
        skipped: 0,
        missingY: 0,
        hidden: false,
      };
    }),
  );
  const styles = groupStyles(groups);
  const axes = { xName: "x", yName: "y", xLog: false, yLog: false, title: "y vs x" };

  /** Each group's (color, marker, dash) as the option draws it: scatter color and symbol, line color and dash. */
  // biome-ignore lint/suspicious/noExplicitAny: ECharts options are loosely typed JSON
  function drawnLooks(option: Record<string, any>, slices: Map<string, GroupSlice[]>) {
    const looks = new Map<
      string,
      { color?: string; symbol?: string; dash?: unknown; marker?: string }
    >();
    const look = (key: string) => looks.get(key) ?? looks.set(key, {}).get(key)!;
    for (const s of option.series) {
      for (const slice of slices.get(s.id)!) {
        const l = look(slice.key);
        if (s.type === "scatter") Object.assign(l, { color: s.itemStyle.color, symbol: s.symbol });
        else {
          expect(s.lineStyle.color).toBe(s.itemStyle.color);
          Object.assign(l, { dash: s.lineStyle.type, marker: s.data[slice.start]?.symbol });
          if (l.color !== undefined) expect(l.color).toBe(s.lineStyle.color);
        }
      }
    }
    return looks;
  }

  it("no two of 61 groups share color, marker and dash; the frontier markers are the scatter's", () => {
    const { option, slices } = frontierOption(
      { groups, plotted: 122, drawn: 122, skipped: 0, flagged: NONE_FLAGGED },
      axes,
      styles,
    );
    const looks = drawnLooks(option, slices);
    expect(looks.size).toBe(61);
    const triples = [...looks.values()].map((l) => JSON.stringify([l.color, l.symbol, l.dash]));
    expect(new Set(triples).size).toBe(61);
    for (const [key, l] of looks) {
      const style = styles.get(key)!;
      expect(l).toEqual({
        color: style.color,
        symbol: `path://${SYMBOL_PATHS[style.symbol]}`,
        dash: style.dash === "solid" ? "solid" : [...DASH_ARRAYS[style.dash]],
        marker: `path://${SYMBOL_PATHS[style.symbol]}`,
      });
    }
    // the H200 groups are drawn in H200's color
    expect(looks.get("dsr1|1024|1024|h200|fw0")!.color).toBe(HARDWARE_COLORS.h200);
  });

  it("groups that look alike share a series: at most (color, symbol) scatters and (color, dash) lines", () => {
    const { option } = frontierOption(
      { groups, plotted: 122, drawn: 122, skipped: 0, flagged: NONE_FLAGGED },
      axes,
      styles,
    );
    const scatters = option.series.filter((s: { type: string }) => s.type === "scatter");
    const lines = option.series.filter((s: { type: string }) => s.type === "line");
    const distinct = (f: (s: GroupStyle) => string) => new Set([...styles.values()].map(f)).size;
    expect(scatters).toHaveLength(distinct((s) => `${s.color}|${s.symbol}`));
    expect(lines).toHaveLength(distinct((s) => `${s.color}|${s.dash}`));
    expect(lines.length).toBeLessThan(61);
  });
});

describe("frontierOption's items and the points behind them", () => {
  it("a group without a point on the axes keeps its gap: each frontier item is the point its slice names", () => {
    // three groups of one look share a line; the first two have no value on y (no measured J/token)
    const group = (key: string, points: { x: number; y: number; id: string }[]) => ({
      key,
      label: key,
      dims: { hardware: "mi355x" },
      points,
      frontier: points,
      skipped: points.length === 0 ? 4 : 0,
      missingY: points.length === 0 ? 4 : 0,
      hidden: false,
    });
    const fed = [
      { x: 39.5, y: 1.23, id: "c64" },
      { x: 100.7, y: 5.49, id: "c4" },
    ];
    const groups = [group("atom", []), group("mori", []), group("sglang", fed)];
    const style = { color: "#bcbd22", symbol: "circle", dash: "solid" } as GroupStyle;
    const styles = new Map(groups.map((g) => [g.key, style]));
    const { option, slices } = frontierOption(
      { groups, plotted: 2, drawn: 2, skipped: 8, flagged: NONE_FLAGGED },
      { xName: "x", yName: "y", xLog: false, yLog: false, title: "y vs x" },
      styles,
    );
    const [line] = option.series.filter((s: { type: string }) => s.type === "line");
    const items = (line.data as (string | { value: number[] })[])
      .map((item, index) => ({ item, index }))
      .filter((d) => typeof d.item !== "string");
    // what the tooltip of each drawn marker names, and where that marker is drawn
    expect(
      items.map(({ item, index }) => ({
        at: (item as { value: number[] }).value,
        point: pointAt(slices.get(line.id), index)?.id,
      })),
    ).toEqual([
      { at: [39.5, 1.23], point: "c64" },
      { at: [100.7, 5.49], point: "c4" },
    ]);
  });
});

describe("frontier chart: flagged points (Little's law)", () => {
  const axes = { xName: "x", yName: "y", xLog: false, yLog: false, title: "y vs x" };
  // on group A's frontier (it beats a1 on throughput), its throughput 5x below Little's law
  const f1 = makeItem({ id: "f1", concurrency: 16, intvty: 12, tput: 1100, belowLittle: 5 });
  const items = [...GROUP_A, f1, ...GROUP_B];

  it("draws a cross over each flagged point, above the lines, its item leading back to the point", () => {
    const series = buildFrontierSeries(items, DEFAULT_STATE);
    const { option, slices } = frontierOption(series, axes, groupStyles(series.groups));
    const crosses = option.series.filter((s: { id: string }) => s.id === FLAGGED_SERIES);
    expect(crosses).toHaveLength(1);
    const [cross] = crosses;
    expect(cross.data).toEqual([[12, 1100]]);
    expect(cross.symbol).toMatch(/^path:\/\/M/);
    expect(cross.itemStyle.color).toBe(FLAGGED_COLOR);
    const lines = option.series.filter((s: { type: string }) => s.type === "line");
    expect(cross.z).toBeGreaterThan(Math.max(...lines.map((l: { z: number }) => l.z)));
    expect(pointAt(slices.get(FLAGGED_SERIES), 0)?.id).toBe("f1");
    // the group's own scatter still draws it, where its figures put it
    const own = option.series.find(
      (s: { id: string; name: string }) => s.id.startsWith("pts:") && s.name.includes("h200"),
    );
    expect(own.data).toContainEqual([12, 1100]);
  });

  it("over LARGE_POINTS points, the marks are one large-mode path of squares, their items still leading back to the points", () => {
    const series = buildFrontierSeries(items, DEFAULT_STATE);
    const { option, slices } = frontierOption(
      { ...series, plotted: LARGE_POINTS + 1 },
      axes,
      groupStyles(series.groups),
    );
    const marks = option.series.find((s: { id: string }) => s.id === FLAGGED_SERIES);
    expect([marks.large, marks.largeThreshold, marks.symbol]).toEqual([true, 0, "rect"]);
    expect(Array.from(marks.data as Float64Array)).toEqual([12, 1100]);
    expect(pointAt(slices.get(FLAGGED_SERIES), 0)?.id).toBe("f1");
    for (const s of option.series.filter((s: { type: string }) => s.type === "scatter"))
      expect(s.large).toBe(true);
  });

  it("no cross for a hidden group's point, nor where no point is flagged", () => {
    const hidden = buildFrontierSeries(items, { ...DEFAULT_STATE, hidden: [KEY_A] });
    const none = buildFrontierSeries([...GROUP_A, ...GROUP_B], DEFAULT_STATE);
    for (const series of [hidden, none]) {
      const { option, slices } = frontierOption(series, axes, groupStyles(series.groups));
      expect(option.series.map((s: { id: string }) => s.id)).not.toContain(FLAGGED_SERIES);
      expect(slices.has(FLAGGED_SERIES)).toBe(false);
    }
  });
});
