/** A run date's parts: day, then optionally a time (`T`, `t` or a space before it) and an offset. */
const RUN_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * A run's date (`RunInfo.date`) as the instant it names, in one UTC form that orders as time when compared as text:
 * `YYYY-MM-DDTHH:MM:SS.sssZ`. Run dates are written with `T` or a space, any UTC offset, and fractions of a second
 * or none, and as text `2026-07-01T12:00:00+05:00` (07:00 UTC) sorts after `2026-07-01T08:00:00Z`. A day alone is
 * its midnight UTC, a time without an offset is read as UTC (not the local time of the machine that reads it), and
 * fractions finer than a millisecond are cut. The store keeps this form in its `date` column, which orders the
 * latest point of each level; the point's JSON keeps the date as written.
 * @example runInstant("2026-07-01T12:00:00+05:00") // "2026-07-01T07:00:00.000Z"
 * @example runInstant("2026-07-02 23:00:00Z") // "2026-07-02T23:00:00.000Z"
 * @example runInstant("2026-07-01") // "2026-07-01T00:00:00.000Z"
 */
export function runInstant(date: string): string {
  const m = RUN_DATE.exec(date);
  if (m) {
    const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", , sign, oh = "0", om = "0"] = m;
    const offset =
      sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
    const t = new Date(0);
    // setUTCFullYear, not Date.UTC: that takes years 0-99 as 1900-1999
    t.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
    t.setUTCHours(
      Number(h),
      Number(mi) - offset,
      Number(s),
      Number(frac.slice(0, 3).padEnd(3, "0")),
    );
    if (!Number.isNaN(t.getTime())) return t.toISOString();
  }
  // another form Date.parse reads (the schema accepts what it parses after the day)
  const t = Date.parse(date);
  return Number.isNaN(t) ? date : new Date(t).toISOString();
}
