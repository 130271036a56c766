import type { JobState } from "./slurm-client.js";

/** Reasons that say nothing the state and exit code do not (`FAILED` with `NonZeroExitCode`). */
const PLAIN_REASONS = new Set(["NonZeroExitCode"]);

/**
 * How a job ended, in the words a failed point's reason gives it: its state, and what Slurm says about it that a user
 * acts on: a job that never started and why it was pending, the time limit a `TIMEOUT` reached, the reason of a
 * `NODE_FAIL`, the exit code; a job requeued and ended before it ran again says so.
 * @example jobEndNote("4242", { state: "TIMEOUT", reason: "TimeLimit", exitCode: "143:0", timeLimit: "01:00:00", started: true }) // "Slurm job 4242 TIMEOUT (time limit 01:00:00 reached; exit 143:0)"
 * @example jobEndNote("4243", { state: "CANCELLED", reason: "Priority", exitCode: "0:0", started: false }) // "Slurm job 4243 CANCELLED before it started (pending: Priority)"
 */
export function jobEndNote(jobId: string, st: JobState): string {
  const head = `Slurm job ${jobId} ${st.state}`;
  // a requeued job has no node (BatchHost) until it runs again
  if (st.started === false && st.restarts)
    return `${head} after it was requeued, before it ran again${st.reason ? ` (pending: ${st.reason})` : ""}`;
  if (st.started === false)
    return `${head} before it started${st.reason ? ` (pending: ${st.reason})` : ""}`;
  const exit = st.exitCode ? `exit ${st.exitCode}` : undefined;
  if (st.state === "TIMEOUT")
    return `${head} (time limit ${st.timeLimit ?? "of the job"} reached${exit ? `; ${exit}` : ""})`;
  const reason = st.reason && !PLAIN_REASONS.has(st.reason) ? st.reason : undefined;
  const details = [reason, exit].filter(Boolean).join(", ");
  return details ? `${head} (${details})` : head;
}
