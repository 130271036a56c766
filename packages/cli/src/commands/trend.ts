import {
  matchesFilter,
  parseFilterExpression,
  resolveFrontierOptions,
  softwareList,
  trend,
} from "@infermark/core";
import {
  type AnalysisCommandOptions,
  contextOf,
  loadAnalysisPoints,
  type TargetValue,
  targetValue,
} from "./frontier.js";

/** One group's trend as `infermark trend` returns it. */
export interface TrendRow {
  group: string;
  /**
   * Each date's value, with the serving software its frontier's points ran (`softwareOf`: the engine's version,
   * else the image's tag; empty when they record neither), so a change can be told from a release.
   */
  dates: (TargetValue & { date: string; frontierPoints: number; software: string[] })[];
  factor: {
    from: string;
    to: string;
    fromValue: number;
    toValue: number;
    factor: number;
    improvement: number;
  } | null;
  reason?: string;
}

/** The result of `infermark trend`. */
export interface TrendCommandResult {
  target: number;
  y: string;
  groups: TrendRow[];
}

/**
 * `infermark trend --group EXPR --at 35`: for each group the filter expression selects, its value at the target
 * on each date's frontier and the factor between two dates (every date is read, whatever `date` and `allDates` say).
 * @example await trendCommand({ group: "hardware=b200,framework=sglang,precision=fp8", target: 35, from: "2025-10-01" })
 */
export async function trendCommand(
  options: AnalysisCommandOptions & { group?: string; target: number; from?: string; to?: string },
): Promise<TrendCommandResult> {
  const selector = parseFilterExpression(options.group ?? "");
  const resolved = resolveFrontierOptions({ ...options, context: contextOf(options) });
  const points = (await loadAnalysisPoints({ ...options, allDates: true })).filter((p) =>
    matchesFilter(p, selector),
  );
  const groups = trend(points, options.target, {
    ...resolved,
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
  });
  return {
    target: options.target,
    y: resolved.y.id,
    groups: groups.map((g) => {
      const { ok: _ok, ...factor } = g.factor.ok ? g.factor : { ok: false };
      return {
        group: g.group.label,
        dates: g.dates.map((d) => ({
          date: d.date,
          frontierPoints: d.frontier.points.length,
          software: softwareList(d.frontier.points.map((p) => p.item)),
          ...targetValue(options.target, d.value),
        })),
        factor: g.factor.ok ? (factor as TrendRow["factor"]) : null,
        ...(g.factor.ok ? {} : { reason: g.factor.reason }),
      };
    }),
  };
}
