import { randomUUID } from "node:crypto";
import { check, PointResult } from "@infermark/core";
import type { Kysely, Transaction } from "kysely";
import { canonicalJson } from "./canonical-json.js";
import type { BatchWriter, Row } from "./dialects/types.js";
import { IngestError } from "./errors.js";
import { groupsOf } from "./point-groups.js";
import { RowCache, toRows } from "./point-row.js";
import type {
  ConfigurationsTable,
  LatestPointsTable,
  PointsTable,
  PowerSamplesTable,
  RunsTable,
  ServerMetricsTable,
  StoreDatabase,
} from "./schema.js";

/** A row an importer could not map to a point, with the reason (kept in the ingest log). */
export interface SkippedRow {
  /** 1-based row (or line) number in the source file. */
  row: number;
  reason: string;
}

/** Where a batch came from; recorded in the ingest log. */
export interface IngestMeta {
  /** @default "ingest" */
  kind?: "ingest" | "import";
  /** The file the points were read from. */
  path?: string;
  /** Source rows that were not mapped (importers). */
  skipped?: readonly SkippedRow[];
  /** The points were already checked against the PointResult schema by the caller: skip re-checking. */
  validated?: boolean;
  /** Request records of each point, by the point's index in the batch (optional). */
  requests?: readonly (readonly unknown[] | undefined)[];
}

/** What one `ingest` call did. */
export interface IngestResult {
  ingestId: string;
  inserted: number;
  /** Points already stored (same content hash), left as they were. */
  unchanged: number;
  skipped: number;
  /** The content hash of each input point, in input order. */
  ids: string[];
}

/** Validates every point first: one bad point rejects the batch before anything is written. */
function validateAll(points: readonly unknown[]): PointResult[] {
  return points.map((p, i) => {
    const result = check(PointResult, p);
    if (!result.ok) {
      const issue = result.issues[0]!;
      throw new IngestError(
        `point ${i + 1}: ${issue.path || "(root)"}: ${issue.message}${result.issues.length > 1 ? ` (and ${result.issues.length - 1} more issues)` : ""}`,
      );
    }
    return result.value;
  });
}

/**
 * Writes a batch of points in one transaction: all of it or nothing. Points already stored are counted as
 * unchanged; runs and configurations are deduplicated; the latest point of each level and the group counts
 * (`point_groups`) are kept current.
 */
export async function ingestPoints(
  db: Kysely<StoreDatabase>,
  writerOf: (trx: Transaction<StoreDatabase>) => BatchWriter,
  input: readonly unknown[],
  meta: IngestMeta = {},
  cache: RowCache = new RowCache(),
): Promise<IngestResult> {
  const points = meta.validated ? (input as PointResult[]) : validateAll(input);
  const ingestId = randomUUID();
  cache.trim();
  const ids: string[] = [];
  const runs = new Map<string, RunsTable>();
  const configurations = new Map<string, ConfigurationsTable>();
  const byId = new Map<string, { row: PointsTable; index: number }>();
  for (let index = 0; index < points.length; index++) {
    const point = points[index]!;
    const rows = toRows(point, canonicalJson(point), cache, ingestId);
    ids.push(rows.point.id);
    runs.set(rows.run.id, rows.run);
    configurations.set(rows.configuration.id, rows.configuration);
    if (!byId.has(rows.point.id)) byId.set(rows.point.id, { row: rows.point, index });
  }
  const unique = [...byId.values()];
  const skipped = meta.skipped?.length ?? 0;

  try {
    return await db.transaction().execute(async (trx) => {
      const writer = writerOf(trx);
      await writer.insertIgnore("runs", [...runs.values()] as unknown as Row[]);
      await writer.insertIgnore("configurations", [...configurations.values()] as unknown as Row[]);
      const insertedFlags = await writer.insertIgnore(
        "points",
        unique.map((u) => u.row) as unknown as Row[],
      );
      const fresh = unique.filter((_, i) => insertedFlags[i]);
      await insertDetails(
        writer,
        fresh.map((u) => ({
          id: u.row.id,
          point: points[u.index]!,
          requests: meta.requests?.[u.index],
        })),
      );
      const freshRows = fresh.map((u) => u.row);
      await writer.upsertLatest(newestPerLevel(freshRows));
      await writer.upsertGroups(groupsOf(freshRows));
      await trx
        .insertInto("ingest_log")
        .values({
          id: ingestId,
          at: new Date().toISOString(),
          kind: meta.kind ?? "ingest",
          path: meta.path ?? null,
          status: "ok",
          inserted: fresh.length,
          unchanged: points.length - fresh.length,
          skipped,
          reason: null,
          details: skipped > 0 ? JSON.stringify({ skipped: meta.skipped }) : null,
        })
        .execute();
      return {
        ingestId,
        inserted: fresh.length,
        unchanged: points.length - fresh.length,
        skipped,
        ids,
      };
    });
  } catch (error) {
    if (error instanceof IngestError) throw error;
    throw new IngestError(`database write failed, nothing written: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Power samples, server-metric snapshots and request records of new points. */
async function insertDetails(
  writer: BatchWriter,
  fresh: readonly { id: string; point: PointResult; requests?: readonly unknown[] }[],
): Promise<void> {
  const power: PowerSamplesTable[] = [];
  const server: ServerMetricsTable[] = [];
  const requests: StoreDatabase["request_records"][] = [];
  for (const { id, point, requests: records } of fresh) {
    for (const s of point.energy?.samples ?? [])
      power.push({ point_id: id, t: s.t, gpu: s.gpu, watts: s.watts });
    for (const phase of ["before", "after", "delta"] as const)
      for (const [name, value] of Object.entries(point.serverMetrics?.[phase] ?? {}))
        if (Number.isFinite(value)) server.push({ point_id: id, phase, name, value });
    records?.forEach((r, seq) => {
      requests.push({ point_id: id, seq, json: JSON.stringify(r) });
    });
  }
  // Only points new in this transaction get details, so plain inserts cannot collide.
  await writer.insert("power_samples", power as unknown as Row[]);
  await writer.insert("server_metrics", server as unknown as Row[]);
  await writer.insert("request_records", requests as unknown as Row[]);
}

/** The newest new point (by date, then id) of each level and source in a batch. */
function newestPerLevel(rows: readonly PointsTable[]): LatestPointsTable[] {
  const newest = new Map<string, LatestPointsTable>();
  for (const r of rows) {
    const key = `${r.level_hash}|${r.source}`;
    const cur = newest.get(key);
    if (!cur || r.date > cur.date || (r.date === cur.date && r.id > cur.point_id))
      newest.set(key, {
        level_hash: r.level_hash,
        source: r.source,
        model: r.model,
        date: r.date,
        point_id: r.id,
      });
  }
  return [...newest.values()];
}

/** Records a file that was rejected whole, so the ingest log tells what never went in and why. */
export async function logRejection(
  db: Kysely<StoreDatabase>,
  meta: IngestMeta,
  reason: string,
): Promise<void> {
  await db
    .insertInto("ingest_log")
    .values({
      id: randomUUID(),
      at: new Date().toISOString(),
      kind: meta.kind ?? "ingest",
      path: meta.path ?? null,
      status: "rejected",
      inserted: 0,
      unchanged: 0,
      skipped: meta.skipped?.length ?? 0,
      reason,
      details: null,
    })
    .execute();
}
