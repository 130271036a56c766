import { readFile } from "node:fs/promises";
import { CanonicalPointResult, type PointResult, parseOrThrow } from "@infermark/core";
import { openStore, resolveDbUrl } from "@infermark/store";
import type { PointOutcome } from "./types.js";

/**
 * Ingests the PointResults of a sweep's finished and skipped points into the store (idempotent: points already
 * stored stay as they were).
 */
export async function ingestOutcomes(
  outcomes: readonly PointOutcome[],
  db: string | undefined,
): Promise<{ inserted: number; unchanged: number; db: string }> {
  const points: PointResult[] = [];
  for (const o of outcomes) {
    if (o.status === "failed" || !o.path) continue;
    points.push(
      parseOrThrow(CanonicalPointResult, JSON.parse(await readFile(o.path, "utf8")), o.path),
    );
  }
  const url = resolveDbUrl(db);
  if (points.length === 0) return { inserted: 0, unchanged: 0, db: url };
  const store = await openStore(db);
  try {
    const r = await store.ingest(points, { path: "infermark sweep" });
    return { inserted: r.inserted, unchanged: r.unchanged, db: url };
  } finally {
    await store.close();
  }
}
