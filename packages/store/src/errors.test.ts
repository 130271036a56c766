import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { writeFailed } from "./errors.js";

describe("writeFailed", () => {
  it("words SQLite's busy error: another process held the write lock past the busy timeout", () => {
    const dir = mkdtempSync(join(tmpdir(), "infermark-busy-"));
    const holder = new Database(join(dir, "x.db"));
    const waiter = new Database(join(dir, "x.db"), { timeout: 0 });
    try {
      holder.exec("BEGIN IMMEDIATE");
      let busy: unknown;
      try {
        waiter.exec("BEGIN IMMEDIATE");
      } catch (error) {
        busy = error;
      }
      expect((busy as { code?: string }).code).toBe("SQLITE_BUSY");
      const failed = writeFailed(busy);
      expect([failed.fault, failed.message]).toEqual([
        "database",
        "database write failed, nothing written: database is locked: another process held its write lock (one writer at a time) for over 60 s; try again when it is done, or use PostgreSQL for many writers at once",
      ]);
    } finally {
      holder.close();
      waiter.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
