import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import {
  check,
  matchesFilter,
  type PointFilter,
  PointResult,
  type RequestRecord,
  selectPointSet,
} from "@infermark/core";
import { openStore, pointId } from "@infermark/store";
import { type CatalogFigures, renderReportHtml } from "@infermark/web";
import { UsageError } from "../errors.js";
import { expandPaths, isStringTooLong, readDocuments } from "../io.js";
import { pairRequestFiles, pointFileOf, readRequestRecords, reasonOf } from "./ingest.js";
import { sameFileAs } from "./same-file.js";

/** Options of `buildReport`. */
export interface ReportOptions {
  /** which points to include (all by default) */
  filter?: PointFilter;
  /** @default "infermark report" */
  title?: string;
  /**
   * embed request records (run detail distributions): a database's stored ones, or the records file beside each
   * point file (`<point>.requests.jsonl`, `requests-<level>.jsonl`); they can make the file large. @default false
   */
  requests?: boolean;
  /**
   * the GPU prices and all-in power the report's cost and energy figures use, embedded in it
   * (`loadCatalogFigures` of an override file). @default the built-in catalog's
   */
  catalog?: CatalogFigures;
}

/** A built report: the HTML and what went in. */
export interface ReportResult {
  html: string;
  points: number;
  requests: number;
  /** documents of the result files that were not PointResults */
  skipped: { path: string; reason: string }[];
}

const SQLITE_MAGIC = "SQLite format 3\0";

/** Whether an input names a database (postgres URL, or an SQLite file) rather than result files. */
async function isDatabase(input: string): Promise<boolean> {
  if (/^postgres(ql)?:\/\//i.test(input) || input.startsWith("sqlite:")) return true;
  if (!existsSync(input)) return false;
  const head = await readFile(input).then(
    (b) => b.subarray(0, 16).toString("latin1"),
    () => "",
  );
  return head === SQLITE_MAGIC;
}

type ReportItem = { id: string; point: PointResult };

/** What a report embeds: its points, their request records by point id, and the documents left out. */
interface ReportData {
  items: ReportItem[];
  requests: Record<string, RequestRecord[]>;
  skipped: ReportResult["skipped"];
}

/** Reads the points of a database that match the filter and, with `withRequests`, their stored records. */
async function readDatabase(
  url: string,
  filter: PointFilter,
  withRequests: boolean,
): Promise<ReportData> {
  const requests: Record<string, RequestRecord[]> = {};
  const store = await openStore(url, { create: false });
  try {
    const items = (await store.queryPoints(filter)).map((r) => ({ id: r.id, point: r.point }));
    if (withRequests && items.length > 0) {
      const rows = await store.db
        .selectFrom("request_records")
        .select(["point_id", "json"])
        .where(
          "point_id",
          "in",
          items.map((i) => i.id),
        )
        .orderBy("point_id")
        .orderBy("seq")
        .execute();
      for (const r of rows) {
        const list = requests[r.point_id] ?? [];
        list.push(JSON.parse(r.json) as RequestRecord);
        requests[r.point_id] = list;
      }
    }
    return { items, requests, skipped: [] };
  } finally {
    await store.close();
  }
}

/**
 * Reads PointResult files and folders: the points that match the filter (once each) and, with `withRequests`,
 * the records of each level's `<point>.requests.jsonl` (or `requests-<level>.jsonl`) beside its point file,
 * paired as `infermark ingest` pairs them. A records file is never read as points.
 */
async function readResultFiles(
  inputs: readonly string[],
  filter: PointFilter,
  withRequests: boolean,
): Promise<ReportData> {
  const expanded = await expandPaths(inputs);
  if (expanded.length === 0) throw new UsageError(`no result files found in ${inputs.join(", ")}`);
  // a sweep's failure records hold no points: left out without a word, as the sweep reported them
  const { files, requestsOf, lone } = pairRequestFiles(expanded);
  const skipped: ReportResult["skipped"] = lone.map((path) => ({
    path,
    reason: `request records without their point file (${basename(pointFileOf(path)!)}) beside them`,
  }));
  let items: ReportItem[] = [];
  const recordsFileOf = new Map<string, string>();
  const seen = new Set<string>();
  for (const path of files) {
    const docs = (await readDocuments(path)).flatMap((d) => (Array.isArray(d) ? d : [d]));
    const recordsFile = requestsOf.get(path);
    if (recordsFile && docs.length !== 1 && withRequests)
      skipped.push({ path: recordsFile, reason: `${docs.length} points beside it: expected one` });
    for (const doc of docs) {
      const parsed = check(PointResult, doc);
      if (!parsed.ok) {
        skipped.push({
          path,
          reason: `${parsed.issues[0]!.path || "(root)"}: ${parsed.issues[0]!.message}`,
        });
        continue;
      }
      const id = pointId(parsed.value);
      if (seen.has(id) || !matchesFilter(parsed.value, filter)) continue;
      seen.add(id);
      items.push({ id, point: parsed.value });
      if (recordsFile && docs.length === 1) recordsFileOf.set(id, recordsFile);
    }
  }
  if (filter.latest)
    items = selectPointSet(items, { kind: "latest", asOf: filter.dateTo }, (i) => i.point);
  const requests: Record<string, RequestRecord[]> = {};
  if (withRequests)
    for (const { id } of items) {
      const recordsFile = recordsFileOf.get(id);
      if (!recordsFile) continue;
      try {
        requests[id] = await readRequestRecords(recordsFile);
      } catch (error) {
        skipped.push({ path: recordsFile, reason: reasonOf(error, recordsFile) });
      }
    }
  return { items, requests, skipped };
}

/**
 * Refuses to write the report over one of its inputs: the database (with its -wal and -shm files) or a result file,
 * named or inside a folder named, which the HTML would replace.
 * @example await refuseInputAsOutput("report.html", ["infermark.db"])
 */
export async function refuseInputAsOutput(
  output: string,
  inputs: readonly string[],
): Promise<void> {
  const files: string[] = [];
  for (const input of inputs) {
    if (/^postgres(ql)?:\/\//i.test(input)) continue;
    const path = input.replace(/^sqlite:/i, "");
    files.push(path, `${path}-wal`, `${path}-shm`);
    if ((await stat(path).catch(() => undefined))?.isDirectory())
      files.push(...(await expandPaths([path])));
  }
  const input = await sameFileAs(output, files);
  if (input)
    throw new UsageError(
      `-o ${output}: is an input of the report (${input}), which the report would replace: write it to another file`,
    );
}

/**
 * Builds the self-contained HTML report (the dashboard with its data embedded; no server, no network) from a
 * database or from PointResult files (JSON, JSONL, YAML; folders are searched; with `requests`, each level's
 * request records file beside its point file is embedded too).
 * @example const { html } = await buildReport(["infermark.db"], { filter: { model: ["dsr1"] } })
 */
export async function buildReport(
  inputs: readonly string[],
  options: ReportOptions = {},
): Promise<ReportResult> {
  if (inputs.length === 0) throw new UsageError("report needs a database or result files");
  const filter = options.filter ?? {};
  const withRequests = options.requests ?? false;
  const { items, requests, skipped } =
    inputs.length === 1 && (await isDatabase(inputs[0]!))
      ? await readDatabase(inputs[0]!, filter, withRequests)
      : await readResultFiles(inputs, filter, withRequests);
  const requestCount = Object.values(requests).reduce((n, list) => n + list.length, 0);
  let html: string;
  try {
    html = await renderReportHtml({
      title: options.title ?? "infermark report",
      points: items,
      ...(requestCount > 0 ? { requests } : {}),
      ...(options.catalog ? { catalog: options.catalog } : {}),
    });
  } catch (error) {
    // V8's cap on one string (2^29 - 24 characters, about 512 MiB): a report is one HTML string
    if (!isStringTooLong(error)) throw error;
    throw new UsageError(
      `the report would be more text than one string holds (about 512 MiB)${withRequests ? `, with ${requestCount} request records embedded: leave out --requests, or choose` : ": choose"} fewer points (--latest, --hardware, --model, ...)`,
    );
  }
  return { html, points: items.length, requests: requestCount, skipped };
}
