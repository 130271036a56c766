import { csvCell } from "@infermark/core";
import { renderTable } from "../output.js";
import type { AnalysisFlags } from "./analysis-flags.js";
import { formatNumber } from "./format-number.js";

/** One cell of an analysis table: a number is rounded in the table and raw in CSV; absent prints "-". */
export type Cell = string | number | null | undefined;

/**
 * Prints a result as JSON, CSV (raw numbers) or an aligned table (rounded numbers).
 * @example printAnalysis(flags, rows, ["group", "min"], rows.map((r) => [r.group, r.min]))
 */
export function printAnalysis(
  flags: AnalysisFlags,
  json: unknown,
  header: string[],
  rows: Cell[][],
  notes: string[] = [],
  emptyReason = "no stored points match the filters and workload",
): void {
  // on stderr, so JSON and CSV output stay clean
  if (rows.length === 0) console.error(`infermark: no rows: ${emptyReason}`);
  if (flags.json) {
    console.log(JSON.stringify(json, null, 2));
    return;
  }
  if (flags.csv) {
    console.log([header, ...rows].map((r) => r.map(csvCell).join(",")).join("\n"));
    return;
  }
  const cells = rows.map((r) =>
    r.map((c) => (typeof c === "number" ? formatNumber(c) : (c ?? "-"))),
  );
  console.log(renderTable(header, cells));
  for (const n of notes) console.log(n);
}
