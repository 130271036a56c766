import type { PointResult } from "@infermark/core";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, pointId, QueryError, type Store } from "../src/index.js";
import { DIALECTS, makePoint, migrateDownTo, type TestDatabase } from "./helpers.js";

/**
 * Pairs of run dates of one level, the earlier instant first, where the later instant sorts first as written text:
 * another UTC offset, a space before the time, a fraction of a second.
 */
const PAIRS: [earlier: string, later: string][] = [
  ["2026-07-01T12:00:00+05:00", "2026-07-01T08:00:00Z"],
  ["2026-07-02T01:00:00Z", "2026-07-02 23:00:00Z"],
  ["2026-07-03T10:00:00Z", "2026-07-03T10:00:00.5Z"],
];

/** The points of PAIRS: pair i at concurrency i + 1, its earlier point of throughput 1, its later of throughput 2. */
const pairPoints = (): [earlier: PointResult[], later: PointResult[]] => [
  PAIRS.map(([date], i) => makePoint({ concurrency: i + 1, date, tputPerGpu: 1 })),
  PAIRS.map(([, date], i) => makePoint({ concurrency: i + 1, date, tputPerGpu: 2 })),
];

/** Throughput (1 earlier, 2 later) of each level's point, by concurrency. */
const byLevel = (stored: { point: PointResult }[]) =>
  stored
    .map((s) => [s.point.config.load.concurrency, s.point.metrics.tputPerGpu])
    .sort((a, b) => a[0]! - b[0]!);

const ALL_LATER = [
  [1, 2],
  [2, 2],
  [3, 2],
];

for (const dialect of DIALECTS) {
  describe.skipIf(dialect.skip)(`run dates over ${dialect.name}`, () => {
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

    /** The latest point of each level by every path: the one kept at ingest, and ranked in SQL (validOnly, dateTo). */
    const latestEveryWay = async () => ({
      kept: byLevel(await store.queryPoints({ latest: true })),
      ranked: byLevel(await store.queryPoints({ latest: true, validOnly: true })),
      asOf: byLevel(await store.queryPoints({ latest: true, dateTo: "2026-07-31" })),
    });

    it("takes the latest point of a level by time, whatever the offset, separator or fraction of its date", async () => {
      const [earlier, later] = pairPoints();
      // later first, then earlier: the ingest-time upsert must keep the later instant
      await store.ingest(later);
      await store.ingest(earlier);
      const expected = { kept: ALL_LATER, ranked: ALL_LATER, asOf: ALL_LATER };
      expect(await latestEveryWay()).toEqual(expected);
      // one batch of both: the batch's own newest point of each level
      await store.close();
      await target.cleanup();
      target = await dialect.create();
      store = await openStore(target.url);
      await store.ingest([...earlier, ...later]);
      expect(await latestEveryWay()).toEqual(expected);
      // the points come back as written, under the ids of their content
      const stored = await store.queryPoints({});
      expect(stored.map((s) => s.point.run.date).sort()).toEqual(PAIRS.flat().sort());
      expect(stored.every((s) => s.id === pointId(s.point))).toBe(true);
    });

    it("filters and lists the day as written in the run date, not its UTC day", async () => {
      // 2026-07-02 04:00 UTC, measured on the evening of July 1st where it ran
      await store.ingest([makePoint({ date: "2026-07-01T23:00:00-05:00" })]);
      expect(await store.listDates({})).toEqual(["2026-07-01"]);
      expect(
        await store.queryPoints({ dateFrom: "2026-07-01", dateTo: "2026-07-01" }),
      ).toHaveLength(1);
      expect(await store.queryPoints({ dateFrom: "2026-07-02" })).toHaveLength(0);
      expect((await store.listGroups({ dateTo: "2026-07-01" })).map((g) => g.firstDay)).toEqual([
        "2026-07-01",
      ]);
    });

    it("refuses a date filter that is not YYYY-MM-DD with a QueryError, where it matched nothing", async () => {
      await store.ingest([makePoint({ date: "2026-07-01" })]);
      const message = /^bad filter: dateFrom: expected a day written YYYY-MM-DD \(2026-07-01\)$/;
      for (const query of [
        () => store.queryPoints({ dateFrom: "2026-07-01T00:00:00Z" }),
        () => store.listDates({ dateFrom: "07/01/2026" }),
        () => store.listGroups({ dateFrom: "2026-7-1" }),
      ]) {
        await expect(query()).rejects.toThrow(QueryError);
        await expect(query()).rejects.toThrow(message);
      }
      await expect(store.queryPoints({ dateTo: "2026-07-01T23:59" })).rejects.toThrow(
        /^bad filter: dateTo: expected a day written YYYY-MM-DD \(2026-07-01\)$/,
      );
    });

    it("migrates every page of a store larger than one page of the migration (1,000 points)", async () => {
      // 2,500 levels, their dates in two forms of one instant and in a third instant
      const forms = [
        "2026-07-01T12:00:00+05:00",
        "2026-07-01 07:00:00Z",
        "2026-07-02T01:00:00.25Z",
      ];
      const points = Array.from({ length: 2_500 }, (_, i) =>
        makePoint({ concurrency: i + 1, date: forms[i % 3]!, tputPerGpu: 1 }),
      );
      await store.ingest(points);
      expect(
        (await migrateDownTo(store, target.url, "0006-software-release")).error,
      ).toBeUndefined();
      for (const r of await store.db.selectFrom("points").select(["id", "json"]).execute())
        await sql`update points set date = ${(JSON.parse(r.json) as PointResult).run.date}
          where id = ${r.id}`.execute(store.db);
      await store.close();
      store = await openStore(target.url);
      const dates = await store.db
        .selectFrom("points")
        .select((eb) => ["date", eb.fn.countAll<number>().as("n")])
        .groupBy("date")
        .orderBy("date")
        .execute();
      expect(dates.map((d) => [d.date, Number(d.n)])).toEqual([
        ["2026-07-01T07:00:00.000Z", 1_667],
        ["2026-07-02T01:00:00.250Z", 833],
      ]);
      expect(await store.queryPoints({ latest: true })).toHaveLength(2_500);
    });

    it("migrates a store that kept dates as written: one UTC form, and the latest points by time", async () => {
      const [earlier, later] = pairPoints();
      await store.ingest([...earlier, ...later]);
      expect(
        (await migrateDownTo(store, target.url, "0006-software-release")).error,
      ).toBeUndefined();
      // what a store of 0006 holds: each date as its JSON writes it, and latest points by those as text
      for (const r of await store.db.selectFrom("points").select(["id", "json"]).execute()) {
        const date = (JSON.parse(r.json) as PointResult).run.date;
        await sql`update points set date = ${date} where id = ${r.id}`.execute(store.db);
      }
      await sql`delete from latest_points`.execute(store.db);
      await sql`insert into latest_points (level_hash, source, model, date, point_id)
        select level_hash, source, model, date, id from (
          select level_hash, source, model, date, id,
            row_number() over (partition by level_hash, source order by date desc, id desc) as rn
          from points
        ) ranked where rn = 1`.execute(store.db);
      expect(byLevel(await store.queryPoints({ latest: true }))).toEqual([
        [1, 1],
        [2, 1],
        [3, 1],
      ]);
      await store.close();
      store = await openStore(target.url);
      expect(await latestEveryWay()).toEqual({
        kept: ALL_LATER,
        ranked: ALL_LATER,
        asOf: ALL_LATER,
      });
      const dates = await store.db
        .selectFrom("points")
        .select(["date", "day"])
        .orderBy("date")
        .execute();
      expect(dates).toEqual([
        { date: "2026-07-01T07:00:00.000Z", day: "2026-07-01" },
        { date: "2026-07-01T08:00:00.000Z", day: "2026-07-01" },
        { date: "2026-07-02T01:00:00.000Z", day: "2026-07-02" },
        { date: "2026-07-02T23:00:00.000Z", day: "2026-07-02" },
        { date: "2026-07-03T10:00:00.000Z", day: "2026-07-03" },
        { date: "2026-07-03T10:00:00.500Z", day: "2026-07-03" },
      ]);
      // the points' JSON and ids are kept
      const stored = await store.queryPoints({});
      expect(stored.map((s) => s.point.run.date).sort()).toEqual(PAIRS.flat().sort());
      expect(stored.every((s) => s.id === pointId(s.point))).toBe(true);
    });
  });
}
