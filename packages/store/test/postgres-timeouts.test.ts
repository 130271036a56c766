import { sql } from "kysely";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS, openStore, type StoreOptions } from "../src/index.js";
import { DIALECTS, makePoint, migrateDownTo, schemaOf, type TestDatabase } from "./helpers.js";

const postgres = DIALECTS.find((d) => d.name === "postgres")!;

/** Reads wait 0.3 s for a lock and run 1 s at most; writes wait 10 s for a lock. */
const TIMEOUTS: StoreOptions["postgresTimeouts"] = {
  read: { lockMs: 300, statementMs: 1_000 },
  write: { lockMs: 10_000, statementMs: 20_000 },
};

/** The SQLSTATE of a failed call (through its cause chain), or "ok". */
async function outcome(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return "ok";
  } catch (error) {
    for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as never)
      if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    throw error;
  }
}

describe.skipIf(postgres.skip)("a PostgreSQL store opened with postgresTimeouts", () => {
  let target: TestDatabase;
  let locker: pg.Client;
  beforeEach(async () => {
    target = await postgres.create();
    const store = await openStore(target.url);
    await store.ingest([makePoint({ concurrency: 1 })]);
    await store.close();
    locker = new pg.Client({ connectionString: target.url });
    await locker.connect();
  });
  afterEach(async () => {
    await locker.end();
    await target.cleanup();
  });
  /** Another connection takes ACCESS EXCLUSIVE on `points` (as LOCK TABLE, ALTER TABLE, VACUUM FULL do). */
  const lockPoints = async () => {
    await locker.query("begin");
    await locker.query("lock table points in access exclusive mode");
  };

  it("a read waiting on a lock fails with 55P03, one running too long with 57014; the default store keeps the server's settings", async () => {
    const plain = await openStore(target.url);
    const bounded = await openStore(target.url, { postgresTimeouts: TIMEOUTS });
    try {
      const settings = async (db: typeof plain.db) =>
        (
          await sql<{
            lock: string;
            statement: string;
          }>`select current_setting('lock_timeout') as lock, current_setting('statement_timeout') as statement`.execute(
            db,
          )
        ).rows[0];
      expect(await settings(plain.db)).toEqual({ lock: "0", statement: "0" });
      expect(await settings(bounded.db)).toEqual({ lock: "300ms", statement: "1s" });
      expect(await outcome(() => sql`select pg_sleep(2)`.execute(bounded.db))).toBe("57014");
      await lockPoints();
      expect(await outcome(() => bounded.queryPoints())).toBe("55P03");
      expect(await outcome(() => bounded.getPoint("x"))).toBe("55P03");
      await locker.query("rollback");
      expect(await bounded.queryPoints()).toHaveLength(1);
    } finally {
      await plain.close();
      await bounded.close();
    }
  });

  it("a write waits for a lock as long as its own bound, longer than a read's", async () => {
    const bounded = await openStore(target.url, { postgresTimeouts: TIMEOUTS });
    try {
      await lockPoints();
      const release = setTimeout(() => void locker.query("rollback"), 1_500);
      const result = await bounded.ingest([makePoint({ concurrency: 2 })]);
      clearTimeout(release);
      expect(result.inserted).toBe(1);
      // after the write's transaction, its connection is a read's again
      await lockPoints();
      expect(await outcome(() => bounded.queryPoints())).toBe("55P03");
      await locker.query("rollback");
    } finally {
      await bounded.close();
    }
  });

  it("migrations on open run without the bounds: one waiting longer than a read would still runs", async () => {
    const store = await openStore(target.url);
    const down = await migrateDownTo(store, target.url, "0002-point-groups");
    expect(down.error).toBeUndefined();
    await store.close();
    // 0003 alters `points`: it waits for this lock, 1.5 s, five times a read's bound
    await locker.query("begin");
    await locker.query("select count(*) from points");
    const release = setTimeout(() => void locker.query("rollback"), 1_500);
    const opened = await openStore(target.url, { postgresTimeouts: TIMEOUTS });
    clearTimeout(release);
    try {
      const names = await sql<{
        name: string;
      }>`select name from kysely_migration order by name`.execute(opened.db);
      expect(names.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
      // and reads are bounded again afterwards
      expect(await outcome(() => sql`select pg_sleep(2)`.execute(opened.db))).toBe("57014");
    } finally {
      await opened.close();
    }
  });

  it("a new schema first on the search_path, before a migrated store's, is migrated on open, not read as that store", async () => {
    // schema `fresh`, empty, ahead of the test's store (one point) on the search_path: the default of PostgreSQL 15
    // (`"$user", public`) with a role's own schema made empty beside an older store in public
    const fresh = `${schemaOf(target.url)}_fresh`;
    await locker.query(`create schema ${fresh}`);
    const url = new URL(target.url);
    url.searchParams.set("options", `-c search_path=${fresh},${schemaOf(target.url)}`);
    try {
      // the ui's open (as the first in that schema); `infermark ingest`'s, without bounds, always migrated it
      const store = await openStore(url.toString(), { postgresTimeouts: TIMEOUTS });
      try {
        const own = await sql<{
          n: number;
        }>`select count(*)::int as n from information_schema.tables where table_schema = ${fresh} and table_name = 'points'`.execute(
          store.db,
        );
        // its own tables, empty: not the other store's point
        expect([own.rows[0]!.n, (await store.queryPoints()).length]).toEqual([1, 0]);
      } finally {
        await store.close();
      }
    } finally {
      await locker.query(`drop schema ${fresh} cascade`);
    }
  });
});
