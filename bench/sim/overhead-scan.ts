/**
 * Scans the per-request step overhead against the fixed step overhead on one validation file and prints the
 * median error at the measured interactivity for each pair (in-sample), and on a second file (out of sample); each GPU
 * runs the factors with its platform factor (`onPlatforms`), as the defaults do.
 * node --conditions=infermark-source --import tsx bench/sim/overhead-scan.ts train.json holdout.json
 */
import {
  DEFAULT_EFFICIENCY,
  onPlatforms,
  readValidationFiles,
  validateCases,
} from "@infermark/sim";

const [trainPath, holdPath] = process.argv.slice(2);
const train = readValidationFiles([trainPath ?? "examples/data/inferencex/benchmarks.json"]);
const hold = readValidationFiles([holdPath ?? "examples/data/inferencex/benchmarks-history.json"]);
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
for (const requestOverheadUs of (process.env.R ?? "0,2,4,8").split(",").map(Number)) {
  for (const stepScale of (process.env.S ?? "0.5,0.75,1").split(",").map(Number)) {
    const efficiency = {
      ...DEFAULT_EFFICIENCY,
      requestOverheadUs,
      stepOverheadUs: DEFAULT_EFFICIENCY.stepOverheadUs * stepScale,
    };
    // each GPU with its platform factor, as the defaults run
    const on = (set: typeof train) =>
      validateCases(set.cases, set.skipped, { calibration: onPlatforms(set.cases, efficiency) })
        .mdape;
    const [a, b] = [on(train), on(hold)];
    console.log(`request ${requestOverheadUs} us, step x${stepScale}: ${pct(a)} in, ${pct(b)} out`);
  }
}
