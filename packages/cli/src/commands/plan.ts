import { type GithubMatrixEntry, githubMatrix, planSweep, type SweepPlan } from "@infermark/core";
import { checkBenchOptions } from "../sweep/check-bench-options.js";
import { checkCatalogKeys, sweepCatalog } from "../sweep/check-catalog-keys.js";
import { loadSweepSpec } from "../sweep/load-spec.js";

/**
 * Plans a sweep spec file: validates it (its GPU and model keys against the catalog, its `bench` options against
 * the load generator's), expands its search space into points with names and fingerprints. Relative paths in
 * the spec (a simulator recipe's catalog override) are taken from `cwd`.
 * @example const plan = await planSpecFile("examples/quickstart.yaml"); plan.points.length
 */
export async function planSpecFile(path: string, cwd = process.cwd()): Promise<SweepPlan> {
  const spec = await loadSweepSpec(path);
  for (const warning of checkCatalogKeys(spec, await sweepCatalog(spec, cwd)))
    console.error(`infermark: warning: ${warning}`);
  const plan = planSweep(spec);
  checkBenchOptions(plan);
  return plan;
}

/** The GitHub Actions matrix of a sweep spec file (one entry per server configuration). */
export async function githubMatrixOfSpecFile(
  path: string,
): Promise<{ include: GithubMatrixEntry[] }> {
  return githubMatrix(await planSpecFile(path));
}
