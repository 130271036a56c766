import { execFile } from "node:child_process";
import { userInfo } from "node:os";
import { promisify } from "node:util";
import { SweepError } from "../sweep-error.js";

const run = promisify(execFile);

/** Final and transient Slurm job states (`squeue %T`, `scontrol JobState`). */
export const FINAL_STATES = new Set([
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "TIMEOUT",
  "NODE_FAIL",
  "OUT_OF_MEMORY",
  "PREEMPTED",
  "BOOT_FAIL",
  "DEADLINE",
]);

/**
 * Whether a pending job's reason (`squeue %r`) says it can never start as it was submitted: a dependency that can no
 * longer be met, constraints no node has, or a request past a per-job limit of its partition, account or QOS
 * (`PartitionTimeLimit`, `QOSMaxWallDurationPerJobLimit`, `AssocMaxGRESPerJob`). Slurm leaves such a job pending.
 * `PartitionNodeLimit` is not one: squeue's manual says it also stands for nodes the job needs being DOWN or
 * DRAINED, which maintenance ends.
 */
export const neverStarts = (reason: string | undefined): boolean =>
  reason !== undefined &&
  (/^(DependencyNeverSatisfied|BadConstraints|InvalidAccount|InvalidQOS|PartitionTimeLimit)$/.test(
    reason,
  ) ||
    /^(Assoc|QOS)Max\w*PerJob(Limit)?$/.test(reason));

/**
 * Whether a job is held after it was requeued and waits for a `scontrol release` that nobody may give: `REQUEUE_HOLD`
 * (`scontrol requeuehold`, a launch that failed), `RESV_DEL_HOLD` (its reservation was deleted), or pending with the
 * reason Slurm gives such a job (`job requeued in held state`, `launch failed requeued held`).
 */
export const heldAfterRequeue = (st: JobState): boolean =>
  st.state === "REQUEUE_HOLD" ||
  st.state === "RESV_DEL_HOLD" ||
  (st.state === "PENDING" &&
    st.reason !== undefined &&
    /^(job[ _]requeued[ _]in[ _]held[ _]state|launch[ _]failed[ _]requeued[ _]held)$/i.test(
      st.reason,
    ));

/** Whether a job state means the job has ended, or that Slurm has forgotten it (`UNKNOWN`, see `jobState`). */
export const jobIsOver = (state: string): boolean => FINAL_STATES.has(state) || state === "UNKNOWN";

/**
 * A job's state as Slurm reports it: while it is queued, with why it waits (`squeue`); once it ended, with its exit
 * code, reason and time limit (`scontrol`).
 */
export interface JobState {
  state: string;
  exitCode?: string;
  /** Why it ended, or why it is (or, ended before it started, was) pending (`Reason=`, `%r`; absent for `None`). */
  reason?: string;
  /** Whether it started on a node (`BatchHost=`); absent where Slurm did not say (`squeue`). */
  started?: boolean;
  /** Its time limit as Slurm writes it (`TimeLimit=04:00:00`, `UNLIMITED`). */
  timeLimit?: string;
  /** How many times Slurm requeued it (`RestartCnt`, `Restarts=`): preempted, `scontrol requeue`, a node failure. */
  restarts?: number;
}

/** How long sbatch may take to answer (slurmctld busy or unreachable) before it is stopped. */
export const SBATCH_TIMEOUT_MS = 60_000;

/**
 * How long sbatch may take to answer: `INFERMARK_SBATCH_TIMEOUT_S` (seconds, for a controller known to be slow),
 * else `SBATCH_TIMEOUT_MS`. Anything but a positive number of seconds is refused in one line.
 */
export function sbatchTimeoutMs(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const given = env.INFERMARK_SBATCH_TIMEOUT_S;
  if (given === undefined || given === "") return SBATCH_TIMEOUT_MS;
  const s = Number(given);
  if (!Number.isFinite(s) || s <= 0 || s > 2_147_483)
    throw new SweepError(
      `INFERMARK_SBATCH_TIMEOUT_S: a number of seconds above 0 and at most 2147483 is needed, got "${given}"`,
    );
  return s * 1000;
}

/**
 * Submits a batch script; returns the job id (`sbatch --parsable`). An sbatch that has not answered within
 * `timeoutMs` is stopped (`SbatchTimedOut`).
 */
export async function sbatch(
  scriptPath: string,
  cwd: string,
  timeoutMs = SBATCH_TIMEOUT_MS,
): Promise<string> {
  try {
    const { stdout } = await run("sbatch", ["--parsable", scriptPath], { cwd, timeout: timeoutMs });
    const id = stdout.trim().split(";")[0]!;
    if (!/^\d+$/.test(id)) throw new SweepError(`sbatch printed no job id: "${stdout.trim()}"`);
    return id;
  } catch (error) {
    if (error instanceof SweepError) throw error;
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT")
      throw new SweepError("--executor slurm: sbatch is not on PATH (run on a Slurm login node)");
    if ((error as { killed?: boolean }).killed) {
      const said = `sbatch did not answer within ${timeoutMs / 1000} s (slurmctld busy or unreachable)`;
      throw new SbatchTimedOut(`sbatch ${scriptPath}: ${said}`, said, { cause: error });
    }
    const said = sbatchErrors(e.stderr || e.message);
    throw new SbatchRefused(`sbatch ${scriptPath} failed: ${said}`, said, { cause: error });
  }
}

/**
 * An `sbatch` that did not queue its job: Slurm refused it (a partition, account or QOS it does not have, a request
 * no node can meet) or could not be reached. `said`: sbatch's errors in one line.
 */
export class SbatchRefused extends SweepError {
  readonly said: string;
  constructor(message: string, said: string, options?: { cause?: unknown }) {
    super(message, options);
    this.said = said;
  }
}

/** An `sbatch` stopped after it did not answer in time: slurmctld may or may not have queued the job. */
export class SbatchTimedOut extends SbatchRefused {
  /** What squeue said when it could not be asked whether slurmctld queued the job all the same; unset when it said. */
  unchecked?: string;
}

/**
 * sbatch's errors in one line, without its `sbatch: error: ` prefixes (`invalid partition specified: nope; Batch job
 * submission failed: Invalid partition name specified`); its warnings only when it printed no error.
 */
export function sbatchErrors(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => /^sbatch: error:/i.test(l));
  return (errors.length > 0 ? errors : lines)
    .map((l) => l.replace(/^sbatch: (error: )?/i, ""))
    .join("; ");
}

/**
 * Parses `scontrol show job` output: `JobState=TIMEOUT Reason=TimeLimit ... ExitCode=143:0 ... TimeLimit=01:00:00
 * ... BatchHost=node1` (a job that never started has no `BatchHost`).
 */
export function parseScontrolJob(text: string): JobState | undefined {
  const state = /\bJobState=(\S+)/.exec(text)?.[1];
  if (!state) return undefined;
  const exitCode = /\bExitCode=(\S+)/.exec(text)?.[1];
  const reason = /\bReason=(\S+)/.exec(text)?.[1];
  const timeLimit = /\bTimeLimit=(\S+)/.exec(text)?.[1];
  const restarts = /\bRestarts=(\d+)/.exec(text)?.[1];
  return {
    state,
    ...(exitCode ? { exitCode } : {}),
    ...(reason && reason !== "None" ? { reason } : {}),
    started: /\bBatchHost=\S/.test(text),
    ...(timeLimit ? { timeLimit } : {}),
    ...(restarts ? { restarts: Number(restarts) } : {}),
  };
}

/** A job's final state from `scontrol show job` (kept for MinJobAge after the end); `UNKNOWN` once forgotten. */
async function endedJobState(jobId: string): Promise<JobState> {
  try {
    const { stdout } = await run("scontrol", ["show", "job", jobId], { timeout: 30_000 });
    const parsed = parseScontrolJob(stdout);
    if (parsed) return parsed;
  } catch {
    // forgotten by the controller too
  }
  return { state: "UNKNOWN" };
}

/**
 * `squeue` that ran and could not answer (slurmctld restarting, busy or unreachable: `Socket timed out on send/recv
 * operation`, `Unable to contact slurm controller`), as opposed to one that no longer knows the jobs asked about.
 */
export class SlurmUnreachable extends SweepError {}

/**
 * The states of several jobs from ONE `squeue` call while they are queued or running (a sweep follows tens of jobs
 * every few seconds: a call each would be that many requests to slurmctld, which cluster admins ask tools not to
 * make), then `scontrol show job` for each job squeue no longer lists (`sacct` needs the accounting daemon, which
 * many small clusters lack). `UNKNOWN` for a job both forgot. With `strict`, a squeue that fails for another reason
 * than that (the controller does not answer) throws `SlurmUnreachable` rather than letting the jobs look ended.
 * @example await jobStates(["4242", "4243"]) // Map { "4242" => { state: "RUNNING" }, "4243" => { state: "COMPLETED", exitCode: "0:0" } }
 */
export async function jobStates(
  jobIds: readonly string[],
  o: { strict?: boolean } = {},
): Promise<Map<string, JobState>> {
  const states = new Map<string, JobState>();
  if (jobIds.length === 0) return states;
  try {
    const { stdout } = await run(
      "squeue",
      ["-j", jobIds.join(","), "-h", "-O", "JobID:|,State:|,RestartCnt:|,Reason:|"],
      { timeout: 30_000 },
    );
    for (const line of stdout.split("\n")) {
      const [id, state, restarts, ...why] = line.trim().split("|");
      const reason = why.join("|").replace(/\|$/, "").trim();
      if (id && state && jobIds.includes(id) && !FINAL_STATES.has(state))
        states.set(id, {
          state,
          ...(reason && reason !== "None" ? { reason } : {}),
          ...(restarts && /^\d+$/.test(restarts) ? { restarts: Number(restarts) } : {}),
        });
    }
  } catch (error) {
    // squeue says "Invalid job id" once every job asked about has left the queue
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    const gone = e.code === "ENOENT" || /invalid job id/i.test(e.stderr ?? "");
    if (o.strict && !gone) {
      const said = (e.stderr || e.message).trim().split("\n")[0];
      // a sweep of tens of configurations: the first few jobs name them
      const jobs =
        jobIds.length <= 3
          ? jobIds.join(", ")
          : `${jobIds.slice(0, 3).join(", ")} and ${jobIds.length - 3} more`;
      throw new SlurmUnreachable(`squeue could not say how jobs ${jobs} stand (${said})`, {
        cause: error,
      });
    }
  }
  for (const id of jobIds) if (!states.has(id)) states.set(id, await endedJobState(id));
  return states;
}

/** One job's state (`jobStates`). */
export async function jobState(jobId: string, o: { strict?: boolean } = {}): Promise<JobState> {
  return (await jobStates([jobId], o)).get(jobId)!;
}

/** A job that Slurm still holds (pending, running, completing, ...), as `squeue` lists it. */
export interface QueuedJob {
  jobId: string;
  state: string;
  /** When it was submitted (ISO 8601). */
  submitted: string;
  /** Its batch script's absolute path, then the script's arguments (`squeue %o`). */
  command: string;
}

/** Parses `squeue -h -o "%i|%T|%V|%o"` lines: `4242|PENDING|2026-11-29T01:52:20|/out/slurm/x.sbatch`. */
export function parseQueuedJobs(text: string): QueuedJob[] {
  return text.split("\n").flatMap((line) => {
    const [jobId, state, submitted, ...command] = line.trim().split("|");
    // an array's tasks (4242_3) are not jobs a sweep submits
    if (!jobId || !/^\d+$/.test(jobId) || !state || !submitted || command.length === 0) return [];
    const date = new Date(submitted);
    return [
      {
        jobId,
        state,
        submitted: Number.isNaN(date.getTime()) ? submitted : date.toISOString(),
        command: command.join("|"),
      },
    ];
  });
}

/** This user's name, for `squeue -u`; undefined where the system cannot say. */
function userName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || undefined;
  }
}

/**
 * This user's jobs that Slurm still holds and that run the batch script `scriptPath` (an absolute path): one `squeue`
 * call, asked only when a job may have been queued unrecorded (see `findUnrecordedJob`). Throws when squeue fails.
 * @example await jobsOfScript("/shared/out/slurm/x.sbatch") // [{ jobId: "4242", state: "PENDING", ... }]
 */
export async function jobsOfScript(scriptPath: string): Promise<QueuedJob[]> {
  const user = userName();
  const { stdout } = await run(
    "squeue",
    ["-h", ...(user ? ["-u", user] : []), "-o", "%i|%T|%V|%o"],
    // every job of a user who queues thousands
    { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return parseQueuedJobs(stdout).filter(
    (j) =>
      (j.command === scriptPath || j.command.startsWith(`${scriptPath} `)) && !jobIsOver(j.state),
  );
}

/** Cancels jobs (best effort). */
export async function scancel(jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await run("scancel", [...jobIds], { timeout: 30_000 }).catch(() => undefined);
}

/** Each partition's gres, a line per partition and gres list (`sinfo -h -o "%P %G"`: `gpu* gpu:h200:8(S:0-1)`). */
export async function sinfoGres(): Promise<string> {
  const { stdout } = await run("sinfo", ["-h", "-o", "%P %G"], { timeout: 30_000 });
  return stdout;
}
