import type { PointResult } from "@infermark/core";
import type { Kysely } from "kysely";
import type { StoredPoint } from "./query.js";
import type { StoreDatabase } from "./schema.js";

/** One run as an importer knows it: its link, and a day it measured on (the day index finds its points). */
export interface RunDay {
  ciUrl: string;
  /** YYYY-MM-DD */
  day: string;
}

/** Values per `IN (...)` list: far below SQLite's 32,766 parameters and PostgreSQL's 65,535. */
const PER_LIST = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += PER_LIST) out.push(items.slice(i, i + PER_LIST));
  return out;
}

/**
 * The stored points measured on the given days by the runs with the given links: where an importer looks for a
 * measurement stored by an earlier import, to compare it with a new row.
 * @example await pointsOfRuns(db, [{ ciUrl: "https://github.com/o/r/actions/runs/1", day: "2026-01-10" }])
 */
export async function pointsOfRuns(
  db: Kysely<StoreDatabase>,
  runs: readonly RunDay[],
): Promise<StoredPoint[]> {
  const wanted = new Set(runs.map((r) => `${r.day}|${r.ciUrl}`));
  const days = [...new Set(runs.map((r) => r.day))];
  const links = [...new Set(runs.map((r) => r.ciUrl))];
  const found = new Map<string, StoredPoint>();
  for (const someDays of chunks(days))
    for (const someLinks of chunks(links)) {
      const rows = await db
        .selectFrom("points as p")
        .innerJoin("runs as r", "r.id", "p.run_id")
        .select(["p.id", "p.run_id", "p.json", "p.day", "r.ci_url"])
        .where("p.day", "in", someDays)
        .where("r.ci_url", "in", someLinks)
        .orderBy("p.id")
        .execute();
      for (const r of rows)
        if (wanted.has(`${r.day}|${r.ci_url}`))
          found.set(r.id, { id: r.id, runId: r.run_id, point: JSON.parse(r.json) as PointResult });
    }
  return [...found.values()];
}
