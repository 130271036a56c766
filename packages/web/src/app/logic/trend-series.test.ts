import { DEFAULT_CATALOG } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { buildTrends } from "./trend-series.js";

describe("buildTrends", () => {
  it("gives each date's frontier value at the target and the factor between the first and last date", () => {
    const items = [
      makeItem({ id: "j1", date: "2025-01-01", concurrency: 1, intvty: 10, tput: 1000 }),
      makeItem({ id: "j2", date: "2025-01-01", concurrency: 8, intvty: 30, tput: 300 }),
      makeItem({ id: "f1", date: "2025-02-01", concurrency: 1, intvty: 10, tput: 2000 }),
      makeItem({ id: "f2", date: "2025-02-01", concurrency: 8, intvty: 30, tput: 600 }),
      makeItem({ id: "m1", date: "2025-03-01", concurrency: 1, intvty: 25, tput: 900 }),
    ];
    const [line] = buildTrends(items, { ...DEFAULT_STATE, target: 20 }, DEFAULT_CATALOG);
    // two knots per date: straight lines; 1000 + (300 - 1000) / 2 = 650 and 2000 + (600 - 2000) / 2 = 1300
    // and the interactivity each date's frontier covers (the third date's, one point, misses the target)
    expect(line!.dates[0]).toEqual({
      date: "2025-01-01",
      value: 650,
      software: [],
      range: [10, 30],
    });
    expect(line!.dates[1]).toEqual({
      date: "2025-02-01",
      value: 1300,
      software: [],
      range: [10, 30],
    });
    expect(line!.dates[2]!.value).toBeUndefined();
    expect(line!.dates[2]!.reason).toMatch(/outside/);
    expect(line!.dates[2]!.range).toEqual([25, 25]);
    expect(line!.factor).toBe(2);
  });

  it("names the software each date's frontier ran: the engine's version, else the image's tag", () => {
    const items = [
      makeItem({ id: "a1", date: "2025-01-01", concurrency: 1, intvty: 10, tput: 1000 }),
      makeItem({ id: "a2", date: "2025-01-01", concurrency: 8, intvty: 30, tput: 300 }),
      makeItem({ id: "b1", date: "2025-02-01", concurrency: 1, intvty: 10, tput: 2000 }),
      makeItem({ id: "b2", date: "2025-02-01", concurrency: 8, intvty: 30, tput: 600 }),
    ];
    items[0]!.point.config.image = "lmsysorg/sglang:v0.5.4";
    items[1]!.point.config.image = "lmsysorg/sglang:v0.5.4";
    items[2]!.point.config.frameworkVersion = "0.5.6";
    items[3]!.point.config.frameworkVersion = "0.5.6";
    const [line] = buildTrends(items, { ...DEFAULT_STATE, target: 20 }, DEFAULT_CATALOG);
    expect(line!.dates.map((d) => [d.date, d.software])).toEqual([
      ["2025-01-01", ["v0.5.4"]],
      ["2025-02-01", ["0.5.6"]],
    ]);
  });
});
