import type { PointResult } from "@infermark/core";
import { type Kysely, sql } from "kysely";
import { type Read, type ReadRows, readOf } from "./dialects/types.js";
import type { StoredPoint } from "./query.js";
import type { StoreDatabase } from "./schema.js";

/** One run as an importer knows it: its link (`runLink`), and a day it measured on (the day index finds its points). */
export interface RunDay {
  /** The run's CI link, else `run:<runId>` (`runLink` of core). */
  link: string;
  /** YYYY-MM-DD */
  day: string;
}

/**
 * The link of a stored run (`runs as r`) in SQL, as core's `runLink` makes it: its CI link, else `run:` and its run id
 * (`||` concatenates in SQLite and PostgreSQL alike); null when it has neither.
 */
export const RUN_LINK = sql<string>`coalesce(r.ci_url, 'run:' || r.run_label)`;

/** Values per `IN (...)` list: far below SQLite's 32,766 parameters and PostgreSQL's 65,535. */
const PER_LIST = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += PER_LIST) out.push(items.slice(i, i + PER_LIST));
  return out;
}

/**
 * The reads that find the stored points measured on the given days by the runs with the given links (the `day`
 * index, then the run link: the run's CI link, else `run:` and its run id, as `runLink` makes it): where an importer looks for a measurement stored by an earlier import, to compare
 * it with a new row. An ingest runs them inside its transaction (`IngestSink.found`); `storedPointsOf` turns
 * their rows into points. `db` only compiles them, for its dialect.
 * @example pointsOfRunsReads(db, [{ link: "https://github.com/o/r/actions/runs/1", day: "2026-01-10" }])
 */
export function pointsOfRunsReads(db: Kysely<StoreDatabase>, runs: readonly RunDay[]): Read[] {
  const days = [...new Set(runs.map((r) => r.day))];
  const links = [...new Set(runs.map((r) => r.link))];
  return chunks(days).flatMap((someDays) =>
    chunks(links).map((someLinks) =>
      readOf(
        db
          .selectFrom("points as p")
          .innerJoin("runs as r", "r.id", "p.run_id")
          .select(["p.id", "p.run_id", "p.json", "p.day", RUN_LINK.as("link")])
          .where("p.day", "in", someDays)
          .where(RUN_LINK, "in", someLinks)
          .compile(),
      ),
    ),
  );
}

/**
 * The points of `pointsOfRunsReads`'s rows that the given runs measured on the given days (the reads cross
 * every day with every link), once each, by id.
 */
export function storedPointsOf(runs: readonly RunDay[], found: readonly ReadRows[]): StoredPoint[] {
  const wanted = new Set(runs.map((r) => `${r.day}|${r.link}`));
  const points = new Map<string, StoredPoint>();
  for (const rows of found)
    for (const r of rows)
      if (wanted.has(`${r.day}|${r.link}`) && !points.has(r.id as string))
        points.set(r.id as string, {
          id: r.id as string,
          runId: r.run_id as string,
          point: JSON.parse(r.json as string) as PointResult,
        });
  return [...points.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
