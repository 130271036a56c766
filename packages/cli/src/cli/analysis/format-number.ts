/**
 * A number for a table: 4 significant digits, no exponent for ordinary magnitudes.
 * @example formatNumber(1234.5678) // "1235"
 */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "-";
  const a = Math.abs(v);
  if (a >= 1e7 || (a > 0 && a < 1e-4)) return v.toExponential(3);
  if (a >= 1000) return v.toFixed(0);
  return String(Number(v.toPrecision(4)));
}
