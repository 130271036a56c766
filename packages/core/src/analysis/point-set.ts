import { levelKey } from "../schemas/config-key.js";
import { dayOf } from "../schemas/point-filter.js";
import type { PointResult } from "../schemas/point-result.js";

/**
 * Which points an analysis sees. `latest` (the default, as InferenceX shows it): the latest point of each
 * configuration and concurrency, optionally as of a day (inclusive); `all`: every point of every date, pooled.
 */
export type PointSetSelection = { kind: "latest"; asOf?: string } | { kind: "all" };

/**
 * Selects the point set. Among points of one configuration and load level (levelKey) on the same date the one
 * given last wins. Generic over the carrier so callers keep ids: pass `get` to reach the point.
 * @example selectPointSet(points, { kind: "latest", asOf: "2025-12-31" })
 */
export function selectPointSet<T = PointResult>(
  items: readonly T[],
  selection: PointSetSelection = { kind: "latest" },
  get: (item: T) => PointResult = (item) => item as unknown as PointResult,
): T[] {
  if (selection.kind === "all") return [...items];
  const asOf = selection.asOf;
  const latest = new Map<string, { item: T; date: string }>();
  for (const item of items) {
    const p = get(item);
    if (asOf !== undefined && dayOf(p.run.date) > asOf) continue;
    const key = levelKey(p.config);
    const prior = latest.get(key);
    if (!prior || p.run.date >= prior.date) latest.set(key, { item, date: p.run.date });
  }
  return [...latest.values()].map((v) => v.item);
}
