import { PointFilter, type PointResult, type PointSource, softwareKey } from "@infermark/core";
import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import { QueryError } from "./errors.js";
import { GROUP_KEY } from "./point-groups.js";
import type { StoreDatabase } from "./schema.js";

/** The characters that continue a release's number (0.5.1 then 2 is 0.5.12, another release), as an SQL list. */
const NOT_AFTER_A_RELEASE = sql.raw(`(${[..."0123456789"].map((d) => `'${d}'`).join(", ")})`);

/** A stored point: its content hash, its run and the PointResult itself. */
export interface StoredPoint {
  /** Content hash of the point (stable across databases). */
  id: string;
  /** The id of the run (provenance row) the point belongs to. */
  runId?: string;
  point: PointResult;
}

/** One group of comparable points (a chart's worth): a configuration family and where its points came from. */
export interface PointGroup {
  model: string;
  isl: number;
  osl: number;
  /** core's `workloadKind`: random, sharegpt, jsonl, session x4 [think N ms] */
  workload: string;
  hardware: string;
  framework: string;
  precision: string;
  spec: string;
  disaggregated: boolean;
  source: PointSource;
  points: number;
  firstDay: string;
  lastDay: string;
}

// Query builders over `points as p` with optional joins: the filter code only names p's columns.
// biome-ignore lint/suspicious/noExplicitAny: builders over aliased joins are typed loosely on purpose
type AnyQuery = SelectQueryBuilder<any, any, any>;

/** Parses a filter, throwing a QueryError that names the bad field. */
export function resolveFilter(filter: PointFilter = {}): PointFilter {
  const parsed = PointFilter.safeParse(filter);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new QueryError(`bad filter: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** Adds the per-point conditions of a filter (everything but `latest`) on `p`. */
export function applyFilter<Q extends AnyQuery>(qb: Q, f: PointFilter): Q {
  let q: AnyQuery = qb;
  if (f.model) q = q.where("p.model", "in", f.model);
  if (f.isl !== undefined) q = q.where("p.isl", "=", f.isl);
  if (f.osl !== undefined) q = q.where("p.osl", "=", f.osl);
  if (f.workload) {
    const kinds = f.workload;
    // a bare kind (session) takes every kind of it (session x4 ...), as core's workloadMatches
    const bare = kinds.filter((k) => !k.includes(" "));
    q = q.where((eb) =>
      eb.or([
        eb("p.workload", "in", kinds),
        // the kind and a space as the column's first characters (LIKE would read % and _ in a kind)
        ...bare.map(
          (k) => sql<boolean>`substr(p.workload, 1, ${sql.lit(k.length + 1)}) = ${`${k} `}`,
        ),
      ]),
    );
  }
  if (f.hardware) q = q.where("p.hardware", "in", f.hardware);
  if (f.framework) q = q.where("p.framework", "in", f.framework);
  if (f.precision) q = q.where("p.precision", "in", f.precision);
  if (f.spec) q = q.where("p.spec_method", "in", f.spec);
  if (f.disaggregated !== undefined) q = q.where("p.disaggregated", "=", f.disaggregated ? 1 : 0);
  if (f.image) q = q.where("p.image", "in", f.image);
  if (f.version) {
    // core's versionMatches in SQL: the release, then nothing or anything but a digit (0.5.1 is not 0.5.12)
    const wanted = f.version.map(softwareKey);
    q = q.where((eb) =>
      eb.or(
        wanted.map(
          (v) =>
            sql<boolean>`(substr(p.software, 1, ${sql.lit(v.length)}) = ${v}
              and substr(p.software, ${sql.lit(v.length + 1)}, 1) not in ${NOT_AFTER_A_RELEASE})`,
        ),
      ),
    );
  }
  if (f.source) q = q.where("p.source", "in", f.source);
  if (f.dateFrom) q = q.where("p.day", ">=", f.dateFrom);
  if (f.dateTo) q = q.where("p.day", "<=", f.dateTo);
  if (f.validOnly) q = q.where("p.valid", "=", 1);
  return q as Q;
}

const ORDER = [
  "model",
  "isl",
  "osl",
  "hardware",
  "framework",
  "precision",
  "concurrency",
  "date",
  "id",
];

interface PointRow {
  id: string;
  run_id: string;
  json: string;
  level_hash: string;
  date: string;
}

const toStored = (r: PointRow): StoredPoint => ({
  id: r.id,
  runId: r.run_id,
  point: JSON.parse(r.json) as PointResult,
});

/**
 * The points a filter selects. `latest: true` keeps the newest point of each configuration and load level
 * (`levelKey`) among the points that pass the other conditions, as of `dateTo`.
 */
export async function queryPoints(
  db: Kysely<StoreDatabase>,
  input: PointFilter = {},
): Promise<StoredPoint[]> {
  const f = resolveFilter(input);
  const columns = ["p.id", "p.run_id", "p.json", "p.level_hash", "p.date"] as const;
  if (!f.latest) {
    let q: AnyQuery = applyFilter(db.selectFrom("points as p").select([...columns]), f);
    for (const c of ORDER) q = q.orderBy(`p.${c}`);
    return ((await q.execute()) as PointRow[]).map(toStored);
  }
  // the latest point kept at ingest is the latest of its level whatever its image, release or validity: a filter on
  // those narrows the points before "latest" is taken, so it takes the slow path
  if (!f.dateFrom && !f.dateTo && !f.validOnly && !f.image && !f.version) {
    // Fast path: the latest point of each level and source is maintained at ingest.
    let q: AnyQuery = db
      .selectFrom("latest_points as l")
      .innerJoin("points as p", "p.id", "l.point_id")
      .select([...columns]);
    if (f.model) q = q.where("l.model", "in", f.model);
    if (f.source) q = q.where("l.source", "in", f.source);
    q = applyFilter(q, f);
    for (const c of ORDER) q = q.orderBy(`p.${c}`);
    const rows = (await q.execute()) as PointRow[];
    // A level may have a latest point per source: keep the newest of those the filter admits.
    const best = new Map<string, PointRow>();
    for (const r of rows) {
      const cur = best.get(r.level_hash);
      if (!cur || r.date > cur.date || (r.date === cur.date && r.id > cur.id))
        best.set(r.level_hash, r);
    }
    return rows.filter((r) => best.get(r.level_hash) === r).map(toStored);
  }
  const ranked = applyFilter(
    db
      .selectFrom("points as p")
      .select([
        ...columns,
        ...ORDER.map((c) => `p.${c} as o_${c}`),
        sql<number>`row_number() over (partition by p.level_hash order by p.date desc, p.id desc)`.as(
          "rn",
        ),
      ] as never),
    f,
  );
  let q: AnyQuery = db
    .selectFrom(ranked.as("r") as never)
    .select(["r.id", "r.run_id", "r.json", "r.level_hash", "r.date"] as never)
    .where("r.rn" as never, "=", 1 as never);
  for (const c of ORDER) q = q.orderBy(`r.o_${c}`);
  return ((await q.execute()) as PointRow[]).map(toStored);
}

/** One point by its content hash, or undefined. */
export async function getPoint(
  db: Kysely<StoreDatabase>,
  id: string,
): Promise<StoredPoint | undefined> {
  const row = await db
    .selectFrom("points as p")
    .select(["p.id", "p.run_id", "p.json", "p.level_hash", "p.date"])
    .where("p.id", "=", id)
    .executeTakeFirst();
  return row ? toStored(row) : undefined;
}

/** The request records stored with a point, in their order (empty when none were stored). */
export async function getRequestRecords(
  db: Kysely<StoreDatabase>,
  pointId: string,
): Promise<unknown[]> {
  const rows = await db
    .selectFrom("request_records")
    .select(["json"])
    .where("point_id", "=", pointId)
    .orderBy("seq")
    .execute();
  return rows.map((r) => JSON.parse(r.json) as unknown);
}

/** The groups (model, ISL/OSL, workload kind, GPU, framework, precision, spec, disaggregation, source) that have points. */
export async function listGroups(
  db: Kysely<StoreDatabase>,
  input: PointFilter = {},
): Promise<PointGroup[]> {
  const f = resolveFilter(input);
  // the group key without validity: listGroups reports groups, valid or not (validOnly filters)
  const keys = GROUP_KEY.filter(
    (k): k is Exclude<(typeof GROUP_KEY)[number], "valid"> => k !== "valid",
  );
  // Without a date range the counts kept at ingest answer (validity is a key column of point_groups, so
  // validOnly filters there too); with one, the points themselves are counted.
  // (point_groups keeps no image or release: a filter on them counts the points)
  const fromGroups = !f.dateFrom && !f.dateTo && !f.image && !f.version;
  let q: AnyQuery = applyFilter(
    fromGroups
      ? db
          .selectFrom("point_groups as p")
          .select([
            ...keys.map((k) => `p.${k}` as const),
            sql<number>`sum(p.points)`.as("n"),
            sql<string>`min(p.first_day)`.as("first_day"),
            sql<string>`max(p.last_day)`.as("last_day"),
          ])
      : db
          .selectFrom("points as p")
          .select([
            ...keys.map((k) => `p.${k}` as const),
            sql<number>`count(*)`.as("n"),
            sql<string>`min(p.day)`.as("first_day"),
            sql<string>`max(p.day)`.as("last_day"),
          ]),
    f,
  );
  for (const k of keys) q = q.groupBy(`p.${k}`).orderBy(`p.${k}`);
  const rows = (await q.execute()) as Record<string, unknown>[];
  return rows.map((r) => ({
    model: String(r.model),
    isl: Number(r.isl),
    osl: Number(r.osl),
    workload: String(r.workload),
    hardware: String(r.hardware),
    framework: String(r.framework),
    precision: String(r.precision),
    spec: String(r.spec_method),
    disaggregated: Number(r.disaggregated) === 1,
    source: r.source as PointSource,
    points: Number(r.n),
    firstDay: String(r.first_day),
    lastDay: String(r.last_day),
  }));
}

/** The days (YYYY-MM-DD, ascending) on which points that pass the filter were measured. */
export async function listDates(
  db: Kysely<StoreDatabase>,
  input: PointFilter = {},
): Promise<string[]> {
  const f = resolveFilter(input);
  const q: AnyQuery = applyFilter(
    db.selectFrom("points as p").select("p.day").distinct().orderBy("p.day"),
    f,
  );
  return ((await q.execute()) as { day: string }[]).map((r) => r.day);
}
