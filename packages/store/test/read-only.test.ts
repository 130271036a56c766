import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IngestError, openStore, pointId, StoreOpenError } from "../src/index.js";
import { makePoint } from "./helpers.js";
import { makeReadOnly, type ReadOnlyFolder } from "./read-only-folder.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository root (where `tsx` resolves) and the script that runs one store operation as another user. */
const REPO = join(HERE, "../../..");
const STORE_AS_USER = join(HERE, "fixtures/store-as-user.ts");

// SQLite only: a PostgreSQL server's files are the server's, and a read-only role is tested in store.test.ts
describe("an SQLite store in a folder this user cannot write", () => {
  let dir: string;
  let folder: string;
  let db: string;
  let readOnly: ReadOnlyFolder | undefined;
  const RUN = "https://github.com/o/r/actions/runs/7";
  const linked = (concurrency: number, rich: boolean) => {
    const p = makePoint({ concurrency, source: "imported" });
    p.run.ciUrl = RUN;
    if (rich) p.metrics.itl = { median: 0.02, p99: 0.03 };
    return p;
  };
  const points = [linked(4, true), linked(4, false), linked(8, true)];
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "infermark-store-ro-"));
    folder = join(dir, "ro");
    mkdirSync(folder);
    db = join(folder, "x.db");
    const store = await openStore(db);
    await store.ingest(points);
    await store.close();
    readOnly = undefined;
  });
  afterEach(() => {
    readOnly?.undo();
    rmSync(dir, { recursive: true, force: true });
  });
  const lock = (ctx: { skip(note?: string): void }) => {
    readOnly = makeReadOnly(folder);
    if (readOnly.skip) ctx.skip(readOnly.skip);
  };

  it("answers queries, makes no file beside it, and refuses every write with the read-only line", async (ctx) => {
    expect(readdirSync(folder)).toEqual(["x.db"]); // closed cleanly: no log left
    const bytes = statSync(db).size;
    lock(ctx);
    const store = await openStore(db, { create: false });
    try {
      expect((await store.queryPoints()).map((s) => s.id).sort()).toEqual(
        points.map(pointId).sort(),
      );
      expect((await store.listGroups()).map((g) => g.points)).toEqual([3]);
      expect(await store.getPoint(pointId(points[2]!))).toMatchObject({ point: points[2] });
      // a dry run of removeDuplicates only reads: it counts the poor copy
      const dry = await store.removeDuplicates(
        (candidates) =>
          candidates
            .filter((c) => !c.point.metrics.itl)
            .map((c) => ({ id: c.id, keptId: pointId(points[0]!) })),
        { dryRun: true },
      );
      expect(dry.removed).toEqual([{ id: pointId(points[1]!), keptId: pointId(points[0]!) }]);

      const refused =
        /^database write failed, nothing written: the database is read-only for this user \(opened read-only, as .*x\.db or its folder is not writable\): give it write access to the file and its folder, or open another database$/;
      await expect(store.ingest([makePoint({ concurrency: 64 })])).rejects.toThrow(refused);
      await expect(store.ingest([makePoint({ concurrency: 64 })])).rejects.toThrow(IngestError);
      await expect(store.recordRejection({ path: "a.json" }, "x")).rejects.toThrow(refused);
      await expect(
        store.removeDuplicates(() => [{ id: pointId(points[1]!), keptId: pointId(points[0]!) }]),
      ).rejects.toThrow(refused);
      expect(await store.queryPoints()).toHaveLength(3);
    } finally {
      await store.close();
    }
    expect(readdirSync(folder)).toEqual(["x.db"]);
    expect(statSync(db).size).toBe(bytes);
  });

  it("a reader that stays open sees what the owner stores later (immutable: opened again after the file changed)", async (ctx) => {
    lock(ctx);
    const reader = await openStore(db, { create: false });
    try {
      expect(readdirSync(folder)).toEqual(["x.db"]); // immutable: no side file
      expect(await reader.queryPoints()).toHaveLength(3);
      // the owner writes (here: write access given back for the moment, as the owner has it)
      readOnly?.undo();
      const owner = await openStore(db);
      await owner.ingest([makePoint({ concurrency: 64 }), makePoint({ concurrency: 128 })]);
      await owner.close();
      lock(ctx);
      // before: 3, an immutable connection reading the changed file as if it had not changed
      expect(await reader.queryPoints()).toHaveLength(5);
      expect((await reader.listGroups()).map((g) => g.points).sort()).toEqual([2, 3]);
      expect(readdirSync(folder)).toEqual(["x.db"]);
      await expect(reader.ingest([makePoint({ concurrency: 256 })])).rejects.toThrow(IngestError);
    } finally {
      await reader.close();
    }
  });

  it("says in one line that a log holding changes cannot be read, rather than miss them", async (ctx) => {
    // another connection's write, not yet copied into the file (no checkpoint), as a crash leaves it
    const writer = new Database(db);
    writer.pragma("wal_autocheckpoint = 0");
    writer.exec("delete from ingest_log");
    const copy = join(dir, "copy");
    mkdirSync(copy);
    copyFileSync(db, join(copy, "x.db"));
    copyFileSync(`${db}-wal`, join(copy, "x.db-wal"));
    writer.close();
    expect(statSync(join(copy, "x.db-wal")).size).toBeGreaterThan(32);
    folder = copy;
    lock(ctx);
    const error = await openStore(join(copy, "x.db"), { create: false }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toBe(
      `cannot read ${join(copy, "x.db")}: its write-ahead log ${join(copy, "x.db-wal")} holds changes not yet copied into it, which SQLite reads only with a -shm file beside it that this user can read (unable to open database file); open it once with write access to the file and its folder (any infermark command copies the log in on closing), or copy the file and its -wal to a writable folder`,
    );
  });

  it("a reader that cannot write the file leaves nothing beside it that the owner then cannot write", async (ctx) => {
    // two users: the store's owner (daemon, uid 1) and a reader (nobody); switching users needs root
    if (process.getuid?.() !== 0)
      return ctx.skip("needs root, to run the owner and the reader as other users");
    const shared = join(dir, "shared");
    mkdirSync(shared);
    chmodSync(dir, 0o755);
    chmodSync(shared, 0o1777); // a folder both may write, as /tmp
    const store = join(shared, "s.db");
    const as = (uid: number, ...args: string[]) =>
      spawnSync(
        process.execPath,
        ["--conditions=infermark-source", "--import", "tsx", STORE_AS_USER, ...args],
        { uid, gid: uid, cwd: REPO, encoding: "utf8" },
      );
    const OWNER = 1;
    const READER = 65534;
    expect(as(OWNER, "ingest", store, "4").stdout.trim()).toBe("1");
    // the reader's open: before, it went through a read-write open that made s.db-wal and s.db-shm as the reader
    const read = as(READER, "count", store);
    expect([read.status, read.stdout.trim(), read.stderr]).toEqual([0, "1", ""]);
    expect(readdirSync(shared)).toEqual(["s.db"]);
    // so the owner's next ingest works (it failed: "attempt to write a readonly database")
    const write = as(OWNER, "ingest", store, "8");
    expect([write.status, write.stdout.trim(), write.stderr]).toEqual([0, "1", ""]);
    expect(as(READER, "count", store).stdout.trim()).toBe("2");
  });

  it("names the migrations a store written by an older infermark needs, which it cannot run", async (ctx) => {
    const store = await openStore(db);
    await sql`delete from kysely_migration where name = '0005-total-gpus-on-both-sides'`.execute(
      store.db,
    );
    await store.close();
    lock(ctx);
    await expect(openStore(db, { create: false })).rejects.toThrow(
      /^the database needs migration 0005-total-gpus-on-both-sides before this infermark can read it, which writes to it, and it was opened read-only, as .*x\.db or its folder is not writable: open it once with write access to the file and its folder$/,
    );
  });
});

// The store turns SQLite's URI file names on for `?immutable=1` (connection.ts, `newDatabase`); a path is still a path
describe("an SQLite store whose relative path starts with file:", () => {
  let dir: string;
  const cwd = process.cwd();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "infermark-store-uri-"));
    process.chdir(dir);
  });
  afterEach(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it("is the file of that name, not a URI (file:x.db opened x.db, and a store at file:x.db read as empty)", async () => {
    const point = makePoint({ concurrency: 4 });
    const store = await openStore("file:x.db");
    await store.ingest([point]);
    await store.close();
    expect(readdirSync(dir)).toEqual(["file:x.db"]);
    const again = await openStore("file:x.db", { create: false });
    try {
      expect((await again.queryPoints()).map((s) => s.id)).toEqual([pointId(point)]);
    } finally {
      await again.close();
    }
    expect(readdirSync(dir)).toEqual(["file:x.db"]);
  });
});
