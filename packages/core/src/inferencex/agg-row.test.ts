import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { toInferencexRow } from "../metrics/inferencex-row.js";
import { configurationKey } from "../schemas/config-key.js";
import { workloadKind } from "../schemas/point-filter.js";
import type { PointResult } from "../schemas/point-result.js";
import { fromInferencexAggRow } from "./agg-row.js";
import { fromInferencexApiRow } from "./api-row.js";
import { inferencexModelKey } from "./model-key.js";

const oldRow = {
  hw: "mi355x-amd_0",
  tp: 8,
  ep: 2,
  dp_attention: "true",
  conc: 32,
  model: "amd/DeepSeek-R1-0528-MXFP4-Preview",
  framework: "sglang",
  precision: "mxfp4",
  mtp: "on",
  tput_per_gpu: 700,
  output_tput_per_gpu: 350,
  median_ttft: 0.4,
  p99_ttft: 1.2,
  median_tpot: 0.025,
  median_intvty: 40,
  "p99.9_itl": 0.2,
};

const newRow = {
  hw: "h200-nb",
  conc: 128,
  image: "lmsysorg#sglang:v0.5.6",
  model: "openai/gpt-oss-120b",
  infmax_model_prefix: "gptoss",
  framework: "sglang-disagg",
  precision: "fp8",
  spec_decoding: "none",
  disagg: false,
  isl: 8192,
  osl: 1024,
  is_multinode: true,
  prefill_tp: 8,
  prefill_ep: 1,
  prefill_dp_attention: "false",
  prefill_num_workers: 1,
  decode_tp: 4,
  decode_ep: 4,
  decode_dp_attention: "true",
  decode_num_workers: 2,
  num_prefill_gpu: 8,
  num_decode_gpu: 8,
  tput_per_gpu: 1000,
  input_tput_per_gpu: 1800,
  output_tput_per_gpu: 200,
  median_e2el: 30,
  avg_power_w: 640,
  joules_per_total_token: 0.64,
};

describe("fromInferencexAggRow", () => {
  it("maps an old row (tp, ep, dp_attention; ISL/OSL and date from context)", () => {
    const r = fromInferencexAggRow(oldRow, {
      date: "2025-10-06",
      isl: 1024,
      osl: 8192,
      runUrl: "https://x/runs/1",
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.point.run).toEqual({
      source: "imported",
      date: "2025-10-06",
      ciUrl: "https://x/runs/1",
    });
    expect(r.point.config).toEqual({
      model: "dsr1",
      modelId: "amd/DeepSeek-R1-0528-MXFP4-Preview",
      hardware: "mi355x",
      hardwareLabel: "mi355x-amd_0",
      framework: "sglang",
      precision: "fp4",
      specDecoding: { method: "mtp" },
      topology: {
        disaggregated: false,
        multinode: false,
        gpus: 8,
        prefillGpus: 8,
        decodeGpus: 8,
        prefill: { tp: 8, ep: 2, pp: 1, dpAttention: true, workers: 1, gpus: 8 },
        decode: { tp: 8, ep: 2, pp: 1, dpAttention: true, workers: 1, gpus: 8 },
      },
      workload: { kind: "random", isl: 1024, osl: 8192 },
      load: { mode: "concurrency", concurrency: 32 },
    });
    expect(r.point.metrics).toEqual({
      tputPerGpu: 700,
      outputTputPerGpu: 350,
      ttft: { median: 0.4, p99: 1.2 },
      tpot: { median: 0.025 },
      itl: { p999: 0.2 },
      intvty: { median: 40 },
    });
  });

  it("maps a new row (prefill_*/decode_*), with the framework alias implying disaggregation", () => {
    const r = fromInferencexAggRow(newRow, { date: "2026-01-02" });
    if (!r.ok) throw new Error(r.reason);
    const c = r.point.config;
    expect([c.model, c.hardware, c.framework, c.image, c.precision]).toEqual([
      "gptoss120b",
      "h200",
      "mori-sglang",
      "lmsysorg/sglang:v0.5.6",
      "fp8",
    ]);
    expect(c.topology).toEqual({
      disaggregated: true,
      multinode: true,
      gpus: 16,
      prefillGpus: 8,
      decodeGpus: 8,
      prefill: { tp: 8, ep: 1, pp: 1, dpAttention: false, workers: 1, gpus: 8 },
      decode: { tp: 4, ep: 4, pp: 1, dpAttention: true, workers: 2, gpus: 8 },
    });
    expect(r.point.energy).toEqual({
      kind: "reported",
      avgPowerW: 640,
      jPerTotalToken: 0.64,
      valid: true,
      reasons: [],
    });
    expect(r.point.metrics.inputTputPerGpu).toBe(1800);
  });

  it("skips rows it cannot map, with the reason", () => {
    const reason = (row: unknown, ctx = { date: "2026-01-01" }) => {
      const r = fromInferencexAggRow(row, ctx);
      return r.ok ? "ok" : r.reason;
    };
    expect(reason({ ...newRow, hw: "tpu-v5" })).toBe(
      'unknown hardware "tpu-v5": the catalog has no GPU "tpu"; declare it with its figures under gpus: in a catalog override file (--catalog FILE or INFERMARK_CATALOG=FILE; docs/catalog.md)',
    );
    expect(
      reason({ ...oldRow, model: "mistral/Mixtral" }, { date: "x", isl: 1, osl: 1 } as never),
    ).toBe('unknown model "mistral/Mixtral" (no infmax_model_prefix)');
    expect(reason(oldRow)).toBe("no isl/osl");
    expect(reason(newRow, {} as never)).toMatch(/^no date/);
    expect(reason({ ...newRow, num_decode_gpu: 0 })).toBe("no decode GPU count (num_decode_gpu)");
    expect(reason({ ...newRow, tput_per_gpu: undefined })).toBe("no tput_per_gpu");
    expect(reason({ ...newRow, conc: "many" })).toBe("no concurrency (conc)");
    expect(reason([1])).toBe("not an object");
  });
});

describe("inferencexModelKey", () => {
  it("prefers the prefix, else matches the model id or path", () => {
    expect(inferencexModelKey("dsr1", "whatever")).toBe("dsr1");
    expect(inferencexModelKey("qwen3.5", undefined)).toBe("qwen3.5");
    expect(inferencexModelKey(undefined, "deepseek-ai/DeepSeek-R1-0528")).toBe("dsr1");
    expect(inferencexModelKey("", "/models/gpt-oss-120b")).toBe("gptoss120b");
    expect(inferencexModelKey(undefined, "meta-llama/Llama-3.3-70B-Instruct")).toBe("llama70b");
    expect(inferencexModelKey(undefined, "some/unknown")).toBeUndefined();
  });
});

describe("export --format inferencex, then import", () => {
  const full = JSON.parse(
    readFileSync(new URL("../../test/fixtures/full-point.json", import.meta.url), "utf8"),
  ) as PointResult;
  const roundTrip = (p: PointResult) => {
    const m = fromInferencexAggRow(toInferencexRow(p));
    if (!m.ok) throw new Error(m.reason);
    return m.point;
  };

  it("keeps an open loop an open loop: its rate, cap and arrivals, not the cap as a closed loop's conc", () => {
    const rate: PointResult = structuredClone(full);
    rate.config.load = {
      mode: "rate",
      rate: 2.5,
      concurrency: 64,
      arrival: "gamma",
      burstiness: 0.5,
    };
    const row = toInferencexRow(rate);
    expect(row.conc).toBeNull();
    expect(roundTrip(rate).config.load).toEqual({
      mode: "rate",
      rate: 2.5,
      concurrency: 64,
      arrival: "gamma",
      burstiness: 0.5,
    });
    expect(roundTrip(full).config.load).toEqual({ mode: "concurrency", concurrency: 8 });
  });

  it("keeps a workload other than InferenceX's random one: its kind, turns, think time and system prompt", () => {
    const session: PointResult = structuredClone(full);
    session.config.workload = {
      kind: "session",
      isl: 512,
      osl: 128,
      turns: 4,
      thinkTimeMs: 2000,
      thinkTime: "exponential",
      prefixLength: 1000,
    };
    const back = roundTrip(session);
    expect(back.config.workload).toEqual(session.config.workload);
    // its own configuration, not the random one of the same ISL/OSL
    const asRandom = { ...back.config, workload: { kind: "random", isl: 512, osl: 128 } };
    expect(configurationKey(back.config)).not.toBe(configurationKey(asRandom));
    const sharegpt: PointResult = structuredClone(full);
    sharegpt.config.workload = { kind: "sharegpt", isl: 300, osl: 200, dataset: "sg.json" };
    expect(roundTrip(sharegpt).config.workload).toEqual(sharegpt.config.workload);
    // a random point's row has none of these fields, as InferenceX's rows
    const random: PointResult = structuredClone(full);
    random.config.workload = { kind: "random", isl: 1024, osl: 128 };
    const row = toInferencexRow(random);
    expect(Object.keys(row).filter((k) => /workload|turns|think|dataset/.test(k))).toEqual([]);
    expect(fromInferencexAggRow(row)).toMatchObject({
      ok: true,
      point: { config: { workload: random.config.workload } },
    });
  });

  it("keeps a trace replay a trace replay: its file, speedup and cap, as its own group", () => {
    const trace: PointResult = structuredClone(full);
    trace.config.workload = {
      kind: "trace",
      isl: 2538,
      osl: 105,
      dataset: "examples/data/traces/synthetic-mooncake.jsonl",
      trace: {
        file: "synthetic-mooncake.jsonl",
        sha256: "93b6c8bc1463".padEnd(64, "0"),
        records: 40,
        blockSize: 512,
        speedup: 2,
      },
    };
    trace.config.load = { mode: "trace", rate: 4.34, concurrency: 16 };
    const row = toInferencexRow(trace);
    expect(row.conc).toBeNull();
    const back = roundTrip(trace);
    expect(back.config.load).toEqual(trace.config.load);
    expect(back.config.workload).toEqual(trace.config.workload);
    expect(workloadKind(back.config.workload)).toBe("trace synthetic-mooncake.jsonl");
  });

  it("reads a first disaggregated GB200 row of agg_bmk.json as the API's: 36 GPUs, 4 prefill + 32 decode", () => {
    // the row of 2025-12-05's agg_bmk.json that the API serves above: the GPU count given on both sides, 0 workers
    const agg = fromInferencexAggRow(
      {
        hw: "gb200",
        infmax_model_prefix: "dsr1",
        model: "dsr1",
        framework: "dynamo-trt",
        precision: "fp4",
        spec_decoding: "none",
        disagg: true,
        is_multinode: false,
        ...{ prefill_tp: 36, prefill_ep: 1, prefill_dp_attention: false, prefill_num_workers: 0 },
        ...{ decode_tp: 36, decode_ep: 1, decode_dp_attention: false, decode_num_workers: 0 },
        ...{ num_prefill_gpu: 36, num_decode_gpu: 36, isl: 1024, osl: 1024, conc: 4 },
        tput_per_gpu: 32.66740863189287,
        input_tput_per_gpu: 146.43053093445712,
        output_tput_per_gpu: 18.44701834407234,
      },
      { date: "2025-12-05" },
    );
    if (!agg.ok) throw new Error(agg.reason);
    expect(agg.point.config.topology).toEqual({
      disaggregated: true,
      multinode: false,
      gpus: 36,
      prefillGpus: 4,
      decodeGpus: 32,
    });
  });

  it("keeps a first disaggregated GB200 point's configuration: its split, and no pools where none was known", () => {
    // a real row of benchmarks.json: 36 GPUs given on both sides, no worker layout; read as 4 prefill + 32 decode
    const api = fromInferencexApiRow({
      hardware: "gb200",
      framework: "dynamo-trt",
      model: "dsr1",
      precision: "fp4",
      spec_method: "none",
      disagg: true,
      is_multinode: false,
      ...{ prefill_tp: 36, prefill_ep: 1, prefill_dp_attention: false, prefill_num_workers: 0 },
      ...{ decode_tp: 36, decode_ep: 1, decode_dp_attention: false, decode_num_workers: 0 },
      ...{ num_prefill_gpu: 36, num_decode_gpu: 36, isl: 1024, osl: 1024, conc: 4 },
      date: "2025-12-05",
      run_url: "https://github.com/SemiAnalysisAI/InferenceX/actions/runs/19948006055/attempts/3",
      metrics: {
        tput_per_gpu: 32.66740863189287,
        input_tput_per_gpu: 146.43053093445712,
        output_tput_per_gpu: 18.44701834407234,
      },
    });
    if (!api.ok) throw new Error(api.reason);
    const topology = {
      disaggregated: true,
      multinode: false,
      gpus: 36,
      prefillGpus: 4,
      decodeGpus: 32,
    };
    expect(api.point.config.topology).toEqual(topology);
    const row = toInferencexRow(api.point);
    expect([
      row.num_prefill_gpu,
      row.num_decode_gpu,
      row.prefill_tp,
      row.decode_num_workers,
    ]).toEqual([4, 32, null, null]);
    // read back: the same configuration (it read pools of tp 1 and no workers, another configuration)
    const back = roundTrip(api.point);
    expect(back.config.topology).toEqual(topology);
    expect(configurationKey(back.config)).toBe(configurationKey(api.point.config));
    // an aggregated point without pools likewise (this one); one with pools keeps them
    expect(full.config.topology.prefill).toBeUndefined();
    expect(roundTrip(full).config.topology).toEqual(full.config.topology);
    const pooled: PointResult = structuredClone(full);
    const pool = { tp: 8, ep: 1, pp: 1, dpAttention: false, workers: 1, gpus: 8 };
    pooled.config.topology = { ...full.config.topology, prefill: pool, decode: { ...pool } };
    expect(roundTrip(pooled).config.topology).toEqual(pooled.config.topology);
  });

  it("keeps a point's model id and runner label, as InferenceX's rows carry them (model, infmax_model_prefix, hw)", () => {
    const labelled: PointResult = structuredClone(full);
    labelled.config.modelId = "/models/dsr1-fp4";
    labelled.config.hardwareLabel = "h200-nb_1";
    expect(toInferencexRow(labelled)).toMatchObject({
      model: "/models/dsr1-fp4",
      infmax_model_prefix: "dsr1",
      hw: "h200-nb_1",
    });
    expect(roundTrip(labelled).config).toMatchObject({
      model: "dsr1",
      modelId: "/models/dsr1-fp4",
      hardware: "h200",
      hardwareLabel: "h200-nb_1",
    });
    // without them, the key (which the reader takes as the model id: the same as no id to import's duplicates)
    expect(toInferencexRow(full)).toMatchObject({
      model: "dsr1",
      infmax_model_prefix: "dsr1",
      hw: "h200",
    });
  });

  it("keeps the configuration fields InferenceX's rows lack: engine release, KV-cache type, draft tokens", () => {
    const p: PointResult = structuredClone(full);
    p.config.frameworkVersion = "0.11.0";
    p.config.kvCacheDtype = "fp8";
    p.config.specDecoding = { method: "mtp", draftTokens: 3, acceptanceLength: 2.4 };
    expect(toInferencexRow(p)).toMatchObject({
      spec_method: "mtp",
      framework_version: "0.11.0",
      kv_cache_dtype: "fp8",
      spec_draft_tokens: 3,
      spec_acceptance_length: 2.4,
    });
    const back = roundTrip(p);
    expect(back.config).toMatchObject({
      frameworkVersion: "0.11.0",
      kvCacheDtype: "fp8",
      specDecoding: { method: "mtp", draftTokens: 3, acceptanceLength: 2.4 },
    });
    // two draft lengths are two configurations, after the round trip as before it
    const other: PointResult = structuredClone(p);
    other.config.specDecoding = { method: "mtp", draftTokens: 1 };
    expect(configurationKey(roundTrip(other).config)).not.toBe(configurationKey(back.config));
    expect(configurationKey(back.config)).toBe(configurationKey(p.config));
    // a point without them exports none of these fields, as InferenceX's rows
    const row = toInferencexRow(full);
    expect(
      Object.keys(row).filter((k) => /framework_version|kv_cache|spec_draft|spec_accept/.test(k)),
    ).toEqual([]);
    expect(roundTrip(full).config.specDecoding).toEqual({ method: "none" });
  });

  it("keeps the energy per input token", () => {
    const p: PointResult = structuredClone(full);
    p.energy = {
      kind: "measured",
      valid: true,
      reasons: [],
      jPerTotalToken: 0.5,
      jPerInputToken: 0.1,
      jPerOutputToken: 2,
    };
    expect(roundTrip(p).energy).toMatchObject({
      jPerTotalToken: 0.5,
      jPerInputToken: 0.1,
      jPerOutputToken: 2,
    });
  });
});
