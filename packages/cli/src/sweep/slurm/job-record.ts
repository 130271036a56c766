import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeAtomic } from "../atomic-files.js";
import { type ProcessMark, thisProcessMark } from "../process-identity.js";
import { serverDir } from "../results-dir.js";
import { jobIsOver, jobState } from "./slurm-client.js";

/**
 * The Slurm job a sweep submitted for a server configuration, written beside its results
 * (`<out>/<server>/slurm.job`; not `.json`, which `infermark ingest` reads as points). The jobs of a sweep outlive
 * the process that submitted them (a login node's SSH session that dropped): the next sweep in the folder follows a
 * recorded job that is still pending or running instead of submitting the configuration again.
 */
export interface SlurmJobRecord {
  schema: "infermark.slurm-job/v1";
  server: string;
  jobId: string;
  /** When it was submitted (ISO 8601). */
  submitted: string;
  /** The sweep that submitted it (records before 2026-11-28 lack it). */
  submitter?: ProcessMark;
}

/** `<out>/<server>/slurm.job` */
export const jobRecordPath = (outputDir: string, server: string): string =>
  join(serverDir(outputDir, server), "slurm.job");

/**
 * Records a submitted job (atomically: a reader sees the old record or the new one), as this sweep's. `submitted`:
 * when it was submitted (ISO 8601), for a job found queued unrecorded; now by default.
 */
export async function writeJobRecord(
  outputDir: string,
  server: string,
  jobId: string,
  submitted = new Date().toISOString(),
): Promise<void> {
  const path = jobRecordPath(outputDir, server);
  const record: SlurmJobRecord = {
    schema: "infermark.slurm-job/v1",
    server,
    jobId,
    submitted,
    submitter: thisProcessMark(),
  };
  await writeAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
}

/** The job recorded for a server configuration; undefined when none is, or the file is not such a record. */
export async function readJobRecord(
  outputDir: string,
  server: string,
): Promise<SlurmJobRecord | undefined> {
  try {
    const r = JSON.parse(
      await readFile(jobRecordPath(outputDir, server), "utf8"),
    ) as Partial<SlurmJobRecord>;
    return r.schema === "infermark.slurm-job/v1" &&
      typeof r.jobId === "string" &&
      /^\d+$/.test(r.jobId)
      ? (r as SlurmJobRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Slurm job recorded for a server configuration when it is pending or running and is not the job this process
 * runs in (`SLURM_JOB_ID`: a job's own local sweep of the configuration); undefined otherwise, and where Slurm cannot
 * be asked.
 */
export async function liveJobOf(
  outputDir: string,
  server: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<{ jobId: string; state: string } | undefined> {
  const record = await readJobRecord(outputDir, server);
  if (!record || record.jobId === env.SLURM_JOB_ID) return undefined;
  const { state } = await jobState(record.jobId);
  return jobIsOver(state) ? undefined : { jobId: record.jobId, state };
}
