import { describe, expect, it } from "vitest";
import { stepCosts } from "../perf/step-time.js";
import { workerModel } from "../perf/worker-model.js";
import {
  DEFAULT_EFFICIENCY,
  onPlatform,
  PHYSICAL_COMM_EFFICIENCY,
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
    // unscaled: the defaults with the physical communication factor of a model without MLA
    const physical = { ...DEFAULT_EFFICIENCY, comm: PHYSICAL_COMM_EFFICIENCY };
    expect(resolveSimConfig({ model: "llama70b", hardware: "mi300x", tp: 8 }).efficiency).toEqual(
      physical,
    );
    expect(
      resolveSimConfig({ model: "gptoss120b", hardware: "mi325x", tp: 1, precision: "fp4" })
        .efficiency,
    ).toEqual(physical);
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

describe("the communication factor of the defaults", () => {
  it("is the fitted 0.175 for MLA models (DeepSeek-R1) and the physical 0.7 for the others", () => {
    expect(PHYSICAL_COMM_EFFICIENCY).toBe(0.7);
    const comm = (model: string, hardware: string, precision = "fp8") =>
      resolveSimConfig({ model, hardware, tp: 8, precision }).efficiency.comm;
    expect(comm("dsr1", "h200")).toBe(0.175);
    expect(comm("dsr1", "b200", "fp4")).toBe(0.175);
    expect(comm("dsr1", "mi300x")).toBe(0.1296);
    expect(comm("llama70b", "h100")).toBe(0.7);
    expect(comm("llama70b", "b200", "fp4")).toBe(0.7);
    expect(comm("gptoss120b", "b200", "fp4")).toBe(0.7);
    // an FP8 MoE model without MLA runs CDNA3's platform factor, on top of the physical factor: 0.7 / 1.35
    expect(comm("gptoss120b", "mi300x", "fp8")).toBe(0.5185);
    // the other factors stay the fitted ones
    const llama = resolveSimConfig({ model: "llama70b", hardware: "h100", tp: 8 }).efficiency;
    expect({ ...llama, comm: DEFAULT_EFFICIENCY.comm }).toEqual(DEFAULT_EFFICIENCY);
  });

  it("gives way to a calibration entry and to factors given as options, and stays when they leave it out", () => {
    const options = { model: "llama70b", hardware: "h100", tp: 8, framework: "vllm" } as const;
    const withComm = resolveSimConfig({
      ...options,
      calibration: { "h100/vllm": { comm: 0.175 } },
    });
    expect(withComm.efficiency.comm).toBe(0.175);
    const without = resolveSimConfig({
      ...options,
      calibration: { "h100/vllm": { memory: 0.7 } },
    });
    expect(without.efficiency.comm).toBe(0.7);
    expect(resolveSimConfig({ ...options, efficiency: { comm: 0.3 } }).efficiency.comm).toBe(0.3);
  });

  it("carries the all-reduce of a Llama TP8 step at 0.7 of NVLink, the same step at 0.175 when given", () => {
    const batch = {
      decodeRequests: 256,
      decodeContext: 256 * 1536,
      prefillTokens: 0,
      prefillPairs: 0,
    };
    const allReduce = (efficiency?: { comm: number }) => {
      const cfg = resolveSimConfig({ model: "llama70b", hardware: "h100", tp: 8, efficiency });
      return stepCosts(workerModel(cfg, cfg.pools[0]!), batch).allReduce;
    };
    // 160 all-reduces of 256 x 8192 x 2 B, 2 x 7/8 of it over 450 GB/s x comm, plus 22 µs each (NVLink 4)
    const message = 256 * 8192 * 2;
    const at = (comm: number) => 160 * ((1.75 * message) / (450e9 * comm) + 22e-6);
    expect(allReduce()).toBeCloseTo(at(0.7), 9);
    expect(allReduce({ comm: 0.175 })).toBeCloseTo(at(0.175), 9);
  });
});
