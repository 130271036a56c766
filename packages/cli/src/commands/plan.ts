import { type GithubMatrixEntry, githubMatrix, planSweep, type SweepPlan } from "@infermark/core";
import { checkBenchOptions } from "../sweep/check-bench-options.js";
import { loadSweepSpec } from "../sweep/load-spec.js";

/**
 * Plans a sweep spec file: validates it (its `bench` options with the load generator's checks), expands its
 * search space into points with names and fingerprints.
 * @example const plan = await planSpecFile("examples/quickstart.yaml"); plan.points.length
 */
export async function planSpecFile(path: string): Promise<SweepPlan> {
  const plan = planSweep(await loadSweepSpec(path));
  checkBenchOptions(plan);
  return plan;
}

/** The GitHub Actions matrix of a sweep spec file (one entry per server configuration). */
export async function githubMatrixOfSpecFile(
  path: string,
): Promise<{ include: GithubMatrixEntry[] }> {
  return githubMatrix(await planSpecFile(path));
}
