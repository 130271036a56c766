import { readFile } from "node:fs/promises";
import {
  CanonicalPointResult,
  type PointResult,
  parseOrThrow,
  type RequestRecord,
} from "@infermark/core";
import { openStore, resolveDbUrl, storeLocation } from "@infermark/store";
import { readRequestRecords } from "../commands/ingest.js";
import { requestsPathOf } from "./results-dir.js";
import type { PointOutcome } from "./types.js";

/** A point's request records beside its result file, or undefined when it has none (measured before they were kept). */
async function recordsBeside(resultFile: string): Promise<RequestRecord[] | undefined> {
  const path = requestsPathOf(resultFile);
  try {
    return await readRequestRecords(path);
  } catch (error) {
    if ((error as { reason?: string }).reason === "no such file") return undefined;
    throw error;
  }
}

/**
 * Opens the store a sweep will ingest into and closes it again, before anything is measured: an empty `--db`, an
 * unreachable or refusing PostgreSQL, a file that is not an infermark store fail now, in one line, not after hours
 * of measuring (the results would be kept, but the sweep would end in an error).
 * @example await checkStore(options.db)
 */
export async function checkStore(db: string | undefined): Promise<void> {
  const store = await openStore(db);
  await store.close();
}

/**
 * Ingests the PointResults of a sweep's finished and skipped points into the store, each with the request records
 * written beside it (idempotent: points already stored stay as they were). One transaction a point, its records read
 * just before it: a sweep's records together can be more than memory holds (a level of 1k/8k at concurrency 1,024 is
 * 84 million stream events), so they are never all read at once.
 */
export async function ingestOutcomes(
  outcomes: readonly PointOutcome[],
  db: string | undefined,
): Promise<{ inserted: number; unchanged: number; db: string }> {
  // said on stderr and in --json: never the password of a PostgreSQL URL
  const url = storeLocation(resolveDbUrl(db));
  const files = outcomes.flatMap((o) => (o.status === "failed" || !o.path ? [] : [o.path]));
  if (files.length === 0) return { inserted: 0, unchanged: 0, db: url };
  // every point is read and checked before the store is opened: a bad file stores nothing
  const points: PointResult[] = [];
  for (const path of files)
    points.push(parseOrThrow(CanonicalPointResult, JSON.parse(await readFile(path, "utf8")), path));
  const store = await openStore(db);
  let inserted = 0;
  let unchanged = 0;
  try {
    for (const [i, point] of points.entries()) {
      const requests = await recordsBeside(files[i]!);
      const r = await store.ingest([point], { path: "infermark sweep", requests: [requests] });
      inserted += r.inserted;
      unchanged += r.unchanged;
    }
    return { inserted, unchanged, db: url };
  } finally {
    await store.close();
  }
}
