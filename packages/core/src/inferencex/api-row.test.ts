import { describe, expect, it } from "vitest";
import { type Catalog, DEFAULT_CATALOG } from "../catalog/catalog.js";
import { toInferencexRow } from "../metrics/inferencex-row.js";
import { PointResult } from "../schemas/point-result.js";
import { fromInferencexApiRow } from "./api-row.js";
import {
  normalizeFramework,
  normalizeHardware,
  normalizeImage,
  normalizePrecision,
  toBool,
} from "./normalize.js";

// A real row of examples/data/inferencex/benchmarks.json (disaggregated GB200, trimmed to some metrics).
const ROW = {
  hardware: "gb200",
  framework: "dynamo-trt",
  model: "dsr1",
  precision: "fp4",
  spec_method: "none",
  disagg: true,
  is_multinode: false,
  prefill_tp: 36,
  prefill_ep: 1,
  prefill_dp_attention: false,
  prefill_num_workers: 0,
  decode_tp: 36,
  decode_ep: 1,
  decode_dp_attention: "false",
  decode_num_workers: 0,
  num_prefill_gpu: 36,
  num_decode_gpu: 36,
  isl: 1024,
  osl: 1024,
  conc: 4,
  image: null,
  workers: null,
  date: "2025-12-05",
  run_url: "https://github.com/SemiAnalysisAI/InferenceX/actions/runs/19948006055/attempts/3",
  metrics: {
    tput_per_gpu: 32.66740863189287,
    input_tput_per_gpu: 146.43053093445712,
    output_tput_per_gpu: 18.44701834407234,
    median_intvty: 104.2,
    p99_intvty: 99.1,
    median_tpot: 0.0096,
    "p99.9_ttft": 0.8,
    avg_power_w: 628.9,
  },
};

/** A disaggregated row with its worker layout: 1 prefill worker of TP8/EP8 and 1 decode worker of TP8 (B200). */
const POOLS_ROW = {
  ...ROW,
  prefill_tp: 8,
  prefill_ep: 8,
  prefill_dp_attention: true,
  prefill_num_workers: 1,
  decode_tp: 8,
  decode_ep: 1,
  decode_dp_attention: false,
  decode_num_workers: 1,
  num_prefill_gpu: 8,
  num_decode_gpu: 8,
};

describe("fromInferencexApiRow", () => {
  it("maps a disaggregated row with both GPU pools", () => {
    const m = fromInferencexApiRow(POOLS_ROW);
    if (!m.ok) throw new Error(m.reason);
    expect(m.point.config.topology).toEqual({
      disaggregated: true,
      multinode: false,
      gpus: 16,
      prefillGpus: 8,
      decodeGpus: 8,
      prefill: { tp: 8, ep: 8, pp: 1, dpAttention: true, workers: 1, gpus: 8 },
      decode: { tp: 8, ep: 1, pp: 1, dpAttention: false, workers: 1, gpus: 8 },
    });
  });

  it("reads a first disaggregated row's total on both sides as the total, split as its per-GPU throughputs say", () => {
    // 36 GPUs in all given as both counts, no worker layout: as 36 + 36, tput x 72 (2,352) is not input x 36 +
    // output x 36 (5,936); as 36, tput x 36 = input x 4 + output x 32 (1,176.0 both)
    const m = fromInferencexApiRow(ROW, { importedFrom: "benchmarks.json" });
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const p = PointResult.parse(m.point);
    expect(p.run).toEqual({
      source: "imported",
      date: "2025-12-05",
      ciUrl: ROW.run_url,
      importedFrom: "benchmarks.json",
    });
    // the pools are unknown (the row's tp 36 is the same total): none is made up
    expect(p.config.topology).toEqual({
      disaggregated: true,
      multinode: false,
      gpus: 36,
      prefillGpus: 4,
      decodeGpus: 32,
    });
    // counts that differ, or a split that is not a whole number of GPUs, are read as given
    const asGiven = (row: Record<string, unknown>) => {
      const r = fromInferencexApiRow(row);
      if (!r.ok) throw new Error(r.reason);
      return [r.point.config.topology.gpus, r.point.config.topology.prefillGpus];
    };
    expect(asGiven({ ...ROW, num_decode_gpu: 32 })).toEqual([68, 36]);
    expect(asGiven({ ...ROW, metrics: { ...ROW.metrics, tput_per_gpu: 30 } })).toEqual([72, 36]);
    expect(p.metrics.tputPerGpu).toBe(32.66740863189287);
    expect(p.metrics.intvty).toEqual({ median: 104.2, p99: 99.1 });
    expect(p.metrics.ttft).toEqual({ p999: 0.8 });
    expect(p.energy).toEqual({ kind: "reported", avgPowerW: 628.9, valid: true, reasons: [] });
    expect(p.config.load).toEqual({ mode: "concurrency", concurrency: 4 });
  });

  it("round-trips to the flat InferenceX row", () => {
    const m = fromInferencexApiRow(ROW);
    if (!m.ok) throw new Error(m.reason);
    const row = toInferencexRow(m.point);
    expect(row.tput_per_gpu).toBe(32.66740863189287);
    expect(row.output_tput_per_gpu).toBe(18.44701834407234);
    expect(row.median_intvty).toBe(104.2);
    expect(row["p99.9_ttft"]).toBe(0.8);
    expect([row.num_prefill_gpu, row.num_decode_gpu]).toEqual([4, 32]);
    expect(row.hw).toBe("gb200");
  });

  it("maps the row's model to its catalog key", () => {
    const keyOf = (model: string) => {
      const m = fromInferencexApiRow({ ...ROW, model });
      if (!m.ok) throw new Error(m.reason);
      return m.point.config.model;
    };
    expect(keyOf("dsr1")).toBe("dsr1");
    expect(keyOf("gptoss")).toBe("gptoss120b");
    expect(keyOf("openai/gpt-oss-120b")).toBe("gptoss120b");
    expect(keyOf("deepseek-ai/DeepSeek-R1-0528")).toBe("dsr1");
    expect(keyOf("Qwen3-235B")).toBe("qwen3-235b"); // not in the catalog: kept, lower-cased
  });

  it("explains why a row cannot be mapped", () => {
    expect(fromInferencexApiRow({ ...ROW, hardware: "tpu-v5" })).toEqual({
      ok: false,
      reason:
        'unknown hardware "tpu-v5": the catalog has no GPU "tpu"; declare it with its figures under gpus: in a catalog override file (--catalog FILE or INFERMARK_CATALOG=FILE; docs/catalog.md)',
    });
    expect(fromInferencexApiRow({ ...ROW, conc: null })).toEqual({
      ok: false,
      reason: "no concurrency (conc)",
    });
    expect(fromInferencexApiRow({ ...ROW, metrics: {} })).toEqual({
      ok: false,
      reason: "no tput_per_gpu",
    });
    expect(fromInferencexApiRow("x")).toEqual({ ok: false, reason: "not an object" });
  });
});

describe("normalisation", () => {
  it("maps runner labels to catalog GPUs", () => {
    expect(normalizeHardware("b200-trt")).toBe("b200");
    expect(normalizeHardware("h200-nb")).toBe("h200");
    expect(normalizeHardware("gb200-nv")).toBe("gb200");
    expect(normalizeHardware("mi355x-amd_0")).toBe("mi355x");
    expect(normalizeHardware("b200-nb_1")).toBe("b200");
    expect(normalizeHardware("h100-cw")).toBe("h100");
    expect(normalizeHardware("gb200-nv_0")).toBe("gb200");
    expect(normalizeHardware("GB300")).toBe("gb300");
    expect(normalizeHardware("a100-sxm")).toBeUndefined();
  });

  it("refuses a label that only begins with a GPU's name (h1000 is no h100) as unknown hardware", () => {
    expect(
      ["h1000", "b2000", "H1000-nv", "b200x_0", "mi355xl"].map((l) => normalizeHardware(l)),
    ).toEqual([undefined, undefined, undefined, undefined, undefined]);
    for (const label of ["h1000", "b2000"]) {
      expect(fromInferencexApiRow({ ...ROW, hardware: label })).toEqual({
        ok: false,
        reason: `unknown hardware "${label}": the catalog has no GPU "${label}"; declare it with its figures under gpus: in a catalog override file (--catalog FILE or INFERMARK_CATALOG=FILE; docs/catalog.md)`,
      });
    }
  });

  it("knows the GPUs a catalog override declares, when given that catalog", () => {
    const h100 = DEFAULT_CATALOG.gpus.h100!;
    const catalog: Catalog = {
      ...DEFAULT_CATALOG,
      gpus: { ...DEFAULT_CATALOG.gpus, rtx6000: h100, "rtx6000-bw": h100, b2: h100 },
    };
    expect(normalizeHardware("rtx6000")).toBeUndefined();
    expect(
      ["rtx6000", "RTX6000-nv", "rtx6000-bw", "rtx6000-bw_0", "b200-trt", "b2-x"].map((l) =>
        normalizeHardware(l, catalog),
      ),
    ).toEqual(["rtx6000", "rtx6000", "rtx6000-bw", "rtx6000-bw", "b200", "b2"]);
    const row = { ...ROW, hardware: "rtx6000" };
    expect(fromInferencexApiRow(row).ok).toBe(false);
    const mapped = fromInferencexApiRow(row, { catalog });
    expect(mapped.ok && [mapped.point.config.hardware, mapped.point.config.hardwareLabel]).toEqual([
      "rtx6000",
      "rtx6000",
    ]);
  });

  it("resolves framework and precision aliases", () => {
    expect(normalizeFramework("sglang-disagg")).toEqual({
      framework: "mori-sglang",
      disaggregated: true,
    });
    expect(normalizeFramework("trtllm")).toEqual({ framework: "trt" });
    expect(normalizeFramework("dynamo-trtllm")).toEqual({ framework: "dynamo-trt" });
    expect(normalizeFramework("sglang")).toEqual({ framework: "sglang" });
    expect(normalizePrecision("nvfp4")).toBe("fp4");
    expect(normalizePrecision("MXFP4")).toBe("fp4");
    expect(normalizePrecision("fp8")).toBe("fp8");
  });

  it("reads string booleans and #-escaped images", () => {
    expect(toBool("true")).toBe(true);
    expect(toBool("false")).toBe(false);
    expect(toBool(undefined)).toBeUndefined();
    expect(normalizeImage("lmsysorg#sglang:v0.5.5")).toBe("lmsysorg/sglang:v0.5.5");
  });
});

describe("aggregated GPU counts", () => {
  it("serves TP8/EP8 rows on 8 GPUs although they report num_*_gpu = tp x ep = 64", () => {
    const row = {
      ...ROW,
      disagg: false,
      prefill_tp: 8,
      prefill_ep: 8,
      decode_tp: 8,
      decode_ep: 8,
      num_prefill_gpu: 64,
      num_decode_gpu: 64,
      prefill_num_workers: 0,
      decode_num_workers: 0,
    };
    const m = fromInferencexApiRow(row);
    if (!m.ok) throw new Error(m.reason);
    expect(m.point.config.topology.gpus).toBe(8);
    expect(m.point.config.topology.prefillGpus).toBe(8);
    expect(m.point.config.topology.decode).toMatchObject({ tp: 8, ep: 8, gpus: 8 });
  });

  it("keeps a count of tp x ep that is also tp x pp: TP4, EP2, PP2 serve on 8 GPUs (the over-count rule read 4)", () => {
    const row = {
      ...ROW,
      disagg: false,
      ...{ prefill_tp: 4, prefill_ep: 2, prefill_pp: 2, decode_tp: 4, decode_ep: 2, decode_pp: 2 },
      num_prefill_gpu: 8,
      num_decode_gpu: 8,
      prefill_num_workers: 0,
      decode_num_workers: 0,
    };
    const m = fromInferencexApiRow(row);
    if (!m.ok) throw new Error(m.reason);
    expect(m.point.config.topology.gpus).toBe(8);
    expect(m.point.config.topology.decode).toMatchObject({ tp: 4, ep: 2, pp: 2, gpus: 8 });
    // TP4/EP4/PP2 reported as tp x ep = 16: the over-count, served on tp x pp = 8
    const over = fromInferencexApiRow({
      ...row,
      ...{ prefill_ep: 4, decode_ep: 4, num_prefill_gpu: 16, num_decode_gpu: 16 },
    });
    if (!over.ok) throw new Error(over.reason);
    expect(over.point.config.topology.gpus).toBe(8);
  });

  it("keeps the reported count when it is not tp x ep", () => {
    const row = {
      ...ROW,
      disagg: false,
      prefill_tp: 8,
      decode_tp: 8,
      num_prefill_gpu: 8,
      num_decode_gpu: 8,
    };
    const m = fromInferencexApiRow(row);
    if (!m.ok) throw new Error(m.reason);
    expect(m.point.config.topology.gpus).toBe(8);
  });
});
