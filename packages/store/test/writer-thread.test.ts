import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { endianness, tmpdir } from "node:os";
import { join } from "node:path";
import type { PointResult } from "@infermark/core";
import Database from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { THREAD_MIN_POINTS } from "../src/dialects/sqlite/open-sqlite.js";
import { IngestError, openStore, pointId, type Store } from "../src/index.js";
import { ingestLog, makePoint } from "./helpers.js";

// SQLite ingests of THREAD_MIN_POINTS points or more go through the writer thread (its own connection,
// chunks streamed while they are built, checkpoints on a thread of their own); smaller ones through the
// main connection. Both must write the same rows, all or nothing.

const HARDWARE = ["h100", "h200", "b200"];

/** 3,000 points: 3 GPUs x 500 concurrencies (1,500 levels), each level on 2026-01-01 and 2026-01-02. */
function manyPoints(): PointResult[] {
  return Array.from({ length: 3000 }, (_, i) =>
    makePoint({
      hardware: HARDWARE[i % 3],
      concurrency: 1 + (Math.floor(i / 3) % 500),
      date: i < 1500 ? "2026-01-01" : "2026-01-02",
      tputPerGpu: 1000 + i,
    }),
  );
}

/**
 * The write-ahead log's frame count and how many of its frames a checkpoint has copied into the database
 * file, read from the shared-memory index (SQLite's WAL-index header: mxFrame at byte 16, the checkpoint
 * info's nBackfill at byte 96, native byte order) without taking part in the database's locking.
 */
function walIndex(path: string): { frames: number; backfilled: number } {
  const shm = readFileSync(`${path}-shm`);
  const le = endianness() === "LE";
  const u32 = (at: number) => (le ? shm.readUInt32LE(at) : shm.readUInt32BE(at));
  return { frames: u32(16), backfilled: u32(96) };
}

const count = async (store: Store, table: string) =>
  Number(
    (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db))
      .rows[0]!.n,
  );

const failGroups = (store: Store) =>
  sql`create trigger fail_groups before insert on point_groups begin select raise(abort, 'groups refused'); end`.execute(
    store.db,
  );

describe("SQLite writer thread", () => {
  let dir: string;
  const open: Store[] = [];
  const openAt = async (name: string, writerThread = true) => {
    const store = await openStore(join(dir, name), { writerThread });
    open.push(store);
    return store;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "infermark-thread-"));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes a large batch once, with latest points and group counts", async () => {
    expect(THREAD_MIN_POINTS).toBeLessThanOrEqual(3000);
    const store = await openAt("a.db");
    const points = manyPoints();
    const first = await store.ingest(points, { path: "many.jsonl" });
    expect(first).toMatchObject({ inserted: 3000, unchanged: 0, skipped: 0 });
    expect(first.ids).toEqual(points.map(pointId));
    const again = await store.ingest(points, { path: "many.jsonl" });
    expect(again).toMatchObject({ inserted: 0, unchanged: 3000 });
    expect(again.ids).toEqual(first.ids);
    expect(await count(store, "points")).toBe(3000);
    // one configuration per GPU, one run per date
    expect(await count(store, "configurations")).toBe(3);
    expect(await count(store, "runs")).toBe(2);
    const latest = await store.queryPoints({ latest: true });
    expect(latest.length).toBe(1500);
    expect(new Set(latest.map((p) => p.point.run.date))).toEqual(new Set(["2026-01-02"]));
    // h100 at concurrency 1 is point 1500 (the first of 2026-01-02): tput 2500
    expect(
      latest
        .filter((p) => p.point.config.hardware === "h100" && p.point.config.load.concurrency === 1)
        .map((p) => p.point.metrics.tputPerGpu),
    ).toEqual([2500]);
    expect(
      (await store.listGroups({})).map((g) => [g.hardware, g.points, g.firstDay, g.lastDay]),
    ).toEqual([
      ["b200", 1000, "2026-01-01", "2026-01-02"],
      ["h100", 1000, "2026-01-01", "2026-01-02"],
      ["h200", 1000, "2026-01-01", "2026-01-02"],
    ]);
    expect(await ingestLog(store)).toEqual([
      ["many.jsonl", "ok", null, 3000, 0],
      ["many.jsonl", "ok", null, 0, 3000],
    ]);
  });

  it("counts a point repeated in one large batch once, with its id at every place it appears", async () => {
    const store = await openAt("dup.db");
    const points = manyPoints();
    const batch = [...points, points[7]!, points[2999]!, points[7]!];
    const r = await store.ingest(batch);
    expect(r).toMatchObject({ inserted: 3000, unchanged: 0, repeated: 3 });
    expect(r.ids).toEqual(batch.map(pointId));
    expect(await count(store, "points")).toBe(3000);
    expect((await store.listGroups({})).reduce((n, g) => n + g.points, 0)).toBe(3000);
  });

  it("stores the same rows and answers the same queries as the main connection", async () => {
    const points = manyPoints();
    const threaded = await openAt("thread.db");
    const inline = await openAt("inline.db", false);
    // in two parts, the second overlapping the first: 1,000 of its points are unchanged
    for (const store of [threaded, inline]) {
      await store.ingest(points.slice(0, 2000));
      expect(await store.ingest(points.slice(1000))).toMatchObject({
        inserted: 1000,
        unchanged: 1000,
      });
    }
    const rows = (store: Store, table: string, order: string) =>
      sql
        .raw(`select * from ${table} order by ${order}`)
        .execute(store.db)
        .then((r) => r.rows);
    for (const [table, order] of [
      ["latest_points", "level_hash, source"],
      ["point_groups", "model, hardware"],
      ["configurations", "id"],
      ["runs", "id"],
    ] as const)
      expect(await rows(threaded, table, order)).toEqual(await rows(inline, table, order));
    const points1 = await rows(threaded, "points", "id");
    const points2 = await rows(inline, "points", "id");
    const withoutIngest = (r: unknown[]) =>
      (r as Record<string, unknown>[]).map(({ ingest_id, ...rest }) => rest);
    expect(withoutIngest(points1)).toEqual(withoutIngest(points2));
    expect(await threaded.queryPoints({ hardware: ["h200"], latest: true })).toEqual(
      await inline.queryPoints({ hardware: ["h200"], latest: true }),
    );
  });

  it("writes the details of new points only, in a large batch with repeats", async () => {
    const store = await openAt("d.db");
    const points = manyPoints();
    const withEnergy = makePoint({ hardware: "b300", concurrency: 7 });
    withEnergy.energy = {
      kind: "measured",
      valid: true,
      reasons: [],
      samples: [
        { t: 0, gpu: 0, watts: 650 },
        { t: 100, gpu: 0, watts: 700 },
      ],
    };
    await store.ingest([withEnergy]); // main connection
    const r = await store.ingest([...points, withEnergy, points[0]!]); // writer thread
    // withEnergy was stored before; points[0] repeats a point of this batch
    expect(r).toMatchObject({ inserted: 3000, unchanged: 1, repeated: 1 });
    expect(await count(store, "power_samples")).toBe(2);
    const withEnergy2 = { ...withEnergy, config: { ...withEnergy.config, hardware: "gb200" } };
    const r2 = await store.ingest([...points, withEnergy2]);
    expect(r2).toMatchObject({ inserted: 1, unchanged: 3000 });
    expect(await count(store, "power_samples")).toBe(4);
  });

  it("writes nothing of a batch whose transaction fails, then goes on", async () => {
    const store = await openAt("f.db");
    await store.ingest([makePoint({ concurrency: 9999 })]);
    await failGroups(store);
    const points = manyPoints();
    await expect(store.ingest(points)).rejects.toThrow(IngestError);
    await expect(store.ingest(points)).rejects.toThrow(
      /^database write failed, nothing written: .*groups refused/,
    );
    // small batches (main connection) too
    await expect(store.ingest(points.slice(0, 3))).rejects.toThrow(/groups refused/);
    expect(await count(store, "points")).toBe(1);
    expect(await count(store, "configurations")).toBe(1);
    expect(await count(store, "latest_points")).toBe(1);
    expect(await count(store, "ingest_log")).toBe(1);
    await sql`drop trigger fail_groups`.execute(store.db);
    expect(await store.ingest(points)).toMatchObject({ inserted: 3000 });
    expect(await count(store, "points")).toBe(3001);
  });

  it("runs concurrent ingests one after another", async () => {
    const store = await openAt("c.db");
    const points = manyPoints();
    const results = await Promise.all([
      store.ingest(points),
      store.ingest([makePoint({ concurrency: 9999 })]),
      store.ingest(points.slice(0, 2500)),
    ]);
    expect(results.map((r) => [r.inserted, r.unchanged])).toEqual([
      [3000, 0],
      [1, 0],
      [0, 2500],
    ]);
    expect(await count(store, "points")).toBe(3001);
  });

  it("rolls back a failing ingest among concurrent ones and keeps the others whole", async () => {
    const store = await openAt("cf.db");
    await sql`create trigger fail_b300 before insert on points when new.hardware = 'b300' begin select raise(abort, 'b300 refused'); end`.execute(
      store.db,
    );
    const points = manyPoints();
    const later = points.map((p) => ({ ...p, run: { ...p.run, date: "2026-02-01" } }));
    const bad = [...later.slice(0, 2999), makePoint({ hardware: "b300" })];
    // Started together: the second builds its rows while the first commits, the third while the second fails.
    const outcomes = await Promise.allSettled([
      store.ingest(points),
      store.ingest(bad),
      store.ingest(later.slice(1000)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toMatch(
      /^database write failed, nothing written: .*b300 refused/,
    );
    expect((outcomes[2] as PromiseFulfilledResult<{ inserted: number }>).value.inserted).toBe(2000);
    expect(await count(store, "points")).toBe(5000);
    // Group counts and latest points come from the committed ingests only.
    expect((await store.listGroups({})).reduce((n, g) => n + g.points, 0)).toBe(5000);
    expect(await count(store, "latest_points")).toBe(1500);
  });

  it("records a rejection called during a large ingest, and both log rows", async () => {
    const store = await openAt("rej.db");
    const [result] = await Promise.all([
      store.ingest(manyPoints(), { path: "many.jsonl" }),
      store.recordRejection({ path: "bad.json" }, "malformed JSON"),
    ]);
    expect(result.inserted).toBe(3000);
    // both may carry the same millisecond: compare regardless of order
    expect((await ingestLog(store)).sort()).toEqual([
      ["bad.json", "rejected", "malformed JSON", 0, 0],
      ["many.jsonl", "ok", null, 3000, 0],
    ]);
  });

  it("takes out the stored points a batch replaces, the last one written included", async () => {
    const store = await openAt("replace.db");
    const points = manyPoints();
    await store.ingest(points);
    // the last point has the largest rowid, which SQLite would give again to the next insert
    const poor = points.at(-1)!;
    const rich = { ...poor, metrics: { ...poor.metrics, itl: { median: 0.02, p99: 0.03 } } };
    expect(
      await store.ingest([rich], {
        dedupe: { runs: [], decide: () => ({ replaces: [pointId(poor)] }) },
      }),
    ).toMatchObject({
      inserted: 1,
      replaced: 1,
    });
    expect(await count(store, "points")).toBe(3000);
    expect(await store.getPoint(pointId(poor))).toBeUndefined();
    const latest = await store.queryPoints({ latest: true, hardware: [poor.config.hardware] });
    expect(latest.filter((s) => s.point.config.load.concurrency === 500).map((s) => s.id)).toEqual([
      pointId(rich),
    ]);
    expect(await store.listGroups()).toEqual(await store.listGroups({ dateFrom: "2000-01-01" }));
  });

  it("reads an importer's stored copies on the thread, after the ingest before it has committed", async () => {
    const store = await openAt("dedupe.db");
    const link = "https://github.com/o/r/actions/runs/1";
    const points = manyPoints().map((p) => ({ ...p, run: { ...p.run, ciUrl: link } }));
    const poor = points.at(-1)!;
    const rich = { ...poor, metrics: { ...poor.metrics, itl: { median: 0.02, p99: 0.03 } } };
    const seen: number[] = [];
    // started together: the second ingest's reads wait for the first one's commit
    const [, second] = await Promise.all([
      store.ingest(points),
      store.ingest([rich], {
        dedupe: {
          runs: [{ link, day: "2026-01-02" }],
          decide: (stored) => {
            seen.push(stored.length);
            return { replaces: stored.filter((s) => s.id === pointId(poor)).map((s) => s.id) };
          },
        },
      }),
    ]);
    expect(seen).toEqual([1500]);
    expect(second).toMatchObject({ inserted: 1, replaced: 1 });
    expect(await count(store, "points")).toBe(3000);
    expect(await store.getPoint(pointId(poor))).toBeUndefined();
  });

  it("keeps what it committed when reopened", async () => {
    const store = await openAt("r.db");
    await store.ingest(manyPoints());
    await store.close();
    open.splice(0);
    const reopened = await openAt("r.db");
    expect(await count(reopened, "points")).toBe(3000);
    expect((await reopened.listGroups({})).map((g) => g.points)).toEqual([1000, 1000, 1000]);
  });

  it("copies each commit into the database file on its checkpoint thread, unasked", async () => {
    const path = join(dir, "c.db");
    const store = await openAt("c.db");
    const points = manyPoints();
    await store.ingest(points.slice(0, 2500), { path: "a.jsonl" });
    // Block this thread while the writer and checkpoint threads go on: the copy must happen without this
    // event loop. (The request was already posted when the ingest resolved, also when it went through the
    // main thread; this checks that checkpoints happen, not which thread asked for them.)
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const until = Date.now() + 10_000;
    let log = walIndex(path);
    while (Date.now() < until && !(log.frames > 0 && log.backfilled === log.frames)) {
      Atomics.wait(shared, 0, 0, 20);
      log = walIndex(path);
    }
    // Every frame the ingest wrote to the log is in the database file, and nobody here checkpointed.
    expect(log.frames).toBeGreaterThan(0);
    expect(log.backfilled).toBe(log.frames);
  });

  it("makes new files with 16 KiB pages and keeps the pages of a file made before", async () => {
    const pageSize = async (store: Store) =>
      Number(
        (await sql<{ page_size: number }>`pragma page_size`.execute(store.db)).rows[0]!.page_size,
      );
    const fresh = await openAt("new.db");
    expect(await pageSize(fresh)).toBe(16_384);
    // A file made with SQLite's default 4 KiB pages (as infermark made them before) stays so, and takes
    // large ingests (writer thread) and small ones (main connection) as before.
    const oldPath = join(dir, "old.db");
    const made = new Database(oldPath);
    made.pragma("page_size = 4096");
    // writes the header, page size in it, and no table (a table of its own would make it another program's database)
    made.exec("vacuum");
    made.close();
    const old = await openAt("old.db");
    expect(await pageSize(old)).toBe(4096);
    const points = manyPoints();
    expect((await old.ingest(points)).inserted).toBe(3000);
    expect((await old.ingest([makePoint({ hardware: "b300" })])).inserted).toBe(1);
    expect(await count(old, "points")).toBe(3001);
    expect(await pageSize(old)).toBe(4096);
  });
});
