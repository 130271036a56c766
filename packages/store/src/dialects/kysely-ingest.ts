import { type Kysely, sql } from "kysely";
import { newestPerLevel } from "../latest-points.js";
import { groupsOf } from "../point-groups.js";
import { pointRowOf } from "../point-row.js";
import { replaceStatements } from "../replace-points.js";
import type { StoreDatabase } from "../schema.js";
import type { IngestSink, Row, RowChunk, WriterOf } from "./types.js";

/**
 * An ingest transaction that collects its chunks and writes them at commit, in one Kysely transaction with
 * a dialect's BatchWriter (the PostgreSQL path): the stored points it replaces out, then runs, configurations,
 * points (`insertIgnore` tells new from stored), details of the new points, `latest_points` and `point_groups`
 * from the new points, the log.
 */
export function kyselySink(
  db: Kysely<StoreDatabase>,
  writerOf: WriterOf,
  replaces: readonly string[] = [],
): IngestSink {
  const chunks: RowChunk[] = [];
  return {
    write(chunk) {
      chunks.push(chunk);
    },
    async abort() {
      chunks.length = 0;
    },
    commit(log, total) {
      const all = <K extends keyof RowChunk>(k: K): RowChunk[K] =>
        chunks.flatMap((c) => c[k] as unknown[]) as RowChunk[K];
      const points = all("points").map(pointRowOf);
      return db.transaction().execute(async (trx) => {
        for (const statement of replaceStatements(replaces)) await sql.raw(statement).execute(trx);
        const writer = writerOf(trx);
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
        await trx
          .insertInto("ingest_log")
          .values({ ...log, inserted: fresh.length, unchanged: total - fresh.length })
          .execute();
        return fresh.length;
      });
    },
  };
}
