import { writeFile } from "node:fs/promises";
import {
  type CalibrationResult,
  calibrate,
  readValidationFiles,
  type ValidationReport,
  validateCases,
} from "@infermark/sim";
import { stringify } from "yaml";
import { readCalibration } from "./sim-options.js";

/** Runs `sim validate`: predicts every measured point in the files and reports the errors. */
export async function simValidate(
  paths: readonly string[],
  calibrationFile?: string,
): Promise<ValidationReport> {
  const { cases, skipped } = readValidationFiles(paths);
  return validateCases(
    cases,
    skipped,
    calibrationFile ? { calibration: readCalibration(calibrationFile) } : {},
  );
}

/** Runs `sim calibrate`: fits factors per GPU x framework on a split and reports the hold-out error. */
export async function simCalibrate(
  paths: readonly string[],
  output?: string,
): Promise<CalibrationResult> {
  const { cases } = readValidationFiles(paths);
  const result = calibrate(cases);
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
