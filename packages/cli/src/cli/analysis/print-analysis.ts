import { AnalysisError, csvCell } from "@infermark/core";
import { storeLocation } from "@infermark/store";
import { renderTable } from "../output.js";
import type { AnalysisFlags } from "./analysis-flags.js";
import { formatNumber } from "./format-number.js";

/** One cell of an analysis table: a number is rounded in the table and raw in CSV; absent prints "-". */
export type Cell = string | number | null | undefined;

/** The filter flags that select points, as a user would type them. */
const FILTER_FLAGS: readonly [keyof AnalysisFlags, string][] = [
  ["model", "--model"],
  ["isl", "--isl"],
  ["osl", "--osl"],
  ["workload", "--workload"],
  ["hardware", "--hardware"],
  ["framework", "--framework"],
  ["precision", "--precision"],
  ["spec", "--spec"],
  ["disagg", "--disagg"],
  ["image", "--image"],
  ["frameworkVersion", "--framework-version"],
  ["source", "--source"],
  ["from", "--from"],
  ["to", "--to"],
  ["date", "--date"],
  ["validOnly", "--valid-only"],
];

/**
 * The filter flags given, as typed (`--hardware nope --isl 1024`), or "no filter".
 * @example describeFilters({ hardware: ["b200", "h200"], isl: 1024 }) // "--hardware b200,h200 --isl 1024"
 */
export function describeFilters(flags: AnalysisFlags): string {
  const given = FILTER_FLAGS.flatMap(([key, flag]) => {
    const v = flags[key];
    if (v === undefined || v === false) return [];
    if (v === true) return [flag];
    return [`${flag} ${Array.isArray(v) ? v.join(",") : String(v)}`];
  });
  return given.length === 0 ? "no filter" : given.join(" ");
}

/** Why a result has no rows: no stored point passes the filter flags (and `more`, a command's own selection). */
export function noPointMatches(flags: AnalysisFlags, more?: string): string {
  const filters = describeFilters(flags);
  const all = more ? (filters === "no filter" ? more : `${filters} ${more}`) : filters;
  const where = flags.db ? ` in ${storeLocation(flags.db)}` : "";
  // without a filter, the store is empty
  return all === "no filter"
    ? `no point is stored${where}`
    : `no stored point matches ${all}${where}`;
}

/**
 * What a result without rows means: an error when nothing was selected (one line, exit 1, nothing on stdout: a
 * filter that matches nothing is most often a typo), or a note on stderr beside the empty result when points were
 * selected and none has a value on the axes (the JSON still counts them: a --no-stream point has no interactivity).
 */
export type EmptyResult = { error: string } | { note: string };

/**
 * Prints a result as JSON, CSV (raw numbers) or an aligned table (rounded numbers). Without rows, `empty` says
 * what that means: by default the error that no stored point matches the filter flags.
 * @example printAnalysis(flags, rows, ["group", "min"], rows.map((r) => [r.group, r.min]))
 */
export function printAnalysis(
  flags: AnalysisFlags,
  json: unknown,
  header: string[],
  rows: Cell[][],
  notes: string[] = [],
  empty: EmptyResult = { error: noPointMatches(flags) },
): void {
  if (rows.length === 0) {
    if ("error" in empty) throw new AnalysisError(empty.error);
    // on stderr, so JSON and CSV output stay clean
    console.error(`infermark: no rows: ${empty.note}`);
  }
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

/** One value at a target as `requireSomeValue` reads it: the value, what it is about, and why it is missing. */
export interface TargetCell {
  value: number | null | undefined;
  /** the group (and target) it belongs to, as the footers name it */
  about: string;
  reason?: string;
}

/**
 * Throws (one line, exit 1) when a result at targets holds no value at all: every target outside every frontier's
 * range, or no point with the metric. The table would be all "-" and exit 0; some values missing is a result.
 * @example requireSomeValue(cells, [500]) // no value at 500: dsr1 ... at 500: intvty 500 is outside ...
 */
export function requireSomeValue(cells: readonly TargetCell[], targets: readonly number[]): void {
  if (cells.length === 0 || cells.some((c) => c.value !== null && c.value !== undefined)) return;
  const first = cells.find((c) => c.reason) ?? cells[0]!;
  const reasons = new Set(cells.map((c) => `${c.about}: ${c.reason ?? ""}`)).size;
  const hint = cells.some((c) => c.reason?.includes("outside"))
    ? "; infermark frontier --ranges gives each group's measured range"
    : "";
  throw new AnalysisError(
    `no value at ${targets.join(", ")}: ${first.about}: ${first.reason ?? "no value"}${reasons > 1 ? ` (and ${reasons - 1} more${hint})` : hint ? ` (${hint.slice(2)})` : ""}`,
  );
}

/**
 * Prints a command's warnings on stderr, one line each (`infermark: warning: ...`), so JSON and CSV stay clean; the
 * JSON carries them too, in its `warnings` array.
 * @example printWarnings(result.warnings)
 */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) console.error(`infermark: warning: ${w}`);
}
