import { POINT_SCHEMA_ID, type PointResult } from "../../src/schemas/point-result.js";

/** What a synthetic analysis point may set; everything else takes a plain aggregated default. */
export interface PointSpec {
  hardware?: string;
  framework?: string;
  precision?: string;
  spec?: string;
  model?: string;
  isl?: number;
  osl?: number;
  conc?: number;
  date?: string;
  intvty?: number;
  tput?: number;
  input?: number;
  output?: number;
  tp?: number;
  gpus?: number;
  disagg?: { prefill: number; decode: number };
}

/** A small valid PointResult for analysis tests (aggregated, 8 GPUs by default). */
export function point(s: PointSpec = {}): PointResult {
  const tput = s.tput ?? 1000;
  const gpus = s.disagg ? s.disagg.prefill + s.disagg.decode : (s.gpus ?? 8);
  return {
    schema: POINT_SCHEMA_ID,
    run: { source: "imported", date: s.date ?? "2026-01-01" },
    config: {
      model: s.model ?? "dsr1",
      hardware: s.hardware ?? "h200",
      framework: s.framework ?? "sglang",
      precision: s.precision ?? "fp8",
      specDecoding: { method: s.spec ?? "none" },
      topology: {
        disaggregated: !!s.disagg,
        multinode: false,
        gpus,
        prefillGpus: s.disagg?.prefill ?? gpus,
        decodeGpus: s.disagg?.decode ?? gpus,
        decode: { tp: s.tp ?? 8, ep: 1, pp: 1, dpAttention: false, workers: 1, gpus },
      },
      workload: { kind: "random", isl: s.isl ?? 1024, osl: s.osl ?? 1024 },
      load: { mode: "concurrency", concurrency: s.conc ?? 16 },
    },
    metrics: {
      tputPerGpu: tput,
      inputTputPerGpu: s.input ?? tput / 2,
      outputTputPerGpu: s.output ?? tput / 2,
      ...(s.intvty !== undefined ? { intvty: { median: s.intvty } } : {}),
    },
    errors: { total: 0, requests: 0, rate: 0, byCategory: {} },
    validity: { valid: true, reasons: [] },
  };
}
