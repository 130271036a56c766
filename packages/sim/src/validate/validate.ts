import type { Catalog } from "@infermark/core";
import { calibrationKey } from "../config/calibration-key.js";
import type { EfficiencyFactors } from "../config/defaults.js";
import { resolveSimConfig } from "../config/resolve.js";
import { steadyState } from "../perf/steady-state.js";
import { type CurvePoint, throughputAtInteractivity } from "./frontier-at.js";
import { type RankingReport, rankingAgreement } from "./ranking-agreement.js";
import type { SkippedRow, ValidationCase } from "./read-rows.js";

/** The prediction of one measured point. */
export interface CaseResult {
  case: ValidationCase;
  /** Predicted throughput per GPU at the measured interactivity (on the predicted frontier). */
  predictedAtIntvty: number;
  /** The point fell outside the predicted curve (faster than batch 1, or past saturation). */
  clamped: boolean;
  /** Which end it fell past: faster than the predicted batch 1, or slower than saturation. */
  outside?: "faster" | "slower";
  /** |predicted - measured| / measured, at the measured interactivity. */
  ape: number;
  /** Predicted at the measured concurrency: throughput per GPU and interactivity. */
  atConcurrency: { tputPerGpu: number; intvty: number; tputApe: number; intvtyApe: number };
}

export interface GroupError {
  group: string;
  points: number;
  mdape: number;
  mdapeAtConcurrency: number;
  medianSignedError: number;
}

export interface ValidationReport {
  method: string;
  points: number;
  mdape: number;
  mdapeAtConcurrency: number;
  mdapeIntvtyAtConcurrency: number;
  /** Share of points within 25% at the measured interactivity. */
  within25: number;
  /**
   * Points outside the predicted curve: measured faster than the predicted batch-1 interactivity
   * (compared with batch 1's throughput), or slower than its saturated end (compared with saturation).
   */
  outside: { faster: number; slower: number };
  groups: GroupError[];
  results: CaseResult[];
  skipped: SkippedRow[];
  /**
   * With `calibration`: the hardware/framework keys it has no factors for (their points used the default
   * factors), the points they hold, and how many keys the predicted points have in all.
   */
  uncalibrated?: { keys: string[]; points: number; pairs: number };
  /**
   * With `ranking`: whether the simulator orders the measured configurations of a decision set at an interactivity
   * target as the measurements do (`rankingAgreement`).
   */
  ranking?: RankingReport;
}

export interface ValidateCasesOptions {
  /** Factors for every case (otherwise defaults, or `calibration` by hardware/framework). */
  efficiency?: Partial<EfficiencyFactors>;
  calibration?: Record<string, Partial<EfficiencyFactors>>;
  /** Where the cases' model and hardware keys are looked up (a user's override applied). @default DEFAULT_CATALOG */
  catalog?: Catalog;
  /** Also measure the ranking agreement (`ValidationReport.ranking`). @default false */
  ranking?: boolean;
}

/** Median of a list (NaN when empty). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Concurrencies of a predicted curve: a geometric ladder from 1 to well past the largest measured. */
export function curveConcurrencies(maxMeasured: number): number[] {
  const out: number[] = [];
  for (let c = 1; c <= Math.max(64, maxMeasured * 4); c = Math.max(c + 1, Math.round(c * 1.15)))
    out.push(c);
  return out;
}

/** How far a curve is extended past its ladder at most (concurrency x 1.15 per step). */
const MAX_EXTENSION_STEPS = 120;

/**
 * The predicted curve of a configuration: the ladder of `curveConcurrencies`, extended to higher
 * concurrencies until it is as slow as the slowest measured point (`minIntvty`) or its throughput
 * stops rising (the batch is capped by KV or running requests). A measured point slower than the
 * ladder's end is then compared with the frontier at its interactivity, not with wherever the ladder
 * happened to stop.
 */
export function predictedCurve(
  at: (concurrency: number) => CurvePoint,
  maxMeasured: number,
  minIntvty: number,
): CurvePoint[] {
  const ladder = curveConcurrencies(maxMeasured);
  const curve = ladder.map(at);
  let conc = ladder.at(-1) ?? 1;
  let last = curve.at(-1);
  for (let i = 0; last && last.intvty > minIntvty && i < MAX_EXTENSION_STEPS; i++) {
    conc = Math.round(conc * 1.15);
    const next = at(conc);
    curve.push(next);
    if (!(next.tputPerGpu > last.tputPerGpu * 1.001)) break;
    last = next;
  }
  return curve;
}

/**
 * Predicts every case and compares with what was measured. Each configuration's curve comes from the
 * mean-field steady state (`steadyState`) over a concurrency ladder; the error is taken at the
 * measured median interactivity.
 */
export function validateCases(
  cases: readonly ValidationCase[],
  skippedIn: readonly SkippedRow[] = [],
  options: ValidateCasesOptions = {},
): ValidationReport {
  const skipped: SkippedRow[] = [...skippedIn];
  const byConfig = new Map<string, ValidationCase[]>();
  for (const c of cases) {
    const list = byConfig.get(c.configKey) ?? [];
    list.push(c);
    byConfig.set(c.configKey, list);
  }
  const results: CaseResult[] = [];
  const curves = new Map<string, CurvePoint[]>();
  const pairs = new Set<string>();
  const uncalibrated = { keys: new Set<string>(), points: 0 };
  for (const list of byConfig.values()) {
    const first = list[0]!;
    const isl = first.meanIsl;
    const osl = first.meanOsl;
    let cfg: ReturnType<typeof resolveSimConfig>;
    try {
      cfg = resolveSimConfig({
        ...first.options,
        ...(options.efficiency ? { efficiency: options.efficiency } : {}),
        ...(options.calibration ? { calibration: options.calibration } : {}),
        ...(options.catalog ? { catalog: options.catalog } : {}),
      });
    } catch (error) {
      for (const c of list) skipped.push({ reason: (error as Error).message, label: c.curveKey });
      continue;
    }
    const pair = calibrationKey(cfg.gpu.key, cfg.framework);
    pairs.add(pair);
    if (options.calibration && !options.calibration[pair]) {
      uncalibrated.keys.add(pair);
      uncalibrated.points += list.length;
    }
    const curve = predictedCurve(
      (conc) => {
        const s = steadyState(cfg, isl, osl, conc);
        return { intvty: s.intvty, tputPerGpu: s.tputPerGpu };
      },
      Math.max(...list.map((c) => c.concurrency)),
      Math.min(...list.map((c) => c.measured.intvty)),
    );
    curves.set(first.configKey, curve);
    for (const c of list) {
      const at = throughputAtInteractivity(curve, c.measured.intvty);
      const s = steadyState(cfg, isl, osl, c.concurrency);
      const m = c.measured;
      results.push({
        case: c,
        predictedAtIntvty: at.tputPerGpu,
        clamped: at.clamped,
        ...(at.side ? { outside: at.side } : {}),
        ape: Math.abs(at.tputPerGpu - m.tputPerGpu) / m.tputPerGpu,
        atConcurrency: {
          tputPerGpu: s.tputPerGpu,
          intvty: s.intvty,
          tputApe: Math.abs(s.tputPerGpu - m.tputPerGpu) / m.tputPerGpu,
          intvtyApe: Math.abs(s.intvty - m.intvty) / m.intvty,
        },
      });
    }
  }
  const groups = new Map<string, CaseResult[]>();
  for (const r of results) {
    const list = groups.get(r.case.group) ?? [];
    list.push(r);
    groups.set(r.case.group, list);
  }
  return {
    method:
      "throughput per GPU on the predicted frontier at the measured median interactivity (mean-field steady state)",
    points: results.length,
    mdape: median(results.map((r) => r.ape)),
    mdapeAtConcurrency: median(results.map((r) => r.atConcurrency.tputApe)),
    mdapeIntvtyAtConcurrency: median(results.map((r) => r.atConcurrency.intvtyApe)),
    within25: results.length ? results.filter((r) => r.ape <= 0.25).length / results.length : 0,
    outside: {
      faster: results.filter((r) => r.outside === "faster").length,
      slower: results.filter((r) => r.outside === "slower").length,
    },
    groups: [...groups.entries()]
      .map(([group, rs]) => ({
        group,
        points: rs.length,
        mdape: median(rs.map((r) => r.ape)),
        mdapeAtConcurrency: median(rs.map((r) => r.atConcurrency.tputApe)),
        medianSignedError: median(
          rs.map(
            (r) => (r.predictedAtIntvty - r.case.measured.tputPerGpu) / r.case.measured.tputPerGpu,
          ),
        ),
      }))
      .sort((a, b) => a.group.localeCompare(b.group)),
    results,
    skipped,
    ...(options.ranking
      ? {
          ranking: rankingAgreement(
            results.map((r) => r.case),
            (configKey) => curves.get(configKey),
          ),
        }
      : {}),
    ...(options.calibration
      ? {
          uncalibrated: {
            keys: [...uncalibrated.keys].sort(),
            points: uncalibrated.points,
            pairs: pairs.size,
          },
        }
      : {}),
  };
}
