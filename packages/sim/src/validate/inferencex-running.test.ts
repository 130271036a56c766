import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { steadyState } from "../perf/steady-state.js";
import { inferencexDecodeRunningCap } from "./inferencex-running.js";
import { caseFromInferencexRow, caseFromPointResult, type ValidationCase } from "./read-rows.js";

/** The H200 Dynamo + SGLang MTP row at 2,048 requests of benchmarks.json (metrics the validation reads). */
function h200Row(over: Record<string, unknown> = {}) {
  return {
    hardware: "h200",
    framework: "dynamo-sglang",
    model: "dsr1",
    precision: "fp8",
    spec_method: "mtp",
    disagg: true,
    is_multinode: true,
    prefill_tp: 8,
    prefill_ep: 8,
    prefill_dp_attention: true,
    prefill_num_workers: 1,
    decode_tp: 8,
    decode_ep: 8,
    decode_dp_attention: true,
    decode_num_workers: 6,
    num_prefill_gpu: 8,
    num_decode_gpu: 48,
    isl: 1024,
    osl: 1024,
    conc: 2048,
    date: "2026-02-07",
    run_url: "https://github.com/SemiAnalysisAI/InferenceX/actions/runs/21788229979/attempts/1",
    metrics: {
      tput_per_gpu: 960.2020319374043,
      median_intvty: 36.66899872250937,
      median_ttft: 43.036907633417286,
      median_tpot: 0.02727099279605219,
      median_e2el: 67.59519783302676,
    },
    ...over,
  };
}

function asCase(x: ReturnType<typeof caseFromInferencexRow>): ValidationCase {
  if (!("options" in x)) throw new Error(`skipped: ${x.reason}`);
  return x;
}

describe("InferenceX Dynamo running-request caps", () => {
  it("lists the recipes' caps per decode worker where they bind", () => {
    const key = {
      framework: "dynamo-sglang",
      hardware: "h200",
      precision: "fp8",
      isl: 1024,
      osl: 1024,
      spec: "mtp",
      concurrency: 2048,
    };
    expect(inferencexDecodeRunningCap(key)).toBe(128);
    // H100 TP decode at 128 requests over 2 workers runs 64 each, under its 128: not listed
    expect(
      inferencexDecodeRunningCap({ ...key, hardware: "h100", concurrency: 128 }),
    ).toBeUndefined();
    // TensorRT-LLM with attention DP: max_batch_size 64 per rank x 8 ranks
    expect(
      inferencexDecodeRunningCap({
        ...key,
        framework: "dynamo-trt",
        hardware: "b200",
        precision: "fp4",
        concurrency: 1214,
      }),
    ).toBe(512);
    // another engine: never
    expect(inferencexDecodeRunningCap({ ...key, framework: "sglang" })).toBeUndefined();
  });

  it("passes the cap to a row's case per DP-attention rank, and the decode batch stops at it", () => {
    const c = asCase(caseFromInferencexRow(h200Row()));
    // max-running-requests 128 for the worker, 8 DP-attention ranks: 16 a rank
    expect(c.options.engine).toEqual({ maxRunningRequests: 16 });
    const capped = steadyState(resolveSimConfig(c.options), c.meanIsl, c.meanOsl, c.concurrency);
    expect(capped.batchPerWorker).toBe(128);
    expect(capped.limit).toBe("max-running");
    const free = steadyState(
      resolveSimConfig({ ...c.options, engine: undefined }),
      c.meanIsl,
      c.meanOsl,
      c.concurrency,
    );
    expect(free.batchPerWorker).toBeGreaterThan(128);
    expect(capped.tputPerGpu).toBeLessThan(free.tputPerGpu);
  });

  it("keeps the default limits where no recipe caps the row", () => {
    expect(asCase(caseFromInferencexRow(h200Row({ conc: 1024 }))).options.engine).toBeUndefined();
    expect(
      asCase(caseFromInferencexRow(h200Row({ framework: "trt", disagg: false }))).options.engine,
    ).toBeUndefined();
  });

  it("applies to InferenceX rows only, not to a PointResult of the same configuration", () => {
    const c = asCase(caseFromInferencexRow(h200Row()));
    expect(c.options.engine).toEqual({ maxRunningRequests: 16 });
    const point = {
      config: {
        model: "dsr1",
        hardware: "h200",
        framework: "dynamo-sglang",
        precision: "fp8",
        topology: {
          disaggregated: true,
          gpus: 56,
          prefill: { tp: 8, ep: 8, pp: 1, dpAttention: true, workers: 1, gpus: 8 },
          decode: { tp: 8, ep: 8, pp: 1, dpAttention: true, workers: 6, gpus: 48 },
        },
        workload: { isl: 1024, osl: 1024 },
        load: { concurrency: 2048 },
        specDecoding: { method: "mtp" },
      },
      metrics: { tputPerGpu: 960, intvty: { median: 36.7 } },
      run: { date: "2026-02-07" },
    };
    const own = asCase(caseFromPointResult(point as never));
    expect(own.options.engine).toBeUndefined();
  });
});
