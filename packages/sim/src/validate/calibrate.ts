import { calibrationKey } from "../config/calibration-key.js";
import {
  type EfficiencyFactors,
  ISOLATED_GPU_LIMITS,
  onPlatform,
  platformApplies,
  platformEfficiency,
} from "../config/defaults.js";
import { resolveSimConfig } from "../config/resolve.js";
import type { ValidationCase } from "./read-rows.js";
import { median, type ValidateCasesOptions, validateCases } from "./validate.js";

/**
 * `factors` as each case's GPU runs them for its model (`onPlatform` where `platformApplies`), as a calibration map
 * keyed `hardware/framework`: what a script that tries candidate defaults passes as `calibration`, so that every GPU
 * gets its platform factor as the defaults do (`efficiency` would give every GPU the same factors).
 * @example validateCases(cases, [], { calibration: onPlatforms(cases, { ...DEFAULT_EFFICIENCY, memory: 0.7 }) })
 */
export function onPlatforms(
  cases: readonly ValidationCase[],
  factors: EfficiencyFactors,
): Record<string, EfficiencyFactors> {
  const calibration: Record<string, EfficiencyFactors> = {};
  for (const c of cases) {
    let applies = true;
    try {
      const cfg = resolveSimConfig(c.options);
      applies = platformApplies(cfg.model, cfg.precision);
    } catch {
      // a case that does not resolve is skipped by the validation: its entry does not matter
    }
    calibration[calibrationKey(c.hardware, c.framework)] = applies
      ? onPlatform(factors, c.hardware)
      : factors;
  }
  return calibration;
}

/** A hardware/framework pair with no factors: none of its training points could be predicted. */
export interface UnfittedPair {
  pair: string;
  /** Its training points. */
  train: number;
  /** Why they could not be predicted (an unknown model or GPU, a layout the simulator refuses), each once. */
  reasons: string[];
}

/** Fitted factors per `${hardware}/${framework}` and the hold-out errors with and without them. */
export interface CalibrationResult {
  /** Only the pairs fitted: a pair none of whose training points resolve is in `unfitted` instead. */
  factors: Record<string, Partial<EfficiencyFactors>>;
  train: number;
  holdout: number;
  holdoutMdapeDefault: number;
  holdoutMdapeCalibrated: number;
  holdoutMdapeAtConcurrencyDefault: number;
  holdoutMdapeAtConcurrencyCalibrated: number;
  perPair: { pair: string; train: number; holdout: number; factors: Partial<EfficiencyFactors> }[];
  /** Pairs left out of `factors` and `perPair`: empty factors would pass for calibrated ones (the defaults). */
  unfitted: UnfittedPair[];
  split: string;
}

function fnv(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** True when a case belongs to the hold-out third (by a hash of its configuration, concurrency aside). */
export function isHoldout(c: ValidationCase): boolean {
  return fnv(c.curveKey) % 3 === 0;
}

/**
 * The grid searched per pair, as multiples of the pair's default factors (those its points run: `platformEfficiency`
 * of its GPU, model and precision; so it always holds the defaults themselves and moves with them when they are
 * retuned), compute and memory capped at what one GPU does in isolation.
 */
const GRID_MULTIPLES = {
  memory: [0.5, 0.65, 0.8, 1, 1.12],
  compute: [0.35, 0.55, 0.8, 1, 1.1],
  layerOverheadUs: [0.45, 0.75, 1, 1.5, 2.2],
  stepOverheadUs: [0.4, 1, 1.5],
} as const;

type GridKey = keyof typeof GRID_MULTIPLES;

/** The values of one factor's grid: the base's multiples, within `ISOLATED_GPU_LIMITS`, 3 significant digits. */
function gridOf(key: GridKey, base: EfficiencyFactors): number[] {
  const cap: number =
    key in ISOLATED_GPU_LIMITS
      ? ISOLATED_GPU_LIMITS[key as keyof typeof ISOLATED_GPU_LIMITS]
      : Number.POSITIVE_INFINITY;
  const values = GRID_MULTIPLES[key].map((m) => +Math.min(cap, base[key] * m).toPrecision(3));
  return [...new Set(values)];
}

/**
 * The default factors a pair's points run: those of its first point that resolves (the GPU's platform factor applies
 * to some models and not to others, `platformApplies`), else the GPU's.
 */
function pairDefaults(
  list: readonly ValidationCase[],
  catalog: ValidateCasesOptions["catalog"],
): EfficiencyFactors {
  for (const c of list) {
    try {
      return resolveSimConfig({ ...c.options, ...(catalog ? { catalog } : {}) }).efficiency;
    } catch {
      // a point that does not resolve says nothing of the factors; the next one may
    }
  }
  return platformEfficiency(list[0]!.hardware);
}

/** The grid of a pair whose points run the default factors `base`. */
function gridFor(base: EfficiencyFactors): Record<GridKey, number[]> {
  return {
    memory: gridOf("memory", base),
    compute: gridOf("compute", base),
    layerOverheadUs: gridOf("layerOverheadUs", base),
    stepOverheadUs: gridOf("stepOverheadUs", base),
  };
}

/**
 * Fits efficiency factors per GPU and framework on two thirds of the configurations (split by a hash
 * of the configuration, so a curve's points stay together) by grid search on the median error at the
 * measured concurrency (throughput and interactivity), and reports the error on the other third. The cases'
 * model and hardware keys are looked up in `catalog` (the built-in one by default); a pair none of whose training
 * points resolve (unknown model or GPU, no layout) gets no factors and is listed in `unfitted` with the reasons.
 */
export function calibrate(
  cases: readonly ValidationCase[],
  { catalog }: Pick<ValidateCasesOptions, "catalog"> = {},
): CalibrationResult {
  const train = cases.filter((c) => !isHoldout(c));
  const hold = cases.filter(isHoldout);
  const pairs = new Map<string, ValidationCase[]>();
  for (const c of train) {
    const k = calibrationKey(c.hardware, c.framework);
    pairs.set(k, [...(pairs.get(k) ?? []), c]);
  }
  const factors: Record<string, Partial<EfficiencyFactors>> = {};
  const perPair: CalibrationResult["perPair"] = [];
  const unfitted: UnfittedPair[] = [];
  for (const [pair, list] of pairs) {
    const probe = validateCases(list, [], { catalog });
    if (probe.points === 0) {
      const reasons = [...new Set(probe.skipped.map((s) => s.reason))];
      unfitted.push({ pair, train: list.length, reasons });
      continue;
    }
    let best: Partial<EfficiencyFactors> = {};
    let bestErr = Number.POSITIVE_INFINITY;
    const grid = gridFor(pairDefaults(list, catalog));
    for (const memory of grid.memory)
      for (const compute of grid.compute)
        for (const layerOverheadUs of grid.layerOverheadUs)
          for (const stepOverheadUs of grid.stepOverheadUs) {
            const eff = { memory, compute, layerOverheadUs, stepOverheadUs };
            const rep = validateCases(list, [], { efficiency: eff, catalog });
            const err = median(
              rep.results.map((r) => (r.atConcurrency.tputApe + r.atConcurrency.intvtyApe) / 2),
            );
            if (err < bestErr) {
              bestErr = err;
              best = eff;
            }
          }
    factors[pair] = best;
    perPair.push({
      pair,
      train: list.length,
      holdout: hold.filter((c) => calibrationKey(c.hardware, c.framework) === pair).length,
      factors: best,
    });
  }
  const base = validateCases(hold, [], { catalog });
  const cal = validateCases(hold, [], { calibration: factors, catalog });
  return {
    factors,
    train: train.length,
    holdout: hold.length,
    holdoutMdapeDefault: base.mdape,
    holdoutMdapeCalibrated: cal.mdape,
    holdoutMdapeAtConcurrencyDefault: base.mdapeAtConcurrency,
    holdoutMdapeAtConcurrencyCalibrated: cal.mdapeAtConcurrency,
    perPair: perPair.sort((a, b) => a.pair.localeCompare(b.pair)),
    unfitted: unfitted.sort((a, b) => a.pair.localeCompare(b.pair)),
    split: "hold-out = configurations whose FNV-1a hash of the configuration key is 0 mod 3",
  };
}
