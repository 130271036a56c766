import { randomUUID } from "node:crypto";
import type { PointResult } from "@infermark/core";
import type { Kysely } from "kysely";
import {
  type IngestSink,
  type OpenedDatabase,
  type Read,
  type ReadRows,
  readOf,
} from "./dialects/types.js";
import { IngestError, writeFailed } from "./errors.js";
import { RUN_LINK } from "./points-of-runs.js";
import type { StoredPoint } from "./query.js";
import { isPointId } from "./replace-points.js";
import type { StoreDatabase } from "./schema.js";

/** A stored point that copies another: taken out, the other kept in its place. */
export interface RemovedCopy {
  id: string;
  /** The point kept: the same measurement, with every value of the removed one. */
  keptId: string;
}

/** What `removeDuplicates` took out (or, in a dry run, would take out). */
export interface DuplicatesRemoved {
  removed: RemovedCopy[];
  /** Runs left without points, taken out with them. */
  runs: number;
  /** Configurations left without points, taken out with them. */
  configurations: number;
  /** The ingest log row that records it (absent in a dry run, or when nothing was removed). */
  ingestId?: string;
}

/** Options of `Store.removeDuplicates`. */
export interface RemoveDuplicatesOptions {
  /**
   * Find and count, write nothing.
   * @default false
   */
  dryRun?: boolean;
}

/**
 * The reads of `removeDuplicates`: the linked points that share their level (`level_hash`: the grouping of core's
 * `levelKey`), source, date and run link with another point, the candidates for copies of one measurement;
 * then how many points each of their runs and configurations holds.
 */
function candidateReads(db: Kysely<StoreDatabase>): Read[] {
  const linked = () =>
    db
      .selectFrom("points as p")
      .innerJoin("runs as r", "r.id", "p.run_id")
      .where(RUN_LINK, "is not", null);
  const repeated = linked()
    .select(["p.level_hash", "p.source", "p.date", RUN_LINK.as("link")])
    .groupBy(["p.level_hash", "p.source", "p.date", RUN_LINK])
    .having((eb) => eb.fn.countAll(), ">", 1)
    .$asTuple("level_hash", "source", "date", "link");
  const candidates = linked().where((eb) =>
    eb(
      eb.tuple(eb.ref("p.level_hash"), eb.ref("p.source"), eb.ref("p.date"), RUN_LINK),
      "in",
      repeated,
    ),
  );
  const pointsOf = (column: "run_id" | "configuration_id") =>
    db
      .selectFrom("points")
      .select([`${column} as id`, (eb) => eb.fn.countAll().as("n")])
      .where(column, "in", candidates.select(`p.${column}`))
      .groupBy(column);
  return [
    // in measurement order, so `find` can be given one measurement at a time; within one, in the order they
    // were stored (the ingest's time, then the id), so that of copies with the same values `find` can keep
    // the first stored (an ingest's log row is always there; coalesce only makes both dialects sort alike)
    candidates
      .leftJoin("ingest_log as l", "l.id", "p.ingest_id")
      .select(["p.id", "p.run_id", "p.configuration_id", "p.json", ...MEASUREMENT])
      .orderBy("p.level_hash")
      .orderBy("p.source")
      .orderBy("p.date")
      .orderBy(RUN_LINK)
      .orderBy((eb) => eb.fn.coalesce("l.at", eb.val("")))
      .orderBy("p.id"),
    pointsOf("run_id"),
    pointsOf("configuration_id"),
  ].map((q) => readOf(q.compile()));
}

/** What sets one measurement's candidates apart from another's: level, source, date and run link (`RUN_LINK`). */
const MEASUREMENT = ["p.level_hash", "p.source", "p.date", RUN_LINK.as("link")] as const;
const measurementOf = (row: ReadRows[number]) =>
  `${row.level_hash}|${row.source}|${row.date}|${row.link}`;

/**
 * `find`'s copies, asked one measurement at a time (the candidates come in measurement order): only one
 * measurement's points are parsed at once, and each candidate's JSON is let go once its measurement is done.
 */
function findCopies(
  candidates: ReadRows,
  find: (candidates: readonly StoredPoint[]) => readonly RemovedCopy[],
): RemovedCopy[] {
  const removed = new Map<string, RemovedCopy>();
  for (let start = 0; start < candidates.length; ) {
    const key = measurementOf(candidates[start]!);
    let end = start + 1;
    while (end < candidates.length && measurementOf(candidates[end]!) === key) end++;
    const rows = candidates.slice(start, end);
    const ids = new Set(rows.map((r) => r.id as string));
    const points = rows.map((r) => ({
      id: r.id as string,
      runId: r.run_id as string,
      point: JSON.parse(r.json as string) as PointResult,
    }));
    for (const r of rows) r.json = null;
    for (const c of find(points)) {
      if (!ids.has(c.id) || !isPointId(c.id))
        throw new IngestError(`removeDuplicates: "${c.id}" is not a candidate's id`);
      // once each: the counts of runs and configurations left empty count each removed point once
      removed.set(c.id, c);
    }
    start = end;
  }
  return [...removed.values()];
}

/** How many of `ids` (runs or configurations) lose every point they hold when the removed points go. */
function leftEmpty(removed: readonly string[], holds: ReadRows): number {
  const left = new Map(holds.map((r) => [r.id as string, Number(r.n)]));
  for (const id of removed) left.set(id, left.get(id)! - 1);
  return [...left.values()].filter((n) => n === 0).length;
}

/**
 * Takes out stored points that copy another stored point of the same measurement, in one transaction under the
 * store's write lock: `find` is given the linked points that share level, source, date and run link with another,
 * one such measurement at a time, and names the copies to remove (an importer's rule, e.g. the CLI's
 * `findDuplicates`). The removed
 * points go with their details, as a replaced point does (`replaceStatements`: `latest_points` and
 * `point_groups` follow, runs and configurations left without points go too); the ingest log records it (kind
 * `dedupe`, the pairs in its details). A dry run reads and counts the same, and writes nothing.
 * @example await removeDuplicates(opened, (candidates) => [], { dryRun: true })
 */
export async function removeDuplicates(
  { db, begin }: Pick<OpenedDatabase, "db" | "begin">,
  find: (candidates: readonly StoredPoint[]) => readonly RemovedCopy[],
  options: RemoveDuplicatesOptions = {},
): Promise<DuplicatesRemoved> {
  const reads = candidateReads(db);
  let sink: IngestSink;
  try {
    sink = await begin(0, reads);
  } catch (error) {
    throw writeFailed(error);
  }
  try {
    const [candidates, runs, configurations] = sink.found as [ReadRows, ReadRows, ReadRows];
    const removed = findCopies(candidates, find);
    const byId = new Map(candidates.map((r) => [r.id as string, r]));
    const rowsOf = (column: "run_id" | "configuration_id") =>
      removed.map((c) => byId.get(c.id)![column] as string);
    const result: DuplicatesRemoved = {
      removed,
      runs: leftEmpty(rowsOf("run_id"), runs),
      configurations: leftEmpty(rowsOf("configuration_id"), configurations),
    };
    if (options.dryRun || removed.length === 0) {
      await sink.abort();
      return result;
    }
    const ingestId = randomUUID();
    sink.start(removed.map((c) => c.id));
    await sink.commit(
      {
        id: ingestId,
        at: new Date().toISOString(),
        kind: "dedupe",
        path: null,
        status: "ok",
        skipped: 0,
        reason: null,
        details: JSON.stringify({ removed }),
      },
      0,
    );
    return { ...result, ingestId };
  } catch (error) {
    await sink.abort();
    throw writeFailed(error);
  }
}
