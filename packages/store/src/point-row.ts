import { hash } from "node:crypto";
import {
  configurationKey,
  dayOf,
  type PointResult,
  runInstant,
  softwareKey,
  softwareOf,
  stableStringify,
  workloadKind,
} from "@infermark/core";
import { canonicalJson } from "./canonical-json.js";
import { POINT_COLUMNS, type PointValue } from "./point-columns.js";
import type { ConfigurationsTable, Flag, PointsTable, RunsTable } from "./schema.js";

export { POINT_COLUMNS, type PointValue };

/** A short, stable content hash (128 bits of SHA-256, hex). */
export function contentHash(text: string): string {
  // crypto.hash (Node 20.12+) is the one-shot form: about half the cost of createHash for short texts.
  return hash("sha256", text, "hex").slice(0, 32);
}

/**
 * The id of a point: the hash of its canonical JSON. The same point ingested twice has the same id.
 * @example pointId(point) // "3f1c…" (32 hex digits)
 */
export function pointId(point: PointResult): string {
  return contentHash(canonicalJson(point));
}

const flag = (b: boolean): Flag => (b ? 1 : 0);
const num = (v: number | undefined): number | null =>
  v === undefined || !Number.isFinite(v) ? null : v;

/** A point's values in POINT_COLUMNS order, with its run and configuration rows. */
export interface PreparedPoint {
  id: string;
  /** The point's canonical JSON (also the last of `values`). */
  json: string;
  values: PointValue[];
  run: RunsTable;
  configuration: ConfigurationsTable;
}

/** The PointsTable object of values in POINT_COLUMNS order. */
export function pointRowOf(values: readonly PointValue[]): PointsTable {
  const row: Record<string, PointValue> = {};
  for (let c = 0; c < POINT_COLUMNS.length; c++) row[POINT_COLUMNS[c]!] = values[c]!;
  return row as unknown as PointsTable;
}

/** A configuration row and the level hash of one configuration with its load level. */
interface ConfigEntry {
  configuration: ConfigurationsTable;
  levelHash: string;
}

/**
 * Memo of run rows, and of configuration rows with level hashes, keyed by the canonical JSON of the point's
 * `run` and `config` (which writing the point's canonical JSON yields anyway), kept by a store across
 * batches: points mostly share runs and configurations, and canonical keys and hashes are the costly part
 * of those rows. The rows are pure functions of their keys, so the memo never goes stale; it is emptied
 * when it reaches `limit` entries, to bound its memory.
 */
export class RowCache {
  readonly runs = new Map<string, RunsTable>();
  readonly configs = new Map<string, ConfigEntry>();
  constructor(readonly limit = 50_000) {}

  /** Empties the memo when any part of it has reached the limit. */
  trim(): void {
    if (this.runs.size >= this.limit || this.configs.size >= this.limit) {
      this.runs.clear();
      this.configs.clear();
    }
  }
}

/**
 * Maps a validated PointResult to its `points` values (POINT_COLUMNS order), run and configuration rows;
 * `ingestId` names the ingest that writes them.
 */
export function preparePoint(
  point: PointResult,
  cache = new RowCache(),
  ingestId = "",
): PreparedPoint {
  let runJson = "";
  let configJson = "";
  const json = canonicalJson(point, (key, member) => {
    if (key === "run") runJson = member;
    else if (key === "config") configJson = member;
  });
  const { run, config, metrics } = point;
  let runRow = cache.runs.get(runJson);
  if (runRow === undefined) {
    runRow = runRowOf(run);
    cache.runs.set(runJson, runRow);
  }
  let entry = cache.configs.get(configJson);
  if (entry === undefined) {
    const configuration = configurationRowOf(config);
    entry = { configuration, levelHash: levelHash(configuration.id, config.load) };
    cache.configs.set(configJson, entry);
  }
  const t = config.topology;
  const load = config.load;
  const id = contentHash(json);
  const values: PointValue[] = [
    id,
    runRow.id,
    entry.configuration.id,
    // Same grouping as core's levelKey: the configuration's natural key plus the load level.
    entry.levelHash,
    ingestId,
    run.source,
    // the instant in one UTC form, which orders latest points as time; the day as written, which filters
    runInstant(run.date),
    dayOf(run.date),
    config.model,
    config.hardware,
    config.framework,
    config.precision,
    config.specDecoding.method,
    flag(t.disaggregated),
    config.workload.isl,
    config.workload.osl,
    workloadKind(config.workload),
    t.gpus,
    load.mode,
    load.concurrency ?? null,
    load.rate ?? null,
    flag(point.validity.valid),
    config.image ?? null,
    softwareColumn(point),
    num(metrics.tputPerGpu),
    num(metrics.inputTputPerGpu),
    num(metrics.outputTputPerGpu),
    num(metrics.intvty?.median),
    num(metrics.intvty?.p99),
    num(metrics.ttft?.median),
    num(metrics.ttft?.p99),
    num(metrics.tpot?.median),
    num(metrics.tpot?.p99),
    num(metrics.itl?.median),
    num(metrics.e2el?.median),
    num(metrics.e2el?.p99),
    num(point.energy?.jPerTotalToken),
    json,
  ];
  return { id, json, values, run: runRow, configuration: entry.configuration };
}

/** The `software` column of a point: the `softwareKey` of its `softwareOf`, null when it records neither. */
export function softwareColumn(point: PointResult): string | null {
  const software = softwareOf(point);
  return software === undefined ? null : softwareKey(software);
}

/** The hash of a configuration id and a load level: the same grouping as core's levelKey. */
export function levelHash(configurationId: string, load: PointResult["config"]["load"]): string {
  return contentHash(
    `${configurationId}|${load.mode}|${load.concurrency ?? ""}|${load.rate ?? ""}`,
  );
}

function runRowOf(run: PointResult["run"]): RunsTable {
  return {
    id: contentHash(
      stableStringify({
        source: run.source,
        date: run.date,
        toolVersion: run.toolVersion,
        gitSha: run.gitSha,
        ciUrl: run.ciUrl,
        host: run.host,
        runId: run.runId,
      }),
    ),
    source: run.source,
    date: run.date,
    tool_version: run.toolVersion ?? null,
    git_sha: run.gitSha ?? null,
    ci_url: run.ciUrl ?? null,
    host: run.host ?? null,
    run_label: run.runId ?? null,
  };
}

export function configurationRowOf(config: PointResult["config"]): ConfigurationsTable {
  const naturalKey = configurationKey(config);
  const t = config.topology;
  return {
    id: contentHash(naturalKey),
    natural_key: naturalKey,
    model: config.model,
    hardware: config.hardware,
    framework: config.framework,
    precision: config.precision,
    spec_method: config.specDecoding.method,
    disaggregated: flag(t.disaggregated),
    multinode: flag(t.multinode),
    gpus: t.gpus,
    prefill_gpus: t.prefillGpus,
    decode_gpus: t.decodeGpus,
    isl: config.workload.isl,
    osl: config.workload.osl,
  };
}
