/**
 * Global tuning of the simulator's default efficiency factors on one validation file (coordinate
 * descent on the median error at the measured interactivity). Reports the out-of-sample file too.
 * node --conditions=infermark-source --import tsx bench/sim/tune-defaults.ts [train.json] [holdout.json]
 */
import {
  DEFAULT_DRAFT_ACCEPTANCE,
  DEFAULT_EFFICIENCY,
  defaultAcceptanceLength,
  readValidationFiles,
  validateCases,
} from "@infermark/sim";

const train = readValidationFiles([
  process.argv[2] ?? "/work/shared/data/inferencex/benchmarks.json",
]);
const hold = readValidationFiles([
  process.argv[3] ?? "/work/shared/data/inferencex/benchmarks-history.json",
]);
type Eff = Record<string, number>;
const start: Eff = {
  ...(DEFAULT_EFFICIENCY as unknown as Eff),
  draftAcceptance: DEFAULT_DRAFT_ACCEPTANCE,
};
/** The draft acceptance applies to rows without a recorded acceptance length (all InferenceX rows). */
function evalOn(set: typeof train, e: Eff): number {
  const { draftAcceptance, ...efficiency } = e;
  for (const c of set.cases) {
    const spec = c.options.spec;
    if (spec?.draftTokens !== undefined)
      spec.acceptanceLength = defaultAcceptanceLength(spec.draftTokens, draftAcceptance);
  }
  return validateCases(set.cases, set.skipped, { efficiency }).mdape;
}
let best = { ...start };
let bestErr = evalOn(train, best);
console.log("start", (bestErr * 100).toFixed(2), JSON.stringify(best));
const steps = [0.5, 0.7, 0.85, 0.93, 1.07, 1.15, 1.4, 2];
for (let round = 0; round < 8; round++) {
  let improved = false;
  for (const key of Object.keys(best)) {
    const values = best[key] === 0 ? [1, 2, 5, 10, 20, 40] : steps.map((f) => best[key]! * f);
    for (const v of values) {
      const cand = { ...best, [key]: v };
      if (["compute", "memory", "comm", "draftAcceptance"].includes(key))
        cand[key] = Math.min(0.98, cand[key]!);
      const err = evalOn(train, cand);
      if (err < bestErr - 1e-4) {
        best = cand;
        bestErr = err;
        improved = true;
        console.log("  ", key, cand[key]!.toPrecision(3), (err * 100).toFixed(2));
      }
    }
  }
  console.log("round", round, (bestErr * 100).toFixed(2), JSON.stringify(best));
  if (!improved) break;
}
console.log(
  "holdout",
  (evalOn(hold, start) * 100).toFixed(2),
  "->",
  (evalOn(hold, best) * 100).toFixed(2),
);
