import { describe, expect, it } from "vitest";
import { point } from "../../test/analysis/points.js";
import { compareAt } from "./compare.js";
import { frontiers } from "./frontier.js";
import { bestPerGpu, leadersAt } from "./leaders.js";
import { interactivityRanges } from "./ranges.js";
import { trend } from "./trend.js";

// H200 sglang: a clean curve; the (30, 900) point is beaten by (40, 1000)
const h200 = [
  point({ hardware: "h200", intvty: 20, tput: 2000, conc: 64 }),
  point({ hardware: "h200", intvty: 40, tput: 1000, conc: 16 }),
  point({ hardware: "h200", intvty: 30, tput: 900, conc: 32 }),
  point({ hardware: "h200", intvty: 80, tput: 250, conc: 4 }),
];
// B200 trt: two knots, a straight line from (30, 4000) to (60, 2500)
const b200 = [
  point({ hardware: "b200", framework: "trt", intvty: 30, tput: 4000, conc: 64 }),
  point({ hardware: "b200", framework: "trt", intvty: 60, tput: 2500, conc: 8 }),
];

describe("frontiers and what is built on them", () => {
  it("draws one frontier per group and interpolates along it", () => {
    const [b, h] = frontiers([...h200, ...b200]);
    expect(h!.label).toBe("dsr1 1024/1024 h200 sglang fp8 agg");
    expect(h!.frontier.points.map((p) => [p.x, p.y])).toEqual([
      [20, 2000],
      [40, 1000],
      [80, 250],
    ]);
    expect(h!.frontier.at(40)).toEqual({ ok: true, value: 1000 });
    expect(h!.frontier.at(90)).toEqual({
      ok: false,
      reason:
        "intvty 90.0 is outside the frontier's range 20.0-80.0 tok/s/user; never extrapolated",
    });
    // B200: two knots -> linear: at 45, 4000 - 1500 * 15/30 = 3250
    expect(b!.frontier.at(45)).toEqual({ ok: true, value: 3250 });
  });

  it("cost frontier keeps the cheapest points", () => {
    // hyperscaler h200 1.41 $/GPU-h: cost = 1.41e6/(tput*3600); the 900 tok/s point is dominated
    const [h] = frontiers(h200, { y: "cost" });
    expect(h!.frontier.points.map((p) => [p.x, p.y])).toEqual([
      [20, 1.41e6 / (2000 * 3600)],
      [40, 1.41e6 / (1000 * 3600)],
      [80, 1.41e6 / (250 * 3600)],
    ]);
  });

  it("reads cost, tokens per dollar, provisioned energy and margins at a target from the throughput there", () => {
    // B200 (1.95 $/GPU-h, 2.17 kW): two knots, so each frontier is a straight line in throughput, 3250 tok/s/GPU at
    // 45. Cost there is what 3250 tok/s/GPU costs, 1.95e6 / (3600 * 3250), and tokens per dollar its reciprocal.
    // Before, cost was interpolated as itself, halfway between the knots' costs (0.17604 $/M, as if 3077 tok/s/GPU),
    // and tokens per dollar as 1 / cost: neither was what the throughput at 45 gives
    const usd = 1.95;
    const [tput] = frontiers(b200, { y: "tputPerGpu" });
    expect(tput!.frontier.at(45)).toEqual({ ok: true, value: 3250 });
    const cost = (usd * 1e6) / (3600 * 3250);
    const [c] = frontiers(b200, { y: "cost" });
    const [t] = frontiers(b200, { y: "tokens-per-dollar" });
    expect(c!.frontier.at(45)).toEqual({ ok: true, value: expect.closeTo(cost, 15) });
    const tpd = t!.frontier.at(45);
    expect(tpd.ok && tpd.value / (1e6 / cost)).toBeCloseTo(1, 12);
    // provisioned: what 3250 tok/s/GPU gives at 2.17 kW; tokens/s per MW is 1e6 over it
    const joules = 2170 / 3250;
    const [j] = frontiers(b200, { y: "provisioned-j" });
    const [mw] = frontiers(b200, { y: "tokens-per-mw" });
    expect(j!.frontier.at(45)).toEqual({ ok: true, value: expect.closeTo(joules, 12) });
    const perMw = mw!.frontier.at(45);
    expect(perMw.ok && perMw.value / (1e6 / joules)).toBeCloseTo(1, 12);
    // a margin at a target is 1 - the cost there over the price
    const providerPrices = { inputPerMillion: 0.5, outputPerMillion: 2 };
    const [margin] = frontiers(b200, {
      y: "marginOutput",
      context: { providerPrices },
    });
    const [outTput] = frontiers(b200, { y: "outputTputPerGpu" });
    const out = outTput!.frontier.at(45);
    const m = margin!.frontier.at(45);
    expect(out.ok && m.ok && m.value).toBeCloseTo(
      1 - (usd * 1e6) / (3600 * (out.ok ? out.value : Number.NaN)) / 2,
      12,
    );
    // the frontier points are the measured ones, and at a knot the value is the point's own
    expect(t!.frontier.points.map((p) => [p.x, p.y])).toEqual([
      [30, (4000 * 3600) / usd],
      [60, (2500 * 3600) / usd],
    ]);
    expect(t!.frontier.at(60)).toEqual({ ok: true, value: (2500 * 3600) / usd });
    expect(c!.frontier.at(60)).toEqual({ ok: true, value: (usd * 1e6) / (3600 * 2500) });
    // pooled over two GPUs (compare), A / B in tokens per dollar is B / A in cost, at every target
    const [byCost] = compareAt(b200, h200, [35, 50], { y: "cost" });
    const [byTokens] = compareAt(b200, h200, [35, 50], { y: "tokens-per-dollar" });
    for (const [i, row] of byTokens!.rows.entries())
      expect(row.ratio! * byCost!.rows[i]!.ratio!).toBeCloseTo(1, 12);
  });

  it("compares A and B at targets", () => {
    const [c] = compareAt(b200, h200, [30, 40, 70]);
    expect(c!.workload).toBe("dsr1 1024/1024");
    expect(c!.rows[1]).toEqual({
      target: 40,
      a: { ok: true, value: 3500 }, // 4000 - 1500 * 10/30
      b: { ok: true, value: 1000 },
      ratio: 3.5,
    });
    expect(c!.rows[2]!.ratio).toBeUndefined();
    expect(c!.rows[2]!.reason).toBe(
      "A: intvty 70.0 is outside the frontier's range 30.0-60.0 tok/s/user; never extrapolated",
    );
  });

  it("says when a side has no points at all, apart from points that lack a value", () => {
    const [c] = compareAt([], h200, [40]);
    expect(c!.rows[0]!.reason).toBe("A: no points selected");
    const noTput = { ...h200[0]!, metrics: { ...h200[0]!.metrics, tputPerGpu: undefined } };
    const [d] = compareAt([noTput], h200, [40]);
    expect(d!.rows[0]!.reason).toBe("A: none of 1 point(s) has both intvty and tput/GPU");
  });

  it("finds leaders, the best configuration per GPU and ranges", () => {
    const h200trt = [
      point({ hardware: "h200", framework: "trt", intvty: 20, tput: 1500 }),
      point({ hardware: "h200", framework: "trt", intvty: 60, tput: 900 }),
    ];
    const all = [...h200, ...b200, ...h200trt];
    const [l40] = leadersAt(all, [40]);
    expect(l40!.leader!.group.label).toBe("dsr1 1024/1024 b200 trt fp8 agg");
    expect(l40!.leader!.value).toBe(3500);
    // runner-up: h200 trt, linear from (20,1500) to (60,900): 1200 at 40; lead 3500/1200
    expect(l40!.runnerUp!.value).toBe(1200);
    expect(l40!.lead).toBeCloseTo(3500 / 1200, 12);
    const best = bestPerGpu(all, 40);
    expect(best.map((b) => [b.partition, b.leader?.group.label, b.leader?.value])).toEqual([
      ["dsr1 1024/1024 b200", "dsr1 1024/1024 b200 trt fp8 agg", 3500],
      ["dsr1 1024/1024 h200", "dsr1 1024/1024 h200 trt fp8 agg", 1200],
    ]);
    const ranges = interactivityRanges(all);
    expect(ranges.map((r) => [r.group.label, r.min, r.max, r.frontierMin, r.frontierMax])).toEqual([
      ["dsr1 1024/1024 b200 trt fp8 agg", 30, 60, 30, 60],
      ["dsr1 1024/1024 h200 sglang fp8 agg", 20, 80, 20, 80],
      ["dsr1 1024/1024 h200 trt fp8 agg", 20, 60, 20, 60],
    ]);
  });

  it("computes a trend from each date's frontier", () => {
    const oct = [
      point({ date: "2025-10-05", intvty: 20, tput: 1000, conc: 64 }),
      point({ date: "2025-10-05", intvty: 50, tput: 400, conc: 4 }),
    ];
    const dec = [
      point({ date: "2025-12-05", intvty: 20, tput: 1600, conc: 64 }),
      point({ date: "2025-12-05", intvty: 50, tput: 1000, conc: 4 }),
    ];
    const jan = [point({ date: "2026-01-05", intvty: 40, tput: 5000, conc: 64 })]; // no value at 35
    const [t] = trend([...oct, ...dec, ...jan], 35);
    // Oct: 1000 - 600 * 15/30 = 700; Dec: 1600 - 600 * 15/30 = 1300
    expect(t!.dates.map((d) => [d.date, d.value.ok ? d.value.value : d.value.reason])).toEqual([
      ["2025-10-05", 700],
      ["2025-12-05", 1300],
      [
        "2026-01-05",
        "intvty 35.0 is outside the frontier's range 40.0-40.0 tok/s/user; never extrapolated",
      ],
    ]);
    expect(t!.factor).toEqual({
      ok: true,
      from: "2025-10-05",
      to: "2025-12-05",
      fromValue: 700,
      toValue: 1300,
      factor: 1300 / 700,
      improvement: 1300 / 700,
    });
    // cost improves as its value falls: improvement = 1 / factor
    const [c] = trend([...oct, ...dec], 20, { y: "cost" });
    expect(c!.factor.ok && c!.factor.factor).toBeCloseTo(1000 / 1600, 12);
    expect(c!.factor.ok && c!.factor.improvement).toBeCloseTo(1.6, 12);
    expect(trend(oct, 35)[0]!.factor).toEqual({
      ok: false,
      reason: "needs two dates with a value at the target; 1 of 1 date has one",
    });
  });

  it("counts, when no factor exists between two days, the dates between them", () => {
    const days = ["2025-10-05", "2025-12-05", "2026-01-05"].map((date) => [
      point({ date, intvty: 20, tput: 1000, conc: 64 }),
      point({ date, intvty: 50, tput: 400, conc: 4 }),
    ]);
    // every date has a value, but only one lies between the days: "3 of 3 dates have one" said the opposite
    const [t] = trend(days.flat(), 35, { from: "2025-11-01", to: "2025-12-31" });
    expect(t!.factor).toEqual({
      ok: false,
      reason:
        "needs two dates with a value at the target between 2025-11-01 and 2025-12-31; 1 of the 1 date there has one (3 of 3 in all)",
    });
    const [open] = trend(days.flat(), 35, { to: "2025-09-30" });
    expect(open!.factor).toEqual({
      ok: false,
      reason:
        "needs two dates with a value at the target between the start and 2025-09-30; 0 of the 0 dates there have one (3 of 3 in all)",
    });
  });
});
