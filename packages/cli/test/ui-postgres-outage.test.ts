import { connect, createServer, type Server, type Socket } from "node:net";
import { PointResult } from "@infermark/core";
import { openStore } from "@infermark/store";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUiServer } from "../src/ui/api-server.js";
import { pointJson, startUiCli } from "./helpers.js";
import { STORE_TARGETS, type StoreTarget } from "./store-targets.js";

const postgres = STORE_TARGETS.find((kind) => kind.name === "postgres")!;

/** What a client is told of a read blocked by another connection's lock (docs/dashboard.md, "Serving a team"). */
const LOCKED =
  "the store is locked by another process (an ingest, a sweep, a migration or a db command) and stayed locked 3 s while reading; retry in 5 s";
const UNREACHABLE =
  "the store's database server could not be reached, or ended the connection, while reading; retry in 5 s";

/** Status, Retry-After and body of a GET; "no answer" when none came within `ms` (an unbounded wait). */
async function answer(base: string, path: string, ms = 30_000) {
  try {
    const res = await fetch(new URL(path, base), { signal: AbortSignal.timeout(ms) });
    return {
      status: res.status,
      retryAfter: res.headers.get("retry-after"),
      body: await res.json(),
    };
  } catch {
    return "no answer";
  }
}

/** A TCP relay to the test server: stopping it ends every relayed connection and refuses new ones. */
function relay(to: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  return {
    async start() {
      server = createServer((inbound) => {
        const outbound = connect(Number(to.port || 5432), to.hostname);
        for (const s of [inbound, outbound]) {
          sockets.add(s);
          s.on("error", () => s.destroy());
          s.on("close", () => sockets.delete(s));
        }
        inbound.pipe(outbound).pipe(inbound);
      });
      await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
      return port;
    },
    async stop() {
      const closed = new Promise((resolve) => server!.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

describe.skipIf(postgres.skip)(
  "infermark ui over a PostgreSQL store that is locked or goes away",
  () => {
    let target: StoreTarget;
    let ids: string[];
    /** The test database's URL with the ui's connections named, to find them in pg_stat_activity. */
    const named = (url: string, name: string) => {
      const u = new URL(url);
      u.searchParams.set("application_name", name);
      return u.toString();
    };
    const admin = async <T extends pg.QueryResultRow>(
      statement: string,
      values: unknown[] = [],
    ) => {
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      try {
        return (await client.query<T>(statement, values)).rows;
      } finally {
        await client.end();
      }
    };

    beforeAll(async () => {
      target = await postgres.create();
      const store = await openStore(target.url);
      const points = Array.from({ length: 12 }, (_, i) => PointResult.parse(pointJson(i + 1)));
      ({ ids } = await store.ingest(points, { kind: "ingest", path: "test" }));
      await store.close();
    }, 60_000);
    afterAll(async () => {
      await target?.cleanup();
    });

    it("a read blocked by an ACCESS EXCLUSIVE lock answers 503 with Retry-After while the lock is held; its connection is freed", async () => {
      const ui = await startUiCli(["--db", named(target.url, "ui-locked")]);
      const locker = new pg.Client({ connectionString: target.url });
      await locker.connect();
      try {
        expect((await answer(ui.url, `api/points/${ids[0]}`)) as { status: number }).toMatchObject({
          status: 200,
        });
        await locker.query("begin");
        await locker.query("lock table points in access exclusive mode");
        // three times the pool's 4 connections, each its own read (no shared cached answer)
        const answers = await Promise.all(ids.map((id) => answer(ui.url, `api/points/${id}`)));
        expect(answers).toEqual(
          ids.map(() => ({ status: 503, retryAfter: "5", body: { error: LOCKED } })),
        );
        // while the lock is still held, no connection of the ui waits on it, and the server answers what needs none
        const waiting = await admin<{ n: string }>(
          "select count(*) as n from pg_stat_activity where application_name = 'ui-locked' and wait_event_type = 'Lock'",
        );
        expect(waiting).toEqual([{ n: "0" }]);
        expect(await answer(ui.url, "api/health")).toMatchObject({ status: 200 });
        await locker.query("rollback");
        expect(await answer(ui.url, `api/points/${ids[0]}`)).toMatchObject({ status: 200 });
        expect(ui.output()).not.toContain(" 500 ");
      } finally {
        await locker.end();
        await ui.stop();
      }
    }, 120_000);

    it("a write through the API waits out a lock held longer than a read would wait", async () => {
      const ui = await startUiCli(["--db", target.url], { INFERMARK_UI_TOKEN: "s3cret" });
      const locker = new pg.Client({ connectionString: target.url });
      await locker.connect();
      try {
        await locker.query("begin");
        await locker.query("lock table points in access exclusive mode");
        const release = setTimeout(() => void locker.query("rollback"), 4_500);
        const res = await fetch(new URL("api/points", ui.url), {
          method: "POST",
          headers: { authorization: "Bearer s3cret", "content-type": "application/json" },
          body: JSON.stringify([PointResult.parse(pointJson(99))]),
        });
        clearTimeout(release);
        expect([res.status, ((await res.json()) as { inserted: number }).inserted]).toEqual([
          200, 1,
        ]);
      } finally {
        await locker.end();
        await ui.stop();
      }
    }, 120_000);

    it("connections the server terminates answer 503, never 500, and the ui reads again with new ones", async () => {
      const ui = await startUiCli(["--db", named(target.url, "ui-terminated")]);
      const locker = new pg.Client({ connectionString: target.url });
      await locker.connect();
      try {
        expect(await answer(ui.url, `api/points/${ids[0]}`)).toMatchObject({ status: 200 });
        // one read in flight (waiting on a lock) and the idle ones: all ended by the server
        await locker.query("begin");
        await locker.query("lock table points in access exclusive mode");
        const inFlight = answer(ui.url, `api/points/${ids[1]}`);
        await expect
          .poll(async () =>
            admin<{ n: string }>(
              "select count(*) as n from pg_stat_activity where application_name = 'ui-terminated' and wait_event_type = 'Lock'",
            ),
          )
          .toEqual([{ n: "1" }]);
        await admin(
          "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'ui-terminated'",
        );
        expect(await inFlight).toEqual({
          status: 503,
          retryAfter: "5",
          body: { error: UNREACHABLE },
        });
        await locker.query("rollback");
        // a request may still meet an ended connection the ui has not heard end yet (503); none is kept after
        await expect
          .poll(
            async () =>
              ((await answer(ui.url, `api/points/${ids[0]}`)) as { status: number }).status,
          )
          .toBe(200);
        const after = await Promise.all(ids.map((id) => answer(ui.url, `api/points/${id}`)));
        expect(after.map((a) => (a as { status: number }).status)).toEqual(ids.map(() => 200));
        expect(ui.output()).not.toContain(": 500 ");
        expect(ui.alive()).toBe(true);
        expect(ui.output()).toContain(
          `503 ${UNREACHABLE} (terminating connection due to administrator command)`,
        );
      } finally {
        await locker.end();
        await ui.stop();
      }
    }, 120_000);

    it("a server that cannot be reached answers 503 with Retry-After, and the ui reads again once it is back", async () => {
      const proxy = relay(new URL(target.url));
      const port = await proxy.start();
      const via = new URL(target.url);
      via.hostname = "127.0.0.1";
      via.port = String(port);
      const ui = await startUiCli(["--db", via.toString()]);
      try {
        expect(await answer(ui.url, `api/points/${ids[0]}`)).toMatchObject({ status: 200 });
        await proxy.stop();
        // the pool's idle connections fail first (ended under them), then connecting is refused: 4 at most, so of
        // 6 requests the last ones connect anew
        const down = [];
        for (const path of [...ids.slice(1, 6).map((id) => `api/points/${id}`), "api/groups"])
          down.push(await answer(ui.url, path));
        expect(down).toEqual(
          down.map(() => ({ status: 503, retryAfter: "5", body: { error: UNREACHABLE } })),
        );
        expect(ui.alive()).toBe(true);
        await proxy.start();
        expect(await answer(ui.url, `api/points/${ids[1]}`)).toMatchObject({ status: 200 });
        expect(await answer(ui.url, "api/groups")).toMatchObject({ status: 200 });
        expect(ui.output()).toContain(
          `GET /api/groups: 503 ${UNREACHABLE} (connect ECONNREFUSED 127.0.0.1:${port})`,
        );
      } finally {
        await ui.stop();
        await proxy.stop().catch(() => {});
      }
    }, 120_000);

    it("a statement the database cancels (statement_timeout) answers 503 and is logged; a request left waiting for a pooled connection answers 503", async () => {
      const logged: string[] = [];
      // reads wait 12 s for a lock (longer than the pool's 10 s wait for a connection), or run 0.5 s in the second store
      const longWait = await openStore(target.url, {
        postgresTimeouts: {
          read: { lockMs: 12_000, statementMs: 0 },
          write: { lockMs: 0, statementMs: 0 },
        },
      });
      const shortRun = await openStore(target.url, {
        postgresTimeouts: {
          read: { lockMs: 0, statementMs: 500 },
          write: { lockMs: 0, statementMs: 0 },
        },
      });
      const uis = await Promise.all(
        [longWait, shortRun].map((store) =>
          startUiServer({ store, port: 0, warm: false, logError: (l) => logged.push(l) }),
        ),
      );
      const locker = new pg.Client({ connectionString: target.url });
      await locker.connect();
      try {
        await locker.query("begin");
        await locker.query("lock table points in access exclusive mode");
        expect(await answer(uis[1]!.url, `api/points/${ids[0]}`)).toEqual({
          status: 503,
          retryAfter: "5",
          body: {
            error:
              "the store's database cancelled a statement while reading (it ran past infermark ui's bound, or an administrator cancelled it); retry in 5 s",
          },
        });
        // four requests take the pool's four connections; the fifth waits for one, and is answered before the lock ends
        const taking = ids.slice(0, 4).map((id) => answer(uis[0]!.url, `api/points/${id}`));
        await expect
          .poll(async () =>
            admin<{ n: string }>(
              "select count(*) as n from pg_locks where relation = 'points'::regclass and not granted",
            ),
          )
          .toEqual([{ n: "4" }]);
        expect(await answer(uis[0]!.url, `api/points/${ids[4]}`)).toEqual({
          status: 503,
          retryAfter: "5",
          body: {
            error:
              "every connection to the store stayed taken by other requests (waiting on a lock, or slow) while reading; retry in 5 s",
          },
        });
        await locker.query("rollback");
        expect((await Promise.all(taking)).map((a) => (a as { status: number }).status)).toEqual([
          200, 200, 200, 200,
        ]);
        expect(logged).toEqual([
          `infermark ui: GET /api/points/${ids[0]}: 503 the store's database cancelled a statement while reading (it ran past infermark ui's bound, or an administrator cancelled it); retry in 5 s (canceling statement due to statement timeout)`,
        ]);
      } finally {
        await locker.end();
        for (const ui of uis) await ui.close();
        await longWait.close();
        await shortRun.close();
      }
    }, 120_000);
  },
);
