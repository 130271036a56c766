import { spawn } from "node:child_process";
import { once } from "node:events";
import { PointResult } from "@infermark/core";
import { openStore, type Store } from "@infermark/store";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startUiServer } from "../src/ui/api-server.js";
import { pointJson, REPO_ROOT } from "./helpers.js";
import { STORE_TARGETS } from "./store-targets.js";

/**
 * A write through the API that waits on the store longer than the connection's stall timeout: the server is silent
 * meanwhile, and that silence is its own, not the client's (docs/dashboard.md, "Serving a team"). The durations are
 * short here (a 1 s stall timeout, a 10 s lock bound) for the production ones (120 s, 60 s + 90 s).
 */

const STALL_MS = 1_000;

/** What a client of `POST /api/points` heard: the status, Retry-After and body, or that the connection closed. */
async function post(base: string, concurrency: number) {
  try {
    const res = await fetch(new URL("api/points", base), {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify([PointResult.parse(pointJson(concurrency))]),
      signal: AbortSignal.timeout(30_000),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get("retry-after"),
      body: await res.json(),
    };
  } catch (error) {
    return `no answer (${(error as Error).name})`;
  }
}

/** How many points and ingests the store holds. */
async function stored(store: Store) {
  const count = async (table: "points" | "ingest_log") =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { points: await count("points"), ingests: await count("ingest_log") };
}

/** The store's write lock (open-postgres.ts: the advisory lock every ingest takes, shared or exclusive). */
const PG_WRITE_LOCK = "select pg_advisory_xact_lock(1768842861, hashtext(current_schema()))";

const postgres = STORE_TARGETS.find((kind) => kind.name === "postgres")!;
const sqlite = STORE_TARGETS.find((kind) => kind.name === "sqlite")!;

describe.skipIf(postgres.skip)("infermark ui: a write that waits on a PostgreSQL lock", () => {
  const serve = async () => {
    const target = await postgres.create();
    const store = await openStore(target.url, {
      postgresTimeouts: {
        read: { lockMs: 3_000, statementMs: 60_000 },
        write: { lockMs: 10_000, statementMs: 90_000 },
      },
    });
    const ui = await startUiServer({
      store,
      port: 0,
      warm: false,
      token: "t",
      stallTimeoutMs: STALL_MS,
    });
    const locker = new pg.Client({ connectionString: target.url });
    await locker.connect();
    await locker.query("begin");
    await locker.query(PG_WRITE_LOCK);
    return {
      ui,
      store,
      /** Lets go of the lock after `ms`. */
      releaseAfter: (ms: number) => setTimeout(() => void locker.query("rollback"), ms),
      close: async () => {
        await locker.end();
        await ui.close();
        await store.close();
        await target.cleanup();
      },
    };
  };

  it("answers 200 with the ingest result when the lock goes within the write's bound, however long past the stall timeout", async () => {
    const s = await serve();
    try {
      s.releaseAfter(3 * STALL_MS);
      expect(await post(s.ui.url, 1)).toMatchObject({ status: 200, body: { inserted: 1 } });
      expect(await stored(s.store)).toEqual({ points: 1, ingests: 1 });
    } finally {
      await s.close();
    }
  }, 60_000);

  it("answers 503 with Retry-After, and writes nothing, when the lock outlasts the write's bound", async () => {
    const s = await serve();
    try {
      const release = s.releaseAfter(20_000);
      const answer = await post(s.ui.url, 1);
      clearTimeout(release);
      expect(answer).toMatchObject({ status: 503, retryAfter: "5" });
      expect((answer as { body: { error: string } }).body.error).toMatch(
        /^the store is locked by another process .* while writing; retry in 5 s$/,
      );
      expect(await stored(s.store)).toEqual({ points: 0, ingests: 0 });
    } finally {
      await s.close();
    }
  }, 60_000);
});

describe("infermark ui: a write that waits on another process's SQLite write lock", () => {
  it("answers 200 with the ingest result when the lock goes, however long past the stall timeout", async () => {
    const target = await sqlite.create();
    await (await openStore(target.url)).close();
    // another process holds the write lock (BEGIN EXCLUSIVE, as a long ingest does) until told on stdin
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("better-sqlite3"))(process.argv[1]);
         db.exec("BEGIN EXCLUSIVE"); process.stdout.write("locked\\n");
         process.stdin.once("data", () => { db.exec("COMMIT"); db.close(); });`,
        target.url,
      ],
      { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"] },
    );
    await once(holder.stdout, "data");
    const store = await openStore(target.url, { busyTimeoutMs: 0 });
    const ui = await startUiServer({
      store,
      port: 0,
      warm: false,
      token: "t",
      stallTimeoutMs: STALL_MS,
    });
    try {
      const release = setTimeout(() => holder.stdin.end("go\n"), 3 * STALL_MS);
      const answer = await post(ui.url, 1);
      clearTimeout(release);
      expect(answer).toMatchObject({ status: 200, body: { inserted: 1 } });
      expect(await stored(store)).toEqual({ points: 1, ingests: 1 });
    } finally {
      holder.kill();
      await ui.close();
      await store.close();
      await target.cleanup();
    }
  }, 60_000);
});
