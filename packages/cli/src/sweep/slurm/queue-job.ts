import type { SweepEvent } from "../types.js";
import { writeJobRecord } from "./job-record.js";
import { jobsOfScript, type QueuedJob, SbatchTimedOut, sbatch, scancel } from "./slurm-client.js";

/*
 * A sweep records each job it queues in `<out>/<server>/slurm.job`, and the next sweep follows a recorded job instead
 * of queueing the configuration again. A job can be queued and not recorded: its sweep was stopped (SIGTERM, SIGHUP
 * from a dropped ssh session, a kill) after slurmctld had taken the job and before the record was written, or sbatch
 * failed after slurmctld had taken it (an answer that timed out). Queued again, the configuration would run twice at
 * once, into the same files. Such a job is found by its batch script: squeue names each job's script by its absolute
 * path, which is the configuration's own in its output folder (`<out>/slurm/<server>.sbatch`), and no `#SBATCH`
 * directive can change it (a job name or a comment can be: the user's directives may set them). The sweep that
 * submits holds the configuration's claim (`slurm.submit`) from before sbatch until the record is written, so a claim
 * left by a holder that is gone is what says that such a job may exist.
 */

/**
 * The job Slurm holds that runs the batch script `scriptPath` (this user's, pending or running), when there is one:
 * the oldest; any other is a second job of the same configuration, cancelled, and `onDuplicates` names them.
 * Throws when squeue cannot be asked.
 * @example const job = await findUnrecordedJob("/shared/out/slurm/x.sbatch") // { jobId: "4242", state: "PENDING", ... }
 */
export async function findUnrecordedJob(
  scriptPath: string,
  onDuplicates?: (cancelled: readonly QueuedJob[], kept: QueuedJob) => void,
): Promise<QueuedJob | undefined> {
  const found = await jobsOfScript(scriptPath);
  const [kept, ...others] = [...found].sort((a, b) => Number(a.jobId) - Number(b.jobId));
  if (kept && others.length > 0) {
    await scancel(others.map((j) => j.jobId));
    onDuplicates?.(others, kept);
  }
  return kept;
}

export interface QueueJobOptions {
  outputDir: string;
  server: string;
  /** The configuration's batch script, an absolute path (`<out>/slurm/<server>.sbatch`). */
  script: string;
  cwd: string;
  /** Whether the submission claim replaced one whose holder is gone (`HeldSubmission.replacedStale`). */
  replacedStale: boolean;
  /** How long sbatch may take to answer. @default SBATCH_TIMEOUT_MS */
  sbatchTimeoutMs?: number;
  /** Writes `script`; called only when a job is to be queued. */
  writeScript: () => Promise<void>;
  emit: (event: SweepEvent) => void;
}

/** The first line of a failed command's stderr, else of its message. */
const firstLine = (error: unknown): string => {
  const e = error as Error & { stderr?: string };
  return (e.stderr || e.message).trim().split("\n")[0]!;
};

/**
 * Queues a server configuration's job once, called while its submission claim is held and no recorded job runs:
 * a job queued unrecorded by a sweep that is gone is recorded and followed (a `warning` and `job-followed`), else the
 * script is written and submitted (`job-submitted`), and when sbatch fails a job that slurmctld queued all the same
 * is taken as this one's; when squeue cannot say after sbatch timed out, the `SbatchTimedOut` thrown carries what it
 * said (`unchecked`). The job is recorded as this sweep's (`slurm.job`); returns its id.
 * @example const id = await queueJob({ outputDir, server: s.name, script, cwd, replacedStale, writeScript, emit })
 */
export async function queueJob(o: QueueJobOptions): Promise<string> {
  const { server, script, emit } = o;
  const unrecordedJob = () =>
    findUnrecordedJob(script, (cancelled, kept) =>
      emit({
        kind: "warning",
        message: `${server}: cancelled job${cancelled.length === 1 ? "" : "s"} ${cancelled.map((j) => j.jobId).join(", ")}, which ran the batch script of job ${kept.jobId} too: one job measures a configuration`,
      }),
    );
  let found: QueuedJob | undefined;
  if (o.replacedStale) {
    try {
      found = await unrecordedJob();
    } catch (error) {
      emit({
        kind: "warning",
        message: `${server}: an earlier sweep was stopped while it submitted this configuration's job, and squeue could not say whether it queued one (${firstLine(error)}): submitting it`,
      });
    }
  }
  if (found) {
    await writeJobRecord(o.outputDir, server, found.jobId, found.submitted);
    emit({
      kind: "warning",
      message: `${server}: job ${found.jobId} (${found.state}) runs its batch script, ${script}, but was never recorded (the sweep that queued it was stopped before it could record it): followed, not queued again`,
    });
    emit({
      kind: "job-followed",
      server,
      jobId: found.jobId,
      state: found.state,
      submitted: found.submitted,
    });
    return found.jobId;
  }
  await o.writeScript();
  let id: string;
  try {
    id = await sbatch(script, o.cwd, o.sbatchTimeoutMs);
  } catch (error) {
    // slurmctld may have queued the job all the same (sbatch's answer timed out)
    let queued: QueuedJob | undefined;
    try {
      queued = await unrecordedJob();
    } catch (squeueError) {
      // nothing says the job was not queued: the failure says so, and what to look for
      if (error instanceof SbatchTimedOut) error.unchecked = firstLine(squeueError);
    }
    if (!queued) throw error;
    id = queued.jobId;
    emit({
      kind: "warning",
      message: `${server}: ${(error as Error).message.trim()}; job ${id} (${queued.state}) runs that script all the same (slurmctld queued it): taken as this sweep's job`,
    });
  }
  await writeJobRecord(o.outputDir, server, id);
  emit({ kind: "job-submitted", server, jobId: id });
  return id;
}
