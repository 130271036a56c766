import { randomUUID } from "node:crypto";
import { CanonicalPointResult, check, type PointResult } from "@infermark/core";
import type { IngestSink, OpenedDatabase, RowChunk } from "./dialects/types.js";
import { IngestError, writeFailed } from "./errors.js";
import { pointId, preparePoint, RowCache } from "./point-row.js";
import { pointsOfRunsReads, type RunDay, storedPointsOf } from "./points-of-runs.js";
import type { StoredPoint } from "./query.js";
import { isPointId } from "./replace-points.js";

/** A row an importer could not map to a point, with the reason (kept in the ingest log). */
export interface SkippedRow {
  /** 1-based row (or line) number in the source file. */
  row: number;
  reason: string;
}

/** Where a batch came from; recorded in the ingest log. */
export interface IngestMeta {
  /** @default "ingest" */
  kind?: "ingest" | "import";
  /** The file the points were read from. */
  path?: string;
  /** Source rows that were not mapped (importers). */
  skipped?: readonly SkippedRow[];
  /** The points were already checked against the PointResult schema by the caller: skip re-checking. */
  validated?: boolean;
  /** Request records of each point, by the point's index in the batch (optional). */
  requests?: readonly (readonly unknown[] | undefined)[];
  /** Checks the batch against stored copies of its measurements, inside its transaction (importers). */
  dedupe?: IngestDedupe;
}

/**
 * How an importer weighs a batch against the points earlier imports stored of the same runs. The stored points
 * are read inside the batch's transaction, after it took the store's write lock, and the decision is applied
 * in that transaction: two imports at once cannot both find a measurement new and both store it.
 */
export interface IngestDedupe {
  /** The runs (link and day) whose stored points the batch's points may be copies of. */
  runs: readonly RunDay[];
  /** Given those stored points (by id), which of the batch's points to leave out and which stored points to replace. */
  decide(stored: readonly StoredPoint[]): DedupeDecision;
}

/** What an importer decided about a batch and the stored copies of its measurements. */
export interface DedupeDecision {
  /** Points of the batch to leave out, by index in the input, each with the skipped row the ingest log lists. */
  leftOut?: ReadonlyMap<number, SkippedRow>;
  /**
   * Ids of stored points that points of this batch supersede (a richer copy of the same measurement), taken out
   * with their details before the batch's points go in, and with the runs and configurations they leave
   * without points; the ingest log lists them. Not ids of the batch's own points.
   */
  replaces?: readonly string[];
}

/** What one `ingest` call did. */
export interface IngestResult {
  ingestId: string;
  inserted: number;
  /** Points stored before this ingest (same content hash), left as they were. */
  unchanged: number;
  /**
   * Points that repeat an earlier point of this batch (same content hash): stored once, counted once (as inserted or
   * unchanged), and counted here, not again as unchanged.
   */
  repeated: number;
  /** Rows the ingest log lists as skipped: `meta.skipped` and the points `meta.dedupe` left out. */
  skipped: number;
  /** The points `meta.dedupe` left out, as skipped rows. */
  leftOut: SkippedRow[];
  /** How many stored points the batch replaced (`meta.dedupe`'s `replaces`). */
  replaced: number;
  /** The content hash of each input point, in input order (left-out points too). */
  ids: string[];
}

/** Validates every point first: one bad point rejects the batch before anything is written. */
function validateAll(points: readonly unknown[]): PointResult[] {
  return points.map((p, i) => {
    const result = check(CanonicalPointResult, p);
    if (!result.ok) {
      const issue = result.issues[0]!;
      throw new IngestError(
        `point ${i + 1}: ${issue.path || "(root)"}: ${issue.message}${result.issues.length > 1 ? ` (and ${result.issues.length - 1} more issues)` : ""}`,
      );
    }
    return result.value;
  });
}

/** A `\u0000` escape in JSON text: one not itself escaped (`\\u0000` is a backslash and `u0000`). */
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;

/**
 * Whether a point's canonical JSON holds U+0000 in a string. Its text columns (model, image, configuration key ...)
 * come from those strings, and PostgreSQL's text cannot hold U+0000: the same point is refused by both dialects,
 * as a fault of the batch, rather than stored by SQLite and failing PostgreSQL's write.
 */
const holdsNul = (json: string): boolean => json.includes("\\u0000") && NUL_ESCAPE.test(json);

/**
 * Text for the ingest log: U+0000 written as the six characters `\u0000`, which PostgreSQL's text can hold (a
 * rejection's reason may quote a binary file's bytes).
 */
const logText = (text: string): string => text.replaceAll("\u0000", "\\u0000");

/** Points per chunk handed to the dialect's sink (the writer thread works on one while the next is built). */
const CHUNK_POINTS = 100;
/** Request records per chunk, at most: a chunk's rows are built (and, for SQLite, posted to its writer) at once. */
const CHUNK_REQUESTS = 2_000;

const emptyChunk = (): RowChunk => ({
  runs: [],
  configurations: [],
  points: [],
  power: [],
  server: [],
  requests: [],
});

/**
 * Writes a batch of points in one transaction: all of it or nothing. Points already stored are counted as
 * unchanged, a repeat of a point earlier in the batch as repeated (the point is written once); runs and configurations are deduplicated; the latest point of each level and the group counts
 * (`point_groups`) are kept current. With `meta.dedupe`, the stored copies are read and weighed in the same
 * transaction, before the rows are built. Rows are built here (canonical JSON, content hash) and handed to the
 * dialect's sink in chunks; SQLite writes them on its writer thread meanwhile.
 *
 * Ingests run one at a time. On SQLite's writer thread the next ingest's transaction begins as soon as this
 * one has posted its commit (the thread takes messages in order), so a caller that keeps two ingests in
 * flight builds one file's rows while the previous file commits.
 */
export async function ingestPoints(
  { db, begin }: Pick<OpenedDatabase, "db" | "begin">,
  input: readonly unknown[],
  meta: IngestMeta = {},
  cache: RowCache = new RowCache(),
): Promise<IngestResult> {
  const points = meta.validated ? (input as PointResult[]) : validateAll(input);
  const ingestId = randomUUID();
  const { dedupe } = meta;
  let sink: IngestSink;
  try {
    sink = await begin(points.length, dedupe ? pointsOfRunsReads(db, dedupe.runs) : []);
  } catch (error) {
    throw writeFailed(error);
  }
  try {
    const decision = dedupe?.decide(storedPointsOf(dedupe.runs, sink.found)) ?? {};
    const replaces = decision.replaces ?? [];
    const notAnId = replaces.find((id) => !isPointId(id));
    if (notAnId !== undefined) throw new IngestError(`replaces: "${notAnId}" is not a point id`);
    const leftOut = decision.leftOut ?? new Map<number, SkippedRow>();
    const skippedRows = [...(meta.skipped ?? []), ...leftOut.values()].sort(
      (a, b) => a.row - b.row,
    );
    const skipped = skippedRows.length;
    sink.start(replaces);
    cache.trim();
    const ids: string[] = new Array(points.length);
    const seen = new Set<string>();
    let repeated = 0;
    const runs = new Set<string>();
    const configurations = new Set<string>();
    let chunk = emptyChunk();
    for (let index = 0; index < points.length; index++) {
      const point = points[index]!;
      if (leftOut.has(index)) {
        ids[index] = pointId(point);
        continue;
      }
      const prepared = preparePoint(point, cache, ingestId);
      if (holdsNul(prepared.json))
        throw new IngestError(
          `point ${index + 1}: a text holds a NUL character (U+0000), which the store cannot keep (PostgreSQL's text cannot hold it): remove it`,
        );
      const id = prepared.id;
      ids[index] = id;
      if (seen.has(id)) {
        repeated++;
        continue;
      }
      seen.add(id);
      if (!runs.has(prepared.run.id)) {
        runs.add(prepared.run.id);
        chunk.runs.push(prepared.run);
      }
      if (!configurations.has(prepared.configuration.id)) {
        configurations.add(prepared.configuration.id);
        chunk.configurations.push(prepared.configuration);
      }
      chunk.points.push(prepared.values);
      addDetails(chunk, id, point);
      // a point's request records go in bounded chunks: one level can hold millions, each a JSON string
      for (const [seq, record] of (meta.requests?.[index] ?? []).entries()) {
        chunk.requests.push({ point_id: id, seq, json: JSON.stringify(record) });
        if (chunk.requests.length === CHUNK_REQUESTS) {
          await sink.write(chunk);
          chunk = emptyChunk();
        }
      }
      if (chunk.points.length >= CHUNK_POINTS) {
        await sink.write(chunk);
        chunk = emptyChunk();
      }
    }
    // the last point's records may have spilled into a chunk of their own
    if (chunk.points.length + chunk.requests.length > 0) await sink.write(chunk);
    // the batch's distinct points: the log's and the result's `unchanged` are those stored before
    const total = points.length - leftOut.size - repeated;
    const inserted = await sink.commit(
      {
        id: ingestId,
        at: new Date().toISOString(),
        kind: meta.kind ?? "ingest",
        path: meta.path === undefined ? null : logText(meta.path),
        status: "ok",
        skipped,
        reason: null,
        details:
          skipped + replaces.length + repeated > 0
            ? JSON.stringify({
                ...(skipped > 0 ? { skipped: skippedRows } : {}),
                ...(replaces.length > 0 ? { replaced: replaces } : {}),
                ...(repeated > 0 ? { repeated } : {}),
              })
            : null,
      },
      total,
    );
    return {
      ingestId,
      inserted,
      unchanged: total - inserted,
      repeated,
      skipped,
      leftOut: [...leftOut.values()],
      replaced: replaces.length,
      ids,
    };
  } catch (error) {
    await sink.abort();
    throw writeFailed(error);
  }
}

/** Power samples and server-metric snapshots of a point (written if the point is new). */
function addDetails(chunk: RowChunk, id: string, point: PointResult): void {
  const samples = point.energy?.samples;
  if (samples)
    for (const s of samples) chunk.power.push({ point_id: id, t: s.t, gpu: s.gpu, watts: s.watts });
  const metrics = point.serverMetrics;
  if (metrics)
    for (const phase of ["before", "after", "delta"] as const)
      for (const [name, value] of Object.entries(metrics[phase] ?? {}))
        if (Number.isFinite(value)) chunk.server.push({ point_id: id, phase, name, value });
}

/**
 * Records a file that was rejected whole, so the ingest log tells what never went in and why. It goes
 * through the same turn as ingests (on SQLite's writer thread when that is running), so it neither waits on
 * nor blocks an ingest's open transaction.
 */
export async function logRejection(
  begin: OpenedDatabase["begin"],
  meta: IngestMeta,
  reason: string,
): Promise<void> {
  let sink: IngestSink;
  try {
    sink = await begin(0);
  } catch (error) {
    throw writeFailed(error);
  }
  try {
    sink.start([]);
    await sink.commit(
      {
        id: randomUUID(),
        at: new Date().toISOString(),
        kind: meta.kind ?? "ingest",
        path: meta.path === undefined ? null : logText(meta.path),
        status: "rejected",
        skipped: meta.skipped?.length ?? 0,
        reason: logText(reason),
        details: null,
      },
      0,
    );
  } catch (error) {
    await sink.abort();
    // as an ingest's own failure is reported (a read-only database failed the file's ingest, then this record of it)
    throw writeFailed(error);
  }
}
