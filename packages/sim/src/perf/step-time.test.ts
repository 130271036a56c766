import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { expectedDistinctExperts, expectedMaxDistinctPerRank } from "./experts.js";
import { modelShape } from "./model-shape.js";
import { steadyState } from "./steady-state.js";
import { stepCosts } from "./step-time.js";
import { workerModel } from "./worker-model.js";

const noOverhead = {
  stepOverheadUs: 0,
  requestOverheadUs: 0,
  layerOverheadUs: 0,
  collectiveLatencyUs: 0,
  memory: 1,
};

describe("expected distinct experts", () => {
  it("follows E x (1 - (1 - k/E)^B)", () => {
    expect(expectedDistinctExperts(256, 8, 1)).toBeCloseTo(8, 10);
    expect(expectedDistinctExperts(256, 8, 2)).toBeCloseTo(256 * (1 - 0.9384765625), 10); // 15.75
    expect(expectedDistinctExperts(256, 8, 0)).toBe(0);
    expect(expectedDistinctExperts(256, 8, 100000)).toBeCloseTo(256, 6);
  });
});

describe("experts on the busiest expert-parallel rank", () => {
  it("is the whole worker's count on one rank, and all of a rank's experts at a large batch", () => {
    for (const tokens of [1, 4, 37, 512]) {
      expect(expectedMaxDistinctPerRank(256, 8, tokens, 1)).toBeCloseTo(
        expectedDistinctExperts(256, 8, tokens),
        10,
      );
    }
    expect(expectedMaxDistinctPerRank(256, 8, 100000, 8)).toBe(32);
    expect(expectedMaxDistinctPerRank(256, 8, 0, 8)).toBe(0);
  });

  it("is above the mean rank's share and falls back to it as the batch grows", () => {
    let lastRatio = Number.POSITIVE_INFINITY;
    for (const tokens of [1, 2, 4, 8, 16, 32, 64, 128, 256]) {
      const mean = expectedDistinctExperts(256, 8, tokens) / 8;
      const max = expectedMaxDistinctPerRank(256, 8, tokens, 8);
      expect(max).toBeGreaterThan(mean);
      expect(max).toBeLessThanOrEqual(32);
      expect(max / mean).toBeLessThan(lastRatio);
      lastRatio = max / mean;
    }
    expect(lastRatio).toBeLessThan(1.001);
  });

  it("matches a simulation of top-8 routing over 8 ranks of 32 experts", () => {
    let state = 12345;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 4294967296;
    };
    for (const tokens of [1, 4, 16]) {
      const trials = 4000;
      let sum = 0;
      for (let t = 0; t < trials; t++) {
        const hit = new Uint8Array(256);
        for (let i = 0; i < tokens; i++) {
          const picked = new Set<number>();
          while (picked.size < 8) picked.add(Math.floor(random() * 256));
          for (const e of picked) hit[e] = 1;
        }
        let busiest = 0;
        for (let r = 0; r < 8; r++) {
          let n = 0;
          for (let e = r * 32; e < (r + 1) * 32; e++) n += hit[e]!;
          busiest = Math.max(busiest, n);
        }
        sum += busiest;
      }
      // the formula takes the ranks as independent; simulated 2.55 / 6.58 / 16.70 against 2.54 / 6.56 / 16.71
      const ratio = expectedMaxDistinctPerRank(256, 8, tokens, 8) / (sum / trials);
      expect(Math.abs(ratio - 1)).toBeLessThan(0.015);
    }
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

  it("pays the per-request overhead for each request its scheduler runs, each DP-attention rank its own share", () => {
    const overheadOf = (dpAttention: boolean, decodeRequests: number) => {
      const cfg = resolveSimConfig({
        model: "dsr1",
        hardware: "h200",
        tp: 8,
        ep: dpAttention ? 8 : 1,
        dpAttention,
        efficiency: { stepOverheadUs: 1000, layerOverheadUs: 0, requestOverheadUs: 20 },
      });
      const w = workerModel(cfg, cfg.pools[0]!);
      return stepCosts(w, {
        decodeRequests,
        decodeContext: decodeRequests * 1024,
        prefillTokens: 0,
        prefillPairs: 0,
      }).overhead;
    };
    // TP attention: one scheduler runs all 256 requests, 1 ms + 256 x 20 us
    expect(overheadOf(false, 256)).toBeCloseTo(1000e-6 + 256 * 20e-6, 12);
    expect(overheadOf(false, 1)).toBeCloseTo(1020e-6, 12);
    // DP attention over 8 ranks: each schedules 32 of them, at the same time
    expect(overheadOf(true, 256)).toBeCloseTo(1000e-6 + 32 * 20e-6, 12);
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

  it("waits for the busiest EP rank's experts: more bytes than TP at a small batch, the same at a large one", () => {
    const at = (ep: number, B: number) => {
      const cfg = resolveSimConfig({
        model: "dsr1",
        hardware: "b200",
        tp: 8,
        ep,
        efficiency: noOverhead,
      });
      const w = workerModel(cfg, cfg.pools[0]!);
      const shape = { decodeRequests: B, decodeContext: B, prefillTokens: 0, prefillPairs: 0 };
      return {
        bytes: stepCosts(w, shape).weightBytes,
        fixed: w.fixedWeightBytes,
        expert: w.expertBytesPerGpu,
      };
    };
    const tp1 = at(1, 1);
    const ep1 = at(8, 1);
    expect(ep1.fixed).toBe(tp1.fixed);
    expect(ep1.expert).toBe(tp1.expert);
    // batch 1: TP reads 1/8 of each of the 8 experts; the busiest of 8 ranks holds 2.54 of them whole
    expect((tp1.bytes - tp1.fixed) / tp1.expert).toBeCloseTo(8, 6);
    expect((ep1.bytes - ep1.fixed) / ep1.expert).toBeCloseTo(8 * 2.544, 2);
    // batch 512: every expert is touched; each rank reads all its 32, the same bytes as TP
    expect(at(8, 512).bytes / at(1, 512).bytes).toBeCloseTo(1, 6);
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
