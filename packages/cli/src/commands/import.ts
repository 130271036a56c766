import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import {
  CanonicalPointResult,
  type Catalog,
  check,
  dayOf,
  fromInferencexAggRow,
  fromInferencexApiRow,
  fromInferencexDumpRow,
  LITTLES_LAW_TOLERANCE,
  type PointResult,
  type RowMapping,
  runLink,
  throughputConsistency,
} from "@infermark/core";
import { type IngestDedupe, openStore, pointId, type SkippedRow } from "@infermark/store";
import { readDocuments } from "../io.js";
import { loadCatalog } from "./catalog.js";
import { parseCsv } from "./import-csv.js";
import { findDuplicates, type PointPlace } from "./import-duplicates.js";
import {
  expandEach,
  type FileOutcome,
  ingestInOrder,
  isPointResult,
  type PreparedFile,
  printable,
  reasonOf,
  rejected,
} from "./ingest.js";

/** Options of `importInferencex`. */
export interface ImportInferencexOptions {
  /** Database URL or SQLite path. @default INFERMARK_DB, else infermark.db */
  db?: string;
  /** Date of rows that carry none (agg artifacts). @default a YYYY-MM-DD in the file's path */
  date?: string;
  /** Run link of rows that carry none. @default a GitHub Actions run id in the file's path */
  runUrl?: string;
  /**
   * A catalog override file (YAML or JSON): rows may name the GPUs it declares, as the other commands' `--catalog`.
   * @default the INFERMARK_CATALOG environment variable, else the built-in catalog
   */
  catalog?: string;
}

/** The options a file's rows are mapped with: the command's, with the catalog read once. */
type MapOptions = Omit<ImportInferencexOptions, "catalog"> & { catalog: Catalog };

/** The `importedFrom` label of each shape (not the path, so one row imported from two places is one point). */
export const IMPORT_LABELS = {
  api: "inferencex:api",
  agg: "inferencex:agg",
  dump: "inferencex:dump",
} as const;

const EXTENSIONS = new Set([".json", ".jsonl", ".ndjson", ".csv"]);
const RUN_BASE = "https://github.com/SemiAnalysisAI/InferenceX/actions/runs/";

/** Date, run link and ISL/OSL that a file's location implies (`2025-12-19/`, `runs/20123456789/`, `_1k8k_`). */
export function contextFromPath(path: string): {
  date?: string;
  runUrl?: string;
  isl?: number;
  osl?: number;
} {
  const dates = path.match(/\d{4}-\d{2}-\d{2}/g);
  const run = path.match(/(?:^|[/_-])runs?[/_-]?(\d{8,})/i);
  const seq = basename(path).match(/(?:^|[^0-9a-z])(\d+)k(\d+)k(?:[^0-9a-z]|$)/i);
  return {
    ...(dates ? { date: dates[dates.length - 1] } : {}),
    ...(run ? { runUrl: `${RUN_BASE}${run[1]}` } : {}),
    ...(seq ? { isl: Number(seq[1]) * 1024, osl: Number(seq[2]) * 1024 } : {}),
  };
}

type Shape = "api" | "agg";
const shapeOf = (row: unknown): Shape | undefined => {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return undefined;
  const r = row as Record<string, unknown>;
  if ("hw" in r) return "agg";
  if ("hardware" in r && typeof r.metrics === "object") return "api";
  return undefined;
};

/**
 * The checked points of one file, the 1-based source row of each, the rows that were skipped, and what to warn of
 * (`unknownModels`).
 */
export interface MappedFile {
  points: PointResult[];
  rows: number[];
  skipped: SkippedRow[];
  warnings: string[];
}

/**
 * One warning per model of InferenceX's rows that `catalog` does not know (`dsv4`, `qwen3.5`, ...): such rows are
 * stored under InferenceX's name for the model, which is fine for comparing results, but the simulator cannot size
 * the model until a catalog override declares it. Points infermark measured or simulated (its own export) are left
 * alone: their model is the served name they ran with.
 */
function unknownModels(points: readonly PointResult[], catalog: Catalog): string[] {
  const counts = new Map<string, number>();
  for (const p of points)
    if (p.run.source === "imported" && !Object.hasOwn(catalog.models, p.config.model))
      counts.set(p.config.model, (counts.get(p.config.model) ?? 0) + 1);
  return [...counts].map(
    ([model, n]) =>
      `model "${model}" (${n} row${n === 1 ? "" : "s"}) is not in the catalog: imported under that name, which the simulator does not know; declare it under models: in a catalog override file (--catalog FILE or INFERMARK_CATALOG=FILE; docs/catalog.md)`,
  );
}

/** How many flagged rows `inconsistentRows` names one by one; the rest are counted. */
export const INCONSISTENT_SHOWN = 5;

/**
 * Warnings for the rows whose output throughput contradicts their own concurrency, output length and E2EL (core's
 * `throughputConsistency`, Little's law): how many, then the first `INCONSISTENT_SHOWN` by source row with the two
 * throughputs. The rows are kept as published; `sim validate` leaves them out.
 */
function inconsistentRows(points: readonly PointResult[], rows: readonly number[]): string[] {
  const flagged = points.flatMap((p, i) => {
    const check = throughputConsistency(p);
    if (check.kind !== "checked" || !check.flagged) return [];
    const c = p.config;
    return [
      `row ${rows[i]} (${c.hardwareLabel ?? c.hardware} ${c.framework} ${c.precision} ${c.specDecoding.method} ${c.workload.isl}/${c.workload.osl} conc ${c.load.concurrency}, ${p.run.date}) ${check.detail}`,
    ];
  });
  if (flagged.length === 0) return [];
  const more = flagged.length - INCONSISTENT_SHOWN;
  return [
    `${flagged.length} row(s) inconsistent: reported output throughput more than ${LITTLES_LAW_TOLERANCE}x from Little's law (concurrency x output tokens / E2EL; docs/metrics.md); imported as published, left out by sim validate`,
    ...flagged.slice(0, INCONSISTENT_SHOWN),
    ...(more > 0 ? [`... and ${more} more inconsistent row(s)`] : []),
  ];
}

/** Maps rows, keeping every failure (mapping or schema) as a skipped row with its reason. */
export function collect(
  rows: readonly unknown[],
  map: (row: unknown) => RowMapping,
  catalog: Catalog,
): MappedFile {
  const points: PointResult[] = [];
  const sourceRows: number[] = [];
  const skipped: SkippedRow[] = [];
  rows.forEach((row, i) => {
    const mapped = map(row);
    if (!mapped.ok) {
      // a reason may quote the row's text (its hardware label)
      skipped.push({ row: i + 1, reason: printable(mapped.reason) });
      return;
    }
    const checked = check(CanonicalPointResult, mapped.point);
    if (checked.ok) {
      points.push(checked.value);
      sourceRows.push(i + 1);
    } else
      skipped.push({
        row: i + 1,
        reason: printable(`${checked.issues[0]!.path}: ${checked.issues[0]!.message}`),
      });
  });
  // a model name quotes the row's text
  const warnings = [...unknownModels(points, catalog), ...inconsistentRows(points, sourceRows)].map(
    printable,
  );
  return { points, rows: sourceRows, skipped, warnings };
}

/** Why a row without a date is skipped, and what to do (the agg mapper's words). */
const NO_DATE = "no date (give --date, or keep the file under a folder named by date)";

async function importJson(path: string, options: MapOptions): Promise<MappedFile | FileOutcome> {
  let rows: unknown[];
  try {
    const docs = await readDocuments(path);
    rows = docs.flatMap((d) => (Array.isArray(d) ? d : [d]));
  } catch (error) {
    return rejected(path, reasonOf(error, path));
  }
  if (!rows.some((r) => shapeOf(r) !== undefined))
    return rejected(
      path,
      `not InferenceX results (expected API rows with hardware and metrics, or agg rows with hw)${rows.some(isPointResult) ? ": PointResults, which infermark ingest stores" : ""}`,
    );
  const fromPath = contextFromPath(path);
  const aggContext = {
    date: options.date ?? fromPath.date,
    runUrl: options.runUrl ?? fromPath.runUrl,
    isl: fromPath.isl,
    osl: fromPath.osl,
    importedFrom: IMPORT_LABELS.agg,
    catalog: options.catalog,
  };
  return collect(
    rows,
    (row) => {
      const shape = shapeOf(row);
      if (shape === "agg") return fromInferencexAggRow(row, aggContext);
      if (shape === "api") {
        // a row without a date takes --date, else the path's, as agg rows do
        const r = row as Record<string, unknown>;
        const dated =
          typeof r.date !== "string" && aggContext.date ? { ...r, date: aggContext.date } : r;
        const mapped = fromInferencexApiRow(dated, {
          importedFrom: IMPORT_LABELS.api,
          catalog: options.catalog,
        });
        if (!mapped.ok && mapped.reason === "no date") return { ok: false, reason: NO_DATE };
        if (mapped.ok && !mapped.point.run.ciUrl && (options.runUrl ?? fromPath.runUrl))
          mapped.point.run.ciUrl = options.runUrl ?? fromPath.runUrl;
        return mapped;
      }
      return { ok: false, reason: "neither an API row (hardware, metrics) nor an agg row (hw)" };
    },
    options.catalog,
  );
}

async function readCsv(path: string): Promise<Record<string, string>[]> {
  const text = await readFile(path, "utf8");
  try {
    return parseCsv(text);
  } catch (error) {
    throw new Error(`malformed CSV (${(error as Error).message})`);
  }
}

async function importDump(path: string, options: MapOptions): Promise<MappedFile | FileOutcome> {
  const folder = dirname(path);
  let results: Record<string, string>[];
  let configs: Record<string, string>[];
  try {
    results = await readCsv(path);
  } catch (error) {
    return rejected(path, reasonOf(error, path));
  }
  try {
    configs = await readCsv(join(folder, "configs.csv"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return rejected(
      path,
      code === "ENOENT"
        ? "configs.csv not found next to it"
        : `configs.csv: ${(error as Error).message}`,
    );
  }
  const runUrls = new Map<string, string>();
  try {
    for (const r of await readCsv(join(folder, "workflow_runs.csv")))
      if (r.id && r.html_url) runUrls.set(r.id, r.html_url);
  } catch {
    // workflow_runs.csv is optional: without it, links come from --run-url or the rows
  }
  const byId = new Map(configs.map((c) => [c.id ?? "", c]));
  const runUrl = options.runUrl ?? contextFromPath(path).runUrl;
  const context = {
    runUrls,
    ...(runUrl ? { runUrl } : {}),
    importedFrom: IMPORT_LABELS.dump,
    catalog: options.catalog,
  };
  return collect(
    results,
    (row) => {
      const r = row as Record<string, string>;
      const mapped = fromInferencexDumpRow(r, byId.get(r.config_id ?? ""), context);
      if (!mapped.ok && mapped.reason === "no date" && options.date)
        return fromInferencexDumpRow(
          { ...r, date: options.date },
          byId.get(r.config_id ?? ""),
          context,
        );
      return mapped;
    },
    options.catalog,
  );
}

const COMPANIONS = new Set(["configs.csv", "workflow_runs.csv"]);

/** Reads and maps one file by its shape; undefined for the dump's companion files (read with the dump). */
async function mapFile(
  path: string,
  options: MapOptions,
): Promise<MappedFile | FileOutcome | undefined> {
  const name = basename(path).toLowerCase();
  if (!name.endsWith(".csv")) return importJson(path, options);
  if (COMPANIONS.has(name)) return undefined;
  return name.includes("benchmark_results")
    ? importDump(path, options)
    : rejected(path, "unknown CSV (expected benchmark_results_raw.csv next to configs.csv)");
}

/** The reason a left-out row is listed with in its file's ingest log. */
const duplicateOf = (where: string) =>
  `duplicate of ${where}: the same measurement, with every value of this row`;

/** The three lists `againstStored` weighs, in order: stored points, the file's rows, stored points equal to a row. */
const [STORED, ROWS, STORED_EQUAL] = [0, 1, 2] as const;

/**
 * How a file's points (`rows`: the source row of each) are weighed against the points stored before, inside the
 * file's transaction (`IngestDedupe`), by `findDuplicates` over the file's points and the stored points of their
 * runs: a row whose measurement is stored with every value of the row is left out (a stored copy that differs
 * from it only in provenance, `run.importedFrom`, included: an export of the store imported back adds nothing);
 * a stored point whose every value a row holds, and more, is replaced by that row; one equal to a row stays, and
 * the row counts as unchanged. Undefined when no point has a run link (such rows are never merged).
 */
function againstStored(
  points: readonly PointResult[],
  rows: readonly number[],
): IngestDedupe | undefined {
  const runs = points.flatMap((p) => {
    const link = runLink(p.run);
    return link ? [{ link, day: dayOf(p.run.date) }] : [];
  });
  if (runs.length === 0) return undefined;
  return {
    runs,
    decide(stored) {
      const leftOut = new Map<number, SkippedRow>();
      const replaces: string[] = [];
      if (stored.length === 0) return { leftOut, replaces };
      // Of copies with as many values, the first in this order is kept: a stored point before the rows (a row
      // that differs from it only in provenance does not replace it), but a stored point equal to a row after
      // them (the row is kept and goes in as unchanged).
      const ids = new Set(points.map(pointId));
      const places = [[], [], []] as number[][];
      stored.forEach((s, i) => {
        places[ids.has(s.id) ? STORED_EQUAL : STORED]!.push(i);
      });
      const storedAt = (p: PointPlace) => stored[places[p.file]![p.index]!]!;
      const files = [
        places[STORED]!.map((i) => stored[i]!.point),
        points,
        places[STORED_EQUAL]!.map((i) => stored[i]!.point),
      ];
      for (const d of findDuplicates(files)) {
        if (d.file !== ROWS) {
          if (d.of.file === ROWS && pointId(points[d.of.index]!) !== storedAt(d).id)
            replaces.push(storedAt(d).id);
          continue;
        }
        const where =
          d.of.file === ROWS ? `row ${rows[d.of.index]}` : `stored point ${storedAt(d.of).id}`;
        leftOut.set(d.index, { row: rows[d.index]!, reason: duplicateOf(where) });
      }
      return { leftOut, replaces };
    },
  };
}

const byRow = (a: SkippedRow, b: SkippedRow) => a.row - b.row;

/**
 * What each file writes once the rows that duplicate another row of the import are left out (`findDuplicates`
 * over the files): those go to the file's ingest log as skipped rows and to its outcome's `duplicates`. Each
 * file's remaining points are then weighed against the points stored before in its own transaction
 * (`againstStored`), so a file sees what the files before it stored, and another import's commit cannot come
 * between that decision and the write; rows it leaves out join `duplicates`, the points it replaces `replaced`.
 */
export function withoutDuplicates(
  files: readonly string[],
  mapped: readonly (MappedFile | FileOutcome | undefined)[],
): (PreparedFile | undefined)[] {
  const points = mapped.map((m) => (m && "points" in m ? m.points : []));
  const dropped = mapped.map(() => [] as SkippedRow[]);
  const leftOut = mapped.map(() => new Set<number>());
  const rowOf = (p: PointPlace) => (mapped[p.file] as MappedFile).rows[p.index]!;
  for (const d of findDuplicates(points)) {
    const where = `${d.of.file === d.file ? "" : `${files[d.of.file]} `}row ${rowOf(d.of)}`;
    dropped[d.file]!.push({ row: rowOf(d), reason: duplicateOf(where) });
    leftOut[d.file]!.add(d.index);
  }
  return mapped.map((m, file) => {
    if (m === undefined || !("points" in m)) return m;
    const kept = m.points.flatMap((_, i) => (leftOut[file]!.has(i) ? [] : [i]));
    const keptPoints = kept.map((i) => m.points[i]!);
    const duplicates = dropped[file]!;
    const dedupe = againstStored(
      keptPoints,
      kept.map((i) => m.rows[i]!),
    );
    return {
      points: keptPoints,
      meta: {
        skipped: [...m.skipped, ...duplicates].sort(byRow),
        ...(dedupe ? { dedupe } : {}),
      },
      finish: (outcome, result) => {
        const all = [...duplicates, ...(result?.leftOut ?? [])].sort(byRow);
        return {
          ...outcome,
          skipped: m.skipped,
          ...(m.warnings.length > 0 ? { warnings: m.warnings } : {}),
          ...(all.length > 0 ? { duplicates: all } : {}),
          ...(result?.replaced ? { replaced: result.replaced } : {}),
        };
      },
    };
  });
}

/**
 * Imports InferenceX results: API rows (JSON array), benchmark artifacts (`agg_bmk.json`, per-job
 * `agg_*.json`, old and new row shapes) and the database dump (`benchmark_results_raw.csv` with
 * `configs.csv`, optionally `workflow_runs.csv`, in the same folder). The shape is detected per file;
 * rows that cannot be mapped are skipped with the reason, among them rows whose hardware names no GPU of the catalog
 * (the built-in one with `options.catalog`'s override applied). Every file is read before any is written, so a
 * measurement that several rows carry (the API's latest and history files share rows, the history copy
 * with fewer fields) is stored once, from its richest row; one transaction per file. A measurement stored by
 * an earlier import (or another import running at the same time) counts too: a row it holds every value of is
 * left out, and a row holding every value of it and more replaces it, as read and decided inside the file's
 * transaction.
 * @example await importInferencex(["agg_bmk.json"], { date: "2025-12-19" })
 */
export async function importInferencex(
  paths: readonly string[],
  options: ImportInferencexOptions = {},
): Promise<FileOutcome[]> {
  const mapOptions = { ...options, catalog: await loadCatalog(options.catalog) };
  const store = await openStore(options.db);
  try {
    const { files, missing } = await expandEach(paths, EXTENSIONS);
    const outcomes: FileOutcome[] = [...missing];
    const mapped: (MappedFile | FileOutcome | undefined)[] = [];
    for (const path of files)
      mapped.push(
        await mapFile(path, mapOptions).catch((error) => rejected(path, reasonOf(error, path))),
      );
    const prepared = withoutDuplicates(files, mapped);
    await ingestInOrder(store, "import", files, outcomes, async (_path, index) => prepared[index]);
    return outcomes;
  } finally {
    await store.close();
  }
}
