import { existsSync, rmSync, type Stats } from "node:fs";
import { lstat, open, readlink, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  csvCell,
  type PointFilter,
  type PointResult,
  pointMetadata,
  toInferencexRow,
  workloadKind,
} from "@infermark/core";
import { openStore, resolveDbUrl, type StoredPoint } from "@infermark/store";
import { FileError } from "../errors.js";
import { sameFileAs } from "./same-file.js";

/** Output formats of `infermark export`. */
export const EXPORT_FORMATS = ["csv", "json", "inferencex"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Options of `exportPoints`. */
export interface ExportOptions {
  /** Database URL or SQLite path. @default INFERMARK_DB, else infermark.db */
  db?: string;
  /** @default "json" */
  format?: ExportFormat;
  filter?: PointFilter;
}

type Column = [
  header: string,
  value: (s: StoredPoint) => string | number | boolean | undefined | null,
];
const p = (s: StoredPoint): PointResult => s.point;
/** A point's energy when it is valid: an invalid one's figures are not to be read. */
const validEnergy = (s: StoredPoint) => (s.point.energy?.valid ? s.point.energy : undefined);

/** The CSV columns: identity, configuration, load level and the headline metrics. */
export const CSV_COLUMNS: readonly Column[] = [
  ["id", (s) => s.id],
  ["source", (s) => p(s).run.source],
  ["date", (s) => p(s).run.date],
  ["model", (s) => p(s).config.model],
  ["hardware", (s) => p(s).config.hardware],
  ["framework", (s) => p(s).config.framework],
  ["precision", (s) => p(s).config.precision],
  ["spec", (s) => p(s).config.specDecoding.method],
  ["disaggregated", (s) => p(s).config.topology.disaggregated],
  ["gpus", (s) => p(s).config.topology.gpus],
  ["isl", (s) => p(s).config.workload.isl],
  ["osl", (s) => p(s).config.workload.osl],
  ["workload", (s) => workloadKind(p(s).config.workload)],
  ["concurrency", (s) => p(s).config.load.concurrency],
  ["rate", (s) => p(s).config.load.rate],
  ["valid", (s) => p(s).validity.valid],
  ["tput_per_gpu", (s) => p(s).metrics.tputPerGpu],
  ["input_tput_per_gpu", (s) => p(s).metrics.inputTputPerGpu],
  ["output_tput_per_gpu", (s) => p(s).metrics.outputTputPerGpu],
  ["median_intvty", (s) => p(s).metrics.intvty?.median],
  ["p99_intvty", (s) => p(s).metrics.intvty?.p99],
  ["median_ttft", (s) => p(s).metrics.ttft?.median],
  ["p99_ttft", (s) => p(s).metrics.ttft?.p99],
  ["median_tpot", (s) => p(s).metrics.tpot?.median],
  ["p99_tpot", (s) => p(s).metrics.tpot?.p99],
  ["median_e2el", (s) => p(s).metrics.e2el?.median],
  ["p99_e2el", (s) => p(s).metrics.e2el?.p99],
  ["image", (s) => p(s).config.image],
  ["ci_url", (s) => p(s).run.ciUrl],
  // added 2026-11-28, after the columns before them: the engine's release, the energy (measured or reported, valid
  // only) and bench's --metadata
  ["framework_version", (s) => p(s).config.frameworkVersion],
  ["j_per_output_token", (s) => validEnergy(s)?.jPerOutputToken],
  ["j_per_input_token", (s) => validEnergy(s)?.jPerInputToken],
  ["j_per_total_token", (s) => validEnergy(s)?.jPerTotalToken],
  ["avg_power_w", (s) => validEnergy(s)?.avgPowerW],
  ["metadata", (s) => pointMetadata(p(s))],
  // the inter-token latency, one of InferenceX's headline metrics (at the end: new columns go last)
  ["median_itl", (s) => p(s).metrics.itl?.median],
  ["p99_itl", (s) => p(s).metrics.itl?.p99],
];

/**
 * Renders points as CSV: a header line, then one line per point. Text that a spreadsheet would run as a formula
 * (a model, image or link from an imported file) is written as text (`csvCell`).
 */
export function pointsToCsv(points: readonly StoredPoint[]): string {
  const lines = [CSV_COLUMNS.map(([h]) => h).join(",")];
  for (const s of points) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(s))).join(","));
  return `${lines.join("\n")}\n`;
}

/** Renders points in a format. `json` is the PointResults themselves; `inferencex` is API-shaped rows. */
export function renderPoints(points: readonly StoredPoint[], format: ExportFormat): string {
  if (format === "csv") return pointsToCsv(points);
  if (format === "inferencex")
    return `${JSON.stringify(
      points.map((s) => toInferencexRow(s.point)),
      null,
      2,
    )}\n`;
  return `${JSON.stringify(
    points.map((s) => s.point),
    null,
    2,
  )}\n`;
}

/**
 * Reads the points a filter selects and renders them.
 * @example const { text } = await exportPoints({ format: "csv", filter: { model: ["dsr1"], latest: true } });
 */
export async function exportPoints(
  options: ExportOptions = {},
): Promise<{ text: string; count: number }> {
  const store = await openStore(options.db, { create: false });
  try {
    const points = await store.queryPoints(options.filter ?? {});
    return { text: renderPoints(points, options.format ?? "json"), count: points.length };
  } finally {
    await store.close();
  }
}

/**
 * Refuses an output that is the SQLite database `db` names (or its `-wal` or `-shm` file), by the file it is, so a
 * link to it counts: the export would be renamed over the store and replace it. PostgreSQL: nothing to check.
 * @example await refuseStoreAsOutput("points.csv", "infermark.db")
 */
export async function refuseStoreAsOutput(output: string, db: string | undefined): Promise<void> {
  const url = resolveDbUrl(db);
  if (/^postgres(ql)?:\/\//i.test(url)) return;
  const file = url.replace(/^sqlite:/i, "");
  // the -wal and -shm files exist only while the database is open: a closed one's are refused by their place
  const name = await sameFileAs(output, [file, `${file}-wal`, `${file}-shm`]);
  if (name)
    throw new FileError(
      output,
      `is the database being exported (${name}): write the export to another file`,
    );
}

/** Why writing `path` failed, in the user's terms (the temporary file is an implementation detail). */
function writeFailure(path: string, error: NodeJS.ErrnoException): string {
  if (error.code === "ENOENT")
    return existsSync(dirname(path))
      ? `cannot create a file in the folder ${dirname(path)}`
      : `the folder ${dirname(path)} does not exist`;
  if (error.code === "EISDIR") return "is a folder";
  if (error.code === "ENOTDIR") return "a part of the path is a file, not a folder";
  if (error.code === "EACCES" || error.code === "EPERM") return "permission denied";
  return error.message;
}

/**
 * What `-o PATH` names: a file to replace (`file`: through a link, its target; `mode`: an existing file's
 * permissions, which the new file keeps), or something to write into as it is (`stream`: a device such as
 * `/dev/stdout` or `/dev/null`, a pipe, a socket), which a file renamed over it would replace.
 */
async function outputTarget(
  path: string,
): Promise<{ kind: "file"; file: string; mode?: number } | { kind: "stream" }> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    // a link to a file not made yet: the file is made where the link points
    const link = await lstat(path).catch(() => undefined);
    const file = link?.isSymbolicLink() ? resolve(dirname(path), await readlink(path)) : path;
    return { kind: "file", file };
  }
  if (info.isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
  if (!info.isFile()) return { kind: "stream" };
  return { kind: "file", file: await realpath(path), mode: info.mode & 0o7777 };
}

/**
 * Writes an export whole or not at all: a temporary file beside `path` (beside a link's target, so the link
 * stays a link), synced, then renamed over it, with the mode of the file it replaces. On any failure the
 * temporary file is removed and `path` is left as it was. A device or pipe (`-o /dev/stdout`) is written
 * into as it is: renaming a file over it would replace it (as root, `/dev/null` itself).
 * @example await writeExport("points.csv", (await exportPoints({ format: "csv" })).text)
 */
export async function writeExport(path: string, text: string): Promise<void> {
  let tmp: string | undefined;
  let stopped = () => {};
  try {
    const target = await outputTarget(path);
    if (target.kind === "stream") {
      await writeFile(path, text);
      return;
    }
    tmp = `${target.file}.${process.pid}.tmp`;
    stopped = removedWhenStopped(tmp);
    const file = await open(tmp, "w");
    try {
      if (target.mode !== undefined) await file.chmod(target.mode);
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, target.file);
  } catch (error) {
    if (tmp !== undefined) await rm(tmp, { force: true });
    throw new FileError(path, writeFailure(path, error as NodeJS.ErrnoException), { cause: error });
  } finally {
    stopped();
  }
}

/** The signals that stop a command from the terminal or a job runner: Ctrl-C, `kill`, a closed terminal. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Removes `tmp` if the process is stopped by a signal while the file is written (Ctrl-C during a large export), then
 * lets the signal end the process as it would have (exit status 128 + its number), unless the command listens for it
 * itself; the returned function stops watching. Without it the half-written temporary file stayed beside the output.
 */
function removedWhenStopped(tmp: string): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    unwatch();
    rmSync(tmp, { force: true });
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const unwatch = () => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return unwatch;
}
