import type { SweepSpec } from "@infermark/core";
import { SweepError } from "./sweep-error.js";
import { urlCredential } from "./url-credential.js";

/**
 * The environment variable that holds the dcgm-exporter URL with its credentials (`http://user:pw@host:9400/metrics`,
 * sent as Basic auth), which a spec file, committed, may not hold: the sweep reads it in place of the spec's dcgmUrl.
 */
export const DCGM_URL_ENV = "INFERMARK_DCGM_URL";

/**
 * The dcgm-exporter URL a sweep's points read here: `--dcgm-url`, else INFERMARK_DCGM_URL (set and not empty: a
 * GitHub secret that is not set is empty), else the spec's `dcgmUrl`; undefined for the default. A variable that holds
 * no http(s) URL is a SweepError that does not show it.
 * @example sweepDcgmUrl(undefined, spec, { INFERMARK_DCGM_URL: "http://me:pw@gpu-1:9400/metrics" }) // that URL
 */
export function sweepDcgmUrl(
  given: string | undefined,
  spec: Pick<SweepSpec, "dcgmUrl">,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  if (given !== undefined) return given;
  const set = env[DCGM_URL_ENV];
  if (!set) return spec.dcgmUrl;
  if (!URL.canParse(set) || !/^https?:$/.test(new URL(set).protocol))
    // not shown: a value that is no URL (`me:pw@gpu-1:9400`) keeps its password where shownUrl cannot find it
    throw new SweepError(
      `${DCGM_URL_ENV}: expects an http(s) URL such as http://host:9400/metrics, with user:password@ before the host for Basic auth (its value is not shown: it may hold a credential)`,
    );
  return set;
}

/**
 * Refuses a `--dcgm-url` with credentials for Slurm jobs: the URL would be written into each job's batch script
 * (`<out>/slurm/<server>.sbatch`, and Slurm's record of the job), where the jobs read INFERMARK_DCGM_URL from their
 * environment instead.
 */
export function checkJobDcgmUrl(given: string | undefined): void {
  const credential = given === undefined ? undefined : urlCredential(given);
  if (credential)
    throw new SweepError(
      `--dcgm-url: ${credential} would be written into each Slurm job's batch script; give the URL in ${DCGM_URL_ENV} instead, which the jobs inherit from this environment (or export in executor.slurm.setup)`,
    );
}
