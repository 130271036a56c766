import type { SweepPlan } from "./types.js";

/** One GitHub Actions matrix entry: one job, one server configuration, all its concurrency levels. */
export interface GithubMatrixEntry {
  /** Server configuration key, passed back as `infermark sweep --server <key>`. */
  server: string;
  /** Server configuration name: the job's and the artifact's name. */
  name: string;
  hardware: string;
  /** Runner labels for `runs-on`. */
  runsOn: string[];
  /** Number of points (concurrency levels) the job measures. */
  points: number;
}

/** The default runner labels when the spec names none. */
export const DEFAULT_RUNS_ON: readonly string[] = ["self-hosted", "gpu"];

/**
 * A GitHub Actions matrix (`{ include: [...] }`) with one entry per server configuration. `{{hardware}}` in a
 * runner label becomes the configuration's GPU, so `runsOn: [self-hosted, "{{hardware}}"]` sends H200 points to
 * H200 runners.
 * @example JSON.stringify(githubMatrix(planSweep(spec))) // for `matrix: ${{ fromJSON(...) }}`
 */
export function githubMatrix(plan: SweepPlan): { include: GithubMatrixEntry[] } {
  const labels = plan.spec.executor?.github?.runsOn ?? DEFAULT_RUNS_ON;
  return {
    include: plan.servers.map((server) => ({
      server: server.key,
      name: server.name,
      hardware: server.hardware,
      runsOn: labels.map((l) => l.replaceAll("{{hardware}}", server.hardware)),
      points: server.points.length,
    })),
  };
}
