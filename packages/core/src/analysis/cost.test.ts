import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { point } from "../../test/analysis/points.js";
import { AnalysisError } from "./analysis-error.js";
import { resolveMetric } from "./analysis-metric.js";
import { costPerMillionTokens, gpuHourlyPrice, tokensPerDollar } from "./cost.js";
import { grossMargin, revenuePerGpuHour } from "./margin.js";
import { provisionedJoulesPerToken, tokensPerSecondPerMw } from "./provisioned-energy.js";

describe("cost, energy and margin formulas", () => {
  it("hand examples", () => {
    // 3.6 $/GPU-h at 1000 tok/s/GPU: 3.6e6 / 3.6e6 = 1 $ per million tokens; 3.6e6 tokens per 3.6 $ = 1e6 tokens/$
    expect(costPerMillionTokens(1000, 3.6)).toBe(1);
    expect(tokensPerDollar(1000, 3.6)).toBe(1_000_000);
    expect(costPerMillionTokens(0, 3.6)).toBeUndefined();
    // H200 (all-in 1.73 kW) at 1730 tok/s/GPU: 1730 W / 1730 tok/s = 1 J/token; 1730*1000/1.73 = 1e6 tok/s per MW
    expect(provisionedJoulesPerToken(1730, 1.73)).toBe(1);
    expect(tokensPerSecondPerMw(1730, 1.73)).toBeCloseTo(1e6, 6);
    expect(grossMargin(0.55, 1)).toBeCloseTo(0.45, 12);
    expect(gpuHourlyPrice("h200", { tier: "neocloud" })).toBe(1.74);
    expect(gpuHourlyPrice("unknown-gpu", { tier: "neocloud" })).toBeUndefined();
    expect(gpuHourlyPrice("unknown-gpu", { usdPerGpuHour: 2 })).toBe(2);
    expect(() => gpuHourlyPrice("h200", { tier: "cheap" as "rental" })).toThrow(AnalysisError);
  });

  it("cost is inversely proportional to throughput, and tokens per dollar is 1e6 / cost", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (tput, k, usd) => {
          const c1 = costPerMillionTokens(tput, usd)!;
          const c2 = costPerMillionTokens(tput * k, usd)!;
          expect(c1 * tput).toBeCloseTo(c2 * tput * k, 6);
          expect(c1 / c2).toBeCloseTo(k, 6 - Math.log10(k));
          expect(tokensPerDollar(tput, usd)! * c1).toBeCloseTo(1e6, 3);
        },
      ),
    );
  });

  it("point metrics: cost per tier, provisioned energy, margins", () => {
    // aggregated H200 point, 1000 total = 500 input + 500 output tok/s/GPU, hyperscaler 1.41 $/GPU-h
    const p = point({ hardware: "h200", tput: 1000 });
    const ctx = { pricing: { tier: "hyperscaler" as const } };
    expect(resolveMetric("cost").value(p, ctx)).toBeCloseTo(1.41e6 / 3.6e6, 12); // 0.391667 $/M
    expect(resolveMetric("output-cost").value(p, ctx)).toBeCloseTo(1.41e6 / 1.8e6, 12); // 0.783333 $/M
    expect(resolveMetric("provisioned-j").value(p, ctx)).toBeCloseTo(1.73, 12); // 1730 W / 1000 tok/s
    // provider: 0.5 $/M input, 2 $/M output; revenue per GPU-h = (500*0.5 + 500*2)/1e6*3600 = 4.5 $
    const prices = { inputPerMillion: 0.5, outputPerMillion: 2 };
    expect(revenuePerGpuHour(p, prices)).toBeCloseTo(4.5, 12);
    const withPrices = { ...ctx, providerPrices: prices };
    expect(resolveMetric("margin-output").value(p, withPrices)).toBeCloseTo(1 - 0.78333333 / 2, 6); // 0.608333
    expect(resolveMetric("margin-blended").value(p, withPrices)).toBeCloseTo(1 - 1.41 / 4.5, 12); // 0.686667
    expect(() => resolveMetric("margin-output").value(p, ctx)).toThrow(/provider's prices/);
    // disaggregated: 2 prefill + 6 decode GPUs, input 2000/prefill GPU, output 300/decode GPU
    // revenue/GPU-h = (2000*2*0.5 + 300*6*2) / 8 / 1e6 * 3600 = (2000 + 3600)/8e6*3600 = 2.52 $
    const d = point({ disagg: { prefill: 2, decode: 6 }, input: 2000, output: 300, tput: 725 });
    expect(revenuePerGpuHour(d, prices)).toBeCloseTo(2.52, 12);
  });

  it("unknown metrics list the known ones", () => {
    expect(() => resolveMetric("speed")).toThrow(/unknown metric "speed"; known: intvty\[\.stat\]/);
    expect(resolveMetric("intvty.p99").id).toBe("intvty.p99");
    expect(resolveMetric("e2el").direction).toBe("lower");
  });

  it("refuses intvty.std, 1 / std(TPOT), as an axis; a latency's std stays one", () => {
    expect(() => resolveMetric("intvty.std")).toThrow(
      "intvty.std is 1 / std(TPOT), InferenceX's std_intvty: neither an interactivity nor their spread (docs/metrics.md), so a frontier on it means nothing; interactivity axes: intvty.mean, intvty (median), intvty.p90, intvty.p99, intvty.p999",
    );
    expect(resolveMetric("ttft.std")).toMatchObject({ id: "ttft.std", direction: "lower" });
  });
});
