import {
  type DecisionSet,
  decisionSets,
  RANKING_SCOPES,
  type RankingScope,
} from "./decision-sets.js";
import { type CurvePoint, throughputAtInteractivity } from "./frontier-at.js";
import type { ValidationCase } from "./read-rows.js";

/**
 * Two throughputs within this share of the larger are a tie: about the spread of one configuration measured at one
 * concurrency on consecutive dates (`benchmarks-history.json`: half within 1%, three quarters within 4.3%).
 */
export const RANKING_TIE_TOLERANCE = 0.03;

/** One configuration at one decision: its measured and predicted throughput per GPU at the target. */
export interface RankedConfiguration {
  label: string;
  measured: number;
  /** null: the predicted curve is slower than the target at batch 1, so `sim search` would not rank it there. */
  predicted: number | null;
}

/** One decision: a set's configurations measured across one interactivity target. */
export interface RankingDecision {
  set: string;
  /** The target, tokens/s/user: the measured interactivity of one of the set's points. */
  intvty: number;
  configurations: RankedConfiguration[];
  /** The configuration predicted best (null: none predicted to reach the target). */
  pick: string | null;
  /** The configuration measured best. */
  best: string;
  /** The pick's measured throughput is the best's or within the tie tolerance of it. */
  top1: boolean;
  /** The pick's measured throughput / the best's (null without a pick). */
  share: number | null;
}

/** Agreement of predicted and measured order over the decisions of one scope. */
export interface RankingScopeSummary {
  scope: RankingScope;
  /** Decision sets with at least one decision. */
  sets: number;
  decisions: number;
  /** Decisions whose pick is (within the tie tolerance) the measured best, of all decisions. */
  top1: number;
  /** Decisions where no configuration was predicted to reach the target. */
  noPick: number;
  pairs: {
    /** Pairs measured apart (not a tie): the denominator of the shares below. */
    ordered: number;
    same: number;
    inverted: number;
    /** Measured apart, predicted within the tolerance (or both predicted not to reach the target). */
    predictedTies: number;
    /** Measured within the tolerance: counted apart, in no share. */
    measuredTies: number;
  };
  /**
   * What a pick at random would score, the baseline of `top1` and `regret.mean`: the expected share of decisions whose
   * random pick is (within the tie tolerance) the measured best, and the mean over decisions of the mean measured
   * throughput over the best.
   */
  chance: { top1: number; share: number };
  /** The pick's measured throughput as a share of the measured best, over decisions with a pick. */
  regret: { mean: number; worst: number; worstDecision: RankingDecision | null };
  list: RankingDecision[];
}

export interface RankingReport {
  method: string;
  tieTolerance: number;
  scopes: RankingScopeSummary[];
}

/** The decisions of one set: one per distinct measured interactivity that two or more configurations span. */
export function setDecisions(set: DecisionSet, tol = RANKING_TIE_TOLERANCE): RankingDecision[] {
  const targets = [
    ...new Set(set.configurations.flatMap((c) => c.measured.map((p) => p.intvty))),
  ].sort((a, b) => b - a);
  const out: RankingDecision[] = [];
  for (const x of targets) {
    const configurations: RankedConfiguration[] = [];
    for (const c of set.configurations) {
      const intvties = c.measured.map((p) => p.intvty);
      // measured on both sides of the target (or at it): interpolated, never a bound
      if (!(Math.min(...intvties) <= x && Math.max(...intvties) >= x)) continue;
      const at = throughputAtInteractivity(c.predicted, x);
      configurations.push({
        label: c.label,
        measured: throughputAtInteractivity(c.measured, x).tputPerGpu,
        predicted: at.side === "faster" || !Number.isFinite(at.tputPerGpu) ? null : at.tputPerGpu,
      });
    }
    if (configurations.length < 2) continue;
    const best = configurations.reduce((a, b) => (b.measured > a.measured ? b : a));
    const reaching = configurations.filter((c) => c.predicted !== null);
    const pick = reaching.length
      ? reaching.reduce((a, b) => (b.predicted! > a.predicted! ? b : a))
      : undefined;
    out.push({
      set: set.key,
      intvty: x,
      configurations,
      pick: pick?.label ?? null,
      best: best.label,
      top1: pick !== undefined && pick.measured >= (1 - tol) * best.measured,
      share: pick ? pick.measured / best.measured : null,
    });
  }
  return out;
}

const tie = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(a, b);

/** Sums the decisions of one scope. */
export function summarizeDecisions(
  scope: RankingScope,
  sets: readonly DecisionSet[],
  tol = RANKING_TIE_TOLERANCE,
): RankingScopeSummary {
  const list = sets.flatMap((s) => setDecisions(s, tol));
  const pairs = { ordered: 0, same: 0, inverted: 0, predictedTies: 0, measuredTies: 0 };
  for (const d of list) {
    const cs = d.configurations;
    for (let i = 0; i < cs.length; i++)
      for (let j = i + 1; j < cs.length; j++) {
        const a = cs[i]!;
        const b = cs[j]!;
        if (tie(a.measured, b.measured, tol)) {
          pairs.measuredTies++;
          continue;
        }
        pairs.ordered++;
        const pa = a.predicted ?? 0;
        const pb = b.predicted ?? 0;
        if (tie(pa, pb, tol)) pairs.predictedTies++;
        else if (pa > pb === a.measured > b.measured) pairs.same++;
        else pairs.inverted++;
      }
  }
  const picked = list.filter((d) => d.share !== null);
  const worstDecision = picked.reduce<RankingDecision | null>(
    (w, d) => (!w || d.share! < w.share! ? d : w),
    null,
  );
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const measuredOf = (d: RankingDecision) => d.configurations.map((c) => c.measured);
  return {
    scope,
    sets: new Set(list.map((d) => d.set)).size,
    decisions: list.length,
    top1: list.filter((d) => d.top1).length,
    noPick: list.length - picked.length,
    pairs,
    chance: {
      top1: mean(
        list.map((d) => {
          const ms = measuredOf(d);
          const best = Math.max(...ms);
          return ms.filter((m) => m >= (1 - tol) * best).length / ms.length;
        }),
      ),
      share: mean(list.map((d) => mean(measuredOf(d)) / Math.max(...measuredOf(d)))),
    },
    regret: {
      mean: picked.length ? picked.reduce((s, d) => s + d.share!, 0) / picked.length : Number.NaN,
      worst: worstDecision?.share ?? Number.NaN,
      worstDecision,
    },
    list,
  };
}

/**
 * Whether the simulator orders measured configurations as the measurements do, in each scope (`RankingScope`): at
 * every measured interactivity of a decision set that two or more of its configurations were measured across, the
 * measured throughput per GPU of each (interpolated on its measured frontier) against the predicted (on its predicted
 * frontier), both with `throughputAtInteractivity`. Measurement only: nothing is fitted.
 */
export function rankingAgreement(
  cases: readonly ValidationCase[],
  predictedOf: (configKey: string) => readonly CurvePoint[] | undefined,
  tol = RANKING_TIE_TOLERANCE,
): RankingReport {
  return {
    method:
      "per model, GPU, precision and ISL/OSL (and framework or engine, by scope), at each measured interactivity two or more configurations were measured across: measured throughput per GPU interpolated on each configuration's measured frontier against the predicted, on its predicted frontier",
    tieTolerance: tol,
    scopes: RANKING_SCOPES.map((scope) =>
      summarizeDecisions(scope, decisionSets(cases, scope, predictedOf), tol),
    ),
  };
}
