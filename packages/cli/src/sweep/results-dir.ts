import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { redact, writeJsonLines } from "@infermark/bench";
import { type PlannedPoint, type PointResult, type RequestRecord, safeName } from "@infermark/core";
import { writeAtomic } from "./atomic-files.js";
import { sweepFolder } from "./sweep-folder.js";

/** A sweep's output folder when none is given: `results/<spec name>`, relative to the working directory. */
export const defaultOutputDir = (specName: string): string => join("results", safeName(specName));
/** The folder of one server configuration's files: `<out>/<server name>/`. */
export const serverDir = (outputDir: string, serverName: string): string =>
  join(outputDir, serverName);
/** `<out>/<server>/<point>.json` */
export const resultPath = (outputDir: string, point: PlannedPoint): string =>
  join(serverDir(outputDir, point.serverName), `${point.name}.json`);
const FAILURE_SUFFIX = ".failed.json";
/** `<out>/<server>/<point>.failed.json` */
export const failurePath = (outputDir: string, point: PlannedPoint): string =>
  join(serverDir(outputDir, point.serverName), `${point.name}${FAILURE_SUFFIX}`);
/** Whether a file is a sweep's failure record (`failurePath`): why a point was not measured, not a PointResult. */
export const isFailureRecordFile = (path: string): boolean => path.endsWith(FAILURE_SUFFIX);
/** `<out>/<server>/<point>.requests.jsonl`: the point's request records, one JSON object a line. */
export const requestsPath = (outputDir: string, point: PlannedPoint): string =>
  join(serverDir(outputDir, point.serverName), `${point.name}.requests.jsonl`);
/** The request records file beside a PointResult file (`x.json` → `x.requests.jsonl`). */
export const requestsPathOf = (resultFile: string): string =>
  resultFile.replace(/\.json$/, ".requests.jsonl");
/** `<out>/<server>/server.log` */
export const serverLogPath = (outputDir: string, serverName: string): string =>
  join(serverDir(outputDir, serverName), "server.log");

/** A failed point's record: why, and the server log's tail. */
export interface FailureRecord {
  schema: "infermark.point-failure/v1";
  pointName: string;
  fingerprint: string;
  server: string;
  reason: string;
  date: string;
  logTail?: string;
  serverLog?: string;
  /** How many times the point was measured before this failure (`measureAttempts`); absent: 0. */
  attempt?: number;
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await walk(path, out);
    else if (e.name.endsWith(".json") && !isFailureRecordFile(e.name)) out.push(path);
  }
}

/** A PointResult in an output folder: its file, and whether it is valid (with why not). */
export interface MeasuredResult {
  path: string;
  valid: boolean;
  /** `validity.reasons`, empty when valid. */
  reasons: string[];
  /** How many times the point had been measured before this result (`extra.sweep.attempt`; absent: 0). */
  attempt: number;
}

/**
 * The PointResults already in an output folder, by fingerprint (`run.specFingerprint`), each with its validity.
 * Files that are not PointResults are ignored.
 */
export async function measuredResults(outputDir: string): Promise<Map<string, MeasuredResult>> {
  const files: string[] = [];
  await walk(outputDir, files);
  const found = new Map<string, MeasuredResult>();
  for (const file of files.sort()) {
    try {
      const doc = JSON.parse(await readFile(file, "utf8")) as Partial<PointResult>;
      const fp = doc?.run?.specFingerprint;
      if (doc?.schema === "infermark.point/v1" && typeof fp === "string")
        found.set(fp, validityOf(file, doc));
    } catch {
      // a half-written or foreign file: not a result
    }
  }
  return found;
}

/** A result file's validity; one without a `validity` (written by hand) counts as valid, as `ingest` takes it. */
function validityOf(path: string, doc: Partial<PointResult>): MeasuredResult {
  const reasons = Array.isArray(doc.validity?.reasons) ? doc.validity.reasons.map(String) : [];
  const attempt = (doc.extra?.sweep as { attempt?: unknown } | undefined)?.attempt;
  return {
    path,
    valid: doc.validity?.valid !== false,
    reasons,
    attempt: Number.isSafeInteger(attempt) && (attempt as number) > 0 ? (attempt as number) : 0,
  };
}

/**
 * The PointResults already in an output folder, by fingerprint (`run.specFingerprint`): what resume skips.
 * Files that are not PointResults are ignored.
 */
export async function existingResults(outputDir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const [fp, r] of await measuredResults(outputDir)) found.set(fp, r.path);
  return found;
}

/**
 * The results a resumed sweep keeps (skips), by fingerprint: every one, or with `retryInvalid` the valid ones only.
 */
export async function resultsToKeep(
  outputDir: string,
  options: { force: boolean; retryInvalid?: boolean },
): Promise<Map<string, MeasuredResult>> {
  if (options.force) return new Map();
  const found = await measuredResults(outputDir);
  if (options.retryInvalid) for (const [fp, r] of found) if (!r.valid) found.delete(fp);
  return found;
}

/** A result file's validity (`MeasuredResult`), or undefined when it cannot be read as a PointResult. */
export async function readMeasuredResult(path: string): Promise<MeasuredResult | undefined> {
  try {
    return validityOf(path, JSON.parse(await readFile(path, "utf8")) as Partial<PointResult>);
  } catch {
    return undefined;
  }
}

/** A kept invalid result's line part: its reasons (`client saturated; ...`). */
export const invalidWhy = (r: MeasuredResult): string => r.reasons.join("; ") || "invalid";

/** Reads the failure records of an output folder. */
export async function existingFailures(outputDir: string): Promise<Map<string, FailureRecord>> {
  const out = new Map<string, FailureRecord>();
  const dirs = await readdir(outputDir, { withFileTypes: true }).catch(() => []);
  for (const d of dirs) {
    if (!d.isDirectory()) continue;
    const files = await readdir(join(outputDir, d.name)).catch(() => [] as string[]);
    for (const f of files) {
      if (!isFailureRecordFile(f)) continue;
      try {
        const r = JSON.parse(await readFile(join(outputDir, d.name, f), "utf8")) as FailureRecord;
        out.set(r.fingerprint, r);
      } catch {
        // unreadable: ignore
      }
    }
  }
  return out;
}

/** Writes a PointResult (and removes an earlier failure record of the point). */
export async function writeResult(
  outputDir: string,
  point: PlannedPoint,
  result: PointResult,
): Promise<string> {
  const path = resultPath(outputDir, point);
  await sweepFolder(serverDir(outputDir, point.serverName));
  await writeAtomic(path, `${JSON.stringify(result, null, 2)}\n`);
  await rm(failurePath(outputDir, point), { force: true });
  return path;
}

/**
 * Writes a point's request records as JSONL beside its result (before it: a result file is what resume trusts),
 * with every secret value in an error message replaced by `***`.
 */
export async function writeRequests(
  outputDir: string,
  point: PlannedPoint,
  records: readonly RequestRecord[],
  secrets: readonly string[],
): Promise<string> {
  const path = requestsPath(outputDir, point);
  await sweepFolder(serverDir(outputDir, point.serverName));
  await writeJsonLines(
    path,
    records.map((r) =>
      r.error ? { ...r, error: { ...r.error, message: redact(r.error.message, secrets) } } : r,
    ),
  );
  return path;
}

/** Writes a failed point's record. */
export async function writeFailure(
  outputDir: string,
  point: PlannedPoint,
  reason: string,
  logTail?: string,
  attempt = 0,
): Promise<string> {
  const path = failurePath(outputDir, point);
  await sweepFolder(serverDir(outputDir, point.serverName));
  const record: FailureRecord = {
    schema: "infermark.point-failure/v1",
    pointName: point.name,
    fingerprint: point.fingerprint,
    server: point.serverName,
    reason,
    date: new Date().toISOString(),
    ...(logTail ? { logTail } : {}),
    serverLog: "server.log",
    ...(attempt > 0 ? { attempt } : {}),
  };
  // atomic: a Slurm job's submitter and a sweep following the job may both record it when the job ends
  await writeAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}
