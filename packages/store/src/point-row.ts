import { createHash } from "node:crypto";
import { configurationKey, dayOf, type PointResult, stableStringify } from "@infermark/core";
import { canonicalJson } from "./canonical-json.js";
import type { ConfigurationsTable, Flag, PointsTable, RunsTable } from "./schema.js";

/** A short, stable content hash (128 bits of SHA-256, hex). */
export function contentHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
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

/** The rows one point contributes to runs, configurations and points. */
export interface PointRows {
  run: RunsTable;
  configuration: ConfigurationsTable;
  point: PointsTable;
}

/**
 * Memo of run and configuration rows (keyed by their plain JSON) and of level hashes, kept by a store across
 * batches: points mostly share runs and configurations, and canonical keys and hashes are the costly part of
 * those rows. The rows are pure functions of their keys, so the memo never goes stale; it is emptied when
 * it reaches `limit` entries, to bound its memory.
 */
export class RowCache {
  readonly runs = new Map<string, RunsTable>();
  readonly configurations = new Map<string, ConfigurationsTable>();
  /** Level hashes by configuration id and load level. */
  readonly levels = new Map<string, string>();
  constructor(readonly limit = 50_000) {}

  /** Empties the memo when any part of it has reached the limit. */
  trim(): void {
    if (
      this.runs.size >= this.limit ||
      this.configurations.size >= this.limit ||
      this.levels.size >= this.limit
    ) {
      this.runs.clear();
      this.configurations.clear();
      this.levels.clear();
    }
  }
}

/** Maps a validated PointResult to its table rows; `ingestId` names the ingest that writes them. */
export function toRows(
  point: PointResult,
  json = canonicalJson(point),
  cache = new RowCache(),
  ingestId = "",
): PointRows {
  const { run, config, metrics } = point;
  const runJson = JSON.stringify(run);
  let runRow = cache.runs.get(runJson);
  if (runRow === undefined) {
    runRow = runRowOf(run);
    cache.runs.set(runJson, runRow);
  }
  const { load, ...served } = config;
  const configJson = JSON.stringify(served);
  let configuration = cache.configurations.get(configJson);
  if (configuration === undefined) {
    configuration = configurationRowOf(config);
    cache.configurations.set(configJson, configuration);
  }
  const t = config.topology;
  const pointRow: PointsTable = {
    id: contentHash(json),
    run_id: runRow.id,
    configuration_id: configuration.id,
    // Same grouping as core's levelKey: the configuration's natural key plus the load level.
    level_hash: levelHash(cache, configuration.id, load),
    ingest_id: ingestId,
    source: run.source,
    date: run.date,
    day: dayOf(run.date),
    model: config.model,
    hardware: config.hardware,
    framework: config.framework,
    precision: config.precision,
    spec_method: config.specDecoding.method,
    disaggregated: flag(t.disaggregated),
    isl: config.workload.isl,
    osl: config.workload.osl,
    gpus: t.gpus,
    load_mode: load.mode,
    concurrency: load.concurrency ?? null,
    rate: load.rate ?? null,
    valid: flag(point.validity.valid),
    image: config.image ?? null,
    tput_per_gpu: num(metrics.tputPerGpu),
    input_tput_per_gpu: num(metrics.inputTputPerGpu),
    output_tput_per_gpu: num(metrics.outputTputPerGpu),
    median_intvty: num(metrics.intvty?.median),
    p99_intvty: num(metrics.intvty?.p99),
    median_ttft: num(metrics.ttft?.median),
    p99_ttft: num(metrics.ttft?.p99),
    median_tpot: num(metrics.tpot?.median),
    p99_tpot: num(metrics.tpot?.p99),
    median_itl: num(metrics.itl?.median),
    median_e2el: num(metrics.e2el?.median),
    p99_e2el: num(metrics.e2el?.p99),
    j_per_total_token: num(point.energy?.jPerTotalToken),
    json,
  };
  return { run: runRow, configuration, point: pointRow };
}

/** The hash of a configuration id and a load level: the same grouping as core's levelKey. */
function levelHash(
  cache: RowCache,
  configurationId: string,
  load: PointResult["config"]["load"],
): string {
  const key = `${configurationId}|${load.mode}|${load.concurrency ?? ""}|${load.rate ?? ""}`;
  let hash = cache.levels.get(key);
  if (hash === undefined) {
    hash = contentHash(key);
    cache.levels.set(key, hash);
  }
  return hash;
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

function configurationRowOf(config: PointResult["config"]): ConfigurationsTable {
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
