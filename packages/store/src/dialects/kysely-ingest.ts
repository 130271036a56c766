import { CompiledQuery, type ControlledTransaction, sql } from "kysely";
import { newestPerLevel } from "../latest-points.js";
import { groupsOf } from "../point-groups.js";
import { pointRowOf } from "../point-row.js";
import { replaceStatements } from "../replace-points.js";
import type { StoreDatabase } from "../schema.js";
import type { IngestSink, Read, ReadRows, Row, RowChunk, WriterOf } from "./types.js";

/** Rolls back a transaction that failed; an error of the rollback itself would hide the failure, so it is dropped. */
export const rollBack = (trx: ControlledTransaction<StoreDatabase>): Promise<void> =>
  trx
    .rollback()
    .execute()
    .catch(() => {});

/**
 * Starts a transaction that holds the store's write lock (PostgreSQL: `lockedTransaction`): `exclusive` for an
 * ingest that reads what is stored and decides on it or takes points out (deduplicating imports, `db dedupe`),
 * shared for one that only adds, so plain ingests still write side by side.
 */
export type OpenLocked = (exclusive: boolean) => Promise<ControlledTransaction<StoreDatabase>>;

/**
 * An ingest transaction that collects its chunks and writes them at commit, with a dialect's BatchWriter (the
 * PostgreSQL path): the stored points it replaces out, then runs, configurations, points (`insertIgnore` tells
 * new from stored), details of the new points, `latest_points` and `point_groups` from the new points, the log.
 * Given reads, the transaction (and its exclusive lock) begins here and the reads run in it; without, it begins at
 * commit, so an ingest builds its rows while the one before it commits, and with a shared lock, so ingests that only
 * add points write at the same time, as they did before the lock existed.
 */
export async function kyselySink(
  openLocked: OpenLocked,
  writerOf: WriterOf,
  reads: readonly Read[] = [],
): Promise<IngestSink> {
  let trx: ControlledTransaction<StoreDatabase> | undefined;
  const found: ReadRows[] = [];
  if (reads.length > 0) {
    trx = await openLocked(true);
    try {
      for (const read of reads)
        found.push(
          (
            await trx.executeQuery<Record<string, unknown>>(
              CompiledQuery.raw(read.sql, [...read.parameters]),
            )
          ).rows,
        );
    } catch (error) {
      await rollBack(trx);
      throw error;
    }
  }
  const chunks: RowChunk[] = [];
  let replaces: readonly string[] = [];
  /** Whether the transaction ended (committed, or rolled back by a failed commit). */
  let ended = false;
  return {
    found,
    start(ids) {
      replaces = ids;
    },
    write(chunk) {
      chunks.push(chunk);
    },
    async abort() {
      chunks.length = 0;
      if (ended) return;
      ended = true;
      await trx?.rollback().execute();
    },
    async commit(log, total) {
      const all = <K extends keyof RowChunk>(k: K): RowChunk[K] =>
        chunks.flatMap((c) => c[k] as unknown[]) as RowChunk[K];
      const points = all("points").map(pointRowOf);
      const t = trx ?? (await openLocked(replaces.length > 0));
      ended = true;
      try {
        for (const statement of replaceStatements(replaces)) await sql.raw(statement).execute(t);
        const writer = writerOf(t);
        await writer.insertIgnore("runs", all("runs") as unknown as Row[]);
        await writer.insertIgnore("configurations", all("configurations") as unknown as Row[]);
        const flags = await writer.insertIgnore("points", points as unknown as Row[]);
        const fresh = points.filter((_, i) => flags[i]);
        const freshIds = new Set(fresh.map((p) => p.id));
        const isFresh = (r: { point_id: string }) => freshIds.has(r.point_id);
        await writer.insert("power_samples", all("power").filter(isFresh) as unknown as Row[]);
        await writer.insert("server_metrics", all("server").filter(isFresh) as unknown as Row[]);
        await writer.insert("request_records", all("requests").filter(isFresh) as unknown as Row[]);
        await writer.upsertLatest(newestPerLevel(fresh));
        await writer.upsertGroups(groupsOf(fresh));
        await t
          .insertInto("ingest_log")
          .values({ ...log, inserted: fresh.length, unchanged: total - fresh.length })
          .execute();
        await t.commit().execute();
        return fresh.length;
      } catch (error) {
        await rollBack(t);
        throw error;
      }
    },
  };
}
