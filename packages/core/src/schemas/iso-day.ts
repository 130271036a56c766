/**
 * Whether `value` is a calendar day written YYYY-MM-DD: the only form that orders like a date when run days are
 * compared as text. Days that do not exist (2026-02-30, 2026-13-01) are refused, where `Date.parse` would roll
 * them over into the next month.
 * @example isIsoDay("2026-02-28") // true
 * @example isIsoDay("2026-02-30") // false
 */
export function isIsoDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}
