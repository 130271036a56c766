import {
  compareAt,
  matchesFilter,
  parseFilterExpression,
  resolveFrontierOptions,
} from "@infermark/core";
import {
  type AnalysisCommandOptions,
  contextOf,
  FlaggedPoints,
  knotsAt,
  loadAnalysisPoints,
} from "./frontier.js";

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
  /** how many points the filters select, and how many of them each side selects */
  points: { selected: number; a: number; b: number };
  rows: CompareRow[];
  /** points that contradict their own throughput (`flagOf`) and enter a value of A or B: none, or one line */
  warnings: string[];
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
  const a = points.filter((p) => matchesFilter(p, fa));
  const b = points.filter((p) => matchesFilter(p, fb));
  const comparisons = compareAt(a, b, options.targets, resolved);
  const flagged = new FlaggedPoints();
  for (const c of comparisons)
    for (const t of options.targets) flagged.addAll([...knotsAt(c.a, t), ...knotsAt(c.b, t)]);
  return {
    a: options.a,
    b: options.b,
    x: resolved.x.id,
    y: resolved.y.id,
    points: { selected: points.length, a: a.length, b: b.length },
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
    warnings: flagged.warnings("in the values of A or B"),
  };
}
