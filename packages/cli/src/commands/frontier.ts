import {
  type Catalog,
  type Frontier,
  frontiers,
  type GroupDimension,
  type GroupFrontier,
  type Interpolated,
  interactivityRanges,
  LITTLES_LAW_TOLERANCE,
  leadersAt,
  type MetricContext,
  type PointFilter,
  type PointResult,
  type Pricing,
  resolveFrontierOptions,
  throughputConsistency,
  WORKLOAD_DIMENSIONS,
} from "@infermark/core";
import { openStore } from "@infermark/store";

/** Which points an analysis command reads: the store, the usual filter, and the point-set semantics. */
export interface AnalysisSourceOptions {
  /** SQLite file or postgres:// URL; @default $INFERMARK_DB, else infermark.db */
  db?: string;
  filter?: PointFilter;
  /** the latest point of each configuration and concurrency as of this day; @default today (latest) */
  date?: string;
  /** pool every date instead of taking the latest points; @default false */
  allDates?: boolean;
}

/** What the analysis commands share beyond the points: axes, grouping and prices. */
export interface AnalysisCommandOptions extends AnalysisSourceOptions {
  /** @default "intvty" */
  x?: string;
  /** @default "tputPerGpu" */
  y?: string;
  groupBy?: readonly GroupDimension[];
  /** @default { tier: "hyperscaler" } */
  pricing?: Pricing;
  catalog?: Catalog;
}

/**
 * Reads the point set from the store: by default the latest point of each configuration and concurrency
 * (as of `date`, or of the filter's `dateTo`), or every point with `allDates`.
 */
export async function loadAnalysisPoints(options: AnalysisSourceOptions): Promise<PointResult[]> {
  const filter: PointFilter = { ...(options.filter ?? {}) };
  if (options.allDates) delete filter.latest;
  else {
    filter.latest = true;
    if (options.date && (!filter.dateTo || options.date < filter.dateTo))
      filter.dateTo = options.date;
  }
  const store = await openStore(options.db, { create: false });
  try {
    return (await store.queryPoints(filter)).map((s) => s.point);
  } finally {
    await store.close();
  }
}

/** The metric context of a command's options. */
export const contextOf = (o: AnalysisCommandOptions): MetricContext => ({
  ...(o.pricing ? { pricing: o.pricing } : {}),
  ...(o.catalog ? { catalog: o.catalog } : {}),
});

/**
 * Why a point contradicts itself: its reported output throughput is more than 4x from Little's law's (core's
 * `throughputConsistency`, docs/metrics.md "Self-consistency"), else undefined (consistent, or not checkable).
 */
export function flagOf(point: PointResult): string | undefined {
  const check = throughputConsistency(point);
  return check.kind === "checked" && check.flagged ? check.detail : undefined;
}

/**
 * The frontier points a value at `target` is read from: the knot at the target, else the two knots around it and
 * their neighbours, whose values set Steffen's slopes at those two. None outside the frontier's range.
 * @example knotsAt(frontier, 40) // the PointResults that enter the value at 40
 */
export function knotsAt(frontier: Pick<Frontier, "points">, target: number): PointResult[] {
  const front = frontier.points;
  const hi = front.findIndex((p) => p.x >= target);
  if (hi < 0 || front[0]!.x > target) return [];
  if (front[hi]!.x === target) return [front[hi]!.item];
  return front.slice(Math.max(0, hi - 2), hi + 2).map((p) => p.item);
}

/**
 * The flagged points (`flagOf`) an analysis command reads: those on a frontier it prints, or that enter a value it
 * reports. A published figure is kept as published (InferenceX's frontier is InferenceX's); the command says which
 * of its points contradict themselves, once, so a reader or a script does not take them at face value.
 */
export class FlaggedPoints {
  private readonly seen = new Map<PointResult, string>();

  /** Notes `point` when it is flagged (each point once). */
  add(point: PointResult): void {
    if (this.seen.has(point)) return;
    const detail = flagOf(point);
    if (detail !== undefined) this.seen.set(point, detail);
  }

  /** Notes every point among `points` that is flagged. */
  addAll(points: Iterable<PointResult>): void {
    for (const p of points) this.add(p);
  }

  /**
   * The command's warnings: none, or one line naming each flagged point and how it contradicts itself; `where`
   * says where the command met them ("on the frontiers", "in the values at the targets").
   * @example flagged.warnings("on the frontiers") // ["1 flagged point on the frontiers (...): (mi355x ...) reports ..."]
   */
  warnings(where: string): string[] {
    const n = this.seen.size;
    if (n === 0) return [];
    const named = [...this.seen].map(([p, detail]) => `${pointName(p)} ${detail}`);
    return [
      `${n} flagged point${n === 1 ? "" : "s"} ${where} (output throughput more than ${LITTLES_LAW_TOLERANCE}x from Little's law; docs/metrics.md, "Self-consistency"), kept as published: ${named.join("; ")}`,
    ];
  }
}

/** A point as a warning names it: `(mi355x atom fp8 mtp 1024/1024 conc 512, 2026-06-02)`. */
const pointName = (p: PointResult) => {
  const c = p.config;
  return `(${c.hardwareLabel ?? c.hardware} ${c.framework} ${c.precision} ${c.specDecoding.method} ${c.workload.isl}/${c.workload.osl} conc ${c.load.concurrency ?? "-"}, ${p.run.date.slice(0, 10)})`;
};

/** A value at a target, as JSON: the value, or null and the reason. */
export interface TargetValue {
  target: number;
  value: number | null;
  reason?: string;
}

export const targetValue = (target: number, r: Interpolated): TargetValue =>
  r.ok ? { target, value: r.value } : { target, value: null, reason: r.reason };

/** One frontier point as printed: its coordinates and what identifies it. */
export interface FrontierPointRow {
  x: number;
  y: number;
  concurrency: number | null;
  date: string;
  framework: string;
  tp: string;
}

/** A group's frontier as the `frontier` command returns it. */
export interface FrontierGroupResult {
  group: string;
  dims: Partial<Record<GroupDimension, string>>;
  points: number;
  skipped: number;
  frontier: FrontierPointRow[];
  values?: TargetValue[];
}

/** The result of the `frontier` command. */
export interface FrontierCommandResult {
  x: { id: string; unit: string };
  y: { id: string; unit: string };
  groups: FrontierGroupResult[];
  /**
   * Points that contradict their own throughput (`flagOf`) and lie on a printed frontier, or with targets enter a
   * value at one: none, or one line naming them.
   */
  warnings: string[];
}

const frontierRow = (x: number, y: number, p: PointResult): FrontierPointRow => {
  const t = p.config.topology;
  const tp = t.disaggregated
    ? `p${t.prefill?.tp ?? "?"}/d${t.decode?.tp ?? "?"}`
    : String(t.decode?.tp ?? t.prefill?.tp ?? "?");
  return {
    x,
    y,
    concurrency: p.config.load.concurrency ?? null,
    date: p.run.date,
    framework: p.config.framework,
    tp,
  };
};

const toGroupResult = (g: GroupFrontier, targets?: readonly number[]): FrontierGroupResult => ({
  group: g.label,
  dims: g.dims,
  points: g.items.length,
  skipped: g.frontier.skipped,
  frontier: g.frontier.points.map((p) => frontierRow(p.x, p.y, p.item)),
  ...(targets ? { values: targets.map((t) => targetValue(t, g.frontier.at(t))) } : {}),
});

/**
 * `infermark frontier`: the frontier of each group for a metric pair, and its values at targets when given.
 * @example await frontierCommand({ filter: { model: ["dsr1"], isl: 1024, osl: 1024 }, y: "cost", targets: [40] })
 */
export async function frontierCommand(
  options: AnalysisCommandOptions & { targets?: readonly number[] },
): Promise<FrontierCommandResult> {
  const points = await loadAnalysisPoints(options);
  const resolved = resolveFrontierOptions({ ...options, context: contextOf(options) });
  const groups = frontiers(points, resolved);
  const flagged = new FlaggedPoints();
  const { targets } = options;
  for (const g of groups)
    if (targets) for (const t of targets) flagged.addAll(knotsAt(g.frontier, t));
    else flagged.addAll(g.frontier.points.map((p) => p.item));
  return {
    x: { id: resolved.x.id, unit: resolved.x.unit },
    y: { id: resolved.y.id, unit: resolved.y.unit },
    groups: groups.map((g) => toGroupResult(g, targets)),
    warnings: flagged.warnings(targets ? "in the values at the targets" : "on the frontiers"),
  };
}

/** One group's measured range. */
export interface RangeRow {
  group: string;
  min: number;
  max: number;
  frontierMin: number;
  frontierMax: number;
  points: number;
}

/** The result of `frontier --ranges`: each group's range on x, and on which frontier (y) its frontier range is. */
export interface RangesCommandResult {
  x: { id: string; unit: string };
  /** the throughput frontier `frontierMin` and `frontierMax` are the ends of */
  y: { id: string; unit: string };
  groups: RangeRow[];
  /** points without an x value, left out (a `--no-stream` point has no interactivity) */
  skipped: number;
  /** flagged points (`flagOf`) at an end of a printed range, measured or frontier: none, or one line */
  warnings: string[];
}

/**
 * `infermark frontier --ranges`: each group's measured interactivity (or other x) range.
 * @example (await rangesCommand({ filter: { hardware: ["h200"] } })).groups[0] // { group, min, max, ... }
 */
export async function rangesCommand(options: AnalysisCommandOptions): Promise<RangesCommandResult> {
  const points = await loadAnalysisPoints(options);
  const context = contextOf(options);
  const resolved = resolveFrontierOptions({ ...options, y: "tputPerGpu", context });
  const ranges = interactivityRanges(points, { ...options, context });
  const flagged = new FlaggedPoints();
  for (const r of ranges) {
    const f = r.group.frontier;
    // a point a printed figure is read from: the lowest or highest x of the group, or an end of its frontier
    for (const p of r.group.items) {
      const v = f.x.value(p, context);
      if (v === r.min || v === r.max) flagged.add(p);
    }
    for (const p of [f.points[0], f.points[f.points.length - 1]]) if (p) flagged.add(p.item);
  }
  return {
    x: { id: resolved.x.id, unit: resolved.x.unit },
    y: { id: resolved.y.id, unit: resolved.y.unit },
    groups: ranges.map((r) => ({
      group: r.group.label,
      min: r.min,
      max: r.max,
      frontierMin: r.frontierMin,
      frontierMax: r.frontierMax,
      points: r.points,
    })),
    skipped: points.length - ranges.reduce((n, r) => n + r.points, 0),
    warnings: flagged.warnings("at the ends of the ranges"),
  };
}

/** The leader of one partition at one target. */
export interface LeaderRow {
  partition: string;
  target: number;
  leader: string | null;
  value: number | null;
  runnerUp: string | null;
  runnerUpValue: number | null;
  lead: number | null;
  without: number;
}

/** The result of `frontier --leaders` and `--best-per-gpu`. */
export interface LeadersCommandResult {
  x: { id: string; unit: string };
  /** the metric `value`, `runnerUpValue` and `lead` are of */
  y: { id: string; unit: string };
  rows: LeaderRow[];
  /** flagged points (`flagOf`) that enter a leader's or runner-up's value: none, or one line */
  warnings: string[];
}

/**
 * `infermark frontier --leaders` / `--best-per-gpu`: which group leads at each target within each workload, or
 * within each workload and GPU (the best configuration of each GPU).
 * @example (await leadersCommand({ targets: [40], perGpu: true })).rows[0] // { partition, target, leader, ... }
 */
export async function leadersCommand(
  options: AnalysisCommandOptions & { targets: readonly number[]; perGpu?: boolean },
): Promise<LeadersCommandResult> {
  const points = await loadAnalysisPoints(options);
  const within: GroupDimension[] = options.perGpu
    ? [...WORKLOAD_DIMENSIONS, "hardware"]
    : [...WORKLOAD_DIMENSIONS];
  const context = contextOf(options);
  const resolved = resolveFrontierOptions({ ...options, context });
  const leaders = leadersAt(points, options.targets, { ...options, within, context });
  const flagged = new FlaggedPoints();
  for (const l of leaders)
    for (const ranked of [l.leader, l.runnerUp])
      if (ranked) flagged.addAll(knotsAt(ranked.group.frontier, l.target));
  return {
    x: { id: resolved.x.id, unit: resolved.x.unit },
    y: { id: resolved.y.id, unit: resolved.y.unit },
    rows: leaders.map((l) => ({
      partition: l.partition,
      target: l.target,
      leader: l.leader?.group.label ?? null,
      value: l.leader?.value ?? null,
      runnerUp: l.runnerUp?.group.label ?? null,
      runnerUpValue: l.runnerUp?.value ?? null,
      lead: l.lead ?? null,
      without: l.without.length,
    })),
    warnings: flagged.warnings("in the values at the targets"),
  };
}
