import { type SearchResult, searchLayouts } from "@infermark/sim";
import { repeatedLevelError } from "./sim-flag-errors.js";
import { type SimFlags, simOptionsFromFlags } from "./sim-options.js";

/** What `sim search` is asked beside the model, GPU, precision, framework and calibration flags. */
export interface SimSearchOptions {
  gpus: number;
  isl: number;
  osl: number;
  /** `--at`: interactivity targets, tokens/s/user. */
  at: number[];
  /** `--mtp-draft-tokens`: MTP depths to compare, 0 without MTP. @default [0] */
  mtpDraftTokens?: number[];
  disagg?: boolean;
  top?: number;
}

/** The flags of `sim search` that `simOptionsFromFlags` reads: the deployment but its layout, with the engine limits every layout tried gets. */
type SearchSimFlags = Pick<
  SimFlags,
  | "model"
  | "hardware"
  | "precision"
  | "kvCacheDtype"
  | "framework"
  | "maxRunning"
  | "memoryFraction"
  | "fp8Gemm"
  | "calibration"
  | "catalog"
>;

/** Runs `sim search`: every layout of `gpus` GPUs predicted and ranked per interactivity target. */
export async function simSearch(flags: SearchSimFlags, o: SimSearchOptions): Promise<SearchResult> {
  const repeated =
    repeatedLevelError("--at", o.at) ??
    repeatedLevelError("--mtp-draft-tokens", o.mtpDraftTokens ?? []);
  if (repeated) throw repeated;
  const sim = await simOptionsFromFlags({
    model: flags.model,
    hardware: flags.hardware,
    precision: flags.precision,
    kvCacheDtype: flags.kvCacheDtype,
    framework: flags.framework,
    maxRunning: flags.maxRunning,
    memoryFraction: flags.memoryFraction,
    fp8Gemm: flags.fp8Gemm,
    calibration: flags.calibration,
    catalog: flags.catalog,
  });
  return searchLayouts({
    sim,
    gpus: o.gpus,
    isl: o.isl,
    osl: o.osl,
    targets: o.at,
    mtpDraftTokens: o.mtpDraftTokens,
    disaggregated: o.disagg,
    top: o.top,
  });
}
