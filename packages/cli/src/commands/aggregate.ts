import { hostname } from "node:os";
import {
  buildPointResult,
  type PointConfig,
  type PointResult,
  parseOrThrow,
  RequestRecord,
  type Slo,
  simpleTopology,
} from "@infermark/core";
import { readDocuments } from "../io.js";
import { TOOL_VERSION } from "../version.js";

export interface AggregateCommandOptions {
  gpus?: number;
  prefillGpus?: number;
  decodeGpus?: number;
  model?: string;
  hardware?: string;
  framework?: string;
  precision?: string;
  isl?: number;
  osl?: number;
  concurrency?: number;
  slo?: Slo;
  date?: string;
}

/**
 * Aggregates a RequestRecord JSONL file into a PointResult (METRICS.md), with the configuration given.
 * @example await aggregateRecordsFile("requests.jsonl", { gpus: 8, hardware: "h200" })
 */
export async function aggregateRecordsFile(
  path: string,
  options: AggregateCommandOptions,
): Promise<PointResult> {
  const docs = await readDocuments(path);
  const records = docs.map((doc, i) => parseOrThrow(RequestRecord, doc, `${path} record ${i + 1}`));
  const measured = records.filter((r) => !r.warmup);
  const config: PointConfig = {
    model: options.model ?? "unknown",
    hardware: options.hardware ?? "unknown",
    framework: options.framework ?? "unknown",
    precision: options.precision ?? "unknown",
    specDecoding: { method: "none" },
    topology: simpleTopology({
      total: options.gpus,
      prefill: options.prefillGpus,
      decode: options.decodeGpus,
    }),
    workload: { kind: "records", isl: options.isl ?? 0, osl: options.osl ?? 0, dataset: path },
    load: {
      mode: "concurrency",
      concurrency: options.concurrency,
      requests: measured.length,
      warmupRequests: records.length - measured.length,
    },
  };
  return buildPointResult({
    run: {
      source: "measured",
      date: options.date ?? new Date().toISOString(),
      toolVersion: TOOL_VERSION,
      host: hostname(),
    },
    config,
    records,
    slo: options.slo,
  });
}
