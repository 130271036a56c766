import { writeFile } from "node:fs/promises";
import {
  type CalibrationResult,
  calibrate,
  readValidationFiles,
  type ValidationReport,
  validateCases,
} from "@infermark/sim";
import { stringify } from "yaml";
import { loadCatalog } from "./catalog.js";
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
  const { cases, skipped } = readValidationFiles(paths);
  return validateCases(cases, skipped, {
    catalog,
    ...(o.calibration ? { calibration: readCalibration(o.calibration) } : {}),
  });
}

/** Runs `sim calibrate`: fits factors per GPU x framework on a split and reports the hold-out error. */
export async function simCalibrate(
  paths: readonly string[],
  o: SimCalibrateOptions = {},
): Promise<CalibrationResult> {
  const catalog = await loadCatalog(o.catalog);
  const { cases } = readValidationFiles(paths);
  const result = calibrate(cases, { catalog });
  const output = o.output;
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
    await writeFile(
      output,
      output.endsWith(".json") ? JSON.stringify(doc, null, 2) : stringify(doc),
    );
  }
  return result;
}
