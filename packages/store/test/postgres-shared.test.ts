import type { PointResult } from "@infermark/core";
import { sql } from "kysely";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IngestError, openStore, type Store } from "../src/index.js";
import { DIALECTS, makePoint, type TestDatabase } from "./helpers.js";

const postgres = DIALECTS.find((d) => d.name === "postgres")!;

/** The first key of the store's write lock (docs/store.md, "One writer at a time where it matters"). */
const WRITE_LOCK = 0x696e666d;

/** `n` points of one run and configuration, one load level each (concurrency `from` on). */
const levels = (n: number, from = 1): PointResult[] =>
  Array.from({ length: n }, (_, i) => makePoint({ concurrency: from + i }));

const count = async (store: Store, table: string) =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(store.db))
      .rows[0]!.n,
  );

/** Runs `statement` on its own connection to the test database (outside any store). */
async function onServer<T extends pg.QueryResultRow>(
  url: string,
  statement: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(statement, values)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(postgres.skip)("a PostgreSQL store that several writers share", () => {
  let target: TestDatabase;
  let url: string;
  beforeEach(async () => {
    target = await postgres.create();
    url = target.url;
  });
  afterEach(async () => {
    await target.cleanup();
  });

  it("two ingests of the same points in opposite orders both commit: no deadlock", async () => {
    // their run and configuration stored before, so that neither waits for the other at its first row
    const seed = await openStore(url);
    await seed.ingest(levels(1, 10_000));
    await seed.close();
    const points = levels(3_000);
    const a = await openStore(url);
    const b = await openStore(url);
    // a third connection holds the write lock, so that both ingests begin their writes at the same moment
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query("begin");
      await admin.query("select pg_advisory_xact_lock($1, hashtext(current_schema()))", [
        WRITE_LOCK,
      ]);
      const both = Promise.allSettled([a.ingest(points), b.ingest([...points].reverse())]);
      // both wait on the lock: each has its transaction open
      for (let waiting = 0; waiting < 2; ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const rows = await admin.query<{ n: string }>(
          "select count(*) as n from pg_locks where locktype = 'advisory' and not granted and objid = hashtext(current_schema())::oid",
        );
        waiting = Number(rows.rows[0]!.n);
      }
      await admin.query("commit");
      const outcomes = await both;
      // each point was new to one of them: before the rows were written in key order, the points' multi-row
      // inserts (1,500 rows a statement) met in the middle and PostgreSQL failed one with "deadlock detected"
      expect(outcomes.map((o) => (o.status === "fulfilled" ? "ok" : String(o.reason)))).toEqual([
        "ok",
        "ok",
      ]);
      const [ra, rb] = outcomes.map((o) => (o.status === "fulfilled" ? o.value.inserted : -1));
      expect(ra! + rb!).toBe(3_000);
      expect(await count(a, "points")).toBe(3_001);
      expect(await count(a, "latest_points")).toBe(3_001);
      const groups = await a.listGroups({});
      expect(groups.map((g) => g.points)).toEqual([3_001]);
    } finally {
      await admin.end();
      await a.close();
      await b.close();
    }
  });

  it("a connection the server ends mid-ingest: nothing of the batch is written, one error, the store goes on", async () => {
    const named = new URL(url);
    const application = `infermark-test-${process.pid}`;
    named.searchParams.set("application_name", application);
    const store = await openStore(named.toString());
    try {
      await store.ingest(levels(1, 100_000), { path: "before.jsonl" });
      // a batch large enough that its points' inserts are running when the server ends the connection
      const ingest = store.ingest(levels(20_000), { path: "large.jsonl" });
      let terminated = 0;
      const watch = (async () => {
        while (terminated === 0) {
          const rows = await onServer<{ ok: boolean }>(
            url,
            `select pg_terminate_backend(pid) as ok from pg_stat_activity
             where application_name = $1 and state = 'active' and query like 'insert into "points"%'`,
            [application],
          );
          terminated = rows.length;
          if (terminated === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      // before the pool listened for a checked-out client's errors, the connection's end came as an 'error'
      // event without a listener, which ended the process (vitest reports it as an unhandled error)
      const error = await ingest.then(
        () => undefined,
        (e: unknown) => e,
      );
      await watch;
      expect(terminated).toBe(1);
      expect(error).toBeInstanceOf(IngestError);
      expect((error as IngestError).fault).toBe("database");
      expect((error as Error).message).toBe(
        "database write failed, nothing written: terminating connection due to administrator command",
      );
      // nothing of the batch: no point, run, configuration, group, latest point or log row
      expect(await count(store, "points")).toBe(1);
      expect(await count(store, "configurations")).toBe(1);
      expect(await count(store, "latest_points")).toBe(1);
      expect((await store.listGroups({})).map((g) => g.points)).toEqual([1]);
      // the next writes get a new connection: the rejection is logged and the batch goes in whole
      await store.recordRejection({ path: "large.jsonl" }, "the connection was ended");
      expect((await store.ingest(levels(20_000), { path: "large.jsonl" })).inserted).toBe(20_000);
      expect(await count(store, "points")).toBe(20_001);
      expect(
        (
          await store.db.selectFrom("ingest_log").select(["path", "status"]).orderBy("at").execute()
        ).map((r) => `${r.path} ${r.status}`),
      ).toEqual(["before.jsonl ok", "large.jsonl rejected", "large.jsonl ok"]);
    } finally {
      await store.close();
    }
  });
});
