import {
  type CalibrationResult,
  calibrate,
  readValidationFiles,
  type SkippedRow,
  type ValidationReport,
  validateCases,
} from "@infermark/sim";
import { stringify } from "yaml";
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
    ...(o.calibration ? { calibration: readCalibration(o.calibration) } : {}),
  });
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
