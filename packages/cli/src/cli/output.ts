import { maxOf, type SummaryRow } from "@infermark/core";

/** Renders rows of cells as an aligned plain-text table with a header line. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  // maxOf, not Math.max(...): a table of a large store's rows holds more than a call takes arguments
  const widths = header.map((h, i) =>
    Math.max(h.length, maxOf(rows.map((r) => (r[i] ?? "").length))),
  );
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Renders label/value rows as a two-column block. */
export function renderSummary(title: string, rows: readonly SummaryRow[]): string {
  const width = Math.max(...rows.map((r) => r.label.length));
  return [`== ${title} ==`, ...rows.map((r) => `${r.label.padEnd(width)}  ${r.value}`)].join("\n");
}
