import {
  type Direction,
  dayOf,
  matchesFilter,
  parseFilterExpression,
  resolveFrontierOptions,
  softwareList,
  trend,
} from "@infermark/core";
import {
  type AnalysisCommandOptions,
  contextOf,
  FlaggedPoints,
  knotsAt,
  loadAnalysisPoints,
  type TargetValue,
  targetValue,
} from "./frontier.js";
import { type DayRef, resolveTrendDays } from "./trend-days.js";
import { checkRegression, type GateCheck, gateOf, type TrendGate } from "./trend-gate.js";

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
  /** with `failOnRegression`: whether this group regressed between the two dates, or could not be compared */
  check?: GateCheck;
}

/** The result of `infermark trend`. */
export interface TrendCommandResult {
  target: number;
  y: string;
  /** which way the y metric is better: a regression is a drop of a "higher" metric, a rise of a "lower" one */
  direction: Direction;
  /** the days the factor compares, keywords resolved (absent: the first or last date with a value) */
  between: { from?: string; to?: string };
  groups: TrendRow[];
  /** with `failOnRegression`: the verdict over every group */
  gate?: TrendGate;
  /** points that contradict their own throughput (`flagOf`) and enter a date's value: none, or one line */
  warnings: string[];
}

/** Options of `trendCommand`. */
export interface TrendCommandOptions extends AnalysisCommandOptions {
  /** a filter expression selecting the groups */
  group?: string;
  target: number;
  /**
   * the days the factor compares: YYYY-MM-DD, or `first`, `previous` (the day before the latest) or `latest`, among
   * the run days of the selected points. @default the first date with a value; with `failOnRegression`, `previous`
   */
  from?: DayRef;
  /** @default the last date with a value; with `failOnRegression`, `latest` (an open end, too) */
  to?: DayRef;
  /** fail a group that got more than this many percent worse from `from` to `to` (a regression gate) */
  failOnRegression?: number;
  /** with `failOnRegression`: a group without a value on one of the dates lets the gate pass. @default false */
  allowMissing?: boolean;
}

/**
 * `infermark trend --group EXPR --at 35`: for each group the filter expression selects, its value at the target
 * on each date's frontier and the factor between two dates (every date is read, whatever `date` and `allDates` say).
 * With `failOnRegression`, each group is checked against it (by default between the latest date and the one before).
 * @example await trendCommand({ group: "hardware=b200,framework=sglang,precision=fp8", target: 35, from: "2025-10-01" })
 * @example (await trendCommand({ target: 40, failOnRegression: 5 })).gate?.passed
 */
export async function trendCommand(options: TrendCommandOptions): Promise<TrendCommandResult> {
  const selector = parseFilterExpression(options.group ?? "");
  const resolved = resolveFrontierOptions({ ...options, context: contextOf(options) });
  const points = (await loadAnalysisPoints({ ...options, allDates: true })).filter((p) =>
    matchesFilter(p, selector),
  );
  const gating = options.failOnRegression !== undefined;
  // a nightly gate compares the night just measured with the one before, not with the first night stored; and it
  // ends on the latest day, where a group not measured is missing rather than compared on its older dates
  const from = options.from ?? (gating && !options.to ? "previous" : undefined);
  const to = options.to ?? (gating ? "latest" : undefined);
  const days = resolveTrendDays(
    points.map((p) => dayOf(p.run.date)),
    { ...(from ? { from } : {}), ...(to ? { to } : {}) },
  );
  const between = "reason" in days ? {} : days;
  const groups = trend(points, options.target, { ...resolved, ...between });
  const flagged = new FlaggedPoints();
  for (const g of groups)
    for (const d of g.dates) flagged.addAll(knotsAt(d.frontier, options.target));
  const rows = groups.map((g): TrendRow => {
    const { ok: _ok, ...factor } = g.factor.ok ? g.factor : { ok: false };
    const reason = "reason" in days ? days.reason : g.factor.ok ? undefined : g.factor.reason;
    const row: TrendRow = {
      group: g.group.label,
      dates: g.dates.map((d) => ({
        date: d.date,
        frontierPoints: d.frontier.points.length,
        software: softwareList(d.frontier.points.map((p) => p.item)),
        ...targetValue(options.target, d.value),
      })),
      factor: g.factor.ok && !("reason" in days) ? (factor as TrendRow["factor"]) : null,
      ...(reason ? { reason } : {}),
    };
    if (options.failOnRegression === undefined) return row;
    const why = missingOn(row.dates, between) ?? reason;
    return {
      ...row,
      check: checkRegression(row.factor, resolved.y.direction, options.failOnRegression, why),
    };
  });
  return {
    target: options.target,
    y: resolved.y.id,
    direction: resolved.y.direction,
    between,
    groups: rows,
    ...(options.failOnRegression === undefined
      ? {}
      : {
          gate: gateOf(
            rows.map((r) => r.check!),
            {
              failOnRegression: options.failOnRegression,
              allowMissing: options.allowMissing ?? false,
            },
          ),
        }),
    warnings: flagged.warnings("in the values by date"),
  };
}

/**
 * Why a group has no value on the two days compared, day by day ("not measured on 2026-11-28", "on 2026-11-27:
 * intvty 40.0 is outside ..."); undefined when both days have one (a range's nearest dates were missing instead).
 */
function missingOn(dates: TrendRow["dates"], between: { from?: string; to?: string }) {
  const days = [between.from, between.to].filter((d): d is string => d !== undefined);
  const unique = [...new Set(days)];
  const unmeasured = unique.filter((day) => !dates.some((x) => x.date === day));
  const reasons = [
    ...(unmeasured.length > 0 ? [`not measured on ${unmeasured.join(" or ")}`] : []),
    ...dates
      .filter((d) => unique.includes(d.date) && d.value === null)
      .map((d) => `no value on ${d.date}: ${d.reason ?? "no value"}`),
  ];
  return reasons.length > 0 ? reasons.join("; ") : undefined;
}
