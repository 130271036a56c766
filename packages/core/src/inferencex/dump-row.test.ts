import { describe, expect, it } from "vitest";
import { fromInferencexDumpRow } from "./dump-row.js";

const config = {
  id: "7",
  hardware: "b200",
  framework: "dynamo-trtllm",
  model: "dsr1",
  precision: "nvfp4",
  spec_method: "mtp",
  disagg: "t",
  is_multinode: "t",
  prefill_tp: "4",
  prefill_ep: "4",
  prefill_dp_attention: "f",
  prefill_num_workers: "2",
  decode_tp: "8",
  decode_ep: "8",
  decode_dp_attention: "t",
  decode_num_workers: "1",
  num_prefill_gpu: "8",
  num_decode_gpu: "8",
};
const result = {
  id: "1",
  workflow_run_id: "55",
  config_id: "7",
  benchmark_type: "single_turn",
  date: "2026-02-01",
  isl: "1024",
  osl: "1024",
  conc: "256",
  image: "",
  metrics: '{"tput_per_gpu": 2500.5, "median_intvty": 60, "p99_e2el": 15}',
  error: "",
};

describe("fromInferencexDumpRow", () => {
  it("joins a result with its config", () => {
    const r = fromInferencexDumpRow(result, config, {
      runUrls: new Map([["55", "https://x/runs/55"]]),
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.point.run).toEqual({
      source: "imported",
      date: "2026-02-01",
      ciUrl: "https://x/runs/55",
    });
    const c = r.point.config;
    expect([c.hardware, c.framework, c.precision, c.specDecoding.method, c.image]).toEqual([
      "b200",
      "dynamo-trt",
      "fp4",
      "mtp",
      undefined,
    ]);
    expect([c.topology.disaggregated, c.topology.multinode, c.topology.gpus]).toEqual([
      true,
      true,
      16,
    ]);
    expect(c.topology.decode).toEqual({
      tp: 8,
      ep: 8,
      pp: 1,
      dpAttention: true,
      workers: 1,
      gpus: 8,
    });
    expect(c.load.concurrency).toBe(256);
    expect(r.point.metrics).toEqual({
      tputPerGpu: 2500.5,
      intvty: { median: 60 },
      e2el: { p99: 15 },
    });
  });

  it("reads flat metric columns when there is no metrics column", () => {
    const { metrics: _m, ...flat } = result;
    const r = fromInferencexDumpRow({ ...flat, tput_per_gpu: "10.5", median_ttft: "0.5" }, config);
    if (!r.ok) throw new Error(r.reason);
    expect(r.point.metrics).toEqual({ tputPerGpu: 10.5, ttft: { median: 0.5 } });
  });

  it("skips failed, foreign and unjoinable rows", () => {
    const reason = (
      row: Record<string, string>,
      cfg: Record<string, string> | undefined = config,
    ) => {
      const r = fromInferencexDumpRow(row, cfg);
      return r.ok ? "ok" : r.reason;
    };
    expect(reason({ ...result, error: "OOM" })).toBe("failed benchmark: OOM");
    expect(reason({ ...result, benchmark_type: "multi_turn" })).toBe(
      "benchmark_type multi_turn is not supported",
    );
    expect(fromInferencexDumpRow(result, undefined)).toEqual({
      ok: false,
      reason: "config_id 7 is not in configs.csv",
    });
    expect(reason({ ...result, metrics: "{oops" })).toBe("metrics is not valid JSON");
    expect(reason({ ...result, date: "" })).toBe("no date");
  });
});
