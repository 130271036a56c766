import {
  type CalibrationResult,
  calibrate,
  readValidationFiles,
  type SkippedRow,
  type ValidationReport,
  validateCases,
} from "@infermark/sim";
import { stringify } from "yaml";
import { renderTable } from "../cli/output.js";
import { UsageError } from "../errors.js";
import { expandPaths } from "../io.js";
import { CATALOG_ENV, loadCatalog } from "./catalog.js";
import { writeExport } from "./export.js";
import { sameFileAs } from "./same-file.js";
import { readCalibration } from "./sim-options.js";

/** Options of `sim validate`. */
export interface SimValidateOptions {
  /** A calibration file from `sim calibrate`. */
  calibration?: string;
  /** A catalog override file, as on `sim predict`. @default the INFERMARK_CATALOG environment variable */
  catalog?: string;
}

/** Options of `sim calibrate`. */
export interface SimCalibrateOptions {
  /** Where to write the factors (YAML, or JSON by extension). */
  output?: string;
  /** A catalog override file, as on `sim predict`. @default the INFERMARK_CATALOG environment variable */
  catalog?: string;
}

/** Runs `sim validate`: predicts every measured point in the files and reports the errors. */
export async function simValidate(
  paths: readonly string[],
  o: SimValidateOptions = {},
): Promise<ValidationReport> {
  const catalog = await loadCatalog(o.catalog);
  const { cases, skipped } = readValidationFiles(paths, { catalog });
  return validateCases(cases, skipped, {
    catalog,
    ranking: true,
    ...(o.calibration ? { calibration: readCalibration(o.calibration) } : {}),
  });
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "-");
const share = (n: number, of: number) => `${n}/${of} (${pct(n / of)})`;

/** What each ranking scope compares, for the lines under its table. */
const SCOPE_WHAT =
  "scopes: framework, the layouts of one framework label (TP/EP/DP attention, worker split, MTP); engine, one engine with its serving stacks (sglang with dynamo-sglang and mori-sglang, trt with dynamo-trt), which adds aggregated against disaggregated; all, every framework, which adds the engine (the default factors are one set for every engine: only --calibration tells engines apart)";

/**
 * The ranking section of `sim validate`'s text output: per scope, how often the predicted best configuration is the
 * measured best, how many pairs keep their measured order, and the measured throughput of the predicted pick as a
 * share of the measured best; then each scope's worst pick.
 */
export function rankingLines(r: ValidationReport): string[] {
  const ranking = r.ranking;
  if (!ranking) return [];
  const tol = pct(ranking.tieTolerance);
  const lines = [
    "",
    `ranking: does the simulator order measured configurations as they measured? Per model, GPU, precision and ISL/OSL, at each measured interactivity two or more configurations were measured across (each interpolated on its own measured points); throughput per GPU within ${tol} is a tie`,
    renderTable(
      [
        "scope",
        "sets",
        "decisions",
        "top-1",
        "pairs same order",
        "inverted",
        "predicted tie",
        "measured tie",
        "pick/best mean",
        "worst",
      ],
      ranking.scopes.map((s) => [
        s.scope,
        String(s.sets),
        String(s.decisions),
        s.decisions ? share(s.top1, s.decisions) : "-",
        s.pairs.ordered ? share(s.pairs.same, s.pairs.ordered) : "-",
        s.pairs.ordered ? pct(s.pairs.inverted / s.pairs.ordered) : "-",
        s.pairs.ordered ? pct(s.pairs.predictedTies / s.pairs.ordered) : "-",
        String(s.pairs.measuredTies),
        pct(s.regret.mean),
        pct(s.regret.worst),
      ]),
    ),
    `columns: top-1, decisions whose predicted best measured within ${tol} of the measured best; pairs same order, inverted and predicted tie, of the pairs measured more than ${tol} apart (measured tie: the pairs within ${tol}, counted apart); pick/best, the measured throughput of the predicted best over the measured best`,
    SCOPE_WHAT,
    `a pick at random would score: ${ranking.scopes.map((s) => `${s.scope}, top-1 ${pct(s.chance.top1)} and pick/best ${pct(s.chance.share)}`).join("; ")}; pairs, 50%`,
  ];
  for (const s of ranking.scopes) {
    const w = s.regret.worstDecision;
    if (s.noPick)
      lines.push(
        `${s.scope}: ${s.noPick} decision(s) with no configuration predicted to reach the target (counted as misses in top-1)`,
      );
    if (!w || w.share === null || w.share >= 1) continue;
    const m = (label: string | null) =>
      Math.round(w.configurations.find((c) => c.label === label)?.measured ?? Number.NaN);
    lines.push(
      `worst pick (${s.scope}): ${w.set} at ${w.intvty.toFixed(1)} tok/s/user: predicted ${w.pick}, measured ${m(w.pick)} tok/s/GPU against ${m(w.best)} for ${w.best} (${pct(w.share)})`,
    );
  }
  return lines;
}

/** What `sim calibrate` fitted, and the rows of its files it could not use (simulated or invalid points). */
export interface SimCalibrateResult extends CalibrationResult {
  skipped: SkippedRow[];
}

/**
 * Runs `sim calibrate`: fits factors per GPU x framework on a split and reports the hold-out error. With `output`,
 * a run that fitted no pair at all is refused and nothing is written (a file of no factors calibrates nothing).
 */
export async function simCalibrate(
  paths: readonly string[],
  o: SimCalibrateOptions = {},
): Promise<SimCalibrateResult> {
  const output = o.output;
  if (output !== undefined) await refuseInputAsFactors(output, paths, o.catalog);
  const catalog = await loadCatalog(o.catalog);
  const { cases, skipped } = readValidationFiles(paths, { catalog });
  const result = { ...calibrate(cases, { catalog }), skipped };
  if (output && Object.keys(result.factors).length === 0)
    throw new UsageError(
      `sim calibrate: no hardware/framework pair could be fitted (${result.train} training point(s)${result.unfitted.length ? `; unresolved: ${result.unfitted.map((u) => `${u.pair}: ${u.reasons[0]}`).join(", ")}` : ""}); nothing written to ${output}`,
    );
  if (output) {
    const doc = {
      comment: "infermark sim calibrate: efficiency factors per hardware/framework",
      split: result.split,
      holdout: {
        points: result.holdout,
        mdapeDefault: result.holdoutMdapeDefault,
        mdapeCalibrated: result.holdoutMdapeCalibrated,
      },
      factors: result.factors,
    };
    // whole or not at all: a failed or interrupted write leaves the file that was there
    await writeExport(
      output,
      output.endsWith(".json") ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc),
    );
  }
  return result;
}

/**
 * Refuses `-o` naming a file the calibration reads (a measured-points file, named or in a folder named, or the
 * catalog override file), which the factors would replace, and `-o -`: the factors go to a file. Checked before the
 * fit, so nothing is computed for a run that cannot write.
 */
async function refuseInputAsFactors(
  output: string,
  paths: readonly string[],
  catalog = process.env[CATALOG_ENV],
): Promise<void> {
  if (output === "-")
    throw new UsageError(
      "-o -: the factors are written to a file (YAML, or JSON by extension): give its name; --json prints the result",
    );
  const inputs = [...(catalog ? [catalog] : [])];
  for (const path of paths) inputs.push(path, ...(await expandPaths([path]).catch(() => [])));
  const input = await sameFileAs(output, inputs);
  if (input)
    throw new UsageError(
      `-o ${output}: is an input of the calibration (${input}), which the factors would replace: write them to another file`,
    );
}
