import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { steadyState } from "../perf/steady-state.js";
import { workerModel } from "../perf/worker-model.js";
import {
  inferencexAggLaunch,
  inferencexDisaggMemoryFraction,
  inferencexFp8Gemm,
} from "./inferencex-launch.js";
import { caseFromInferencexRow, caseFromPointResult, type ValidationCase } from "./read-rows.js";

/** The B200 SGLang FP8 TP4 8k/1k row at 32 requests of benchmarks.json (metrics the validation reads). */
function b200Row(over: Record<string, unknown> = {}) {
  return {
    hardware: "b200",
    framework: "sglang",
    model: "dsr1",
    precision: "fp8",
    spec_method: "none",
    disagg: false,
    is_multinode: false,
    prefill_tp: 4,
    prefill_ep: 1,
    prefill_dp_attention: false,
    prefill_num_workers: 0,
    decode_tp: 4,
    decode_ep: 1,
    decode_dp_attention: false,
    decode_num_workers: 0,
    num_prefill_gpu: 4,
    num_decode_gpu: 4,
    isl: 8192,
    osl: 1024,
    conc: 32,
    date: "2026-05-22",
    metrics: {
      tput_per_gpu: 2013.983103380633,
      median_intvty: 29.705351631553015,
      median_ttft: 0.799003222520696,
      median_tpot: 0.0336639677726555,
      median_e2el: 31.914876055991044,
      mean_e2el: 32.12794787875591,
      mean_ttft: 1.507864161184989,
      mean_tpot: 0.03306502157165633,
      output_tput_per_gpu: 225.21934600397282,
    },
    ...over,
  };
}

/** A TP8 variant of the row: 8 GPUs. */
const tp8 = {
  prefill_tp: 8,
  decode_tp: 8,
  num_prefill_gpu: 8,
  num_decode_gpu: 8,
};

function asCase(x: ReturnType<typeof caseFromInferencexRow>): ValidationCase {
  if (!("options" in x)) throw new Error(`skipped: ${x.reason}`);
  return x;
}

describe("InferenceX SGLang launch settings", () => {
  it("lists each script's memory fraction and running-request cap", () => {
    const key = {
      framework: "sglang",
      hardware: "b200",
      precision: "fp8",
      tp: 4,
      isl: 8192,
      osl: 1024,
      spec: "none",
    };
    expect(inferencexAggLaunch(key)).toEqual({ memoryFraction: 0.95, maxRunningRequests: 32 });
    expect(inferencexAggLaunch({ ...key, tp: 8 })).toEqual({
      memoryFraction: 0.82,
      maxRunningRequests: 128,
    });
    expect(inferencexAggLaunch({ ...key, tp: 8, spec: "mtp" })).toEqual({
      memoryFraction: 0.82,
      maxRunningRequests: 512,
    });
    expect(inferencexAggLaunch({ ...key, precision: "fp4" })).toEqual({
      memoryFraction: 0.85,
      maxRunningRequests: 256,
    });
    expect(inferencexAggLaunch({ ...key, hardware: "h200", tp: 8 })).toEqual({
      memoryFraction: 0.82,
      maxRunningRequests: 256,
    });
    expect(inferencexAggLaunch({ ...key, hardware: "h200", tp: 8, isl: 1024 })).toEqual({
      memoryFraction: 0.82,
      maxRunningRequests: 512,
    });
    expect(inferencexAggLaunch({ ...key, hardware: "mi355x", precision: "fp4" })).toEqual({
      memoryFraction: 0.8,
    });
    // another engine, or a configuration no script runs: nothing
    expect(inferencexAggLaunch({ ...key, framework: "trt" })).toBeUndefined();
    expect(inferencexAggLaunch({ ...key, framework: "dynamo-sglang" })).toBeUndefined();
    expect(inferencexAggLaunch({ ...key, hardware: "h100" })).toBeUndefined();
  });

  it("gives a B200 FP8 TP4 row the script's 0.95 and 32, at which its KV cache fits beside the weights", () => {
    const c = asCase(caseFromInferencexRow(b200Row()));
    expect(c.options.engine).toEqual({ memoryFraction: 0.95, maxRunningRequests: 32 });
    const cfg = resolveSimConfig(c.options);
    const atRecipe = workerModel(cfg, cfg.pools[0]!).kvCapacityTokens;
    const defaults = resolveSimConfig({ ...c.options, engine: undefined });
    const atDefault = workerModel(defaults, defaults.pools[0]!).kvCapacityTokens;
    // about 168 GB of weights per GPU: 0.9 x 180 GB leaves no KV cache, 0.95 x 180 GB about 3 GB (80k tokens)
    expect(atDefault).toBeLessThan(0);
    expect(atRecipe).toBeGreaterThan(70_000);
    const point = steadyState(cfg, c.meanIsl, c.meanOsl, c.concurrency);
    expect(point.limit).toBe("kv");
    expect(point.batchPerWorker).toBe(10);
  });

  it("gives another model's row of the same engine and GPU nothing: the scripts are DeepSeek-R1's", () => {
    const c = asCase(caseFromInferencexRow(b200Row({ ...tp8, model: "gptoss", precision: "fp4" })));
    expect(c.options.model).toBe("gptoss120b");
    expect(c.options.engine).toBeUndefined();
  });

  it("caps the running requests of a TP8 row at the script's 128", () => {
    const c = asCase(caseFromInferencexRow(b200Row(tp8)));
    expect(c.options.engine).toEqual({ memoryFraction: 0.82, maxRunningRequests: 128 });
    const point = steadyState(resolveSimConfig(c.options), c.meanIsl, c.meanOsl, 256);
    expect(point.batchPerWorker).toBe(128);
    expect(point.limit).toBe("max-running");
  });

  it("shares the server's cap among DP-attention ranks", () => {
    const c = asCase(
      caseFromInferencexRow(
        b200Row({
          ...tp8,
          precision: "fp4",
          decode_ep: 8,
          decode_dp_attention: true,
          prefill_ep: 8,
          prefill_dp_attention: true,
        }),
      ),
    );
    expect(c.options.engine).toEqual({ memoryFraction: 0.85, maxRunningRequests: 32 });
  });

  it("gives an AMD row the fraction alone", () => {
    const c = asCase(caseFromInferencexRow(b200Row({ ...tp8, hardware: "mi355x" })));
    expect(c.options.engine).toEqual({ memoryFraction: 0.8 });
  });

  it("leaves other engines' rows and a PointResult of the same configuration at the defaults", () => {
    expect(
      asCase(caseFromInferencexRow(b200Row({ framework: "trt" }))).options.engine,
    ).toBeUndefined();
    const point = {
      config: {
        model: "dsr1",
        hardware: "b200",
        framework: "sglang",
        precision: "fp8",
        topology: {
          disaggregated: false,
          gpus: 4,
          decode: { tp: 4, ep: 1, pp: 1, dpAttention: false, workers: 1, gpus: 4 },
        },
        workload: { isl: 8192, osl: 1024 },
        load: { concurrency: 32 },
        specDecoding: { method: "none" },
      },
      metrics: { tputPerGpu: 2014, intvty: { median: 29.7 } },
      run: { date: "2026-05-22" },
    };
    expect(asCase(caseFromPointResult(point as never)).options.engine).toBeUndefined();
  });

  it("leaves the user's own prediction at the engine's default, and the user's fraction wins there", () => {
    const own = { model: "dsr1", hardware: "b200", framework: "sglang", precision: "fp8", tp: 4 };
    expect(resolveSimConfig(own).engine.memoryFraction).toBe(0.9);
    expect(resolveSimConfig(own).engine.maxRunningRequests).toBe(4096);
    const given = resolveSimConfig({ ...own, engine: { memoryFraction: 0.93 } });
    expect(given.engine.memoryFraction).toBe(0.93);
  });

  it("gives the GB200 FP8 8k/1k low-latency Dynamo + SGLang row its recipe's 0.95", () => {
    const row = {
      hardware: "gb200",
      framework: "dynamo-sglang",
      model: "dsr1",
      precision: "fp8",
      spec_method: "none",
      disagg: true,
      is_multinode: true,
      prefill_tp: 1,
      prefill_ep: 1,
      prefill_dp_attention: true,
      prefill_num_workers: 1,
      decode_tp: 1,
      decode_ep: 1,
      decode_dp_attention: true,
      decode_num_workers: 1,
      num_prefill_gpu: 4,
      num_decode_gpu: 4,
      isl: 8192,
      osl: 1024,
      conc: 4,
      date: "2025-12-21",
      metrics: {
        tput_per_gpu: 373.33549125966925,
        median_intvty: 95.76938358570929,
        median_ttft: 0.8029270560946316,
        median_tpot: 0.010441750406642691,
        median_e2el: 10.712829541647807,
        mean_e2el: 10.769974423572421,
        mean_ttft: 1.0159053148934618,
        mean_tpot: 0.010441665989119386,
        output_tput_per_gpu: 83.7876568221312,
      },
    };
    const c = asCase(caseFromInferencexRow(row));
    expect(c.options.engine).toEqual({ memoryFraction: 0.95 });
    const cfg = resolveSimConfig(c.options);
    expect(workerModel(cfg, cfg.pools[1]!).kvCapacityTokens).toBeGreaterThan(0);
    // 1k/1k, another layout, another framework: no recipe listed
    const key = {
      framework: "dynamo-sglang",
      hardware: "gb200",
      precision: "fp8",
      isl: 1024,
      osl: 1024,
      prefill: { workers: 1, gpusPerWorker: 4 },
      decode: { workers: 1, gpusPerWorker: 4 },
    };
    expect(inferencexDisaggMemoryFraction({ ...key, isl: 8192 })).toBe(0.95);
    expect(inferencexDisaggMemoryFraction(key)).toBeUndefined();
    expect(
      inferencexDisaggMemoryFraction({
        ...key,
        isl: 8192,
        decode: { workers: 1, gpusPerWorker: 8 },
      }),
    ).toBeUndefined();
    expect(
      inferencexDisaggMemoryFraction({ ...key, isl: 8192, framework: "dynamo-trt" }),
    ).toBeUndefined();
  });
});

describe("InferenceX launch scripts that turn SGLang's JIT DeepGEMM off", () => {
  const key = {
    model: "dsr1",
    framework: "sglang",
    hardware: "b200",
    precision: "fp8",
    isl: 1024,
    osl: 1024,
    date: "2026-05-22",
  };

  it("lists the B200 SGLang scripts and the B200 Dynamo + SGLang recipes that set SGLANG_ENABLE_JIT_DEEPGEMM=false", () => {
    // dsr1_fp8_b200.sh and dsr1_fp8_b200_mtp.sh, every ISL/OSL
    expect(inferencexFp8Gemm(key)).toBe("fallback");
    expect(inferencexFp8Gemm({ ...key, isl: 8192 })).toBe("fallback");
    // srt-slurm recipes/b200-fp8/1k1k*; 8k1k/{stp,mtp}/*.yaml up to 2026-03-13, 8k1k_*.yaml (DeepGEMM on) after
    const dynamo = { ...key, framework: "dynamo-sglang", date: "2026-03-18" };
    expect(inferencexFp8Gemm(dynamo)).toBe("fallback");
    expect(inferencexFp8Gemm({ ...dynamo, isl: 8192, date: "2026-02-13" })).toBe("fallback");
    expect(inferencexFp8Gemm({ ...dynamo, isl: 8192 })).toBeUndefined();
    // H200's scripts and the GB200 / GB300 recipes keep DeepGEMM; FP4 runs no FP8 block GEMMs
    for (const hardware of ["h200", "gb200", "gb300"]) {
      expect(inferencexFp8Gemm({ ...key, hardware })).toBeUndefined();
      expect(inferencexFp8Gemm({ ...dynamo, hardware })).toBeUndefined();
    }
    expect(inferencexFp8Gemm({ ...key, precision: "fp4" })).toBeUndefined();
    expect(inferencexFp8Gemm({ ...key, framework: "trt" })).toBeUndefined();
  });

  it("leaves a dense model's FP8 row (per-tensor scales, no block GEMMs) and an unknown model's row with DeepGEMM", () => {
    // the same B200 SGLang FP8 script flags: Llama-3.3-70B's FP8 checkpoint runs no DeepGEMM to turn off
    expect(inferencexFp8Gemm({ ...key, model: "llama70b" })).toBeUndefined();
    expect(
      inferencexFp8Gemm({
        ...key,
        model: "llama70b",
        framework: "dynamo-sglang",
        date: "2026-03-18",
      }),
    ).toBeUndefined();
    expect(inferencexFp8Gemm({ ...key, model: "not-in-the-catalog" })).toBeUndefined();
    // such a row is a case, not a config error
    const llama = asCase(
      caseFromInferencexRow(b200Row({ ...tp8, model: "llama70b", precision: "fp8" })),
    );
    expect(llama.options.fp8Gemm).toBeUndefined();
    expect(resolveSimConfig(llama.options).fp8Gemm).toBe("deepgemm");
  });

  it("runs a B200 FP8 SGLang row with the fallback GEMMs, an H200 row and another model's row with DeepGEMM", () => {
    const c = asCase(caseFromInferencexRow(b200Row(tp8)));
    expect(c.options.fp8Gemm).toBe("fallback");
    expect(resolveSimConfig(c.options).fp8Gemm).toBe("fallback");
    expect(
      asCase(caseFromInferencexRow(b200Row({ ...tp8, hardware: "h200" }))).options.fp8Gemm,
    ).toBeUndefined();
    expect(
      asCase(caseFromInferencexRow(b200Row({ ...tp8, hardware: "b300" }))).options.fp8Gemm,
    ).toBeUndefined();
    expect(
      asCase(caseFromInferencexRow(b200Row({ ...tp8, model: "gptoss", precision: "fp4" }))).options
        .fp8Gemm,
    ).toBeUndefined();
  });
});
