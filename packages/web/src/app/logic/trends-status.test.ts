import { DEFAULT_CATALOG } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { KEY_A, KEY_B, makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE, type ViewState } from "../state/view-state.js";
import { nothingDrawnText } from "./nothing-drawn.js";
import { buildTrends, hasValue } from "./trend-series.js";
import { trendsCause, trendsLacking, trendsStatus } from "./trends-status.js";

const KEY_MI355X = "dsr1|1024|1024|random|mi355x|sglang|fp8|none|agg";
// h200 (A) and b200 (B) on two dates without energy; measured J/token in one MI355X group only, on two dates
const history = [
  makeItem({ id: "a1", date: "2025-01-01", concurrency: 1, intvty: 10, tput: 1000 }),
  makeItem({ id: "a2", date: "2025-01-01", concurrency: 8, intvty: 30, tput: 300 }),
  makeItem({ id: "a3", date: "2025-02-01", concurrency: 1, intvty: 10, tput: 2000 }),
  makeItem({ id: "a4", date: "2025-02-01", concurrency: 8, intvty: 30, tput: 600 }),
  ...["2025-01-01", "2025-02-01"].flatMap((date, i) => [
    makeItem({ id: `b${i}1`, hardware: "b200", date, concurrency: 1, intvty: 10, tput: 3000 }),
    makeItem({ id: `b${i}2`, hardware: "b200", date, concurrency: 8, intvty: 15, tput: 900 }),
  ]),
  ...["2025-01-01", "2025-03-01"].flatMap((date, i) => [
    makeItem({ id: `m${i}1`, hardware: "mi355x", date, concurrency: 1, intvty: 10, tput: 900 }),
    makeItem({
      id: `m${i}2`,
      hardware: "mi355x",
      date,
      concurrency: 8,
      intvty: 30,
      tput: 300,
      jPerToken: 2 + i,
    }),
    makeItem({
      id: `m${i}3`,
      hardware: "mi355x",
      date,
      concurrency: 16,
      intvty: 10,
      tput: 800,
      jPerToken: 1 + i,
    }),
  ]),
];
const words = { xName: "interactivity", yName: "J/token", at: "20.0 tok/s/user" };
const lines = (state: Partial<ViewState>) =>
  buildTrends(history, { ...DEFAULT_STATE, target: 20, ...state }, DEFAULT_CATALOG);

describe("trendsStatus", () => {
  it("a sparse metric: counts the groups with a value on some date, and those without the metric apart", () => {
    // it said "3 groups over 3 dates": two of them draw nothing
    const l = lines({ y: "jPerToken" });
    expect(l.filter(hasValue).map((x) => x.key)).toEqual([KEY_MI355X]);
    expect(trendsStatus(l, words)).toBe(
      "1 of 3 groups has a value at 20.0 tok/s/user, on 2 dates; 2 groups have no J/token",
    );
    expect(
      trendsLacking(
        l.filter((x) => !hasValue(x)),
        words,
      ),
    ).toBe("J/token");
  });

  it("a group whose frontiers never reach the target is counted apart from one without the metric", () => {
    // B's frontiers end at 15 tok/s/user
    const l = lines({});
    const t = { ...words, yName: "tput/GPU" };
    expect(trendsStatus(l, t)).toBe(
      "2 of 3 groups have a value at 20.0 tok/s/user, on 3 dates; 1 group has no value at 20.0 tok/s/user on any date",
    );
    expect(
      trendsLacking(
        l.filter((x) => !hasValue(x)),
        t,
      ),
    ).toBe("value at 20.0 tok/s/user on any date");
    // past every frontier: nothing drawn, no date to count
    const at40 = { ...words, at: "40.0 tok/s/user" };
    expect(trendsStatus(lines({ y: "jPerToken", target: 40 }), at40)).toBe(
      "0 of 3 groups have a value at 40.0 tok/s/user; 2 groups have no J/token; 1 group has no value at 40.0 tok/s/user on any date",
    );
  });

  it("a value on one date only: says so, and that no trend can be read yet", () => {
    const one = buildTrends(
      history.filter((i) => i.point.run.date.startsWith("2025-01-01")),
      { ...DEFAULT_STATE, target: 20 },
      DEFAULT_CATALOG,
    );
    expect(trendsStatus(one, { ...words, yName: "tput/GPU" })).toBe(
      "2 of 3 groups have a value at 20.0 tok/s/user, on 1 date only, so no trend can be read yet; 1 group has no value at 20.0 tok/s/user on any date",
    );
    // two dates, but each group's value on one of them: no line either
    const apart = buildTrends(
      history.filter(
        (i) =>
          (i.id.startsWith("a") && i.point.run.date.startsWith("2025-01-01")) ||
          (i.id.startsWith("m") && i.point.run.date.startsWith("2025-03-01")),
      ),
      { ...DEFAULT_STATE, target: 20 },
      DEFAULT_CATALOG,
    );
    expect(trendsStatus(apart, { ...words, yName: "tput/GPU" })).toBe(
      "2 of 2 groups have a value at 20.0 tok/s/user, on 2 dates, but no group on more than one, so no trend can be read yet",
    );
  });

  it("says how many groups with a line the legend hides", () => {
    const l = lines({ hidden: [KEY_A, KEY_B] });
    expect(l.map((x) => x.hidden)).toEqual([true, true, false]);
    expect(trendsStatus(l, { ...words, yName: "tput/GPU" })).toBe(
      "1 of 3 groups has a value at 20.0 tok/s/user, on 2 dates; 1 group has no value at 20.0 tok/s/user on any date; 1 hidden in the legend",
    );
  });

  it("a target past every date's frontier: the span those frontiers cover, which the compare view gives too", () => {
    // one group: its frontier covers 8-12 tok/s/user on the first date, 20-25 on the second
    const dated = buildTrends(
      [
        makeItem({ id: "d1", date: "2025-01-01", concurrency: 8, intvty: 8, tput: 900 }),
        makeItem({ id: "d2", date: "2025-01-01", concurrency: 1, intvty: 12, tput: 500 }),
        makeItem({ id: "d3", date: "2025-02-01", concurrency: 8, intvty: 20, tput: 1900 }),
        makeItem({ id: "d4", date: "2025-02-01", concurrency: 1, intvty: 25, tput: 1500 }),
      ],
      { ...DEFAULT_STATE, target: 40 },
      DEFAULT_CATALOG,
    );
    expect(dated[0]!.dates.map((d) => d.range)).toEqual([
      [8, 12],
      [20, 25],
    ]);
    const at40 = { ...words, yName: "tput/GPU", at: "40.0 tok/s/user" };
    const cause = trendsCause(dated, at40);
    expect(cause).toEqual({
      kind: "target",
      lacking: "value at 40.0 tok/s/user on any date",
      span: [8, 25],
    });
    // it said "The 1 group the filters keep has no value at 40.0 tok/s/user on any date." and no target to pick
    expect(nothingDrawnText(1, cause)).toEqual({
      text: "The 1 group the filters keep has no value at 40.0 tok/s/user on any date: its frontier spans 8–25 tok/s/user.",
      hint: "Move the target interactivity into that range, or choose other filters.",
    });
    // several groups: from the lowest start of any date's frontier to the highest end
    expect(trendsCause(lines({ target: 40 }), at40)).toEqual({
      kind: "target",
      lacking: "value at 40.0 tok/s/user on any date",
      span: [10, 30],
    });
  });
});
