import type Database from "better-sqlite3";
import type { IngestLogStub, Read, ReadRows, RowChunk } from "../types.js";
import type { SqliteIngest } from "./sqlite-ingest.js";

/** Runs reads on a connection: each one's rows, none for a statement that returns none (a temporary table's). */
export function runReads(database: Database.Database, reads: readonly Read[]): ReadRows[] {
  return reads.map((r) => {
    const statement = database.prepare(r.sql);
    if (statement.reader) return statement.all(...r.parameters) as ReadRows;
    statement.run(...r.parameters);
    return [];
  });
}

/**
 * One ingest's transaction on a better-sqlite3 connection, step by step, as the writer thread and the main
 * connection both drive it. The caller has begun it with `BEGIN IMMEDIATE`, which takes the file's write lock:
 * the reads see what the transaction will commit over. A step that fails rolls the transaction back; the steps
 * after it do nothing, and `commit` throws that error.
 */
export class SqliteTransaction {
  private failure: Error | undefined;

  constructor(
    private readonly database: Database.Database,
    private readonly ingest: SqliteIngest,
  ) {}

  /** Runs reads inside the transaction (`runReads`); an error rolls it back and is thrown. */
  read(reads: readonly Read[]): ReadRows[] {
    try {
      return runReads(this.database, reads);
    } catch (error) {
      this.fail(error);
      throw error;
    }
  }

  /** Records that the transaction failed (its begin, a read), rolling back what it did; `commit` throws it. */
  fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
    this.rollback();
  }

  /** Takes out the stored points `replaces` names and starts the ingest (`SqliteIngest.start`). */
  start(replaces: readonly string[]): void {
    this.step(() => this.ingest.start(replaces));
  }

  write(chunk: RowChunk): void {
    this.step(() => this.ingest.write(chunk));
  }

  /** Finishes the ingest and commits; returns how many points were new. Throws the first failure. */
  commit(log: IngestLogStub, total: number): number {
    if (this.failure) throw this.failure;
    try {
      const inserted = this.ingest.finish(log, total);
      this.database.exec("COMMIT");
      return inserted;
    } catch (error) {
      this.fail(error);
      throw error;
    }
  }

  rollback(): void {
    if (this.database.inTransaction) this.database.exec("ROLLBACK");
  }

  private step(run: () => void): void {
    if (this.failure) return;
    try {
      run();
    } catch (error) {
      this.fail(error);
    }
  }
}
