import { levelKey } from "../schemas/config-key.js";
import { dayOf } from "../schemas/point-filter.js";
import type { PointResult } from "../schemas/point-result.js";
import { runInstant } from "../schemas/run-instant.js";

/**
 * Which points an analysis sees. `latest` (the default, as InferenceX shows it): the latest point of each
 * configuration and concurrency, optionally as of a day (inclusive); `all`: every point of every date, pooled.
 */
export type PointSetSelection = { kind: "latest"; asOf?: string } | { kind: "all" };

/**
 * Selects the point set. The latest is the newest in time (`runInstant`: a run date's offset, separator and
 * fractions do not reorder it, as in the store); among points of one configuration and load level (levelKey) of the
 * same instant the one given last wins. Generic over the carrier so callers keep ids: pass `get` to reach the point.
 * @example selectPointSet(points, { kind: "latest", asOf: "2025-12-31" })
 */
export function selectPointSet<T = PointResult>(
  items: readonly T[],
  selection: PointSetSelection = { kind: "latest" },
  get: (item: T) => PointResult = (item) => item as unknown as PointResult,
): T[] {
  if (selection.kind === "all") return [...items];
  const asOf = selection.asOf;
  const latest = new Map<string, { item: T; instant: string }>();
  // a run's points share its date: each date is read once
  const instants = new Map<string, string>();
  for (const item of items) {
    const p = get(item);
    if (asOf !== undefined && dayOf(p.run.date) > asOf) continue;
    const key = levelKey(p.config);
    let instant = instants.get(p.run.date);
    if (instant === undefined) {
      instant = runInstant(p.run.date);
      instants.set(p.run.date, instant);
    }
    const prior = latest.get(key);
    if (!prior || instant >= prior.instant) latest.set(key, { item, instant });
  }
  return [...latest.values()].map((v) => v.item);
}
