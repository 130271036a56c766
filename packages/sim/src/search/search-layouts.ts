import { InfermarkError } from "@infermark/core";
import type { ResolvedSimConfig, SimOptions } from "../config/options.js";
import { resolveSimConfig } from "../config/resolve.js";
import { DoesNotFitError, SimConfigError, SimSpecMethodError } from "../errors.js";
import { assertFits } from "../perf/fit-check.js";
import { steadyState } from "../perf/steady-state.js";
import {
  type CurvePoint,
  paretoFrontier,
  throughputAtInteractivity,
} from "../validate/frontier-at.js";
import { topologyLabel } from "../validate/read-rows.js";
import { predictedCurve } from "../validate/validate.js";
import { enumerateLayouts, type Layout } from "./enumerate-layouts.js";

/** What `searchLayouts` is asked: the deployment options but the layout, the GPUs to fill, the workload and targets. */
export interface SearchOptions {
  /** Model, GPU, precision, framework, calibration...: every SimOptions field but the layout and `spec`. */
  sim: Omit<SimOptions, keyof Layout | "spec" | "pp">;
  /** The GPUs to fill. */
  gpus: number;
  isl: number;
  osl: number;
  /** Interactivity targets, tokens/s/user. */
  targets: number[];
  /** MTP depths to compare; 0 is without MTP. @default [0] */
  mtpDraftTokens?: number[];
  /** Search disaggregated prefill/decode splits too. @default false */
  disaggregated?: boolean;
  /** Layouts kept per target. @default DEFAULT_SEARCH_TOP */
  top?: number;
}

/**
 * The lowest memory fraction, in hundredths above `current`, at which a layout refused for memory fits (weights and
 * the KV cache of one request of `minTokens` tokens, as `assertFits` checks); undefined when even 1 does not.
 * @example fractionToFit({ model: "dsr1", hardware: "b200", gpus: 4, tp: 4, framework: "sglang" }, 0.9, 2048) // 0.91
 */
function fractionToFit(sim: SimOptions, current: number, minTokens: number): number | undefined {
  const fits = (fraction: number): boolean => {
    try {
      assertFits(
        resolveSimConfig({ ...sim, engine: { ...sim.engine, memoryFraction: fraction } }),
        minTokens,
      );
      return true;
    } catch {
      return false;
    }
  };
  if (current >= 1 || !fits(1)) return undefined;
  // the KV room grows with the fraction under every rule: bisect between one that fails and one that fits
  let lo = Math.floor(current * 100);
  let hi = 100;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid / 100)) hi = mid;
    else lo = mid;
  }
  return hi / 100;
}

/** Layouts `sim search` lists per target unless told otherwise. */
export const DEFAULT_SEARCH_TOP = 5;

/** One predicted layout at one target. */
export interface RankedLayout {
  /** As `sim validate` names curves: `2x(tp4/ep4/dpa)`, `P1x(tp8) D1x(tp8/ep8/dpa)`. */
  label: string;
  mtpDraftTokens: number;
  layout: Layout;
  /** GPUs the layout uses (a disaggregated split may leave some of the GPUs idle). */
  gpus: number;
  /** Throughput per GPU on the layout's predicted frontier at the target interactivity. */
  tputPerGpu: number;
  /** The concurrency at the target on the predicted curve (interpolated as the throughput is). */
  concurrency: number;
}

/** A layout the simulator refused, or one whose weights and KV cache do not fit. */
export interface SkippedLayout {
  label: string;
  mtpDraftTokens: number;
  /** The simulator's message for this layout. */
  reason: string;
  /** What layouts skipped alike share, to count them by: `weights + KV cache do not fit in GPU memory`. */
  group: string;
  /**
   * For a layout skipped for memory: the lowest memory fraction, in hundredths, at which it would fit under the
   * framework's rule (`kvMemoryRule`), when one above the fraction in effect and at most 1 does.
   */
  memoryFractionToFit?: number;
}

export interface SearchTargetResult {
  /** The target, tokens/s/user. */
  intvty: number;
  /** How many predicted layouts reach it (their batch-1 interactivity is at least the target). */
  reached: number;
  /** The best `top` of them by throughput per GPU, best first. */
  best: RankedLayout[];
}

export interface SearchResult {
  /** Layouts enumerated (x MTP depths), skipped ones included. */
  tried: number;
  /** Layouts predicted. */
  predicted: number;
  skipped: SkippedLayout[];
  targets: SearchTargetResult[];
  /** A resolved configuration of the search (for its GPU and efficiency source), if any layout resolved. */
  config?: ResolvedSimConfig;
}

/** A predicted curve point with the concurrency that gave it. */
interface LevelPoint extends CurvePoint {
  concurrency: number;
}

/**
 * The predicted curve of a layout, as `sim validate` predicts one: the mean-field steady state over its
 * concurrency ladder (to 4 x the GPUs, at least 64), extended until it is slower than `minIntvty` or saturates.
 */
export function layoutCurve(
  cfg: ResolvedSimConfig,
  isl: number,
  osl: number,
  minIntvty: number,
): LevelPoint[] {
  const at = (concurrency: number): LevelPoint => {
    const s = steadyState(cfg, isl, osl, concurrency);
    return { intvty: s.intvty, tputPerGpu: s.tputPerGpu, concurrency };
  };
  // predictedCurve keeps the points `at` made, concurrency and all
  return predictedCurve(at, cfg.gpus, minIntvty) as LevelPoint[];
}

/** The concurrency at interactivity `x` between the two frontier points that bracket it, log-log as the throughput. */
function concurrencyAt(curve: readonly LevelPoint[], x: number): number {
  const pts = paretoFrontier(curve) as LevelPoint[];
  for (let i = 1; i < pts.length; i++) {
    const hi = pts[i - 1]!;
    const lo = pts[i]!;
    if (x <= hi.intvty && x >= lo.intvty) {
      const f = Math.log(hi.intvty / x) / Math.log(hi.intvty / lo.intvty);
      return Math.exp(Math.log(hi.concurrency) + f * Math.log(lo.concurrency / hi.concurrency));
    }
  }
  // at the fastest point, or slower than saturation: that end's concurrency
  return (x >= (pts[0]?.intvty ?? 0) ? pts[0] : pts.at(-1))?.concurrency ?? Number.NaN;
}

/**
 * Why the simulator refused a layout: its message, and the group it counts in (a memory refusal's numbers differ
 * from layout to layout); anything but the simulator's own errors is a fault, thrown.
 */
function refusal(error: unknown): { reason: string; group: string } {
  if (error instanceof DoesNotFitError)
    return {
      reason: error.message,
      group: "weights + KV cache of one request do not fit in GPU memory",
    };
  if (error instanceof InfermarkError) return { reason: error.message, group: error.message };
  throw error;
}

/**
 * Predicts every layout of `enumerateLayouts` on the GPUs (each MTP depth) and ranks them per target
 * interactivity by throughput per GPU on the predicted frontier, as `sim validate` predicts it
 * (`steadyState` over a concurrency ladder, `throughputAtInteractivity`). A layout that does not reach a target
 * (its batch 1 is slower) is not ranked there: nothing is extrapolated. A layout the simulator refuses, or one that
 * does not fit in memory, is skipped with the reason. A TP wider than the GPU's scale-up domain is predicted as
 * `sim predict` predicts it (its collectives cross the NICs), as DeepSeek-R1 on 16 H100 must run.
 * @example searchLayouts({ sim: { model: "dsr1", hardware: "h200" }, gpus: 8, isl: 1024, osl: 1024, targets: [50] })
 */
export function searchLayouts(o: SearchOptions): SearchResult {
  if (!(o.isl > 0 && o.osl > 0)) throw new SimConfigError("isl and osl must be positive");
  if (!(Number.isInteger(o.gpus) && o.gpus > 0))
    throw new SimConfigError(`gpus ${o.gpus} must be a positive integer`);
  for (const t of o.targets)
    if (!(Number.isFinite(t) && t > 0))
      throw new SimConfigError(
        `interactivity target ${t} must be a positive number of tokens/s/user`,
      );
  const base = resolveSimConfig({ ...o.sim });
  if (o.isl + o.osl > base.model.maxContext)
    throw new SimConfigError(
      `isl + osl = ${o.isl + o.osl} exceeds the model's context length ${base.model.maxContext}`,
    );
  const depths = o.mtpDraftTokens ?? [0];
  const layouts = enumerateLayouts({
    gpus: o.gpus,
    moe: base.model.moe !== undefined,
    disaggregated: o.disaggregated,
  });
  const minIntvty = Math.min(...o.targets);
  const skipped: SkippedLayout[] = [];
  const curves: {
    label: string;
    mtp: number;
    layout: Layout;
    cfg: ResolvedSimConfig;
    curve: LevelPoint[];
  }[] = [];
  let config: ResolvedSimConfig | undefined;
  for (const layout of layouts) {
    const label = topologyLabel(layout);
    for (const mtp of depths) {
      let cfg: ResolvedSimConfig;
      try {
        cfg = resolveSimConfig({
          ...o.sim,
          ...layout,
          ...(mtp > 0 ? { spec: { method: "mtp", draftTokens: mtp } } : {}),
        });
        assertFits(cfg, o.isl + o.osl);
      } catch (error) {
        // MTP the model has not is the request's fault, not the layout's
        if (error instanceof SimSpecMethodError) throw error;
        const toFit =
          error instanceof DoesNotFitError
            ? fractionToFit(
                {
                  ...o.sim,
                  ...layout,
                  ...(mtp > 0 ? { spec: { method: "mtp", draftTokens: mtp } } : {}),
                },
                base.engine.memoryFraction,
                o.isl + o.osl,
              )
            : undefined;
        skipped.push({
          label,
          mtpDraftTokens: mtp,
          ...refusal(error),
          ...(toFit !== undefined ? { memoryFractionToFit: toFit } : {}),
        });
        continue;
      }
      config ??= cfg;
      curves.push({ label, mtp, layout, cfg, curve: layoutCurve(cfg, o.isl, o.osl, minIntvty) });
    }
  }
  const top = o.top ?? DEFAULT_SEARCH_TOP;
  const targets = o.targets.map((intvty) => {
    const ranked: RankedLayout[] = [];
    for (const c of curves) {
      const at = throughputAtInteractivity(c.curve, intvty);
      if (at.side === "faster" || !Number.isFinite(at.tputPerGpu)) continue;
      ranked.push({
        label: c.label,
        mtpDraftTokens: c.mtp,
        layout: c.layout,
        gpus: c.cfg.gpus,
        tputPerGpu: at.tputPerGpu,
        concurrency: concurrencyAt(c.curve, intvty),
      });
    }
    ranked.sort((a, b) => b.tputPerGpu - a.tputPerGpu);
    return { intvty, reached: ranked.length, best: ranked.slice(0, top) };
  });
  return {
    tried: layouts.length * depths.length,
    predicted: curves.length,
    skipped,
    targets,
    ...(config ? { config } : {}),
  };
}
