import { dayOf } from "../schemas/point-filter.js";
import type { PointResult } from "../schemas/point-result.js";
import type { GroupFrontier } from "./frontier.js";
import {
  type Frontier,
  type FrontierOptions,
  frontierOf,
  frontiers,
  resolveFrontierOptions,
} from "./frontier.js";
import type { Interpolated } from "./steffen.js";

/** One date of a trend: the date's own frontier and its value at the target. */
export interface TrendDate {
  date: string;
  frontier: Frontier;
  value: Interpolated;
}

/** The factor between two dates: value(to) / value(from); `improvement` is >= 1 when the metric got better. */
export type TrendFactor =
  | {
      ok: true;
      from: string;
      to: string;
      fromValue: number;
      toValue: number;
      factor: number;
      improvement: number;
    }
  | { ok: false; reason: string };

/** The software trend of one group at a target. */
export interface GroupTrend {
  group: GroupFrontier;
  target: number;
  dates: TrendDate[];
  factor: TrendFactor;
}

/** Options of trend: the frontier options and, optionally, the two dates to compare. */
export interface TrendOptions extends FrontierOptions {
  /** compare from the first date on or after this day that has a value; @default the first date with a value */
  from?: string;
  /** compare to the last date on or before this day that has a value; @default the last date with a value */
  to?: string;
}

/**
 * The software trend of each group (METRICS.md: the value at a target for each date's frontier): points are
 * grouped (date excluded), each group split by run day, one frontier per day, and the factor between two dates.
 * Give it every date's points (`all` selection).
 * @example trend(history, 35, { from: "2025-10-01" }) // B200 SGLang: factor 2.0 since October
 */
export function trend(
  points: readonly PointResult[],
  target: number,
  options: TrendOptions = {},
): GroupTrend[] {
  const resolved = resolveFrontierOptions(options);
  const groupBy = resolved.groupBy.filter((d) => d !== "date");
  return frontiers(points, { ...resolved, groupBy }).map((group) => {
    const byDay = new Map<string, PointResult[]>();
    for (const p of group.items) {
      const day = dayOf(p.run.date);
      const list = byDay.get(day) ?? [];
      list.push(p);
      byDay.set(day, list);
    }
    const dates = [...byDay.keys()].sort().map((date): TrendDate => {
      const frontier = frontierOf(byDay.get(date)!, resolved);
      return { date, frontier, value: frontier.at(target) };
    });
    return { group, target, dates, factor: factorOf(dates, options, resolved.y.direction) };
  });
}

function factorOf(
  dates: TrendDate[],
  options: TrendOptions,
  direction: "higher" | "lower",
): TrendFactor {
  const valued = dates.filter((d) => d.value.ok);
  const first = valued.find((d) => !options.from || d.date >= options.from);
  const last = [...valued].reverse().find((d) => !options.to || d.date <= options.to);
  if (!first || !last || first.date >= last.date) {
    // "1 of 1 date has one", "0 of 3 dates have one": the noun agrees with the whole, the verb with the part
    const ofDates = (k: number, n: number, the = "") =>
      `${k} of ${the}${n} date${n === 1 ? "" : "s"}`;
    const have = (k: number) => (k === 1 ? "has" : "have");
    const all = `${ofDates(valued.length, dates.length)} ${have(valued.length)} one`;
    if (!options.from && !options.to)
      return { ok: false, reason: `needs two dates with a value at the target; ${all}` };
    // the counts of the days asked about: every date may have a value while none lies between the days
    const inside = (d: TrendDate) =>
      (!options.from || d.date >= options.from) && (!options.to || d.date <= options.to);
    const there = dates.filter(inside);
    const inRange = there.filter((d) => d.value.ok).length;
    return {
      ok: false,
      reason: `needs two dates with a value at the target between ${options.from ?? "the start"} and ${options.to ?? "the end"}; ${ofDates(inRange, there.length, "the ")} there ${have(inRange)} one (${valued.length} of ${dates.length} in all)`,
    };
  }
  const fromValue = (first.value as { value: number }).value;
  const toValue = (last.value as { value: number }).value;
  const factor = toValue / fromValue;
  return {
    ok: true,
    from: first.date,
    to: last.date,
    fromValue,
    toValue,
    factor,
    improvement: direction === "higher" ? factor : 1 / factor,
  };
}
