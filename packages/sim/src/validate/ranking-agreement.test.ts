import { describe, expect, it } from "vitest";
import type { DecisionConfiguration } from "./decision-sets.js";
import { setDecisions, summarizeDecisions } from "./ranking-agreement.js";

// A curve through (intvty, tput) points; measured and predicted alike.
const curve = (...pts: [number, number][]) =>
  pts.map(([intvty, tputPerGpu]) => ({ intvty, tputPerGpu }));
const config = (
  label: string,
  measured: [number, number][],
  predicted: [number, number][],
): DecisionConfiguration => ({
  label,
  measured: curve(...measured),
  predicted: curve(...predicted),
});

describe("setDecisions", () => {
  it("decides at each measured interactivity two or more configurations span, with the frontier interpolation", () => {
    const set = {
      key: "dsr1 h200 fp8 1024/1024",
      configurations: [
        // measured 100 -> 25 tok/s/user; predicted 10% high
        config(
          "A",
          [
            [100, 100],
            [25, 1600],
          ],
          [
            [200, 10],
            [10, 20000],
          ],
        ),
        // measured 50 -> 40: spans 50 and 40, not 100 or 25
        config(
          "B",
          [
            [50, 300],
            [40, 500],
          ],
          [
            [200, 5],
            [10, 10000],
          ],
        ),
        // measured only at 30: the only configuration measured there besides A
        config("C", [[30, 900]], [[30, 800]]),
      ],
    };
    const ds = setDecisions(set);
    expect(ds.map((d) => [d.intvty, d.configurations.map((c) => c.label)])).toEqual([
      [50, ["A", "B"]],
      [40, ["A", "B"]],
      [30, ["A", "C"]],
    ]);
    // A at 50 on its measured line: halfway in log between 100 (100) and 25 (1600): 400
    expect(ds[0]!.configurations[0]!.measured).toBeCloseTo(400, 9);
    // predicted A at 50: log-log between (200, 10) and (10, 20000)
    const f = Math.log(200 / 50) / Math.log(200 / 10);
    expect(ds[0]!.configurations[0]!.predicted).toBeCloseTo(10 * 2000 ** f, 6);
    expect(ds[0]).toMatchObject({ pick: "A", best: "A", top1: true, share: 1 });
  });

  it("an inverted prediction picks the worse configuration: top-1 misses and the share is its measured over the best", () => {
    const set = {
      key: "s",
      configurations: [
        config(
          "fast",
          [
            [100, 1000],
            [20, 5000],
          ],
          [
            [100, 500],
            [20, 2500],
          ],
        ),
        config(
          "slow",
          [
            [100, 500],
            [20, 2500],
          ],
          [
            [100, 1000],
            [20, 5000],
          ],
        ),
      ],
    };
    const s = summarizeDecisions("framework", [set]);
    // (at a frontier's last point the log-log interpolation is exact to rounding)
    const round = (x: number | null) => (x === null ? x : Number(x.toFixed(12)));
    expect(s.list.map((d) => [d.intvty, d.pick, d.best, d.top1, round(d.share)])).toEqual([
      [100, "slow", "fast", false, 0.5],
      [20, "slow", "fast", false, 0.5],
    ]);
    expect([s.sets, s.decisions, s.top1, s.noPick]).toEqual([1, 2, 0, 0]);
    expect(s.pairs).toEqual({
      ordered: 2,
      same: 0,
      inverted: 2,
      predictedTies: 0,
      measuredTies: 0,
    });
    expect([round(s.regret.mean), round(s.regret.worst)]).toEqual([0.5, 0.5]);
    expect([s.chance.top1, round(s.chance.share)]).toEqual([0.5, 0.75]);
  });

  it("counts measured ties apart, predicted ties as neither order, and a tie at the top as a hit", () => {
    const set = {
      key: "s",
      configurations: [
        config("a", [[50, 1000]], [[60, 1000]]),
        // measured 2% below a: a tie; predicted 20% below: a hit either way
        config("b", [[50, 980]], [[60, 800]]),
        // measured 30% below a: ordered; predicted 1% above b: a predicted tie with b
        config("c", [[50, 700]], [[60, 808]]),
      ],
    };
    const s = summarizeDecisions("all", [set]);
    expect(s.list).toHaveLength(1);
    expect(s.list[0]).toMatchObject({ pick: "a", best: "a", top1: true, share: 1 });
    // (a, b) measured tie; (a, c) same order; (b, c) measured 980 vs 700 apart, predicted 800 vs 808 a tie
    expect(s.pairs).toEqual({
      ordered: 2,
      same: 1,
      inverted: 0,
      predictedTies: 1,
      measuredTies: 1,
    });
    // at random: a or b (2 of 3) is a hit; the mean pick measures (1000 + 980 + 700) / 3 of the best's 1000
    expect(s.chance.top1).toBeCloseTo(2 / 3, 12);
    expect(s.chance.share).toBeCloseTo(2680 / 3000, 12);
    // picking b, 2% below the measured best, is still a hit
    const close = summarizeDecisions("all", [
      {
        key: "s",
        configurations: [
          config("a", [[50, 1000]], [[60, 900]]),
          config("b", [[50, 980]], [[60, 1000]]),
        ],
      },
    ]);
    expect([close.top1, close.list[0]!.share, close.pairs.measuredTies]).toEqual([1, 0.98, 1]);
  });

  it("a configuration predicted slower than the target at batch 1 is not picked, and ranks below those that reach it", () => {
    const set = {
      key: "s",
      configurations: [
        config("reaches", [[50, 100]], [[80, 100]]),
        // measured better, but predicted no faster than 40 tok/s/user
        config("unreached", [[50, 400]], [[40, 900]]),
      ],
    };
    const s = summarizeDecisions("engine", [set]);
    expect(s.list[0]!.configurations.map((c) => c.predicted)).toEqual([100, null]);
    expect(s.list[0]).toMatchObject({ pick: "reaches", best: "unreached", share: 0.25 });
    expect(s.pairs.inverted).toBe(1);
    // none reaches: no pick, a miss, no share
    const none = summarizeDecisions("engine", [
      {
        key: "s",
        configurations: [
          config("x", [[50, 100]], [[40, 100]]),
          config("y", [[50, 400]], [[40, 900]]),
        ],
      },
    ]);
    expect([none.decisions, none.top1, none.noPick, none.list[0]!.pick]).toEqual([1, 0, 1, null]);
    expect(none.pairs.predictedTies).toBe(1);
    expect(Number.isNaN(none.regret.mean)).toBe(true);
  });
});
