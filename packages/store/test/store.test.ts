import { existsSync, rmSync, writeFileSync } from "node:fs";
import type { PointResult } from "@infermark/core";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newDatabase } from "../src/dialects/sqlite/connection.js";
import {
  IngestError,
  openStore,
  pointId,
  type Store,
  type StoredPoint,
  StoreOpenError,
  storeLocation,
} from "../src/index.js";
import * as workloadKindMigration from "../src/migrations/0003-workload-kind.js";
import * as datasetIdentityMigration from "../src/migrations/0004-dataset-identity.js";
import * as totalGpusMigration from "../src/migrations/0005-total-gpus-on-both-sides.js";
import * as softwareMigration from "../src/migrations/0006-software-release.js";
import {
  DIALECTS,
  ingestLog,
  makePoint,
  PG_URL,
  type PointOverrides,
  type TestDatabase,
} from "./helpers.js";

const count = async (store: Store, table: string) =>
  Number(
    (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db))
      .rows[0]!.n,
  );

const RUN = "https://github.com/o/r/actions/runs/1";

/** A point of level `concurrency` measured on `date` by the run linked by `ciUrl`. */
function linked(o: {
  concurrency: number;
  date: string;
  ciUrl?: string;
  p99?: number;
}): PointResult {
  const p = makePoint({ concurrency: o.concurrency, date: o.date, source: "imported" });
  p.run.ciUrl = o.ciUrl ?? RUN;
  // the richer copy of a measurement: one statistic more
  if (o.p99 !== undefined) p.metrics.itl = { median: 0.02, p99: o.p99 };
  return p;
}

/**
 * Copies of a measurement by the tens of thousands, what an old store that imported InferenceX history many times
 * holds: the removed ids once went into the SQL text as lists, and SQLite refuses a statement over 1,000,000 bytes.
 */
const PAIRS = 20_000;

/**
 * The rich or poor copy of measurement `i` (its own load level, one of 50 run links), the rich one a statistic
 * more; `host` sets the run apart (a run of its own, the same link).
 */
function copyOf(i: number, rich: boolean, host = "ci-1"): PointResult {
  const p = makePoint({ concurrency: i + 1, date: "2026-01-10", source: "imported" });
  p.run.ciUrl = `${RUN}${i % 50}`;
  p.run.host = host;
  if (rich) p.metrics.itl = { median: 0.02, p99: 0.03 };
  return p;
}

/** The stored runs (link, date) and configurations (precision), sorted. */
async function runsAndConfigurations(store: Store) {
  const runs = await store.db.selectFrom("runs").select(["ci_url", "date"]).execute();
  const configurations = await store.db.selectFrom("configurations").select("precision").execute();
  return {
    runs: runs.map((r) => [r.ci_url, r.date]).sort(),
    configurations: configurations.map((c) => c.precision).sort(),
  };
}

/** A dedupe that replaces the given stored points, whatever is stored. */
const replacing = (...replaces: string[]) => ({ runs: [], decide: () => ({ replaces }) });

const ids = async (store: Store, table: "points" | "request_records" | "power_samples") =>
  (
    await sql<{
      id: string;
    }>`select ${sql.ref(table === "points" ? "id" : "point_id")} as id from ${sql.table(table)} order by 1`.execute(
      store.db,
    )
  ).rows.map((r) => r.id);

for (const dialect of DIALECTS) {
  if (dialect.skip) console.warn(`store tests over ${dialect.name} skipped: ${dialect.skip}`);
  describe.skipIf(dialect.skip)(`store over ${dialect.name}`, () => {
    let target: TestDatabase;
    let store: Store;
    beforeEach(async () => {
      target = await dialect.create();
      store = await openStore(target.url);
    });
    afterEach(async () => {
      await store.close();
      await target.cleanup();
    });

    it("runs the versioned migrations once", async () => {
      const applied = await sql<{
        name: string;
      }>`select name from kysely_migration order by name`.execute(store.db);
      expect(applied.rows.map((r) => r.name)).toEqual([
        "0001-initial",
        "0002-point-groups",
        "0003-workload-kind",
        "0004-dataset-identity",
        "0005-total-gpus-on-both-sides",
        "0006-software-release",
        "0007-run-instants",
      ]);
      await store.close();
      store = await openStore(target.url);
      const again = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(
        store.db,
      );
      expect(Number(again.rows[0]!.n)).toBe(7);
    });

    it("refuses a database a newer infermark migrated, saying so", async () => {
      await sql`insert into kysely_migration (name, timestamp) values ('9999-future', '2030-01-01T00:00:00.000Z')`.execute(
        store.db,
      );
      await store.close();
      await expect(openStore(target.url)).rejects.toThrow(
        /^the database was upgraded by a newer infermark \(it has migration 9999-future; this one knows up to 0007-run-instants\): upgrade infermark to open it$/,
      );
      // the test's afterEach closes it again
      store = await openStore(":memory:");
    });

    it("keeps workload kinds apart: groups, filters, and the migration that adds them", async () => {
      const session = (turns: number, thinkTimeMs?: number) => {
        const p = makePoint({ concurrency: 4 });
        p.config.workload = { kind: "session", isl: 1024, osl: 1024, turns, thinkTimeMs };
        return p;
      };
      const sharegpt = makePoint({ concurrency: 4 });
      sharegpt.config.workload = { kind: "sharegpt", isl: 1024, osl: 1024 };
      await store.ingest([
        makePoint({ concurrency: 4 }),
        makePoint({ concurrency: 8 }),
        session(4),
        session(4, 2000),
        sharegpt,
      ]);
      const summary = async (filter: Parameters<Store["listGroups"]>[0] = {}) =>
        (await store.listGroups(filter)).map((g) => [g.workload, g.points]);
      const all = [
        ["random", 2],
        ["session x4", 1],
        ["session x4 think 2000 ms", 1],
        ["sharegpt", 1],
      ];
      // one ISL/OSL, GPU and framework: before the workload kind was a key, one group of 5 points
      expect(await summary()).toEqual(all);
      // the counts kept at ingest agree with counting the points (a date range does)
      expect(await summary({ dateFrom: "2000-01-01" })).toEqual(all);
      expect(await summary({ workload: ["session"] })).toEqual(all.slice(1, 3));
      expect(await summary({ workload: ["session x4", "sharegpt"] })).toEqual([
        ["session x4", 1],
        ["sharegpt", 1],
      ]);
      const kinds = async (workload: string[]) =>
        (await store.queryPoints({ workload })).map((p) => p.point.config.workload.kind).sort();
      expect(await kinds(["random"])).toEqual(["random", "random"]);
      expect(await kinds(["session"])).toEqual(["session", "session"]);
      // a prefix of a word is not a kind
      expect(await kinds(["sess"])).toEqual([]);
      // a store made before the column: every point random, one group; the migration reads the kinds back
      await workloadKindMigration.down(store.db as never);
      const before = await sql<{
        n: number;
      }>`select count(*) as n from point_groups`.execute(store.db);
      expect(Number(before.rows[0]!.n)).toBe(1);
      await workloadKindMigration.up(store.db as never);
      expect(await summary()).toEqual(all);
      expect(await kinds(["session"])).toEqual(["session", "session"]);
    });

    it("keeps dataset files apart, and the migration that adds the file to stored kinds", async () => {
      const onFile = (kind: string, dataset: string, concurrency = 4) => {
        const p = makePoint({ concurrency });
        p.config.workload = {
          kind,
          isl: 300,
          osl: 200,
          dataset,
          ...(kind === "session" ? { turns: 3 } : {}),
        };
        return p;
      };
      await store.ingest([
        onFile("sharegpt", "/data/ShareGPT_V3.json"),
        onFile("sharegpt", "runs/ShareGPT_V3.json", 8),
        onFile("sharegpt", "lmsys.json"),
        onFile("session", "chat.json"),
      ]);
      const summary = async (filter: Parameters<Store["listGroups"]>[0] = {}) =>
        (await store.listGroups(filter)).map((g) => [g.workload, g.points]);
      const now = [
        ["session chat.json x3", 1],
        ["sharegpt ShareGPT_V3.json", 2],
        ["sharegpt lmsys.json", 1],
      ];
      // each file's level at concurrency 4 is its own latest point (before, lmsys.json's replaced ShareGPT_V3.json's)
      const latest = async () =>
        (await store.queryPoints({ latest: true }))
          .map((p) => `${p.point.config.workload.dataset} c${p.point.config.load.concurrency}`)
          .sort();
      const allLatest = [
        "/data/ShareGPT_V3.json c4",
        "chat.json c4",
        "lmsys.json c4",
        "runs/ShareGPT_V3.json c8",
      ];
      const configurations = async () =>
        Number(
          (await sql<{ n: number }>`select count(*) as n from configurations`.execute(store.db))
            .rows[0]!.n,
        );
      expect(await summary()).toEqual(now);
      expect(await summary({ workload: ["sharegpt"] })).toEqual(now.slice(1));
      expect(await summary({ dateFrom: "2000-01-01" })).toEqual(now);
      expect(await latest()).toEqual(allLatest);
      expect(await configurations()).toBe(3);
      // a store of the version before: one sharegpt configuration and group of 3; the migration names the files
      await datasetIdentityMigration.down(store.db as never);
      expect(await summary()).toEqual([
        ["session x3", 1],
        ["sharegpt", 3],
      ]);
      expect(await latest()).toHaveLength(3);
      expect(await configurations()).toBe(2);
      await datasetIdentityMigration.up(store.db as never);
      expect(await summary()).toEqual(now);
      expect(await summary({ dateFrom: "2000-01-01" })).toEqual(now);
      expect(await latest()).toEqual(allLatest);
      expect(await configurations()).toBe(3);
    });

    it("migration 0005 reads a first disaggregated import's total on both sides again, with its id, latest and group", async () => {
      // what the importer stored before 0005 for InferenceX's GB200 dynamo-trt row of 2025-12-05 at concurrency 4:
      // 36 GPUs given as both counts read as 36 + 36, with pools of 0 workers
      const pool = { tp: 36, ep: 1, pp: 1, dpAttention: false, workers: 0, gpus: 36 };
      const old = makePoint({ source: "imported", hardware: "gb200", concurrency: 4 });
      old.config.topology = {
        disaggregated: true,
        multinode: false,
        gpus: 72,
        prefillGpus: 36,
        decodeGpus: 36,
        prefill: pool,
        decode: pool,
      };
      Object.assign(old.metrics, {
        tputPerGpu: 32.66740863189287,
        inputTputPerGpu: 146.43053093445712,
        outputTputPerGpu: 18.44701834407234,
      });
      // a disaggregated import with its worker layout, and one whose split is no whole number: left as they are
      const laidOut = structuredClone(old);
      laidOut.config.load = { mode: "concurrency", concurrency: 8 };
      laidOut.config.topology.prefill = { ...pool, workers: 1 };
      const odd = structuredClone(old);
      odd.config.load = { mode: "concurrency", concurrency: 16 };
      odd.metrics.tputPerGpu = 30;
      odd.config.precision = "fp4";
      await store.ingest([old, laidOut, odd]);
      await totalGpusMigration.up(store.db as never);
      const repaired = structuredClone(old);
      repaired.config.topology = {
        disaggregated: true,
        multinode: false,
        gpus: 36,
        prefillGpus: 4,
        decodeGpus: 32,
      };
      const stored = await store.queryPoints({});
      expect(stored.map((s) => s.id).sort()).toEqual(
        [repaired, laidOut, odd].map((p) => pointId(p)).sort(),
      );
      expect(stored.find((s) => s.id === pointId(repaired))!.point).toEqual(repaired);
      // the latest points and the group counts follow the new ids; the old configuration is gone
      expect((await store.queryPoints({ latest: true })).map((s) => s.id).sort()).toEqual(
        stored.map((s) => s.id).sort(),
      );
      const groups = await store.listGroups({});
      expect(groups.reduce((n, g) => n + g.points, 0)).toBe(3);
      // repaired, laid out, odd: the 36 + 36 configuration no point uses any more is removed
      expect(await count(store, "configurations")).toBe(3);
      // again: nothing left to repair
      await totalGpusMigration.up(store.db as never);
      expect((await store.queryPoints({})).map((s) => s.id).sort()).toEqual(
        stored.map((s) => s.id).sort(),
      );
    });

    it("ingests points and re-ingesting changes nothing", async () => {
      const points = [makePoint({ concurrency: 4 }), makePoint({ concurrency: 8 })];
      const first = await store.ingest(points, { path: "a.jsonl" });
      expect(first).toMatchObject({ inserted: 2, unchanged: 0, skipped: 0 });
      expect(first.ids).toEqual(points.map(pointId));
      const second = await store.ingest(points, { path: "a.jsonl" });
      expect(second).toMatchObject({ inserted: 0, unchanged: 2 });
      expect(second.ids).toEqual(first.ids);
      expect(await count(store, "points")).toBe(2);
      // one configuration (concurrency is a load level, not a configuration dimension), one run
      expect(await count(store, "configurations")).toBe(1);
      expect(await count(store, "runs")).toBe(1);
      expect(await ingestLog(store)).toEqual([
        ["a.jsonl", "ok", null, 2, 0],
        ["a.jsonl", "ok", null, 0, 2],
      ]);
    });

    it("stores every request record of points whose records span several chunks, once", async () => {
      // 4,500 records: the first point's spill over chunks of 2,000 (the last one without a point row), the
      // second point follows in the chunk the first one's last records are in
      const a = makePoint({ concurrency: 4 });
      const b = makePoint({ concurrency: 8 });
      const records = (n: number, tag: string) =>
        Array.from({ length: n }, (_, i) => ({ index: i, tag }));
      const requests = [records(4500, "a"), records(3, "b")];
      expect(await store.ingest([a, b], { requests })).toMatchObject({ inserted: 2 });
      const stored = async () =>
        (
          await store.db
            .selectFrom("request_records")
            .select(["point_id", "seq", "json"])
            .orderBy("point_id")
            .orderBy("seq")
            .execute()
        ).map((r) => [r.point_id, Number(r.seq), JSON.parse(r.json).tag]);
      const expected = [
        ...requests[0]!.map((_, i) => [pointId(a), i, "a"]),
        ...requests[1]!.map((_, i) => [pointId(b), i, "b"]),
      ].sort((x, y) =>
        x[0] === y[0] ? (x[1] as number) - (y[1] as number) : x[0]! < y[0]! ? -1 : 1,
      );
      expect(await stored()).toEqual(expected);
      // a point already stored gets no records again, spilled or not
      expect(await store.ingest([a, b], { requests })).toMatchObject({ inserted: 0, unchanged: 2 });
      expect(await stored()).toHaveLength(4503);
    });

    it("keeps an ingest whole when it writes its records in parts: each stored once, all undone on a failure", async () => {
      await store.close();
      // PostgreSQL writes what it holds past 1,000 characters of records; SQLite's writer thread takes each chunk
      store = await openStore(target.url, { recordBufferChars: 1_000 });
      const [a, b, c, d] = [4, 8, 16, 32].map((concurrency) => makePoint({ concurrency }));
      const records = (n: number, tag: string): Record<string, unknown>[] =>
        Array.from({ length: n }, (_, index) => ({ index, tag }));
      expect(
        await store.ingest([a!, b!], { requests: [records(4500, "a"), records(3, "b")] }),
      ).toMatchObject({ inserted: 2 });
      // a stored point's records, written in parts beside a new point's, are not stored again
      expect(
        await store.ingest([a!, c!], { requests: [records(4500, "a"), records(2500, "c")] }),
      ).toMatchObject({ inserted: 1, unchanged: 1 });
      expect(await count(store, "request_records")).toBe(7003);
      // the second point's record cannot be written (JSON has no BigInt) after the first point's went in
      const bad = [...records(1, "d"), { index: 1, tag: 10n }];
      await expect(
        store.ingest([d!, makePoint({ concurrency: 64 })], { requests: [records(4500, "d"), bad] }),
      ).rejects.toThrow(/BigInt/);
      expect(await count(store, "request_records")).toBe(7003);
      expect(await ids(store, "points")).not.toContain(pointId(d!));
      expect(await count(store, "points")).toBe(3);
    });

    it("says a database it cannot write to is read-only, for an ingest and for the record of a rejected file", async () => {
      // SQLite refuses writes as a read-only file does (SQLITE_READONLY), PostgreSQL with its read-only transactions
      if (dialect.name === "sqlite") {
        await store.close();
        store = await openStore(target.url, { writerThread: false });
        await sql`pragma query_only = 1`.execute(store.db);
      } else await sql`set default_transaction_read_only = on`.execute(store.db);
      const readOnly =
        dialect.name === "sqlite"
          ? /^database write failed, nothing written: the database is read-only for this user \(attempt to write a readonly database\): give it write access/
          : /^database write failed, nothing written: cannot execute .* in a read-only transaction/;
      await expect(store.ingest([makePoint()])).rejects.toThrow(readOnly);
      // it was the raw driver error, and it replaced the ingest's own in the CLI's output
      await expect(store.recordRejection({ path: "a.json" }, "x")).rejects.toThrow(IngestError);
      await expect(store.recordRejection({ path: "a.json" }, "x")).rejects.toThrow(readOnly);
    });

    it("counts a point repeated inside one batch as repeated, not as unchanged (stored before)", async () => {
      const [p, q] = [makePoint(), makePoint({ concurrency: 4 })];
      expect(await store.ingest([p, p, p])).toMatchObject({
        inserted: 1,
        unchanged: 0,
        repeated: 2,
      });
      expect(await count(store, "points")).toBe(1);
      // p stored before, q new and repeated; the log's unchanged is p, its details say q's repeat
      expect(await store.ingest([p, q, q])).toMatchObject({
        inserted: 1,
        unchanged: 1,
        repeated: 1,
      });
      expect(await store.ingest([q])).toMatchObject({ inserted: 0, unchanged: 1, repeated: 0 });
      expect((await ingestLog(store)).map((r) => r.slice(3))).toEqual([
        [1, 0],
        [1, 1],
        [0, 1],
      ]);
      const details = await store.db
        .selectFrom("ingest_log")
        .select("details")
        .orderBy("at")
        .execute();
      expect(details.map((d) => d.details)).toEqual(['{"repeated":2}', '{"repeated":1}', null]);
    });

    it("rejects a batch with one invalid point whole, writing nothing", async () => {
      const bad = {
        ...makePoint({ concurrency: 2 }),
        config: { ...makePoint().config, hardware: "" },
      };
      await expect(store.ingest([makePoint(), bad])).rejects.toThrow(IngestError);
      await expect(store.ingest([makePoint(), bad])).rejects.toThrow(
        /^point 2: config\.hardware: /,
      );
      expect(await count(store, "points")).toBe(0);
      expect(await count(store, "runs")).toBe(0);
      await store.recordRejection({ path: "bad.json" }, "point 2: config.hardware: too small");
      expect(await ingestLog(store)).toEqual([
        ["bad.json", "rejected", "point 2: config.hardware: too small", 0, 0],
      ]);
    });

    it("rejects a point with a NUL character in a text, in both dialects, and logs a reason that holds one", async () => {
      // PostgreSQL's text cannot hold U+0000: it failed the write there ("invalid byte sequence"), SQLite stored it
      const nul = makePoint({ concurrency: 2 });
      nul.config.image = "vllm/vllm-openai:\u0000v1";
      const error = await store.ingest([makePoint(), nul]).catch((e: IngestError) => e);
      expect(error).toBeInstanceOf(IngestError);
      expect([(error as IngestError).message, (error as IngestError).fault]).toEqual([
        "point 2: a text holds a NUL character (U+0000), which the store cannot keep (PostgreSQL's text cannot hold it): remove it",
        "batch",
      ]);
      expect(await count(store, "points")).toBe(0);
      // the six characters \u0000 are text like any other
      const escaped = makePoint({ concurrency: 2 });
      escaped.config.image = "vllm/vllm-openai:\\u0000v1";
      expect(await store.ingest([escaped])).toMatchObject({ inserted: 1 });
      // a reason that quotes a binary file's bytes: it made the record of a rejection fail on PostgreSQL, which
      // ended the whole `infermark ingest`
      await store.recordRejection({ path: "bin.json" }, "malformed JSON (\u0000\u0001)");
      expect((await ingestLog(store)).at(-1)).toEqual([
        "bin.json",
        "rejected",
        "malformed JSON (\\u0000\u0001)",
        0,
        0,
      ]);
    });

    it("returns a stored point exactly as ingested", async () => {
      const p = makePoint({ tputPerGpu: 1234.5 });
      p.energy = {
        kind: "measured",
        valid: true,
        reasons: [],
        samples: [
          { t: 0, gpu: 0, watts: 650 },
          { t: 100, gpu: 0, watts: 700 },
        ],
      };
      p.serverMetrics = { delta: { "vllm:num_preemptions_total": 3 } };
      const [id] = (await store.ingest([p])).ids;
      const stored = await store.getPoint(id!);
      expect(stored?.id).toBe(id);
      expect(stored?.point).toEqual(p);
      expect(await store.getPoint("0".repeat(32))).toBeUndefined();
      const watts = await store.db
        .selectFrom("power_samples")
        .select("watts")
        .orderBy("t")
        .execute();
      expect(watts.map((w) => Number(w.watts))).toEqual([650, 700]);
      const sm = await store.db
        .selectFrom("server_metrics")
        .select(["phase", "name", "value"])
        .execute();
      expect(sm.map((r) => [r.phase, r.name, Number(r.value)])).toEqual([
        ["delta", "vllm:num_preemptions_total", 3],
      ]);
      const col = await store.db
        .selectFrom("points")
        .select(["tput_per_gpu", "median_intvty", "concurrency"])
        .execute();
      expect(
        col.map((r) => [Number(r.tput_per_gpu), Number(r.median_intvty), Number(r.concurrency)]),
      ).toEqual([[1234.5, 50, 8]]);
    });

    describe("queries", () => {
      const points = [
        makePoint({ model: "dsr1", hardware: "h200", concurrency: 4, date: "2026-01-01" }),
        makePoint({
          model: "dsr1",
          hardware: "h200",
          concurrency: 4,
          date: "2026-01-05",
          tputPerGpu: 1100,
        }),
        makePoint({
          model: "dsr1",
          hardware: "h200",
          concurrency: 4,
          date: "2026-01-09",
          tputPerGpu: 1200,
          source: "imported",
        }),
        makePoint({
          model: "dsr1",
          hardware: "b200",
          concurrency: 8,
          date: "2026-01-05",
          valid: false,
        }),
        makePoint({
          model: "dsr1",
          hardware: "b200",
          isl: 8192,
          concurrency: 8,
          date: "2026-01-07",
          spec: "mtp",
        }),
        makePoint({
          model: "gptoss120b",
          hardware: "mi355x",
          framework: "vllm",
          precision: "fp4",
          concurrency: 16,
          date: "2026-01-03",
          disaggregated: true,
        }),
      ];
      const tput = (r: { point: { metrics: { tputPerGpu?: number } } }[]) =>
        r.map((x) => x.point.metrics.tputPerGpu);
      const days = (r: { point: { run: { date: string } } }[]) =>
        r.map((x) => x.point.run.date).sort();
      beforeEach(async () => {
        await store.ingest(points.slice(0, 3));
        await store.ingest(points.slice(3));
      });

      it("filters by every dimension", async () => {
        expect((await store.queryPoints({})).length).toBe(6);
        expect(
          (await store.queryPoints({ model: ["gptoss120b"] })).map((s) => s.point.config.hardware),
        ).toEqual(["mi355x"]);
        expect(days(await store.queryPoints({ hardware: ["b200"] }))).toEqual([
          "2026-01-05",
          "2026-01-07",
        ]);
        expect(days(await store.queryPoints({ isl: 8192 }))).toEqual(["2026-01-07"]);
        expect(days(await store.queryPoints({ osl: 1024, spec: ["mtp"] }))).toEqual(["2026-01-07"]);
        expect(days(await store.queryPoints({ framework: ["vllm"], precision: ["fp4"] }))).toEqual([
          "2026-01-03",
        ]);
        expect(days(await store.queryPoints({ disaggregated: true }))).toEqual(["2026-01-03"]);
        expect(days(await store.queryPoints({ source: ["imported"] }))).toEqual(["2026-01-09"]);
        expect(
          days(await store.queryPoints({ dateFrom: "2026-01-05", dateTo: "2026-01-07" })),
        ).toEqual(["2026-01-05", "2026-01-05", "2026-01-07"]);
        expect((await store.queryPoints({ validOnly: true })).length).toBe(5);
      });

      it("keeps the latest point of each configuration and level", async () => {
        const latest = await store.queryPoints({ model: ["dsr1"], latest: true });
        // h200 c4 has three dates: the 01-09 imported one wins; b200 1k/1k and 8k/1k are separate levels
        expect(days(latest)).toEqual(["2026-01-05", "2026-01-07", "2026-01-09"]);
        expect(
          tput(await store.queryPoints({ model: ["dsr1"], hardware: ["h200"], latest: true })),
        ).toEqual([1200]);
        // among measured points only, the 01-05 point is the latest of h200 c4
        expect(
          tput(await store.queryPoints({ hardware: ["h200"], source: ["measured"], latest: true })),
        ).toEqual([1100]);
        // as of a date: the window path
        expect(
          tput(await store.queryPoints({ hardware: ["h200"], dateTo: "2026-01-04", latest: true })),
        ).toEqual([1000]);
        expect(
          tput(await store.queryPoints({ hardware: ["h200"], dateTo: "2026-01-08", latest: true })),
        ).toEqual([1100]);
        expect((await store.queryPoints({ latest: true, validOnly: true })).length).toBe(3);
      });

      it("narrows by the server's image before the latest point of a level is taken", async () => {
        // one configuration and level on two releases: the older release's latest point is its own
        await store.ingest([
          makePoint({
            hardware: "h100",
            concurrency: 2,
            date: "2026-02-01",
            image: "eng:v1",
            tputPerGpu: 10,
          }),
          makePoint({
            hardware: "h100",
            concurrency: 2,
            date: "2026-02-03",
            image: "eng:v1",
            tputPerGpu: 11,
          }),
          makePoint({
            hardware: "h100",
            concurrency: 2,
            date: "2026-02-05",
            image: "eng:V2",
            tputPerGpu: 20,
          }),
        ]);
        const h100 = { hardware: ["h100"], latest: true };
        expect(tput(await store.queryPoints(h100))).toEqual([20]);
        expect(tput(await store.queryPoints({ ...h100, image: ["eng:v1"] }))).toEqual([11]);
        // a tag's case is its own
        expect(tput(await store.queryPoints({ ...h100, image: ["eng:v2"] }))).toEqual([]);
        expect(
          tput(await store.queryPoints({ hardware: ["h100"], image: ["eng:v1", "eng:V2"] })),
        ).toEqual([10, 11, 20]);
        expect(
          (await store.listGroups({ hardware: ["h100"], image: ["eng:v1"] })).map((g) => g.points),
        ).toEqual([2]);
        expect(await store.listDates({ image: ["eng:V2"] })).toEqual(["2026-02-05"]);
      });

      it("narrows by the serving software's release (version, else image tag) before the latest point is taken", async () => {
        const on = (date: string, tputPerGpu: number, software: PointOverrides) =>
          makePoint({ hardware: "h100", concurrency: 2, date, tputPerGpu, ...software });
        await store.ingest([
          on("2026-02-01", 10, { image: "lmsysorg/sglang:v0.5.1-rocm700" }),
          on("2026-02-02", 11, { image: "lmsysorg/sglang:V0.5.12-rocm700" }),
          on("2026-02-03", 12, { frameworkVersion: "0.5.12.post1", image: "eng:latest" }),
          on("2026-02-04", 20, { frameworkVersion: "0.6.0" }),
          on("2026-02-05", 30, {}),
        ]);
        const h100 = { hardware: ["h100"], latest: true };
        const latestOf = async (version: string[]) =>
          tput(await store.queryPoints({ ...h100, version }));
        expect(tput(await store.queryPoints(h100))).toEqual([30]);
        expect(await latestOf(["0.5.12"])).toEqual([12]);
        // 0.5.1 is its own release, not a prefix of 0.5.12; the leading v and the case do not count
        expect(await latestOf(["v0.5.1"])).toEqual([10]);
        expect(await latestOf(["0.5.12-ROCM700"])).toEqual([11]);
        expect(await latestOf(["0.6", "0.5.1"])).toEqual([20]);
        expect(await latestOf(["0.7"])).toEqual([]);
        // the engine's version wins over the image's tag
        expect(await latestOf(["latest"])).toEqual([]);
        expect(tput(await store.queryPoints({ hardware: ["h100"], version: ["0.5"] }))).toEqual([
          10, 11, 12,
        ]);
        expect(
          (await store.listGroups({ hardware: ["h100"], version: ["0.5.12"] })).map(
            (g) => g.points,
          ),
        ).toEqual([2]);
        expect(await store.listDates({ version: ["0.6.0"] })).toEqual(["2026-02-04"]);
        // a store made before the column: migration 0006 reads every point's release back
        await softwareMigration.down(store.db as never);
        await softwareMigration.up(store.db as never);
        expect(
          tput(await store.queryPoints({ hardware: ["h100"], version: ["0.5.12", "0.6"] })),
        ).toEqual([11, 12, 20]);
        expect(await latestOf(["0.5.1"])).toEqual([10]);
      });

      it("keeps latest current when an older point arrives later", async () => {
        await store.ingest([
          makePoint({ hardware: "h200", concurrency: 4, date: "2025-12-01", tputPerGpu: 1 }),
        ]);
        expect(tput(await store.queryPoints({ hardware: ["h200"], latest: true }))).toEqual([1200]);
      });

      it("lists groups and dates", async () => {
        const groups = await store.listGroups({ model: ["dsr1"] });
        expect(
          groups.map((g) => [g.hardware, g.isl, g.spec, g.source, g.points, g.firstDay, g.lastDay]),
        ).toEqual([
          ["b200", 1024, "none", "measured", 1, "2026-01-05", "2026-01-05"],
          ["h200", 1024, "none", "imported", 1, "2026-01-09", "2026-01-09"],
          ["h200", 1024, "none", "measured", 2, "2026-01-01", "2026-01-05"],
          ["b200", 8192, "mtp", "measured", 1, "2026-01-07", "2026-01-07"],
        ]);
        expect(groups[0]).toMatchObject({
          model: "dsr1",
          osl: 1024,
          framework: "sglang",
          precision: "fp8",
          disaggregated: false,
        });
        expect(await store.listDates({})).toEqual([
          "2026-01-01",
          "2026-01-03",
          "2026-01-05",
          "2026-01-07",
          "2026-01-09",
        ]);
        expect(await store.listDates({ hardware: ["b200"] })).toEqual(["2026-01-05", "2026-01-07"]);
      });

      it("keeps group counts at ingest that agree with counting the points", async () => {
        const summary = (groups: Awaited<ReturnType<Store["listGroups"]>>) =>
          groups.map((g) => [g.hardware, g.isl, g.source, g.points, g.firstDay, g.lastDay]);
        const before = await store.listGroups({});
        // re-ingesting changes no count
        expect(await store.ingest(points)).toMatchObject({ inserted: 0, unchanged: 6 });
        expect(await store.listGroups({})).toEqual(before);
        // validity is part of the kept counts: the invalid b200 1k/1k point drops out
        expect(summary(await store.listGroups({ model: ["dsr1"], validOnly: true }))).toEqual([
          ["h200", 1024, "imported", 1, "2026-01-09", "2026-01-09"],
          ["h200", 1024, "measured", 2, "2026-01-01", "2026-01-05"],
          ["b200", 8192, "measured", 1, "2026-01-07", "2026-01-07"],
        ]);
        // a date range counts the points themselves
        expect(
          summary(await store.listGroups({ model: ["dsr1"], dateFrom: "2026-01-05" })),
        ).toEqual([
          ["b200", 1024, "measured", 1, "2026-01-05", "2026-01-05"],
          ["h200", 1024, "imported", 1, "2026-01-09", "2026-01-09"],
          ["h200", 1024, "measured", 1, "2026-01-05", "2026-01-05"],
          ["b200", 8192, "measured", 1, "2026-01-07", "2026-01-07"],
        ]);
        expect(await store.listGroups({ dateFrom: "2000-01-01" })).toEqual(before);
        // the migrations that make point_groups fill it from the points already stored (0003's down runs
        // 0002's up)
        await workloadKindMigration.down(store.db as never);
        await workloadKindMigration.up(store.db as never);
        expect(await store.listGroups({})).toEqual(before);
      });

      it("rejects a bad filter with a clear message", async () => {
        await expect(store.queryPoints({ isl: -1 })).rejects.toThrow(/^bad filter: isl: /);
      });
    });

    describe("stored points replaced by a batch (importers)", () => {
      it("gives an importer's decision the stored points of its runs by link and day, read in its transaction", async () => {
        const a = linked({ concurrency: 4, date: "2026-01-10" });
        const b = linked({ concurrency: 8, date: "2026-01-11" });
        const other = linked({ concurrency: 4, date: "2026-01-10", ciUrl: `${RUN}0` });
        await store.ingest([a, b, other, makePoint({ date: "2026-01-10" })]);
        const seen: StoredPoint[][] = [];
        const runs = [
          { link: RUN, day: "2026-01-10" },
          { link: `${RUN}0`, day: "2026-01-11" },
        ];
        const c = linked({ concurrency: 16, date: "2026-01-10" });
        const result = await store.ingest([c, a], {
          dedupe: {
            runs,
            decide: (stored) => {
              seen.push([...stored]);
              return { leftOut: new Map([[1, { row: 7, reason: "stored already" }]]) };
            },
          },
        });
        expect(seen.map((found) => found.map((s) => [s.id, s.point]))).toEqual([[[pointId(a), a]]]);
        expect(result).toMatchObject({
          inserted: 1,
          unchanged: 0,
          skipped: 1,
          leftOut: [{ row: 7, reason: "stored already" }],
          ids: [pointId(c), pointId(a)],
        });
        await store.ingest([], {
          dedupe: {
            runs: [],
            decide: (stored) => {
              seen.push([...stored]);
              return {};
            },
          },
        });
        expect(seen[1]).toEqual([]);
      });

      it("runs ingests of two stores on one database one at a time, their reads included", async () => {
        // each takes the store's write lock when it begins; on SQLite the main connection waits for it
        // without blocking the event loop, where the other store's transaction has to finish
        const other = await openStore(target.url);
        try {
          const dedupe = { runs: [{ link: RUN, day: "2026-01-10" }], decide: () => ({}) };
          const results = await Promise.all(
            [1, 2, 3, 4].map((concurrency) =>
              (concurrency % 2 ? store : other).ingest(
                [linked({ concurrency, date: "2026-01-10" })],
                {
                  dedupe,
                },
              ),
            ),
          );
          expect(results.map((r) => r.inserted)).toEqual([1, 1, 1, 1]);
          expect(await count(store, "points")).toBe(4);
        } finally {
          await other.close();
        }
      });

      it("takes the replaced points out with their details; latest points and group counts follow", async () => {
        const poor = linked({ concurrency: 4, date: "2026-01-10T12:00:00Z" });
        poor.energy = {
          kind: "measured",
          valid: true,
          reasons: [],
          samples: [{ t: 0, gpu: 0, watts: 500 }],
        };
        const older = linked({ concurrency: 4, date: "2026-01-09", ciUrl: `${RUN}9` });
        await store.ingest([poor, older], { requests: [[{ seq: 1 }], undefined] });
        expect((await store.queryPoints({ latest: true })).map((s) => s.id)).toEqual([
          pointId(poor),
        ]);

        const rich = linked({ concurrency: 4, date: "2026-01-10T12:00:00Z", p99: 0.03 });
        const result = await store.ingest([rich], {
          path: "rich.json",
          dedupe: replacing(pointId(poor)),
          requests: [[{ seq: 2 }]],
        });
        expect(result).toMatchObject({ inserted: 1, unchanged: 0, replaced: 1 });
        expect(await ids(store, "points")).toEqual([pointId(older), pointId(rich)].sort());
        // the replaced point's run is the rich copy's too: it stays
        expect(await runsAndConfigurations(store)).toEqual({
          runs: [
            [RUN, "2026-01-10T12:00:00Z"],
            [`${RUN}9`, "2026-01-09"],
          ],
          configurations: ["fp8"],
        });
        expect(await ids(store, "request_records")).toEqual([pointId(rich)]);
        expect(await ids(store, "power_samples")).toEqual([]);
        expect((await store.queryPoints({ latest: true })).map((s) => s.id)).toEqual([
          pointId(rich),
        ]);
        // the counts kept at ingest are those of the points stored
        const groups = await store.listGroups();
        expect(groups.map((g) => [g.points, g.firstDay, g.lastDay])).toEqual([
          [2, "2026-01-09", "2026-01-10"],
        ]);
        expect(await store.listGroups({ dateFrom: "2000-01-01" })).toEqual(groups);
        const [log] = await store.db
          .selectFrom("ingest_log")
          .select("details")
          .where("path", "=", "rich.json")
          .execute();
        expect(JSON.parse(log!.details!)).toEqual({ replaced: [pointId(poor)] });
      });

      it("falls back to the level's next latest point, and takes out a group, run and configuration the replaced points were alone in", async () => {
        const poor = linked({ concurrency: 4, date: "2026-01-10" });
        const older = linked({ concurrency: 4, date: "2026-01-09", ciUrl: `${RUN}9` });
        const alone = linked({ concurrency: 8, date: "2026-01-10", ciUrl: `${RUN}8` });
        alone.config.precision = "fp4";
        await store.ingest([poor, older, alone]);
        // a batch of another level replacing both: the level falls back to its older point, fp4 has no group left
        const other = linked({ concurrency: 16, date: "2026-01-12", ciUrl: `${RUN}2` });
        await store.ingest([other], { dedupe: replacing(pointId(poor), pointId(alone)) });
        expect((await store.queryPoints({ latest: true })).map((s) => s.id).sort()).toEqual(
          [pointId(older), pointId(other)].sort(),
        );
        const groups = await store.listGroups();
        expect(groups.map((g) => [g.precision, g.points, g.firstDay, g.lastDay])).toEqual([
          ["fp8", 2, "2026-01-09", "2026-01-12"],
        ]);
        expect(await store.listGroups({ dateFrom: "2000-01-01" })).toEqual(groups);
        expect(await runsAndConfigurations(store)).toEqual({
          runs: [
            [`${RUN}2`, "2026-01-12"],
            [`${RUN}9`, "2026-01-09"],
          ],
          configurations: ["fp8"],
        });
      });

      it("takes out the run a replaced point leaves without points, its richer copy from another run", async () => {
        const poor = linked({ concurrency: 4, date: "2026-01-10" });
        await store.ingest([poor]);
        const rich = linked({ concurrency: 4, date: "2026-01-10", p99: 0.03 });
        rich.run.host = "ci-2";
        await store.ingest([rich], { dedupe: replacing(pointId(poor)) });
        expect(await store.db.selectFrom("runs").select(["id", "host"]).execute()).toEqual([
          { id: (await store.getPoint(pointId(rich)))!.runId, host: "ci-2" },
        ]);
      });

      it("offers removeDuplicates the points that share level, source, date and run link, and only those", async () => {
        const a = linked({ concurrency: 4, date: "2026-01-10" });
        const b = linked({ concurrency: 4, date: "2026-01-10", p99: 0.03 });
        const lone = linked({ concurrency: 8, date: "2026-01-10" });
        await store.ingest([a, b, lone, makePoint({ concurrency: 4, date: "2026-01-10" })]);
        const offered: string[] = [];
        await expect(
          store.removeDuplicates((candidates) => {
            offered.push(...candidates.map((c) => c.id));
            return [{ id: pointId(lone), keptId: pointId(b) }];
          }),
        ).rejects.toThrow(`removeDuplicates: "${pointId(lone)}" is not a candidate's id`);
        expect(offered).toEqual([pointId(a), pointId(b)].sort());
        expect(await count(store, "points")).toBe(4);
      });

      it("offers removeDuplicates the copies of a measured point's run known by its run id alone (no CI link)", async () => {
        /** A measured point of one level; `p99` gives it one statistic more (a richer copy), `runId` its run. */
        const measured = (p99?: number, runId?: string) => {
          const p = makePoint({ concurrency: 4, date: "2026-01-10" });
          if (p99 !== undefined) p.metrics.itl = { median: 0.02, p99 };
          if (runId !== undefined) p.run.runId = runId;
          return p;
        };
        const run = "5c0f7e6e-1111-4222-8333-944455556666";
        const [a, b] = [measured(undefined, run), measured(0.03, run)];
        // the same level and date without a run id: another run, never a copy
        await store.ingest([a, b, measured(0.04)]);
        const offered: string[] = [];
        await store.removeDuplicates((candidates) => {
          offered.push(...candidates.map((c) => c.id));
          return [];
        });
        // before: none, as only a CI link tied copies together
        expect(offered).toEqual([pointId(a), pointId(b)].sort());
      });

      it(`removes ${PAIRS.toLocaleString("en")} copies in one call; latest points and group counts follow`, async () => {
        const rich: string[] = [];
        for (let start = 0; start < PAIRS; start += 5_000) {
          const points: PointResult[] = [];
          for (let i = start; i < start + 5_000; i++)
            points.push(copyOf(i, true), copyOf(i, false));
          rich.push(...points.filter((_, k) => k % 2 === 0).map(pointId));
          await store.ingest(points, { validated: true });
        }
        // a run that holds only a poor copy goes with it
        await store.ingest([copyOf(PAIRS, true), copyOf(PAIRS, false, "ci-lone")]);
        rich.push(pointId(copyOf(PAIRS, true)));
        const runsBefore = await count(store, "runs");

        const result = await store.removeDuplicates((candidates) => {
          // each measurement's own level: its poor copy goes, its rich one stays
          const keptOf = new Map(
            candidates
              .filter((c) => c.point.metrics.itl)
              .map((c) => [c.point.config.load.concurrency, c.id]),
          );
          return candidates
            .filter((c) => !c.point.metrics.itl)
            .map((c) => ({ id: c.id, keptId: keptOf.get(c.point.config.load.concurrency)! }));
        });

        expect(result.removed).toHaveLength(PAIRS + 1);
        expect(result).toMatchObject({ runs: 1, configurations: 0 });
        expect(await count(store, "points")).toBe(PAIRS + 1);
        expect(await count(store, "runs")).toBe(runsBefore - 1);
        const latest = await store.queryPoints({ latest: true });
        expect(latest.map((s) => s.id).sort()).toEqual([...rich].sort());
        const groups = await store.listGroups();
        expect(groups.map((g) => g.points)).toEqual([PAIRS + 1]);
        expect(await store.listGroups({ dateFrom: "2000-01-01" })).toEqual(groups);
      });

      it("offers removeDuplicates each measurement whole, once, however many candidates (read a page at a time)", async () => {
        // three copies of each of 1,500 measurements: 4,500 candidates, read in pages of 2,000 rows that end
        // inside a measurement
        const points: PointResult[] = [];
        for (let i = 0; i < 1_500; i++)
          for (const host of ["ci-1", "ci-2", "ci-3"])
            points.push(copyOf(i, host === "ci-3", host));
        await store.ingest(points, { validated: true });
        const offered: string[][] = [];
        const result = await store.removeDuplicates(
          (candidates) => {
            offered.push(candidates.map((c) => c.id));
            const levels = new Set(candidates.map((c) => c.point.config.load.concurrency));
            if (levels.size !== 1) throw new Error(`a call with ${levels.size} measurements`);
            const kept = candidates.find((c) => c.point.metrics.itl)!;
            return candidates.filter((c) => c !== kept).map((c) => ({ id: c.id, keptId: kept.id }));
          },
          { dryRun: true },
        );
        expect(offered.map((ids) => ids.length)).toEqual(Array(1_500).fill(3));
        expect(offered.flat().sort()).toEqual(points.map(pointId).sort());
        // the runs of hosts ci-1 and ci-2 (50 links each) held only the poorer copies
        expect(result).toMatchObject({ runs: 100, configurations: 0 });
        expect(result.removed).toHaveLength(3_000);
        expect(await count(store, "points")).toBe(4_500);
      });

      it("refuses an id that is not a point id, writing nothing", async () => {
        await expect(
          store.ingest([makePoint()], { dedupe: replacing("x'); drop table points; --") }),
        ).rejects.toThrow(`replaces: "x'); drop table points; --" is not a point id`);
        expect(await ids(store, "points")).toEqual([]);
      });
    });
  });
}

describe("opening bad databases", () => {
  it("refuses a file that is not SQLite", async () => {
    const target = await DIALECTS[0]!.create();
    writeFileSync(target.url, "this is a text file, not a database\n");
    await expect(openStore(target.url)).rejects.toThrow(StoreOpenError);
    await expect(openStore(target.url)).rejects.toThrow(`${target.url} is not an SQLite database`);
    await target.cleanup();
  });

  it("refuses an SQLite database of another application, leaving it as it was", async () => {
    const target = await DIALECTS[0]!.create();
    try {
      const other = newDatabase(target.url);
      other.exec(
        "create table users (id integer primary key, name text); insert into users (name) values ('a')",
      );
      other.close();
      const tablesOf = () => {
        const db = newDatabase(target.url, { readonly: true });
        try {
          return db.prepare("select name from sqlite_master where type = 'table'").pluck().all();
        } finally {
          db.close();
        }
      };
      // a mistyped --db that named another program's database: a read (export) or an ingest made infermark's
      // eleven tables in it
      for (const create of [false, true])
        await expect(openStore(target.url, { create })).rejects.toThrow(
          `${target.url} is an SQLite database of another program (its tables: users), not an infermark store: give another --db path`,
        );
      expect(tablesOf()).toEqual(["users"]);
      // an empty SQLite file (no tables yet) becomes a store, as an absent one does
      const empty = `${target.url}-empty.db`;
      newDatabase(empty).close();
      const store = await openStore(empty);
      try {
        expect(await store.ingest([makePoint()])).toMatchObject({ inserted: 1 });
      } finally {
        await store.close();
      }
    } finally {
      await target.cleanup();
    }
  });

  it("refuses an unreachable PostgreSQL with one line", async () => {
    const error = await openStore("postgres://u:secret@127.0.0.1:1/db").catch((e: Error) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toMatch(
      /^cannot connect to PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db: .*ECONNREFUSED/,
    );
    expect((error as Error).message).not.toContain("secret");
  });

  it("never says a password given as a URL parameter (?password=), as pg takes one", async () => {
    const url =
      "postgres://u@127.0.0.1:1/db?sslmode=disable&password=s3cret%20pw&application_name=x";
    const error = await openStore(url).catch((e: Error) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toMatch(
      /^cannot connect to PostgreSQL at postgres:\/\/u@127\.0\.0\.1:1\/db\?sslmode=disable&password=\*\*\*&application_name=x: /,
    );
    expect(storeLocation("postgres://u:a@h/db?PASSWORD=b&sslpassword=c")).toBe(
      "postgres://u:***@h/db?PASSWORD=***&sslpassword=***",
    );
  });

  it("never says a password pg reads from a parameter name percent-encoded, after a #, or in a URL that does not parse", async () => {
    // pg decodes a parameter's name: `pass%77ord` is its password
    const encoded = await openStore("postgres://u@127.0.0.1:1/db?pass%77ord=pw-secret-1&a=1").catch(
      (e: Error) => e,
    );
    expect((encoded as Error).message).toMatch(
      /^cannot connect to PostgreSQL at postgres:\/\/u@127\.0\.0\.1:1\/db\?pass%77ord=\*\*\*&a=1: /,
    );
    // an unencoded # in a password starts a fragment, which pg does not read; nothing of it is shown
    expect(storeLocation("postgres://u@h/db?password=pw-se#cret-2")).toBe(
      "postgres://u@h/db?password=***",
    );
    // a / or # in the user part's password, or a port out of range: where the password ends cannot be told
    for (const url of [
      "postgres://u:pw/secret-3@127.0.0.1:5432/db",
      "postgres://u:pw#secret-3@127.0.0.1:5432/db",
      "postgres://u:pw-secret-3@127.0.0.1:99999/db?user=a@b&password=pw-secret-3",
    ]) {
      const error = await openStore(url).catch((e: Error) => e);
      expect(error).toBeInstanceOf(StoreOpenError);
      expect((error as Error).message).toBe(
        "cannot connect to PostgreSQL at postgres://(a URL that does not parse: check its port, and percent-encode special characters of its user and password, / as %2F, # as %23, ? as %3F): Invalid URL",
      );
    }
  });

  it("refuses a PostgreSQL URL without its // instead of creating an SQLite file named after it", async () => {
    // relative paths: SQLite would create the first in the working directory, its name holding the password
    const mistyped = ["postgres:u:pw-secret-4@127.0.0.1", "postgresql:/u:pw-secret-4@127.0.0.1/db"];
    try {
      for (const url of mistyped) {
        for (const create of [true, false])
          await expect(openStore(url, { create })).rejects.toThrow(
            new StoreOpenError(
              "a PostgreSQL URL begins postgres:// or postgresql:// (postgres://user:password@host:5432/db); this one does not (not repeated: it may hold a password)",
            ),
          );
        expect(storeLocation(url)).toBe("postgres:(a URL without // after postgres:, not shown)");
        expect(existsSync(url)).toBe(false);
      }
    } finally {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${mistyped[0]}${suffix}`, { force: true });
    }
  });

  it("refuses an unknown URL scheme", async () => {
    await expect(openStore("mysql://x/y")).rejects.toThrow(
      /unsupported database URL "mysql:\/\/\.\.\."/,
    );
  });

  it("uses INFERMARK_DB when no URL is given", async () => {
    const target = await DIALECTS[0]!.create();
    const { resolveDbUrl } = await import("../src/index.js");
    expect(resolveDbUrl(undefined, { INFERMARK_DB: target.url })).toBe(target.url);
    expect(resolveDbUrl(undefined, {})).toBe("infermark.db");
    expect(resolveDbUrl("x.db", { INFERMARK_DB: target.url })).toBe("x.db");
    // an empty variable is an unset one, but an empty URL given is a mistake, not a request for the default
    expect(resolveDbUrl(undefined, { INFERMARK_DB: " " })).toBe("infermark.db");
    expect(() => resolveDbUrl("", { INFERMARK_DB: target.url })).toThrow(StoreOpenError);
    // an empty SQLite file name is a temporary database, deleted on close
    expect(() => resolveDbUrl(undefined, { INFERMARK_DB: "sqlite:" })).toThrow(
      '"sqlite:" names no SQLite file: give its path after sqlite:, or a postgres:// URL',
    );
    await target.cleanup();
  });
});

const postgres = DIALECTS.find((d) => d.name === "postgres")!;

describe.skipIf(postgres.skip)("PostgreSQL schemas", () => {
  it("keeps two infermark schemas of one database apart, each migrated on its own", async () => {
    const [one, two] = [await postgres.create(), await postgres.create()];
    try {
      const a = await openStore(one.url);
      await a.ingest([makePoint({ concurrency: 4 })]);
      await a.close();
      // the second schema used to find the first one's migration tables and fail
      const b = await openStore(two.url);
      expect(await b.queryPoints()).toEqual([]);
      await b.ingest([makePoint({ concurrency: 8 }), makePoint({ concurrency: 16 })]);
      await b.close();
      const again = await openStore(one.url);
      expect((await again.queryPoints()).map((p) => p.point.config.load.concurrency)).toEqual([4]);
      await again.close();
    } finally {
      await one.cleanup();
      await two.cleanup();
    }
  });

  it("refuses a search_path whose schema does not exist, with one line", async () => {
    const url = new URL(PG_URL!);
    url.searchParams.set("options", "-c search_path=no_such_schema_here");
    await expect(openStore(url.toString())).rejects.toThrow(
      /^no schema to write to at postgres:\/\/.*: the schemas of its search_path do not exist/,
    );
  });
});
