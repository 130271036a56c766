/** Booleans are stored as 0/1 integers so that one schema serves SQLite and PostgreSQL. */
export type Flag = 0 | 1;

/** Provenance of the points of one invocation (or of one imported source run). */
export interface RunsTable {
  id: string;
  source: string;
  date: string;
  tool_version: string | null;
  git_sha: string | null;
  ci_url: string | null;
  host: string | null;
  run_label: string | null;
}

/** One served configuration, deduplicated on `configurationKey`. */
export interface ConfigurationsTable {
  id: string;
  natural_key: string;
  model: string;
  hardware: string;
  framework: string;
  precision: string;
  spec_method: string;
  disaggregated: Flag;
  multinode: Flag;
  gpus: number;
  prefill_gpus: number;
  decode_gpus: number;
  isl: number;
  osl: number;
}

/** One point: the queried dimensions and metrics as columns, the whole PointResult as JSON. */
export interface PointsTable {
  id: string;
  run_id: string;
  configuration_id: string;
  level_hash: string;
  ingest_id: string;
  source: string;
  /** core's `runInstant` of the run's date (`YYYY-MM-DDTHH:MM:SS.sssZ`, UTC): orders the latest point of a level */
  date: string;
  /** The run date's day as written (its first 10 characters): what date filters and `listDates` read */
  day: string;
  model: string;
  hardware: string;
  framework: string;
  precision: string;
  spec_method: string;
  disaggregated: Flag;
  isl: number;
  osl: number;
  /** core's `workloadKind`: random, sharegpt, jsonl, session x4 [think N ms] */
  workload: string;
  gpus: number;
  load_mode: string;
  concurrency: number | null;
  rate: number | null;
  valid: Flag;
  image: string | null;
  /** core's `softwareKey` of the point's `softwareOf` (engine version, else image tag): what `version` filters match */
  software: string | null;
  tput_per_gpu: number | null;
  input_tput_per_gpu: number | null;
  output_tput_per_gpu: number | null;
  median_intvty: number | null;
  p99_intvty: number | null;
  median_ttft: number | null;
  p99_ttft: number | null;
  median_tpot: number | null;
  p99_tpot: number | null;
  median_itl: number | null;
  median_e2el: number | null;
  p99_e2el: number | null;
  j_per_total_token: number | null;
  json: string;
}

/** The latest point of each load level and source, maintained at ingest. */
export interface LatestPointsTable {
  level_hash: string;
  source: string;
  model: string;
  date: string;
  point_id: string;
}

/**
 * How many points each group (model, ISL/OSL, workload kind, GPU, framework, precision, spec method,
 * disaggregation, source, validity) has and on which days it starts and ends; kept at ingest so that listing groups reads no points.
 */
export interface PointGroupsTable {
  model: string;
  isl: number;
  osl: number;
  workload: string;
  hardware: string;
  framework: string;
  precision: string;
  spec_method: string;
  disaggregated: Flag;
  source: string;
  valid: Flag;
  points: number;
  first_day: string;
  last_day: string;
}

export interface RequestRecordsTable {
  point_id: string;
  seq: number;
  json: string;
}

export interface PowerSamplesTable {
  point_id: string;
  t: number;
  gpu: number;
  watts: number;
}

export interface ServerMetricsTable {
  point_id: string;
  phase: string;
  name: string;
  value: number;
}

/** One ingest or import of one file: what went in, what was unchanged, rejected or skipped. */
export interface IngestLogTable {
  id: string;
  at: string;
  kind: string;
  path: string | null;
  status: string;
  inserted: number;
  unchanged: number;
  skipped: number;
  reason: string | null;
  details: string | null;
}

/** The store's tables (Kysely's database type). */
export interface StoreDatabase {
  runs: RunsTable;
  configurations: ConfigurationsTable;
  points: PointsTable;
  latest_points: LatestPointsTable;
  point_groups: PointGroupsTable;
  request_records: RequestRecordsTable;
  power_samples: PowerSamplesTable;
  server_metrics: ServerMetricsTable;
  ingest_log: IngestLogTable;
}
