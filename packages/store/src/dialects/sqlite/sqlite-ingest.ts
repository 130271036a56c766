import type Database from "better-sqlite3";
import { POINT_COLUMNS, type PointValue } from "../../point-columns.js";
import { GROUP_KEY, MERGE_GROUPS } from "../../point-groups.js";
import { replaceStatements } from "../../replace-points.js";
import type { IngestLogStub, RowChunk } from "../types.js";
import { NEWER_LATEST } from "../types.js";

/** Rows per multi-row statement: few enough to stay far below SQLite's 32,766 parameters. */
export const ROWS_PER_STATEMENT = 50;

const GROUP_COLUMNS = GROUP_KEY.join(", ");

/**
 * The SQL of one ingest over a better-sqlite3 connection, inside a transaction the caller opens and
 * commits (`BEGIN IMMEDIATE`, on the writer thread or the main connection: `SqliteTransaction`).
 * Points go in with multi-row `INSERT OR IGNORE` prepared statements (cached, positional parameters);
 * `latest_points` and `point_groups` are then updated by one set-based statement each, over the points this
 * transaction added: `points` is a rowid table, so they are exactly the rows above the largest rowid seen
 * at `start`.
 */
export class SqliteIngest {
  private readonly statements = new Map<string, Database.Statement>();
  private firstNew = 0;
  private inserted = 0;
  /** The points this transaction added so far: a point's details may come in a later chunk than the point. */
  private fresh = new Set<string>();

  constructor(private readonly database: Database.Database) {}

  private statement(sqlText: string): Database.Statement {
    let st = this.statements.get(sqlText);
    if (!st) {
      st = this.database.prepare(sqlText);
      this.statements.set(sqlText, st);
    }
    return st;
  }

  /** `INSERT ... (columns) VALUES (?, ...) x rows` followed by `tail`. */
  private insertSql(head: string, columns: readonly string[], rows: number, tail = ""): string {
    const tuple = `(${columns.map(() => "?").join(", ")})`;
    return `${head} (${columns.join(", ")}) VALUES ${Array(rows).fill(tuple).join(", ")}${tail}`;
  }

  /** Writes object rows (all with the same keys) with multi-row statements. */
  private insertObjects(head: string, rows: readonly object[]): void {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const end = Math.min(rows.length, start + ROWS_PER_STATEMENT);
      const params: unknown[] = [];
      for (let i = start; i < end; i++) {
        const r = rows[i] as Record<string, unknown>;
        for (const c of columns) params.push(r[c]);
      }
      this.statement(this.insertSql(head, columns, end - start)).run(params);
    }
  }

  /**
   * Starts an ingest inside the caller's transaction, first taking out the stored points it replaces (before
   * the largest rowid is read: SQLite may give a deleted largest rowid to the next insert).
   */
  start(replaces: readonly string[] = []): void {
    for (const statement of replaceStatements(replaces)) this.database.exec(statement);
    const max = this.statement("SELECT max(rowid) FROM points").pluck().get() as
      | number
      | bigint
      | null;
    this.firstNew = Number(max ?? 0) + 1;
    this.inserted = 0;
    this.fresh = new Set();
  }

  /** Writes one chunk: runs and configurations (ignored when stored), new points, their details. */
  write(chunk: RowChunk): void {
    this.insertObjects("INSERT OR IGNORE INTO runs", chunk.runs);
    this.insertObjects("INSERT OR IGNORE INTO configurations", chunk.configurations);
    const withDetails = chunk.power.length + chunk.server.length + chunk.requests.length > 0;
    const fresh = this.fresh;
    const before = fresh.size;
    const points = chunk.points;
    for (let start = 0; start < points.length; start += ROWS_PER_STATEMENT) {
      const end = Math.min(points.length, start + ROWS_PER_STATEMENT);
      const params: PointValue[] = [];
      for (let i = start; i < end; i++) {
        const values = points[i]!;
        for (let c = 0; c < values.length; c++) params.push(values[c]!);
      }
      const head = "INSERT OR IGNORE INTO points";
      if (withDetails) {
        // Which points are new decides which details to write.
        const st = this.statement(
          this.insertSql(head, POINT_COLUMNS, end - start, " RETURNING id"),
        );
        for (const id of st.pluck().all(params) as string[]) fresh.add(id);
      } else {
        this.inserted += this.statement(this.insertSql(head, POINT_COLUMNS, end - start)).run(
          params,
        ).changes;
      }
    }
    if (withDetails) {
      this.inserted += fresh.size - before;
      const isFresh = (r: { point_id: string }) => fresh.has(r.point_id);
      // Only points new in this transaction get details, so plain inserts cannot collide.
      this.insertObjects("INSERT INTO power_samples", chunk.power.filter(isFresh));
      this.insertObjects("INSERT INTO server_metrics", chunk.server.filter(isFresh));
      this.insertObjects("INSERT INTO request_records", chunk.requests.filter(isFresh));
    }
  }

  /**
   * Brings `latest_points` and `point_groups` up to date with the points this ingest added, writes the
   * log row; returns how many points were new. The caller commits.
   */
  finish(log: IngestLogStub, total: number): number {
    if (this.inserted > 0) {
      this.statement(
        `INSERT INTO latest_points (level_hash, source, model, date, point_id)
         SELECT level_hash, source, model, date, id FROM points WHERE rowid >= ?
         ON CONFLICT (level_hash, source) DO UPDATE SET date = excluded.date, point_id = excluded.point_id
         WHERE ${NEWER_LATEST}`,
      ).run(this.firstNew);
      this.statement(
        `INSERT INTO point_groups (${GROUP_COLUMNS}, points, first_day, last_day)
         SELECT ${GROUP_COLUMNS}, count(*), min(day), max(day) FROM points WHERE rowid >= ?
         GROUP BY ${GROUP_COLUMNS}
         ON CONFLICT (${GROUP_COLUMNS}) DO UPDATE SET ${Object.entries(MERGE_GROUPS)
           .map(([column, value]) => `${column} = ${value}`)
           .join(", ")}`,
      ).run(this.firstNew);
    }
    this.insertObjects("INSERT INTO ingest_log", [
      { ...log, inserted: this.inserted, unchanged: total - this.inserted },
    ]);
    return this.inserted;
  }
}
