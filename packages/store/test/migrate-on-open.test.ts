import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS, openStore, type Store } from "../src/index.js";
import { DIALECTS, makePoint, migrateDownTo, schemaOf, type TestDatabase } from "./helpers.js";

const migrated = async (store: Store) =>
  (
    await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db)
  ).rows.map((r) => r.name);

for (const dialect of DIALECTS) {
  describe.skipIf(dialect.skip)(`opening an older ${dialect.name} store`, () => {
    let target: TestDatabase;
    beforeEach(async () => {
      target = await dialect.create();
    });
    afterEach(async () => {
      await target.cleanup();
    });

    it("a migration that fails leaves the store as it was: the next open fails the same way, and migrates once the cause is gone", async () => {
      const store = await openStore(target.url);
      const session = makePoint({ concurrency: 8 });
      session.config.workload = { kind: "session", isl: 1024, osl: 1024, turns: 4 } as never;
      await store.ingest([makePoint({ concurrency: 4 }), session]);
      const url = target.url;
      const schema = dialect.name === "postgres" ? schemaOf(url) : undefined;
      const down = await migrateDownTo(store, url, "0002-point-groups");
      expect(down.error).toBeUndefined();
      // a point whose JSON 0003 cannot read (it reads the kind of every point not plainly random)
      const json = (await store.db.selectFrom("points").select(["id", "json"]).execute()).find(
        (r) => r.json.includes('"session"'),
      )!;
      await sql`update points set json = ${json.json.slice(0, 40)} where id = ${json.id}`.execute(
        store.db,
      );
      await store.close();
      const failure =
        /^database migration 0003-workload-kind failed: (Unexpected end of JSON input|Unterminated string in JSON .*)$/;
      await expect(openStore(url)).rejects.toThrow(failure);
      // before SQLite's migrations ran in one transaction, 0003's added column stayed, and every later open
      // failed with `database migration 0003-workload-kind failed: duplicate column name: workload`
      await expect(openStore(url)).rejects.toThrow(failure);
      const repair = rawDatabase(url, schema);
      await sql`update points set json = ${json.json} where id = ${json.id}`.execute(repair);
      await repair.destroy();
      const again = await openStore(url);
      try {
        expect(await migrated(again)).toEqual(Object.keys(MIGRATIONS));
        const kinds = await again.db.selectFrom("points").select("workload").execute();
        expect(kinds.map((k) => k.workload).sort()).toEqual(["random", "session x4"]);
        expect((await again.listGroups({})).map((g) => [g.workload, g.points])).toEqual([
          ["random", 1],
          ["session x4", 1],
        ]);
      } finally {
        await again.close();
      }
      // four opens and a repair: seconds on a loaded CI machine
    }, 30_000);
  });
}

/**
 * The database at `url` through Kysely alone, without opening it as a store (which would migrate it): the SQLite file,
 * or the PostgreSQL schema of the URL's search_path, for a repair by hand.
 */
function rawDatabase(url: string, schema: string | undefined): Kysely<unknown> {
  if (schema === undefined)
    return new Kysely({ dialect: new SqliteDialect({ database: new Database(url) }) });
  return new Kysely({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
  });
}
