/** The keywords `trend --between` takes for a day, in day order: resolved against the run days of the selected points. */
export const DAY_KEYWORDS = ["first", "previous", "latest"] as const;

/** A day of `trend --between`: YYYY-MM-DD or a keyword. */
export type DayRef = string;

/** The days a `--between` range names, resolved; or why a keyword names no day. */
export type ResolvedDays = { from?: string; to?: string } | { reason: string };

/**
 * Resolves the keywords of a `--between` range against `days`, the run days of the points the filters select (every
 * group together, so a group not measured on the latest day is missing there rather than compared on older days):
 * `first` is the earliest, `latest` the last, `previous` the last before `latest`. A day YYYY-MM-DD is kept as it is.
 * @example resolveTrendDays(["2026-11-27", "2026-11-28"], { from: "previous", to: "latest" })
 * // { from: "2026-11-27", to: "2026-11-28" }
 */
export function resolveTrendDays(
  days: readonly string[],
  range: { from?: DayRef; to?: DayRef },
): ResolvedDays {
  const sorted = [...new Set(days)].sort();
  const latest = sorted.at(-1);
  const previous = sorted.at(-2);
  const resolve = (ref: DayRef | undefined): string | undefined | null => {
    if (ref === "first") return sorted[0] ?? null;
    if (ref === "latest") return latest ?? null;
    if (ref === "previous") return previous ?? null;
    return ref;
  };
  const from = resolve(range.from);
  const to = resolve(range.to);
  if (from === null || to === null)
    return {
      reason:
        sorted.length === 1
          ? `no date before the latest (${latest}) to compare with: the selected points have one date`
          : "the selected points have no date",
    };
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}
