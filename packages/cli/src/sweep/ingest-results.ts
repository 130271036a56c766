import { readFile } from "node:fs/promises";
import {
  CanonicalPointResult,
  type PointResult,
  parseOrThrow,
  type RequestRecord,
} from "@infermark/core";
import { openStore, resolveDbUrl } from "@infermark/store";
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
 * Ingests the PointResults of a sweep's finished and skipped points into the store, each with the request records
 * written beside it (idempotent: points already stored stay as they were).
 */
export async function ingestOutcomes(
  outcomes: readonly PointOutcome[],
  db: string | undefined,
): Promise<{ inserted: number; unchanged: number; db: string }> {
  const points: PointResult[] = [];
  const requests: (RequestRecord[] | undefined)[] = [];
  for (const o of outcomes) {
    if (o.status === "failed" || !o.path) continue;
    points.push(
      parseOrThrow(CanonicalPointResult, JSON.parse(await readFile(o.path, "utf8")), o.path),
    );
    requests.push(await recordsBeside(o.path));
  }
  const url = resolveDbUrl(db);
  if (points.length === 0) return { inserted: 0, unchanged: 0, db: url };
  const store = await openStore(db);
  try {
    const r = await store.ingest(points, { path: "infermark sweep", requests });
    return { inserted: r.inserted, unchanged: r.unchanged, db: url };
  } finally {
    await store.close();
  }
}
