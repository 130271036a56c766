import { csvCell } from "@infermark/core";
import type { CompareResult } from "./compare-bars.js";
import type { FrontierSeries } from "./frontier-series.js";
import type { TrendLine } from "./trend-series.js";

type Cell = string | number | boolean | undefined;

/**
 * Formats rows as RFC 4180 CSV (CRLF line ends; fields with a comma, quote or line break are quoted; text a
 * spreadsheet would run as a formula, a group label from a model name, is written as text: `csvCell`).
 * @example toCsv([["a", 1], ['say "hi"', undefined]]) // 'a,1\r\n"say ""hi""",\r\n'
 */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return `${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/**
 * A view's CSV with its data-source note (the catalog figures its cost or energy values use) at the end: an empty
 * line, then a row of two cells, `#` and the note. The header stays the first row, so a spreadsheet opens the file as
 * before, the note under the data; a reader that takes `#` as a comment character (pandas' `comment="#"`) skips the
 * line, since it starts with `#` outside quotes. Without a note the CSV is unchanged.
 * @example csvWithNote("a,b\r\n1,2\r\n", "GPU prices, neocloud tier") // 'a,b\r\n1,2\r\n\r\n#,"GPU prices, neocloud tier"\r\n'
 */
export function csvWithNote(csv: string, note: string | undefined): string {
  return note ? `${csv}\r\n${toCsv([["#", note]])}` : csv;
}

/**
 * The frontier view as CSV: one row per plotted point of each visible group, marked when on the frontier, and why its
 * throughput contradicts Little's law when it does (`flagOf`; empty otherwise).
 */
export function frontierCsv(series: FrontierSeries, xName: string, yName: string): string {
  const rows: Cell[][] = [["group", "point_id", xName, yName, "on_frontier", "self_consistency"]];
  for (const g of series.groups) {
    if (g.hidden) continue;
    const front = new Set(g.frontier.map((p) => p.id));
    for (const p of g.points)
      rows.push([g.label, p.id, p.x, p.y, front.has(p.id), p.flagged ?? ""]);
  }
  return toCsv(rows);
}

/** The compare view as CSV: one row per bar, then the ratio of the selected pair when there is one. */
export function compareCsv(result: CompareResult, yName: string): string {
  const rows: Cell[][] = [["group", "target_intvty", yName, "reason"]];
  for (const b of result.bars) rows.push([b.label, result.target, b.value, b.reason]);
  if (result.ratio)
    rows.push([
      `ratio ${result.ratio.a.label} / ${result.ratio.b.label}`,
      result.target,
      result.ratio.value,
      result.ratio.reason,
    ]);
  return toCsv(rows);
}

/** The trends view as CSV: one row per group and date. */
export function trendsCsv(lines: readonly TrendLine[], target: number, yName: string): string {
  const rows: Cell[][] = [["group", "date", "target_intvty", yName, "reason"]];
  for (const l of lines)
    for (const d of l.dates) rows.push([l.label, d.date, target, d.value, d.reason]);
  return toCsv(rows);
}
