import { describe, expect, it } from "vitest";
import { stepCosts } from "../perf/step-time.js";
import { workerModel } from "../perf/worker-model.js";
import {
  DEFAULT_EFFICIENCY,
  onPlatform,
  PLATFORM_STEP_SCALE,
  platformEfficiency,
} from "./defaults.js";
import { resolveSimConfig } from "./resolve.js";

describe("the platform factor of the defaults", () => {
  it("scales every time term of a CDNA3 step by 1.35 and leaves other GPUs alone", () => {
    expect(PLATFORM_STEP_SCALE).toEqual({ mi300x: 1.35, mi325x: 1.35 });
    expect(platformEfficiency("h200")).toBe(DEFAULT_EFFICIENCY);
    expect(platformEfficiency("mi355x")).toBe(DEFAULT_EFFICIENCY);
    // efficiencies divided, overheads and latencies multiplied, 4 significant digits; the draft pass is a share
    expect(platformEfficiency("MI300X")).toEqual({
      compute: 0.5481, // 0.74 / 1.35
      memory: 0.5926, // 0.8 / 1.35
      comm: 0.1296, // 0.175 / 1.35
      stepOverheadUs: 1782, // 1320 x 1.35
      requestOverheadUs: 21.6,
      layerOverheadUs: 90.45,
      collectiveLatencyUs: 14.85,
      draftFraction: 0.112,
    });
    expect(onPlatform({ ...DEFAULT_EFFICIENCY, memory: 0.5 }, "mi325x").memory).toBe(0.3704);
  });

  it("makes an MI300X step 1.35x the same step with the unscaled factors", () => {
    const options = { model: "dsr1", hardware: "mi300x", tp: 8 } as const;
    const scaled = resolveSimConfig(options);
    const plain = resolveSimConfig({ ...options, efficiency: DEFAULT_EFFICIENCY });
    expect(scaled.efficiencySource).toBe("default");
    expect(scaled.efficiency.stepOverheadUs).toBe(1782);
    const batch = {
      decodeRequests: 16,
      decodeContext: 16 * 1500,
      prefillTokens: 0,
      prefillPairs: 0,
    };
    const t = (cfg: typeof scaled) => stepCosts(workerModel(cfg, cfg.pools[0]!), batch).total;
    // every term scales by 1.35 but for the rounding of the factors to 4 digits
    expect(t(scaled) / t(plain)).toBeCloseTo(1.35, 3);
  });

  it("gives way to a calibration entry of the pair and to factors given as options", () => {
    const options = { model: "dsr1", hardware: "mi300x", tp: 8, framework: "sglang" } as const;
    const calibrated = resolveSimConfig({
      ...options,
      calibration: { "mi300x/sglang": { memory: 0.7, stepOverheadUs: 1000 } },
    });
    expect(calibrated.efficiencySource).toBe("calibration");
    expect(calibrated.efficiency.memory).toBe(0.7);
    expect(calibrated.efficiency.stepOverheadUs).toBe(1000);
    // the factors the file leaves out are the platform's defaults, as a calibration on this GPU was fitted over
    expect(calibrated.efficiency.comm).toBe(0.1296);
    const given = resolveSimConfig({ ...options, efficiency: { compute: 0.6 } });
    expect(given.efficiency.compute).toBe(0.6);
    expect(given.efficiency.memory).toBe(0.5926);
  });

  it("applies only to the paths it was measured on: MLA and FP8 MoE, not Llama's dense FP8 or gpt-oss's MXFP4", () => {
    const tpot = (model: string, hardware: string, tp: number, precision: "fp8" | "fp4") => {
      const cfg = resolveSimConfig({ model, hardware, tp, precision });
      const batch = { decodeRequests: 1, decodeContext: 1024, prefillTokens: 0, prefillPairs: 0 };
      return stepCosts(workerModel(cfg, cfg.pools[0]!), batch).total;
    };
    // MI300X has more HBM bandwidth than the H200 (5.3 against 4.8 TB/s): a dense FP8 model's batch-1 step, which
    // reads its weights, is not slower there
    expect(tpot("llama70b", "mi300x", 8, "fp8")).toBeLessThan(tpot("llama70b", "h200", 8, "fp8"));
    expect(resolveSimConfig({ model: "llama70b", hardware: "mi300x", tp: 8 }).efficiency).toEqual(
      DEFAULT_EFFICIENCY,
    );
    expect(
      resolveSimConfig({ model: "gptoss120b", hardware: "mi325x", tp: 1, precision: "fp4" })
        .efficiency,
    ).toEqual(DEFAULT_EFFICIENCY);
    // DeepSeek-R1 (MLA, FP8 block-scaled MoE), on which it was measured, keeps it at either precision
    expect(resolveSimConfig({ model: "dsr1", hardware: "mi300x", tp: 8 }).efficiency).toEqual(
      platformEfficiency("mi300x"),
    );
    expect(
      resolveSimConfig({ model: "dsr1", hardware: "mi325x", tp: 8, precision: "fp4" }).efficiency
        .stepOverheadUs,
    ).toBe(1782);
  });
});
