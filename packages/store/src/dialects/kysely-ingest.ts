import { CompiledQuery, type ControlledTransaction, sql } from "kysely";
import { newestPerLevel } from "../latest-points.js";
import { groupsOf } from "../point-groups.js";
import { pointRowOf } from "../point-row.js";
import { replaceStatements } from "../replace-points.js";
import type { PointsTable, StoreDatabase } from "../schema.js";
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

/** Runs reads in a transaction, one after another; their rows (none for a statement that returns none). */
async function readIn(
  trx: ControlledTransaction<StoreDatabase>,
  reads: readonly Read[],
): Promise<ReadRows[]> {
  const found: ReadRows[] = [];
  for (const read of reads)
    found.push(
      (
        await trx.executeQuery<Record<string, unknown>>(
          CompiledQuery.raw(read.sql, [...read.parameters]),
        )
      ).rows,
    );
  return found;
}

/** Characters of request-record JSON a PostgreSQL ingest holds before it writes what it has (`recordBufferChars`). */
export const RECORD_BUFFER_CHARS = 64 * 1024 * 1024;

const recordChars = (chunk: RowChunk): number => {
  let n = 0;
  for (const r of chunk.requests) n += r.json.length;
  return n;
};

/**
 * An ingest transaction that collects its chunks and writes them with a dialect's BatchWriter (the PostgreSQL
 * path): the stored points it replaces out, then runs, configurations, points (`insertIgnore` tells new from
 * stored), details of the new points; at commit `latest_points` and `point_groups` from the new points, the log.
 * Chunks are written when their request records pass `recordBuffer` characters of JSON (a level at InferenceX
 * scale holds gigabytes of them; `write` then returns the write, for the caller to await) and at commit.
 * Given reads, the transaction (and its exclusive lock) begins here and the reads run in it; without, it begins
 * at the first write, so an ingest that fits the buffer builds its rows while the one before it commits, and with
 * a shared lock, so ingests that only add points write at the same time, as they did before the lock existed.
 */
export async function kyselySink(
  openLocked: OpenLocked,
  writerOf: WriterOf,
  reads: readonly Read[] = [],
  recordBuffer = RECORD_BUFFER_CHARS,
): Promise<IngestSink> {
  let trx: ControlledTransaction<StoreDatabase> | undefined;
  let found: ReadRows[] = [];
  if (reads.length > 0) {
    trx = await openLocked(true);
    try {
      found = await readIn(trx, reads);
    } catch (error) {
      await rollBack(trx);
      throw error;
    }
  }
  let chunks: RowChunk[] = [];
  let buffered = 0;
  let replaces: readonly string[] = [];
  /** Whether the stored points `replaces` names were taken out (first thing in the transaction). */
  let replaced = false;
  /** The new points written so far, and their ids (their details are written, later chunks' too). */
  const fresh: PointsTable[] = [];
  const freshIds = new Set<string>();
  /** Whether the transaction ended (committed, or rolled back). */
  let ended = false;

  /** Writes the chunks held so far, in the transaction (begun here if it was not). */
  async function flush(): Promise<ControlledTransaction<StoreDatabase>> {
    const held = chunks;
    chunks = [];
    buffered = 0;
    trx ??= await openLocked(replaces.length > 0);
    const t = trx;
    if (!replaced) {
      replaced = true;
      for (const statement of replaceStatements(replaces)) await sql.raw(statement).execute(t);
    }
    const all = <K extends keyof RowChunk>(k: K): RowChunk[K] =>
      held.flatMap((c) => c[k] as unknown[]) as RowChunk[K];
    const writer = writerOf(t);
    await writer.insertIgnore("runs", all("runs") as unknown as Row[]);
    await writer.insertIgnore("configurations", all("configurations") as unknown as Row[]);
    const points = all("points").map(pointRowOf);
    const flags = await writer.insertIgnore("points", points as unknown as Row[]);
    points.forEach((p, i) => {
      if (!flags[i]) return;
      fresh.push(p);
      freshIds.add(p.id);
    });
    const isFresh = (r: { point_id: string }) => freshIds.has(r.point_id);
    await writer.insert("power_samples", all("power").filter(isFresh) as unknown as Row[]);
    await writer.insert("server_metrics", all("server").filter(isFresh) as unknown as Row[]);
    await writer.insert("request_records", all("requests").filter(isFresh) as unknown as Row[]);
    return t;
  }

  return {
    found,
    async read(more) {
      if (!trx || ended) throw new Error("read: no transaction under way (begin one with reads)");
      return readIn(trx, more);
    },
    start(ids) {
      replaces = ids;
    },
    write(chunk) {
      chunks.push(chunk);
      buffered += recordChars(chunk);
      return buffered >= recordBuffer ? flush().then(() => {}) : undefined;
    },
    async abort() {
      chunks = [];
      if (ended) return;
      ended = true;
      if (trx) await rollBack(trx);
    },
    async commit(log, total) {
      try {
        const t = await flush();
        const writer = writerOf(t);
        await writer.upsertLatest(newestPerLevel(fresh));
        await writer.upsertGroups(groupsOf(fresh));
        await t
          .insertInto("ingest_log")
          .values({ ...log, inserted: fresh.length, unchanged: total - fresh.length })
          .execute();
        await t.commit().execute();
        ended = true;
        return fresh.length;
      } catch (error) {
        if (!ended && trx) await rollBack(trx);
        ended = true;
        throw error;
      }
    },
  };
}
