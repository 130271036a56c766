import { randomUUID } from "node:crypto";
import type { PointResult } from "@infermark/core";
import { type Kysely, sql } from "kysely";
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

/** The temporary table of the candidates: their ids in the order `find` is given them (`seq`), to read by pages. */
const CANDIDATES = "dedupe_candidates";
/** Candidates read at a time, with their JSON: a page, cut after its last whole measurement. */
const CANDIDATE_PAGE = 2_000;

/**
 * The statements of `removeDuplicates`. `fill` makes the table of the candidates: the linked points that share their
 * level (`level_hash`: the grouping of core's `levelKey`), source, date and run link with another point, numbered in
 * measurement order, so `find` can be given one measurement at a time, and within one in the order they were stored
 * (the ingest's time, then the id), so that of copies with the same values `find` can keep the first stored (an
 * ingest's log row is always there; coalesce only makes both dialects sort alike). `page` reads the candidates after
 * a number with what `find` needs, `counts` how many points each of their runs and configurations holds.
 */
function candidateStatements(db: Kysely<StoreDatabase>) {
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
  const numbered = readOf(
    linked()
      .where((eb) =>
        eb(
          eb.tuple(eb.ref("p.level_hash"), eb.ref("p.source"), eb.ref("p.date"), RUN_LINK),
          "in",
          repeated,
        ),
      )
      .leftJoin("ingest_log as l", "l.id", "p.ingest_id")
      .select((eb) => [
        sql<number>`row_number() over (order by p.level_hash, p.source, p.date, ${RUN_LINK}, ${eb.fn.coalesce("l.at", eb.val(""))}, p.id)`.as(
          "seq",
        ),
        "p.id",
      ])
      .compile(),
  );
  const ofCandidates = `FROM ${CANDIDATES} c JOIN points p ON p.id = c.id`;
  const pointsOf = (column: "run_id" | "configuration_id"): Read => ({
    sql: `SELECT ${column} AS id, count(*) AS n FROM points
      WHERE ${column} IN (SELECT p.${column} ${ofCandidates}) GROUP BY ${column}`,
    parameters: [],
  });
  return {
    fill: [
      {
        sql: `CREATE TEMP TABLE ${CANDIDATES} (seq integer PRIMARY KEY, id text NOT NULL)`,
        parameters: [],
      },
      {
        sql: `INSERT INTO ${CANDIDATES} (seq, id) ${numbered.sql}`,
        parameters: numbered.parameters,
      },
    ] satisfies Read[],
    page: (after: number): Read =>
      readOf(
        sql`SELECT c.seq, p.id, p.run_id, p.configuration_id, p.json, p.level_hash, p.source, p.date,
          ${RUN_LINK} AS link ${sql.raw(ofCandidates)} JOIN runs r ON r.id = p.run_id
          WHERE c.seq > ${after} ORDER BY c.seq LIMIT ${sql.lit(CANDIDATE_PAGE)}`.compile(db),
      ),
    counts: [pointsOf("run_id"), pointsOf("configuration_id")],
    drop: { sql: `DROP TABLE ${CANDIDATES}`, parameters: [] } satisfies Read,
  };
}

const measurementOf = (row: ReadRows[number]) =>
  `${row.level_hash}|${row.source}|${row.date}|${row.link}`;

/** A copy `find` named, with the run and configuration it leaves (perhaps) without points. */
interface Found extends RemovedCopy {
  run: string;
  configuration: string;
}

/**
 * `find`'s copies, asked one measurement at a time, reading the candidates a page at a time (`page(after)`, in
 * measurement order): only a page's points are held and parsed at once, however many candidates the store holds.
 * The last measurement of a full page may go on in the next: its rows wait for that page.
 */
async function findCopies(
  readPage: (after: number) => Promise<ReadRows>,
  find: (candidates: readonly StoredPoint[]) => readonly RemovedCopy[],
): Promise<Found[]> {
  const removed = new Map<string, Found>();
  const ask = (rows: ReadRows) => {
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    const points = rows.map((r) => ({
      id: r.id as string,
      runId: r.run_id as string,
      point: JSON.parse(r.json as string) as PointResult,
    }));
    for (const c of find(points)) {
      const row = byId.get(c.id);
      if (!row || !isPointId(c.id))
        throw new IngestError(`removeDuplicates: "${c.id}" is not a candidate's id`);
      // once each: the counts of runs and configurations left empty count each removed point once
      removed.set(c.id, {
        ...c,
        run: row.run_id as string,
        configuration: row.configuration_id as string,
      });
    }
  };
  let waiting: ReadRows = [];
  for (let after = 0; ; ) {
    const page = await readPage(after);
    const rows = [...waiting, ...page];
    if (rows.length === 0) break;
    after = page.length > 0 ? Number(page.at(-1)!.seq) : after;
    // a full page may end inside a measurement: keep its last measurement's rows for the next page
    const full = page.length === CANDIDATE_PAGE;
    let end = rows.length;
    if (full) {
      const last = measurementOf(rows.at(-1)!);
      while (end > 0 && measurementOf(rows[end - 1]!) === last) end--;
    }
    for (let start = 0; start < end; ) {
      const key = measurementOf(rows[start]!);
      let stop = start + 1;
      while (stop < end && measurementOf(rows[stop]!) === key) stop++;
      ask(rows.slice(start, stop));
      start = stop;
    }
    waiting = rows.slice(end);
    if (!full) break;
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
  const statements = candidateStatements(db);
  let sink: IngestSink;
  try {
    sink = await begin(0, statements.fill);
  } catch (error) {
    throw writeFailed(error);
  }
  try {
    const found = await findCopies(
      async (after) => (await sink.read([statements.page(after)]))[0]!,
      find,
    );
    const [runs, configurations] = (await sink.read(statements.counts)) as [ReadRows, ReadRows];
    await sink.read([statements.drop]);
    const removed = found.map(({ id, keptId }) => ({ id, keptId }));
    const result: DuplicatesRemoved = {
      removed,
      runs: leftEmpty(
        found.map((c) => c.run),
        runs,
      ),
      configurations: leftEmpty(
        found.map((c) => c.configuration),
        configurations,
      ),
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
