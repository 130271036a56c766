import type { TrendCommandResult, TrendRow } from "../../commands/trend.js";
import type { GateCheck } from "../../commands/trend-gate.js";
import { formatNumber } from "./format-number.js";

/** A percent as the gate prints it: 4 significant digits and a % sign. */
const percent = (p: number) => `${formatNumber(p)}%`;

/** How the value moved, in the metric's words: throughput "dropped", cost "rose"; "unchanged" when it did not. */
function moved(r: TrendCommandResult, worsePercent: number): string {
  if (worsePercent === 0) return "unchanged";
  const rose = r.direction === "higher" ? worsePercent < 0 : worsePercent > 0;
  return `${rose ? "rose" : "dropped"} ${percent(Math.abs(worsePercent))}`;
}

/**
 * The verdict in a group's factor row (`note` column): `regressed: dropped 31.29% (limit 5%)`, `pass: rose 2%`,
 * `missing: <why>`.
 * @example gateNote(result, row.check) // "pass: dropped 1.2% (limit 5%)"
 */
export function gateNote(r: TrendCommandResult, check: GateCheck): string {
  if (check.verdict === "missing") return `missing: ${check.reason}`;
  return `${check.verdict}: ${moved(r, check.worsePercent)} (limit ${percent(r.gate!.failOnRegression)})`;
}

/** One stderr line about a group the gate did not pass, or that it could not compare. */
function groupLine(r: TrendCommandResult, g: TrendRow): string | undefined {
  const check = g.check;
  const metric = `${r.y}@${r.target}`;
  if (check?.verdict === "regressed" && g.factor)
    return `regressed: ${g.group}: ${metric} ${moved(r, check.worsePercent)}, more than ${percent(r.gate!.failOnRegression)} (${formatNumber(g.factor.fromValue)} on ${g.factor.from} -> ${formatNumber(g.factor.toValue)} on ${g.factor.to}, factor ${formatNumber(g.factor.factor)})`;
  if (check?.verdict === "missing")
    return `missing: ${g.group}: ${check.reason}${r.gate!.allowMissing ? " (passes: --allow-missing)" : " (fails the gate; --allow-missing lets it pass)"}`;
  return undefined;
}

/**
 * The gate's lines for stderr: one per regressed or missing group, then the verdict in one line. The caller sets the
 * exit code (1 when `r.gate.passed` is false).
 * @example for (const line of gateLines(result)) console.error(`infermark: ${line}`)
 */
export function gateLines(r: TrendCommandResult): string[] {
  const gate = r.gate!;
  const days = `${r.between.from ?? "first"} -> ${r.between.to ?? "last"}`;
  const counts = `${gate.regressed} of ${gate.checked} group${gate.checked === 1 ? "" : "s"} regressed more than ${percent(gate.failOnRegression)} in ${r.y}@${r.target} (${days}), ${gate.missing} missing${gate.missing > 0 && gate.allowMissing ? " (allowed)" : ""}`;
  return [
    ...r.groups.flatMap((g) => groupLine(r, g) ?? []),
    `trend gate ${gate.passed ? "passed" : "failed"}: ${counts}`,
  ];
}
