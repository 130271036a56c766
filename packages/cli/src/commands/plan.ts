import { type GithubMatrixEntry, githubMatrix, planSweep, type SweepPlan } from "@infermark/core";
import { checkBenchOptions } from "../sweep/check-bench-options.js";
import { checkCalibration } from "../sweep/check-calibration.js";
import { checkCatalogKeys, sweepCatalog } from "../sweep/check-catalog-keys.js";
import { checkMatrixSize } from "../sweep/github/write-workflow.js";
import { loadSweepSpec } from "../sweep/load-spec.js";
import { readScenarioDatasets } from "../sweep/read-datasets.js";
import { existingFailures, measuredResults } from "../sweep/results-dir.js";
import { readJobRecord } from "../sweep/slurm/job-record.js";
import {
  type JobState,
  jobIsOver,
  jobStates,
  SlurmUnreachable,
} from "../sweep/slurm/slurm-client.js";

/** A planned sweep spec file, and what is worth saying about it without refusing it. */
export interface SpecFilePlan {
  plan: SweepPlan;
  /** One line each, for the caller to show: keys the catalog lacks that a real engine measures all the same. */
  warnings: string[];
}

/**
 * Plans a sweep spec file: validates it (its GPU and model keys against the catalog, its `bench` options against
 * the load generator's, a simulator recipe's calibration file against its servers), expands its search space into
 * points with names and fingerprints. Dataset scenarios' files are read and measured first (relative to the spec
 * file); other relative paths in the spec (a simulator recipe's catalog override and calibration file) are taken
 * from `cwd`. Warnings are returned, not printed.
 * @example const { plan, warnings } = await planSpecFile("examples/quickstart.yaml"); plan.points.length
 */
export async function planSpecFile(path: string, cwd = process.cwd()): Promise<SpecFilePlan> {
  const spec = await loadSweepSpec(path);
  const catalog = await sweepCatalog(spec, cwd);
  const warnings = checkCatalogKeys(spec, catalog);
  const plan = planSweep(spec, { datasets: await readScenarioDatasets(spec, path, cwd) });
  checkBenchOptions(plan);
  checkCalibration(plan, catalog, cwd);
  return { plan, warnings };
}

/** The GitHub Actions matrix of a sweep spec file (one entry per server configuration), with its plan's warnings. */
export async function githubMatrixOfSpecFile(
  path: string,
): Promise<{ matrix: { include: GithubMatrixEntry[] }; warnings: string[] }> {
  const { plan, warnings } = await planSpecFile(path);
  checkMatrixSize(plan);
  return { matrix: githubMatrix(plan), warnings };
}

/** Where a planned point stands in an output folder: what `infermark sweep` would do with it there. */
export type PointState =
  /** `invalid`: the result's validity reasons when it is invalid (a resumed sweep keeps it; `--retry-invalid` does not). */
  | { state: "measured"; path: string; invalid?: string[] }
  /** Its configuration's Slurm job (`slurm.job`) is pending or running: a sweep in the folder follows it. */
  | { state: "in a job"; jobId: string; jobState: string }
  /**
   * Its configuration has a recorded Slurm job, and Slurm did not answer (`squeue` failed: slurmctld down, restarting
   * or overloaded): whether that job still runs is not known. `said`: squeue's error.
   */
  | { state: "Slurm did not answer"; jobId: string; said: string }
  | { state: "failed"; reason: string; date: string }
  | { state: "to measure" };

/**
 * Each planned point's state in a sweep's output folder, by fingerprint: `measured` when a PointResult of its
 * fingerprint is there (a resumed sweep skips it; with its reasons when it is invalid), `in a job` while the Slurm job recorded for its configuration is
 * pending or running, `Slurm did not answer` when such a job is recorded and `squeue` could not say how it stands,
 * `failed` with the reason its failure record gives (measured again on the next run), else `to measure`. A folder
 * that does not exist holds nothing.
 * @example const states = await pointStates(plan, "results/quickstart"); states.get(plan.points[0].fingerprint)
 */
export async function pointStates(
  plan: SweepPlan,
  outputDir: string,
): Promise<Map<string, PointState>> {
  const [results, failures] = await Promise.all([
    measuredResults(outputDir),
    existingFailures(outputDir),
  ]);
  // the jobs recorded for configurations with points left, asked about in one squeue (UNKNOWN without Slurm)
  const recorded = new Map<string, string>();
  for (const server of plan.servers) {
    if (server.points.every((p) => results.has(p.fingerprint))) continue;
    const record = await readJobRecord(outputDir, server.name);
    if (record) recorded.set(server.name, record.jobId);
  }
  // strict: a controller that does not answer must not make a running job look ended (its points "to measure")
  let jobs: Map<string, JobState> | undefined;
  let unanswered: string | undefined;
  try {
    jobs = await jobStates([...new Set(recorded.values())], { strict: true });
  } catch (error) {
    if (!(error instanceof SlurmUnreachable)) throw error;
    unanswered = error.message;
  }
  const states = new Map<string, PointState>();
  for (const server of plan.servers) {
    const jobId = recorded.get(server.name);
    const jobState = jobId && jobs ? jobs.get(jobId)!.state : undefined;
    const job = jobId && jobState && !jobIsOver(jobState) ? { jobId, jobState } : undefined;
    for (const { fingerprint } of server.points) {
      const result = results.get(fingerprint);
      const failure = failures.get(fingerprint);
      states.set(
        fingerprint,
        result
          ? {
              state: "measured",
              path: result.path,
              ...(result.valid ? {} : { invalid: result.reasons }),
            }
          : job
            ? { state: "in a job", ...job }
            : jobId && unanswered !== undefined
              ? { state: "Slurm did not answer", jobId, said: unanswered }
              : failure
                ? { state: "failed", reason: failure.reason, date: failure.date }
                : { state: "to measure" },
      );
    }
  }
  return states;
}
