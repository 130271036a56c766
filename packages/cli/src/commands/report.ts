import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import {
  check,
  matchesFilter,
  type PointFilter,
  PointResult,
  type RequestRecord,
  selectPointSet,
} from "@infermark/core";
import { openStore, pointId } from "@infermark/store";
import { renderReportHtml } from "@infermark/web";
import { UsageError } from "../errors.js";
import { expandPaths, readDocuments } from "../io.js";

/** Options of `buildReport`. */
export interface ReportOptions {
  /** which points to include (all by default) */
  filter?: PointFilter;
  /** @default "infermark report" */
  title?: string;
  /** embed stored request records (run detail distributions); they can make the file large. @default false */
  requests?: boolean;
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

/**
 * Builds the self-contained HTML report (the dashboard with its data embedded; no server, no network) from a
 * database or from PointResult files (JSON, JSONL, YAML; folders are searched).
 * @example const { html } = await buildReport(["infermark.db"], { filter: { model: ["dsr1"] } })
 */
export async function buildReport(
  inputs: readonly string[],
  options: ReportOptions = {},
): Promise<ReportResult> {
  if (inputs.length === 0) throw new UsageError("report needs a database or result files");
  const filter = options.filter ?? {};
  const skipped: ReportResult["skipped"] = [];
  let items: { id: string; point: PointResult }[] = [];
  const requests: Record<string, RequestRecord[]> = {};
  let requestCount = 0;
  if (inputs.length === 1 && (await isDatabase(inputs[0]!))) {
    const store = await openStore(inputs[0], { create: false });
    try {
      items = (await store.queryPoints(filter)).map((r) => ({ id: r.id, point: r.point }));
      if (options.requests && items.length > 0) {
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
          requestCount++;
        }
      }
    } finally {
      await store.close();
    }
  } else {
    const files = await expandPaths(inputs);
    if (files.length === 0) throw new UsageError(`no result files found in ${inputs.join(", ")}`);
    const seen = new Set<string>();
    for (const path of files) {
      const docs = (await readDocuments(path)).flatMap((d) => (Array.isArray(d) ? d : [d]));
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
      }
    }
    if (filter.latest)
      items = selectPointSet(items, { kind: "latest", asOf: filter.dateTo }, (i) => i.point);
  }
  const html = await renderReportHtml({
    title: options.title ?? "infermark report",
    points: items,
    ...(requestCount > 0 ? { requests } : {}),
  });
  return { html, points: items.length, requests: requestCount, skipped };
}
