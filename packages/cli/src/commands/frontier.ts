import {
  type Catalog,
  frontiers,
  type GroupDimension,
  type GroupFrontier,
  type Interpolated,
  interactivityRanges,
  leadersAt,
  type MetricContext,
  type PointFilter,
  type PointResult,
  type Pricing,
  resolveFrontierOptions,
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
  return {
    x: { id: resolved.x.id, unit: resolved.x.unit },
    y: { id: resolved.y.id, unit: resolved.y.unit },
    groups: frontiers(points, resolved).map((g) => toGroupResult(g, options.targets)),
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

/** `infermark frontier --ranges`: each group's measured interactivity (or other x) range. */
export async function rangesCommand(options: AnalysisCommandOptions): Promise<RangeRow[]> {
  const points = await loadAnalysisPoints(options);
  return interactivityRanges(points, { ...options, context: contextOf(options) }).map((r) => ({
    group: r.group.label,
    min: r.min,
    max: r.max,
    frontierMin: r.frontierMin,
    frontierMax: r.frontierMax,
    points: r.points,
  }));
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

/**
 * `infermark frontier --leaders` / `--best-per-gpu`: which group leads at each target within each workload, or
 * within each workload and GPU (the best configuration of each GPU).
 */
export async function leadersCommand(
  options: AnalysisCommandOptions & { targets: readonly number[]; perGpu?: boolean },
): Promise<LeaderRow[]> {
  const points = await loadAnalysisPoints(options);
  const within: GroupDimension[] = options.perGpu
    ? [...WORKLOAD_DIMENSIONS, "hardware"]
    : [...WORKLOAD_DIMENSIONS];
  return leadersAt(points, options.targets, {
    ...options,
    within,
    context: contextOf(options),
  }).map((l) => ({
    partition: l.partition,
    target: l.target,
    leader: l.leader?.group.label ?? null,
    value: l.leader?.value ?? null,
    runnerUp: l.runnerUp?.group.label ?? null,
    runnerUpValue: l.runnerUp?.value ?? null,
    lead: l.lead ?? null,
    without: l.without.length,
  }));
}
