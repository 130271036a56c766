/**
 * Global tuning of the simulator's default efficiency factors on one validation file: coordinate descent
 * on the median error at the measured interactivity, from the current defaults and from `--restarts`
 * seeded random starting points (each factor x 0.5-1.5). Prints each run's in-sample error and its error
 * on the out-of-sample file, which is never used to choose. Run:
 * node --conditions=infermark-source --import tsx bench/sim/tune-defaults.ts [--restarts N] [train.json] [holdout.json]
 */
import { parseArgs } from "node:util";
import {
  DEFAULT_DRAFT_ACCEPTANCE,
  DEFAULT_EFFICIENCY,
  defaultAcceptanceLength,
  type EfficiencyFactors,
  ISOLATED_GPU_LIMITS,
  onPlatforms,
  readValidationFiles,
  validateCases,
} from "@infermark/sim";

const { values, positionals } = parseArgs({
  options: { restarts: { type: "string", default: "0" } },
  allowPositionals: true,
});
const train = readValidationFiles([positionals[0] ?? "examples/data/inferencex/benchmarks.json"]);
const hold = readValidationFiles([
  positionals[1] ?? "examples/data/inferencex/benchmarks-history.json",
]);
type Factors = Record<string, number>;
/** Factors that are fractions of a peak (or a probability) stay below 1. */
const FRACTIONS = ["compute", "memory", "comm", "draftAcceptance"];
/** Compute and memory stay within what one GPU does in isolation; other fractions below 0.98. */
const CAPS: Record<string, number> = { ...ISOLATED_GPU_LIMITS };
const cap = (key: string) => CAPS[key] ?? 0.98;

/**
 * The draft acceptance applies to rows without a recorded acceptance length (all InferenceX rows). The factors are
 * the defaults' candidates: each pair runs them on its GPU's platform (`onPlatform`), as the defaults run.
 */
function errorOn(set: typeof train, f: Factors): number {
  const { draftAcceptance, ...efficiency } = f;
  for (const c of set.cases) {
    const spec = c.options.spec;
    if (spec?.draftTokens !== undefined)
      spec.acceptanceLength = defaultAcceptanceLength(spec.draftTokens, draftAcceptance);
  }
  const calibration = onPlatforms(set.cases, efficiency as unknown as EfficiencyFactors);
  return validateCases(set.cases, set.skipped, { calibration }).mdape;
}

function descend(start: Factors): { factors: Factors; error: number } {
  let best = { ...start };
  let bestErr = errorOn(train, best);
  for (let round = 0; round < 8; round++) {
    let improved = false;
    for (const key of Object.keys(best)) {
      for (const step of [0.5, 0.7, 0.85, 0.93, 1.07, 1.15, 1.4, 2]) {
        const value = best[key]! * step;
        if (FRACTIONS.includes(key) && value > cap(key)) continue;
        const err = errorOn(train, { ...best, [key]: value });
        if (err < bestErr - 1e-4) {
          best = { ...best, [key]: value };
          bestErr = err;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return { factors: best, error: bestErr };
}

const defaults: Factors = {
  ...(DEFAULT_EFFICIENCY as unknown as Factors),
  draftAcceptance: DEFAULT_DRAFT_ACCEPTANCE,
};
let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
console.log(
  `defaults: ${pct(errorOn(train, defaults))} in sample, ${pct(errorOn(hold, defaults))} out of sample`,
);
for (let run = 0; run <= Number(values.restarts); run++) {
  const start = Object.fromEntries(
    Object.entries(defaults).map(([k, v]) => {
      const x = run === 0 ? v : v * (0.5 + random());
      return [k, FRACTIONS.includes(k) ? Math.min(cap(k) - 0.03, x) : x];
    }),
  );
  const { factors, error } = descend(start);
  const rounded = Object.fromEntries(
    Object.entries(factors).map(([k, v]) => [k, +v.toPrecision(3)]),
  );
  console.log(
    `run ${run}: ${pct(error)} in sample, ${pct(errorOn(hold, factors))} out of sample: ${JSON.stringify(rounded)}`,
  );
}
