import type { Direction } from "@infermark/core";

/** What `trend --fail-on-regression` decided for one group. */
export type GateCheck =
  | {
      verdict: "pass" | "regressed";
      /** how much worse the later value is, in percent of the earlier one (negative: better) */
      worsePercent: number;
    }
  | {
      /** no value at the target on one of the two dates (or no two dates): not compared */
      verdict: "missing";
      reason: string;
    };

/** The verdict of `trend --fail-on-regression` over every group checked. */
export interface TrendGate {
  /** the largest worsening let pass, in percent */
  failOnRegression: number;
  /** whether a group without a value on one of the dates lets the gate pass */
  allowMissing: boolean;
  passed: boolean;
  checked: number;
  regressed: number;
  missing: number;
}

/** Two values of a group compared: the factor `value(to) / value(from)` of a trend. */
export interface GateFactor {
  fromValue: number;
  toValue: number;
  from: string;
}

// factors such as 0.95 are not exact in binary: 5.000000000000004% worse is 5% worse
const EPSILON_PERCENT = 1e-9;

/**
 * Checks one group: how much worse `toValue` is than `fromValue`, in percent of `fromValue`, in the metric's
 * `direction` (a drop for throughput, a rise for cost or joules per token); regressed when that is more than
 * `failOnRegression`. Without a factor the group is missing, with `reason`.
 * @example checkRegression({ from: "2026-11-27", fromValue: 100, toValue: 94 }, "higher", 5) // regressed, 6
 */
export function checkRegression(
  factor: GateFactor | null,
  direction: Direction,
  failOnRegression: number,
  reason = "no value to compare",
): GateCheck {
  if (!factor) return { verdict: "missing", reason };
  if (!(factor.fromValue > 0))
    return {
      verdict: "missing",
      reason: `its value on ${factor.from} is ${factor.fromValue}: no relative change from it`,
    };
  const change = ((factor.toValue - factor.fromValue) / factor.fromValue) * 100;
  const worsePercent = direction === "higher" ? -change : change;
  return {
    verdict: worsePercent > failOnRegression + EPSILON_PERCENT ? "regressed" : "pass",
    worsePercent,
  };
}

/** Sums the checks of every group into the gate's verdict: it fails on a regression, or a missing group unless allowed. */
export function gateOf(
  checks: readonly GateCheck[],
  options: { failOnRegression: number; allowMissing: boolean },
): TrendGate {
  const regressed = checks.filter((c) => c.verdict === "regressed").length;
  const missing = checks.filter((c) => c.verdict === "missing").length;
  return {
    ...options,
    passed: regressed === 0 && (options.allowMissing || missing === 0),
    checked: checks.length,
    regressed,
    missing,
  };
}
