import {
  compareAt,
  matchesFilter,
  parseFilterExpression,
  resolveFrontierOptions,
} from "@infermark/core";
import { type AnalysisCommandOptions, contextOf, loadAnalysisPoints } from "./frontier.js";

/** One target of a comparison: A's value, B's value and their ratio (null, with the reason, when one is missing). */
export interface CompareRow {
  workload: string;
  target: number;
  a: number | null;
  b: number | null;
  ratio: number | null;
  reason?: string;
}

/** The result of `infermark compare`. */
export interface CompareCommandResult {
  a: string;
  b: string;
  x: string;
  y: string;
  rows: CompareRow[];
}

/**
 * `infermark compare --a EXPR --b EXPR --at 40,75,116`: the ratio of A to B at each target, per workload, each
 * side pooled into one frontier ("the best of everything A selects").
 * @example await compareCommand({ a: "hardware=gb200,precision=fp4,spec=mtp", b: "hardware=h100", targets: [116] })
 */
export async function compareCommand(
  options: AnalysisCommandOptions & { a: string; b: string; targets: readonly number[] },
): Promise<CompareCommandResult> {
  const fa = parseFilterExpression(options.a);
  const fb = parseFilterExpression(options.b);
  const resolved = resolveFrontierOptions({ ...options, context: contextOf(options) });
  const points = await loadAnalysisPoints(options);
  const comparisons = compareAt(
    points.filter((p) => matchesFilter(p, fa)),
    points.filter((p) => matchesFilter(p, fb)),
    options.targets,
    resolved,
  );
  return {
    a: options.a,
    b: options.b,
    x: resolved.x.id,
    y: resolved.y.id,
    rows: comparisons.flatMap((c) =>
      c.rows.map((r) => ({
        workload: c.workload,
        target: r.target,
        a: r.a.ok ? r.a.value : null,
        b: r.b.ok ? r.b.value : null,
        ratio: r.ratio ?? null,
        ...(r.reason ? { reason: r.reason } : {}),
      })),
    ),
  };
}
