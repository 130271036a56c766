import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BusyError } from "./heavy-gate.js";
import { isStoreBusy, whileBusy } from "./store-busy.js";

/**
 * A real SQLite file in rollback-journal mode, where a writer's exclusive lock does block readers: one connection
 * holds `BEGIN EXCLUSIVE` with a write, the other reads without SQLite's own wait (busy_timeout 0).
 */
describe("whileBusy over a file another connection holds locked", () => {
  let dir: string;
  let writer: Database.Database;
  let reader: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "infermark-busy-"));
    const file = join(dir, "locked.db");
    writer = new Database(file);
    writer.pragma("journal_mode = DELETE");
    writer.exec("create table t (x); insert into t values (1)");
    reader = new Database(file);
    reader.pragma("busy_timeout = 0");
    writer.exec("BEGIN EXCLUSIVE; insert into t values (2)");
  });
  afterEach(() => {
    reader.close();
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const count = async () => reader.prepare("select count(*) as n from t").get() as { n: number };

  it("answers 503 with Retry-After once the lock outlasts the wait", async () => {
    const refused = await whileBusy(count, 100, "reading").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BusyError);
    expect(refused).toMatchObject({
      status: 503,
      headers: { "retry-after": "5" },
      message:
        "the store is locked by another process (an ingest, a sweep, a migration or a db command) and stayed locked 0.1 s while reading; retry in 5 s",
    });
    // the writer was not disturbed: its transaction commits
    writer.exec("COMMIT");
    expect(await count()).toEqual({ n: 2 });
  });

  it("answers once the writer commits within the wait", async () => {
    setTimeout(() => writer.exec("COMMIT"), 100);
    expect(await whileBusy(count, 5_000, "reading")).toEqual({ n: 2 });
  });

  it("tells SQLite's lock errors, in a cause chain too, from other errors", async () => {
    const busy = await count().catch((e: unknown) => e);
    expect(isStoreBusy(busy)).toBe(true);
    expect(isStoreBusy(new Error("wrapped", { cause: busy }))).toBe(true);
    expect(isStoreBusy(new Error("no such table: t2"))).toBe(false);
    await expect(
      whileBusy(() => Promise.reject(new Error("other")), 5_000, "reading"),
    ).rejects.toThrow("other");
  });
});
