import { type GithubMatrixEntry, githubMatrix, planSweep, type SweepPlan } from "@infermark/core";
import { loadSweepSpec } from "../sweep/load-spec.js";

/**
 * Plans a sweep spec file: validates it, expands its search space into points with names and fingerprints.
 * @example const plan = await planSpecFile("examples/quickstart.yaml"); plan.points.length
 */
export async function planSpecFile(path: string): Promise<SweepPlan> {
  return planSweep(await loadSweepSpec(path));
}

/** The GitHub Actions matrix of a sweep spec file (one entry per server configuration). */
export async function githubMatrixOfSpecFile(
  path: string,
): Promise<{ include: GithubMatrixEntry[] }> {
  return githubMatrix(await planSpecFile(path));
}
