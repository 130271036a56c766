// The columns of a point row, apart from the code that builds rows: the SQLite writer thread imports this
// module, and importing point-row.ts would load @infermark/core (its zod schemas) into the thread, which
// took 0.3-0.5 s of each thread's start on the development VM.
import type { PointsTable } from "./schema.js";

/** The columns of `points`, in the order `pointValues` lists a point's values. */
export const POINT_COLUMNS = [
  "id",
  "run_id",
  "configuration_id",
  "level_hash",
  "ingest_id",
  "source",
  "date",
  "day",
  "model",
  "hardware",
  "framework",
  "precision",
  "spec_method",
  "disaggregated",
  "isl",
  "osl",
  "workload",
  "gpus",
  "load_mode",
  "concurrency",
  "rate",
  "valid",
  "image",
  "software",
  "tput_per_gpu",
  "input_tput_per_gpu",
  "output_tput_per_gpu",
  "median_intvty",
  "p99_intvty",
  "median_ttft",
  "p99_ttft",
  "median_tpot",
  "p99_tpot",
  "median_itl",
  "median_e2el",
  "p99_e2el",
  "j_per_total_token",
  "json",
] as const satisfies readonly (keyof PointsTable)[];

// Every column of PointsTable is listed (a compile-time check).
const _allColumns: Record<Exclude<keyof PointsTable, (typeof POINT_COLUMNS)[number]>, never> = {};
void _allColumns;

/** One value of a point row. */
export type PointValue = string | number | null;
