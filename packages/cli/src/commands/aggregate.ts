import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import {
  ClientMonitor,
  DEFAULT_HEALTH_BOUNDS,
  oneReadReplies,
  outputLengthCheck,
} from "@infermark/bench";
import {
  buildPointResult,
  type ClientHealth,
  type Load,
  type PointConfig,
  PointResult,
  type RequestRecord,
  type Slo,
  simpleTopology,
} from "@infermark/core";
import { FileError, UsageError } from "../errors.js";
import { TOOL_VERSION } from "../version.js";
import { mixedLevels, notItsRecords, pointFileOf, readRequestRecords } from "./ingest.js";

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
  /** the closed-loop level the records came from (excludes `rate`) */
  concurrency?: number;
  /** the open-loop level, requests/s: the point is a rate-mode level (excludes `concurrency`) */
  rate?: number;
  /** the cap on requests in flight of a rate-mode level */
  maxConcurrency?: number;
  /**
   * What sent the records' responses: a real engine, or a simulator. The records do not say; the point bench or sweep
   * wrote beside them does (`point-<level>.json`, `<point>.json`), and a point of a simulator is what makes records
   * time-scaled ones (`sim serve --speed K`: bench multiplies their times by K).
   * @default the source of the point beside the records when it is a simulator's, else "measured"
   */
  source?: "measured" | "simulated";
  /** send lag p99 (ms) past which the client was saturated, as bench's --max-client-lag. @default 10 */
  maxClientLagMs?: number;
  slo?: Slo;
  date?: string;
}

/**
 * The client's send lag (each send behind its schedule), judged by bench's own monitor and bounds, when the records
 * show it: every send's lag is `tSend - tSched`, except under a rate-mode cap (the wait for a slot is queue delay, not
 * lag, and the records do not say when the slot freed) and for simulated records (a time-scaled run's records hold
 * the engine's times, and the lag is the client's on the wall clock). Event-loop delay is not in records.
 */
function sendLagHealth(
  records: readonly RequestRecord[],
  options: AggregateCommandOptions,
): ClientHealth | undefined {
  if (options.source === "simulated") return undefined;
  if (options.rate !== undefined && options.maxConcurrency !== undefined) return undefined;
  const monitor = new ClientMonitor({
    ...DEFAULT_HEALTH_BOUNDS,
    ...(options.maxClientLagMs !== undefined ? { sendLagP99Ms: options.maxClientLagMs } : {}),
  });
  for (const r of records) monitor.sendLag(r.tSend - r.tSched);
  return monitor.stop();
}

/**
 * Why a file's records cannot make one point, or undefined when they can: none at all, only warm-up requests (which
 * never count), or records of more than one run or level (bench numbers each level's requests once: an index seen
 * twice means files were put together).
 */
function notOnePoint(records: readonly RequestRecord[]): string | undefined {
  if (records.length === 0) return "no request records in this file";
  if (records.every((r) => r.warmup))
    return `${records.length === 1 ? "its one record is a warm-up request" : `all ${records.length} records are warm-up requests`} (warmup: true), which never count: no measured request to aggregate`;
  const mixed = mixedLevels(records);
  return mixed ? `${mixed}; aggregate one level's records at a time` : undefined;
}

/**
 * The point a records file was written beside (`pointFileOf`: bench's `point-<level>.json`, sweep's `<point>.json`)
 * when it is there, holds one PointResult and counts these records' measured requests; undefined otherwise (the
 * records were copied elsewhere, or the file is another run's).
 */
async function pointBeside(
  path: string,
  records: readonly RequestRecord[],
): Promise<{ file: string; point: PointResult } | undefined> {
  const file = pointFileOf(path);
  if (file === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, "utf8"));
  } catch {
    return undefined;
  }
  const parsed = PointResult.safeParse(doc);
  if (!parsed.success || notItsRecords(parsed.data, records) !== undefined) return undefined;
  return { file, point: parsed.data };
}

/**
 * The source of the point: `--source` when given, else the simulator's when the point beside the records is one
 * (with its settings: the speed that scaled the records' times), else measured. A `--source` the point beside
 * contradicts is refused: a simulator's records labelled measured would join real measurements in the store, and
 * their send lag, scaled by the speed, would be judged as the client's.
 */
async function sourceOf(
  path: string,
  records: readonly RequestRecord[],
  given: AggregateCommandOptions["source"],
): Promise<{ source: "measured" | "simulated"; simulator?: Record<string, unknown> }> {
  const beside = await pointBeside(path, records);
  const source = beside?.point.run.source;
  const simulator = beside?.point.run.simulator;
  if (source !== "simulated" && source !== "measured") return { source: given ?? "measured" };
  if (given !== undefined && given !== source) {
    const speed =
      typeof simulator?.speed === "number" ? ` (sim serve at speed ${simulator.speed})` : "";
    throw new UsageError(
      `--source ${given}: ${beside!.file}, the point of these records, was ${source}${speed}: leave --source out or give ${source}`,
    );
  }
  return { source, ...(source === "simulated" && simulator ? { simulator } : {}) };
}

/**
 * Aggregates a RequestRecord JSONL file into a PointResult (METRICS.md), with the configuration given, judged by the
 * checks bench applies that records allow: error rate, send lag, and output lengths against `max_tokens`.
 * @example await aggregateRecordsFile("requests.jsonl", { gpus: 8, hardware: "h200", rate: 2 })
 */
export async function aggregateRecordsFile(
  path: string,
  options: AggregateCommandOptions,
): Promise<PointResult> {
  const records = await readRequestRecords(path);
  const problem = notOnePoint(records);
  if (problem) throw new FileError(path, problem);
  const { source, simulator } = await sourceOf(path, records, options.source);
  const measured = records.filter((r) => !r.warmup);
  const counts = { requests: measured.length, warmupRequests: records.length - measured.length };
  const load: Load =
    options.rate !== undefined
      ? {
          mode: "rate",
          rate: options.rate,
          ...(options.maxConcurrency !== undefined ? { concurrency: options.maxConcurrency } : {}),
          ...counts,
        }
      : { mode: "concurrency", concurrency: options.concurrency, ...counts };
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
    load,
  };
  const point = buildPointResult({
    run: {
      source,
      date: options.date ?? new Date().toISOString(),
      toolVersion: TOOL_VERSION,
      host: hostname(),
      ...(simulator ? { simulator } : {}),
    },
    config,
    records,
    slo: options.slo,
    client: sendLagHealth(records, { ...options, source }),
  });
  // whether the output was forced is not in the records; it only counts short outputs, never the validity
  const lengthCheck = outputLengthCheck(records, false);
  if (lengthCheck.invalidReason) {
    point.validity.valid = false;
    point.validity.reasons.push(lengthCheck.invalidReason);
  }
  // as bench says it: replies that came whole in one read, left out of TPOT
  const oneRead = oneReadReplies(records);
  if (oneRead > 0) point.extra = { ...point.extra, oneReadReplies: oneRead };
  return point;
}
