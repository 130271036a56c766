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
    expect(line!.dates[0]).toEqual({ date: "2025-01-01", value: 650 });
    expect(line!.dates[1]).toEqual({ date: "2025-02-01", value: 1300 });
    expect(line!.dates[2]!.value).toBeUndefined();
    expect(line!.dates[2]!.reason).toMatch(/outside/);
    expect(line!.factor).toBe(2);
  });
});
