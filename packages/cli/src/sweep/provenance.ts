import { execFile } from "node:child_process";
import { hostname } from "node:os";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Provenance common to every point of a sweep: git SHA, CI link and host. */
export interface Provenance {
  gitSha?: string;
  ciUrl?: string;
  host: string;
}

/**
 * Finds the git SHA (`INFERMARK_GIT_SHA`, `GITHUB_SHA`, else `git rev-parse HEAD` in `cwd`), the CI run's URL
 * (GitHub Actions: the run's attempt, `.../actions/runs/ID/attempts/N`; or a Slurm job id) and the host name.
 * @example (await collectProvenance(".", process.env)).ciUrl // "https://github.com/o/r/actions/runs/1/attempts/2"
 */
export async function collectProvenance(
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Provenance> {
  let gitSha = env.INFERMARK_GIT_SHA || env.GITHUB_SHA;
  if (!gitSha) {
    try {
      gitSha =
        (await run("git", ["rev-parse", "HEAD"], { cwd, timeout: 5000 })).stdout.trim() ||
        undefined;
    } catch {
      gitSha = undefined;
    }
  }
  let ciUrl: string | undefined;
  if (env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY) {
    ciUrl = `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
    // "Re-run failed jobs" keeps the run id: the attempt tells a re-measured point from the first one
    if (/^\d+$/.test(env.GITHUB_RUN_ATTEMPT ?? "")) ciUrl += `/attempts/${env.GITHUB_RUN_ATTEMPT}`;
  } else if (env.SLURM_JOB_ID) {
    ciUrl = `slurm:${env.SLURM_CLUSTER_NAME ?? "cluster"}/${env.SLURM_JOB_ID}`;
  }
  return { ...(gitSha ? { gitSha } : {}), ...(ciUrl ? { ciUrl } : {}), host: hostname() };
}
