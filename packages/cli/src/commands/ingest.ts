import { check, PointResult } from "@infermark/core";
import { type IngestMeta, openStore, type SkippedRow, type Store } from "@infermark/store";
import { FileError } from "../errors.js";
import { expandPaths, readDocuments } from "../io.js";

/** What happened to one input file. */
export interface FileOutcome {
  path: string;
  status: "ok" | "rejected";
  inserted: number;
  unchanged: number;
  /** Source rows that could not be mapped (importers), with reasons. */
  skipped: SkippedRow[];
  /** Why the file was rejected whole. */
  reason?: string;
}

/** Options of `ingestFiles`. */
export interface IngestFilesOptions {
  /** Database URL or SQLite path. @default INFERMARK_DB, else infermark.db */
  db?: string;
}

/** The message of an error without the `path: ` prefix FileError adds. */
export function reasonOf(error: unknown, path: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}

/** Expands each argument on its own, so a missing one is reported and the others still go in. */
export async function expandEach(
  paths: readonly string[],
  extensions?: Set<string>,
): Promise<{ files: string[]; missing: FileOutcome[] }> {
  const files: string[] = [];
  const missing: FileOutcome[] = [];
  for (const p of paths) {
    try {
      files.push(...(await expandPaths([p], extensions)));
    } catch (error) {
      missing.push(rejected(p, reasonOf(error, p)));
    }
  }
  return { files, missing };
}

export const rejected = (
  path: string,
  reason: string,
  skipped: SkippedRow[] = [],
): FileOutcome => ({
  path,
  status: "rejected",
  inserted: 0,
  unchanged: 0,
  skipped,
  reason,
});

/** Writes one file's points in one transaction, turning any failure into a rejection (the caller logs it). */
export async function ingestOne(
  store: Store,
  path: string,
  points: readonly unknown[],
  meta: IngestMeta,
): Promise<FileOutcome> {
  const skipped = [...(meta.skipped ?? [])];
  try {
    const r = await store.ingest(points, { ...meta, path });
    return { path, status: "ok", inserted: r.inserted, unchanged: r.unchanged, skipped };
  } catch (error) {
    return rejected(path, reasonOf(error, path), skipped);
  }
}

/** Reads a PointResult file (JSON object or array, JSONL, YAML) and checks every point before anything is written. */
async function readPoints(path: string): Promise<PointResult[]> {
  const docs = (await readDocuments(path)).flatMap((d) => (Array.isArray(d) ? d : [d]));
  if (docs.length === 0) throw new FileError(path, "no points in file");
  return docs.map((doc, i) => {
    const result = check(PointResult, doc);
    if (!result.ok) {
      const issue = result.issues[0]!;
      const where = docs.length > 1 ? `point ${i + 1}: ` : "";
      throw new FileError(path, `${where}${issue.path || "(root)"}: ${issue.message}`);
    }
    return result.value;
  });
}

/**
 * Ingests PointResult files and folders (JSON, JSONL, YAML) into the store, one transaction per file.
 * A bad file is rejected whole with its reason; the others still go in.
 * @example const outcomes = await ingestFiles(["results/"], { db: "infermark.db" });
 */
export async function ingestFiles(
  paths: readonly string[],
  options: IngestFilesOptions = {},
): Promise<FileOutcome[]> {
  const store = await openStore(options.db);
  try {
    const { files, missing } = await expandEach(paths);
    const outcomes: FileOutcome[] = [...missing];
    for (const path of files) {
      let outcome: FileOutcome;
      try {
        outcome = await ingestOne(store, path, await readPoints(path), {
          kind: "ingest",
          validated: true,
        });
      } catch (error) {
        outcome = rejected(path, reasonOf(error, path));
      }
      if (outcome.status === "rejected")
        await store.recordRejection({ kind: "ingest", path }, outcome.reason ?? "rejected");
      outcomes.push(outcome);
    }
    return outcomes;
  } finally {
    await store.close();
  }
}
