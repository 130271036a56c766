import { stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { EventLog, withEvents, withoutEvents } from "@infermark/bench";
import {
  CanonicalPointResult,
  check,
  POINT_SCHEMA_ID,
  type PointResult,
  RequestRecord,
} from "@infermark/core";
import {
  type IngestMeta,
  type IngestResult,
  openStore,
  type SkippedRow,
  type Store,
} from "@infermark/store";
import type { z } from "zod";
import { FileError } from "../errors.js";
import { expandPaths, jsonLines, readNumberedDocuments } from "../io.js";
import { isFailureRecordFile } from "../sweep/results-dir.js";
import { withoutPasswords } from "./without-passwords.js";

/** What happened to one input file. */
export interface FileOutcome {
  path: string;
  /** `skipped`: a file that holds no points by design (a sweep's failure record), left out with its reason. */
  status: "ok" | "rejected" | "skipped";
  inserted: number;
  /** Points stored before (same content), left as they were. */
  unchanged: number;
  /** Points that repeat an earlier point of the same file (same content), stored once (absent when none). */
  repeated?: number;
  /** Source rows that could not be mapped (importers), with reasons. */
  skipped: SkippedRow[];
  /**
   * Source rows left out because another row of the same import is the same measurement and holds every
   * value they hold (importers; absent when none). The ingest log lists them with the skipped rows.
   */
  duplicates?: SkippedRow[];
  /**
   * Points stored by an earlier import that rows of this file replaced: the same measurement, every value of
   * the stored point and more (importers; absent when none).
   */
  replaced?: number;
  /**
   * What a reader should know of rows that were stored (importers; absent when none): rows of a model the catalog
   * does not know, stored under their source's name.
   */
  warnings?: string[];
  /** Why the file was rejected whole, or skipped. */
  reason?: string;
  /** The level's request records file (`requests-<level>.jsonl` beside `point-<level>.json`), stored with it. */
  requestsFile?: string;
  /** Request records stored with the point (0 when it was already stored). */
  requests?: number;
}

/** Options of `ingestFiles`. */
export interface IngestFilesOptions {
  /** Database URL or SQLite path. @default INFERMARK_DB, else infermark.db */
  db?: string;
}

/** C0 and C1 control characters, DEL and the line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be escaped
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * A text quoted from a file (a binary file's bytes in a JSON error, a row's hardware label) made fit for one line
 * of a terminal and for the ingest log: each control character written as its `\uXXXX` escape, so a file cannot
 * move the cursor, recolour or retitle the terminal, break the one-line-per-file output, or hold a NUL that
 * PostgreSQL's text refuses.
 * @example printable("bad \u001b[31m") // "bad \\u001b[31m"
 */
export const printable = (text: string): string =>
  text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** The message of an error without the `path: ` prefix FileError adds, printable. */
export function reasonOf(error: unknown, path: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return printable(message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message);
}

/** Expands each argument on its own, so a missing one is reported and the others still go in. */
export async function expandEach(
  paths: readonly string[],
  extensions?: Set<string>,
): Promise<{ files: string[]; missing: FileOutcome[] }> {
  const files: string[] = [];
  const missing: FileOutcome[] = [];
  for (const p of paths) {
    try {
      files.push(...(await expandPaths([p], extensions)));
    } catch (error) {
      // a store URL given for a file is named without its password
      missing.push(rejected(withoutPasswords(p), reasonOf(error, p)));
    }
  }
  return { files, missing };
}

export const rejected = (
  path: string,
  reason: string,
  skipped: SkippedRow[] = [],
): FileOutcome => ({
  path,
  status: "rejected",
  inserted: 0,
  unchanged: 0,
  skipped,
  reason,
});

/** What reading one file gave: checked points to write in one transaction, or the file's rejection. */
export type PreparedFile =
  | {
      points: readonly unknown[];
      /** Ingest-log and detail fields beyond the kind and path. */
      meta: Omit<IngestMeta, "kind" | "path" | "validated">;
      /** Completes the file's outcome once it is written (`result`: the store's answer, absent when rejected). */
      finish?: (outcome: FileOutcome, result?: IngestResult) => FileOutcome;
    }
  | FileOutcome;

/**
 * Writes `files` one transaction each, in order, appending each file's outcome to `outcomes`. The next file
 * is read and checked (`prepare`, whose points must be checked PointResults) and its rows built while the one
 * before it commits, so at most two files' points are held at once; a rejected file (an error from
 * `prepare`, a rejection it returns, or a failed write) is logged in the ingest log in file order. `prepare`
 * (given the path and its index in `files`) may return undefined to pass over a file.
 */
export async function ingestInOrder(
  store: Store,
  kind: NonNullable<IngestMeta["kind"]>,
  files: readonly string[],
  outcomes: FileOutcome[],
  prepare: (path: string, index: number) => Promise<PreparedFile | undefined>,
): Promise<void> {
  let previous: Promise<void> = Promise.resolve();
  for (const [index, path] of files.entries()) {
    let pending: Promise<FileOutcome>;
    try {
      const prepared = await prepare(path, index);
      if (prepared === undefined) continue;
      if ("status" in prepared) pending = Promise.resolve(prepared);
      else {
        const { points, meta, finish } = prepared;
        pending = ingestOne(store, path, points, { ...meta, kind, validated: true }, finish);
      }
    } catch (error) {
      // a records file's error names that file; a point file's error loses its own path prefix
      pending = Promise.resolve(rejected(path, reasonOf(error, path)));
    }
    const before = previous;
    previous = (async () => {
      const outcome = await pending;
      await before;
      if (outcome.status === "rejected")
        await store.recordRejection(
          { kind, path, skipped: outcome.skipped },
          outcome.reason ?? "rejected",
        );
      outcomes.push(outcome);
    })();
    // its failure is thrown when the next file (or the end) awaits it; until then, while the next file is read,
    // it must not count as unhandled (Node would print it, or end the process)
    previous.catch(() => {});
    try {
      await before;
    } catch (error) {
      await previous.catch(() => {}); // this file's outcome is lost with the error: do not leave it dangling
      throw error;
    }
  }
  await previous;
}

/**
 * Writes one file's points in one transaction, turning any failure into a rejection (the caller logs it);
 * `finish` completes the outcome.
 */
export async function ingestOne(
  store: Store,
  path: string,
  points: readonly unknown[],
  meta: IngestMeta,
  finish: (outcome: FileOutcome, result?: IngestResult) => FileOutcome = (outcome) => outcome,
): Promise<FileOutcome> {
  const skipped = [...(meta.skipped ?? [])];
  let result: IngestResult;
  try {
    result = await store.ingest(points, { ...meta, path });
  } catch (error) {
    return finish(rejected(path, reasonOf(error, path), skipped));
  }
  const { inserted, unchanged, repeated } = result;
  return finish(
    { path, status: "ok", inserted, unchanged, ...(repeated > 0 ? { repeated } : {}), skipped },
    result,
  );
}

/**
 * Checks each document of a file (with `arrays`, each element of an array) against a schema, failing on the first
 * bad one with where it is (`line N` in JSONL, counting blank lines; `point N` in an array of several), the field
 * and what is wrong.
 */
function checkDocuments<T>(
  path: string,
  { docs, lines }: { docs: readonly unknown[]; lines?: readonly number[] },
  schema: z.ZodType<T>,
  arrays: boolean,
): T[] {
  const values: T[] = [];
  for (const [index, doc] of docs.entries()) {
    const items = arrays && Array.isArray(doc) ? doc : [doc];
    for (const [item, value] of items.entries()) {
      const result = check(schema, value);
      if (result.ok) {
        values.push(result.value);
        continue;
      }
      const issue = result.issues[0]!;
      // an element of an array document (of several) is named by its place in the array
      const element = items === doc && items.length > 1 ? `point ${item + 1}` : "";
      const where = lines
        ? `line ${lines[index]}${element && `, ${element}`}: `
        : element && `${element}: `;
      throw new FileError(path, `${where}${issue.path || "(root)"}: ${issue.message}`);
    }
  }
  return values;
}

/** Reads a PointResult file (JSON object or array, JSONL, YAML) and checks every point before anything is written. */
async function readPoints(path: string): Promise<PointResult[]> {
  // an empty file is malformed JSON to JSON.parse and null to YAML; to the user it holds no points
  if ((await stat(path).catch(() => undefined))?.size === 0)
    throw new FileError(path, "no points in file: it is empty");
  const read = await readNumberedDocuments(path);
  if (read.docs.every((d) => Array.isArray(d) && d.length === 0))
    throw new FileError(path, "no points in file");
  // CanonicalPointResult: PointResult's checks, output keys in the order the store writes them.
  try {
    return checkDocuments(path, read, CanonicalPointResult, true);
  } catch (error) {
    const first = read.docs.flat()[0];
    if (isInferencexRow(first))
      throw new FileError(
        path,
        `${read.lines ? `line ${read.lines[0]}` : "point 1"}: an InferenceX row, not a PointResult: infermark import inferencex stores InferenceX results`,
        { cause: error },
      );
    throw error;
  }
}

/** An object shaped as InferenceX's rows (`hw`, or `hardware` with `metrics`) rather than as a PointResult. */
export function isInferencexRow(row: unknown): boolean {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return false;
  const r = row as Record<string, unknown>;
  return !("config" in r) && ("hw" in r || ("hardware" in r && typeof r.metrics === "object"));
}

/** An object shaped as a PointResult: its schema id, or a `config` and `metrics`. */
export function isPointResult(doc: unknown): boolean {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return false;
  const d = doc as Record<string, unknown>;
  return (
    d.schema === POINT_SCHEMA_ID || (typeof d.config === "object" && typeof d.metrics === "object")
  );
}

/**
 * `requests-<level>.jsonl` beside `point-<level>.json` (what `infermark bench --save-requests` writes), and
 * `<point>.requests.jsonl` beside `<point>.json` (what `infermark sweep` writes).
 */
const REQUESTS_FILE = /^requests-(.+)\.jsonl$/;
const SWEEP_REQUESTS_FILE = /^(.+)\.requests\.jsonl$/;

/** The point file a records file belongs beside, or undefined when the file is not a records file. */
export function pointFileOf(requestsFile: string): string | undefined {
  const name = basename(requestsFile);
  const bench = REQUESTS_FILE.exec(name);
  if (bench) return join(dirname(requestsFile), `point-${bench[1]}.json`);
  const sweep = SWEEP_REQUESTS_FILE.exec(name);
  return sweep ? join(dirname(requestsFile), `${sweep[1]}.json`) : undefined;
}

/**
 * Pairs each level's request records file with its point file: the pair goes in as one transaction, and
 * a records file is never read as points. A records file given without its point file is `lone`; a sweep's
 * failure records (`<point>.failed.json`, a point it could not measure) are `failures`, never read as points.
 */
export function pairRequestFiles(files: readonly string[]): {
  files: string[];
  requestsOf: Map<string, string>;
  lone: string[];
  failures: string[];
} {
  const set = new Set(files);
  const requestsOf = new Map<string, string>();
  const rest: string[] = [];
  const lone: string[] = [];
  const failures: string[] = [];
  for (const f of files) {
    const point = pointFileOf(f);
    if (isFailureRecordFile(f)) failures.push(f);
    else if (point === undefined) rest.push(f);
    else if (set.has(point)) requestsOf.set(point, f);
    else lone.push(f);
  }
  return { files: rest, requestsOf, lone, failures };
}

/**
 * Reads a level's request records (JSONL) line by line and checks every one against the RequestRecord schema (a
 * FileError naming the line of the first bad one). Each record's events are kept packed (`EventLog`, 13 bytes an
 * event) and read as objects when needed: a level of 8k-token streams holds tens of millions of events.
 * @example const records = await readRequestRecords("requests-c64.jsonl");
 */
export async function readRequestRecords(path: string): Promise<RequestRecord[]> {
  const records: RequestRecord[] = [];
  for await (const { line, doc } of jsonLines(path)) {
    const [record] = checkDocuments(path, { docs: [doc], lines: [line] }, RequestRecord, false);
    records.push(withEvents(withoutEvents(record!), EventLog.of(record!.events)));
  }
  return records;
}

/**
 * Why some request records are not one level's, or undefined when they are: bench numbers each level's requests
 * once, so an index seen twice means files of several runs or levels were put together (`cat`).
 * @example mixedLevels(records) // "records 1 and 41 (in file order) both have index 0: ..."
 */
export function mixedLevels(records: readonly RequestRecord[]): string | undefined {
  const first = new Map<number, number>();
  for (const [i, r] of records.entries()) {
    const seen = first.get(r.index);
    if (seen !== undefined)
      return `records ${seen + 1} and ${i + 1} (in file order) both have index ${r.index}: the file holds records of more than one run or level`;
    first.set(r.index, i);
  }
  return undefined;
}

/**
 * Why request records are not the ones a point was computed from, or undefined when they can be: a point counts its
 * measured requests (`errors.requests`, completed and failed), and bench and sweep write the records it was computed
 * from beside it, so another count means another run's records (written into the same folder) or a file edited.
 * A point that counts none (one not computed from records) is not checked.
 * @example notItsRecords(point, records) // "5 measured requests' records, where the point counts 2"
 */
export function notItsRecords(
  point: PointResult,
  records: readonly RequestRecord[],
): string | undefined {
  const counted = point.errors.requests;
  const measured = records.filter((r) => !r.warmup).length;
  if (counted === 0 || measured === counted) return undefined;
  return `${measured} measured requests' records, where the point counts ${counted}`;
}

/**
 * Ingests PointResult files and folders (JSON, JSONL, YAML) into the store, one transaction per file.
 * A bad file is rejected whole with its reason; the others still go in. A level's request records
 * (`requests-<level>.jsonl` beside `point-<level>.json`, as `infermark bench --save-requests` writes them)
 * are stored with its point, in the same transaction; bad records reject the pair.
 * @example const outcomes = await ingestFiles(["results/"], { db: "infermark.db" });
 */
export async function ingestFiles(
  paths: readonly string[],
  options: IngestFilesOptions = {},
): Promise<FileOutcome[]> {
  const store = await openStore(options.db);
  try {
    const expanded = await expandEach(paths);
    const { files, requestsOf, lone, failures } = pairRequestFiles(expanded.files);
    const outcomes: FileOutcome[] = [...expanded.missing];
    for (const path of failures)
      outcomes.push({
        path,
        status: "skipped",
        inserted: 0,
        unchanged: 0,
        skipped: [],
        reason: "a sweep's failure record: the point was not measured (infermark sweep retries it)",
      });
    for (const path of lone) {
      const reason = `request records without their point file (${basename(pointFileOf(path)!)}) beside them: ingest the folder, or both files`;
      await store.recordRejection({ kind: "ingest", path }, reason);
      outcomes.push(rejected(path, reason));
    }
    await ingestInOrder(store, "ingest", files, outcomes, async (path) => {
      const requestsFile = requestsOf.get(path);
      const points = await readPoints(path);
      if (!requestsFile) return { points, meta: {} };
      if (points.length !== 1)
        throw new FileError(path, `${points.length} points beside ${requestsFile}: expected one`);
      const requests = await readRequestRecords(requestsFile);
      const mixed = mixedLevels(requests);
      // stored with one point, they would be its run detail: another run's requests among them
      if (mixed)
        throw new FileError(requestsFile, `${mixed}: one level's records go beside its point`);
      const other = notItsRecords(points[0]!, requests);
      if (other)
        throw new FileError(requestsFile, `${other}: not the records of ${basename(path)}`);
      return {
        points,
        meta: { requests: [requests] },
        finish: (outcome) => {
          if (outcome.status === "ok") {
            outcome.requestsFile = requestsFile;
            outcome.requests = outcome.inserted > 0 ? requests.length : 0;
          }
          return outcome;
        },
      };
    });
    return outcomes;
  } finally {
    await store.close();
  }
}
