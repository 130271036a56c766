import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { expectedDistinctExperts } from "./experts.js";
import { modelShape } from "./model-shape.js";
import { steadyState } from "./steady-state.js";
import { stepCosts } from "./step-time.js";
import { workerModel } from "./worker-model.js";

const noOverhead = { stepOverheadUs: 0, layerOverheadUs: 0, collectiveLatencyUs: 0, memory: 1 };

describe("expected distinct experts", () => {
  it("follows E x (1 - (1 - k/E)^B)", () => {
    expect(expectedDistinctExperts(256, 8, 1)).toBeCloseTo(8, 10);
    expect(expectedDistinctExperts(256, 8, 2)).toBeCloseTo(256 * (1 - 0.9384765625), 10); // 15.75
    expect(expectedDistinctExperts(256, 8, 0)).toBe(0);
    expect(expectedDistinctExperts(256, 8, 100000)).toBeCloseTo(256, 6);
  });
});

describe("model shape", () => {
  it("counts DeepSeek-R1 at about 671B total and 37B active parameters", () => {
    const cfg = resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8 });
    const s = modelShape(cfg.model);
    expect(s.total / 1e9).toBeCloseTo(670.8, 0);
    expect(s.activeLinear / 1e9).toBeGreaterThan(35);
    expect(s.activeLinear / 1e9).toBeLessThan(38);
  });
});

describe("step time", () => {
  it("decodes one request at weight bytes / bandwidth (Llama-3.3-70B BF16 on one H200)", () => {
    const cfg = resolveSimConfig({
      model: "llama70b",
      hardware: "h200",
      precision: "bf16",
      efficiency: noOverhead,
    });
    const w = workerModel(cfg, cfg.pools[0]!);
    const c = stepCosts(w, {
      decodeRequests: 1,
      decodeContext: 1,
      prefillTokens: 0,
      prefillPairs: 0,
    });
    // attention 12,079,595,520 + FFN 56,371,445,760 + head 1,050,673,152 parameters, 2 bytes each
    const bytes = (12_079_595_520 + 56_371_445_760 + 1_050_673_152) * 2;
    expect(c.total).toBeCloseTo(bytes / 4.8e12, 5); // 28.96 ms
    expect(c.total * 1000).toBeCloseTo(28.96, 1);
  });

  it("is never slower with more bandwidth or more FLOPs", () => {
    const base = resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8 });
    const faster = resolveSimConfig({
      model: "dsr1",
      hardware: { ...base.gpu, hbmTbps: 9.6, tflops: { bf16: 2000, fp8: 4000 } },
      tp: 8,
    });
    for (const B of [1, 8, 64, 512]) {
      for (const prefill of [0, 2048]) {
        const b = {
          decodeRequests: B,
          decodeContext: B * 2048,
          prefillTokens: prefill,
          prefillPairs: prefill * prefill,
        };
        const slow = stepCosts(workerModel(base, base.pools[0]!), b).total;
        const fast = stepCosts(workerModel(faster, faster.pools[0]!), b).total;
        expect(fast).toBeLessThanOrEqual(slow);
      }
    }
  });

  it("has throughput that does not fall as concurrency rises until memory saturates", () => {
    const cfg = resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8 });
    let prev = 0;
    for (const c of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]) {
      const s = steadyState(cfg, 1024, 1024, c);
      expect(s.tputPerGpu).toBeGreaterThanOrEqual(prev * 0.999);
      prev = s.tputPerGpu;
    }
  });
});
