import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** A fresh, empty database for one test: its URL as the CLI's `--db` takes it, and how to remove it. */
export interface StoreTarget {
  url: string;
  cleanup(): Promise<void>;
}

/** One database kind the CLI's store commands are tested over. */
export interface StoreTargetKind {
  name: "sqlite" | "postgres";
  /** Why the kind is skipped here, or undefined when it runs. */
  skip?: string;
  create(): Promise<StoreTarget>;
}

/** The test PostgreSQL server (.ci/setup-postgres.sh prints its URL). */
const PG_URL = process.env.INFERMARK_TEST_PG_URL;
const PG_REQUIRED = process.env.INFERMARK_SYSTEM_TESTS === "required";
let schemas = 0;

/** Runs one statement on the test PostgreSQL server, outside any store. */
async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A new SQLite file in its own folder, and a new schema of the test PostgreSQL server (named in the URL's
 * search_path, dropped afterwards). PostgreSQL is skipped, with the reason, when INFERMARK_TEST_PG_URL is
 * unset, unless INFERMARK_SYSTEM_TESTS=required, where its tests fail instead.
 * @example for (const kind of STORE_TARGETS) describe.skipIf(kind.skip)(kind.name, ...)
 */
export const STORE_TARGETS: readonly StoreTargetKind[] = [
  {
    name: "sqlite",
    async create() {
      const dir = await mkdtemp(join(tmpdir(), "infermark-cli-db-"));
      return {
        url: join(dir, "store.db"),
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: "postgres",
    skip:
      PG_URL || PG_REQUIRED
        ? undefined
        : "INFERMARK_TEST_PG_URL is not set (run .ci/setup-postgres.sh and export the URL it prints)",
    async create() {
      if (!PG_URL)
        throw new Error("INFERMARK_SYSTEM_TESTS=required but INFERMARK_TEST_PG_URL is not set");
      const schema = `cli_${process.pid}_${Date.now().toString(36)}_${schemas++}`;
      await onServer(`CREATE SCHEMA ${schema}`);
      const url = new URL(PG_URL);
      url.searchParams.set("options", `-c search_path=${schema}`);
      return { url: url.toString(), cleanup: () => onServer(`DROP SCHEMA ${schema} CASCADE`) };
    },
  },
];
