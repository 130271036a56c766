import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromInferencexAggRow } from "../inferencex/agg-row.js";
import { configurationKey } from "../schemas/config-key.js";
import type { PointConfig, PointResult } from "../schemas/point-result.js";
import { toInferencexRow } from "./inferencex-row.js";

const full = JSON.parse(
  readFileSync(new URL("../../test/fixtures/full-point.json", import.meta.url), "utf8"),
) as PointResult;

/** A point of the full fixture whose configuration is `config` and whose extra is `extra`. */
function pointWith(config: PointConfig, extra?: PointResult["extra"]): PointResult {
  const point: PointResult = { ...structuredClone(full), config };
  if (extra) point.extra = extra;
  else delete point.extra;
  return point;
}

/** The point `infermark import inferencex` makes of the row `export --format inferencex` writes of `point`. */
function roundTrip(point: PointResult): PointResult {
  const mapped = fromInferencexAggRow(toInferencexRow(point));
  if (!mapped.ok) throw new Error(mapped.reason);
  return mapped.point;
}

/** A configuration with every field an InferenceX row carries, and no other. */
const base: Omit<PointConfig, "topology"> = {
  model: "dsr1",
  modelId: "deepseek-ai/DeepSeek-R1-0528",
  hardware: "h200",
  hardwareLabel: "h200-nb_1",
  framework: "vllm",
  image: "vllm/vllm-openai:v0.11.0",
  precision: "fp8",
  specDecoding: { method: "none" },
  workload: { kind: "random", isl: 1024, osl: 1024 },
  load: { mode: "concurrency", concurrency: 64 },
};

describe("toInferencexRow, read back by the importer", () => {
  it("keeps an aggregated point's pipeline parallelism (TP4 x PP2 on 8 GPUs)", () => {
    const pool = { tp: 4, ep: 1, pp: 2, dpAttention: false, workers: 1, gpus: 8 };
    const config: PointConfig = {
      ...base,
      topology: {
        disaggregated: false,
        multinode: false,
        gpus: 8,
        prefillGpus: 8,
        decodeGpus: 8,
        prefill: pool,
        decode: { ...pool },
      },
    };
    const row = toInferencexRow(pointWith(config));
    expect([row.prefill_tp, row.prefill_pp, row.decode_tp, row.decode_pp]).toEqual([4, 2, 4, 2]);
    // before, pp was not written and came back as 1: TP4 x PP1 on 8 GPUs, another configuration
    const back = roundTrip(pointWith(config));
    expect(back.config).toEqual(config);
    expect(configurationKey(back.config)).toBe(configurationKey(config));
  });

  it("keeps each side's pipeline parallelism of a disaggregated point", () => {
    const config: PointConfig = {
      ...base,
      topology: {
        disaggregated: true,
        multinode: true,
        gpus: 24,
        prefillGpus: 8,
        decodeGpus: 16,
        prefill: { tp: 4, ep: 1, pp: 2, dpAttention: false, workers: 1, gpus: 8 },
        decode: { tp: 8, ep: 8, pp: 1, dpAttention: true, workers: 2, gpus: 16 },
      },
    };
    expect(roundTrip(pointWith(config)).config).toEqual(config);
  });

  it("writes back the settings an imported row kept in extra: router, KV transfer, context parallelism, workers", () => {
    // a row as InferenceX's process_result.py writes a disaggregated multinode job's, with its optional settings
    const inferencexRow = {
      hw: "gb200-nv_0",
      conc: 256,
      image: "nvcr.io#nvidia/ai-dynamo/sglang-runtime:0.7.0",
      model: "deepseek-ai/DeepSeek-R1-0528",
      infmax_model_prefix: "dsr1",
      framework: "dynamo-sglang",
      precision: "fp8",
      spec_decoding: "none",
      disagg: true,
      isl: 8192,
      osl: 1024,
      router: { name: "dynamo-router", version: "0.7.0" },
      kv_p2p_transfer: "nixl",
      is_multinode: true,
      ...{ prefill_tp: 4, prefill_pp: 2, prefill_dcp_size: 1, prefill_pcp_size: 2 },
      ...{ prefill_ep: 1, prefill_dp_attention: "false", prefill_num_workers: 1 },
      ...{ decode_tp: 8, decode_pp: 1, decode_dcp_size: 8, decode_pcp_size: 1 },
      ...{ decode_ep: 8, decode_dp_attention: "true", decode_num_workers: 2 },
      num_prefill_gpu: 8,
      num_decode_gpu: 16,
      tput_per_gpu: 1000,
      output_tput_per_gpu: 200,
      input_tput_per_gpu: 2600,
      median_tpot: 0.02,
      median_intvty: 50,
      date: "2026-11-20",
    };
    const imported = fromInferencexAggRow(inferencexRow);
    if (!imported.ok) throw new Error(imported.reason);
    const point = imported.point;
    expect(point.extra).toEqual({
      inferencex: {
        router: { name: "dynamo-router", version: "0.7.0" },
        kv_p2p_transfer: "nixl",
        prefill_pcp_size: 2,
        decode_dcp_size: 8,
      },
    });
    const row = toInferencexRow(point);
    expect(row).toMatchObject({
      router: { name: "dynamo-router", version: "0.7.0" },
      kv_p2p_transfer: "nixl",
      prefill_pp: 2,
      decode_pp: 1,
      prefill_pcp_size: 2,
      decode_dcp_size: 8,
    });
    // before, the export dropped them: the point came back with PP1 prefill and without its router
    const back = roundTrip(point);
    expect(back.config).toEqual(point.config);
    expect(back.extra).toEqual(point.extra);
    // an API row's worker list, kept in extra.workers, likewise
    const withWorkers: PointResult = {
      ...point,
      extra: { ...point.extra, workers: [{ role: "decode", gpus: 8 }] },
    };
    expect(roundTrip(withWorkers).extra).toEqual(withWorkers.extra);
  });

  it("writes back only the settings the importer keeps, never one that would be read as the point's own", () => {
    const point = pointWith(
      { ...base, topology: { ...full.config.topology } },
      {
        inferencex: {
          pcp_size: 2,
          conc: 1,
          tput_per_gpu: 1,
          workload: "session",
          infermark_source: "simulated",
        },
      },
    );
    const row = toInferencexRow(point);
    expect([row.pcp_size, row.conc, row.tput_per_gpu, row.infermark_source]).toEqual([
      2,
      64,
      full.metrics.tputPerGpu,
      "measured",
    ]);
    expect("workload" in row).toBe(false);
    // an imported point's row has no infermark_source: one written from extra would read it back as simulated
    const imported: PointResult = { ...point, run: { ...point.run, source: "imported" } };
    expect("infermark_source" in toInferencexRow(imported)).toBe(false);
  });

  it("writes a point without pools with every pool field null, pp too", () => {
    const row = toInferencexRow(pointWith({ ...base, topology: { ...full.config.topology } }));
    expect([row.prefill_tp, row.prefill_pp, row.decode_tp, row.decode_pp]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(roundTrip(pointWith({ ...base, topology: { ...full.config.topology } })).config).toEqual(
      {
        ...base,
        topology: full.config.topology,
      },
    );
  });
});
