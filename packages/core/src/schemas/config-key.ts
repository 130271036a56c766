import { datasetName } from "./point-filter.js";
import type { PointConfig } from "./point-result.js";

/** Serialises a value with object keys sorted, so equal values give equal strings. */
export function stableStringify(value: unknown): string {
  // no JSON text for these: null, as the store's canonical writer does (JSON.stringify would give undefined)
  if (value === undefined || typeof value === "function" || typeof value === "symbol")
    return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

/**
 * The natural key of a configuration: every dimension that defines what was served (model, hardware, framework,
 * precision, speculative decoding, topology, ISL/OSL; a session's turns, think time and system prompt; a dataset's
 * file name; a trace's sha256), without the load level, the image (software moves on under
 * one configuration: that is a trend) or measurement details.
 * Points of one configuration at different concurrencies share this key.
 */
export function configurationKey(config: PointConfig): string {
  return stableStringify({
    model: config.model,
    hardware: config.hardware,
    framework: config.framework,
    precision: config.precision,
    kv: config.kvCacheDtype,
    spec: config.specDecoding,
    topology: {
      disaggregated: config.topology.disaggregated,
      multinode: config.topology.multinode,
      gpus: config.topology.gpus,
      prefillGpus: config.topology.prefillGpus,
      decodeGpus: config.topology.decodeGpus,
      prefill: config.topology.prefill,
      decode: config.topology.decode,
    },
    workload: {
      kind: config.workload.kind,
      isl: config.workload.isl,
      osl: config.workload.osl,
      // a session workload's shape (absent elsewhere, so other workloads' keys are what they were): its turns,
      // think time and shared system prompt
      turns: config.workload.turns,
      thinkTimeMs: config.workload.thinkTimeMs,
      thinkTime: config.workload.thinkTime,
      prefixLength: config.workload.kind === "session" ? config.workload.prefixLength : undefined,
      // a dataset file's name (ShareGPT, JSONL, sessions from a file; absent elsewhere, so other keys are unchanged)
      dataset: datasetName(config.workload),
      // a trace's file and block size (its speedup is the load level: the mean rate)
      trace: config.workload.trace
        ? { sha256: config.workload.trace.sha256, blockSize: config.workload.trace.blockSize }
        : undefined,
    },
  });
}

/** The key of one load level of a configuration ("latest per configuration and concurrency"). */
export function levelKey(config: PointConfig): string {
  return `${configurationKey(config)}|${config.load.mode}|${config.load.concurrency ?? ""}|${config.load.rate ?? ""}`;
}
