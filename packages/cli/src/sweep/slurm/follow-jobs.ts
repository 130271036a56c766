import { setTimeout as sleep } from "node:timers/promises";
import type { SweepEvent } from "../types.js";
import {
  FINAL_STATES,
  heldAfterRequeue,
  type JobState,
  jobIsOver,
  jobStates,
  neverStarts,
  SlurmUnreachable,
  scancel,
} from "./slurm-client.js";

export interface FollowJobsOptions {
  /** The jobs followed, each with the server configuration it measures. */
  jobs: readonly { server: string; jobId: string }[];
  /** The jobs this sweep cancels when it is stopped (`signal`): the others are another live sweep's. */
  owned: readonly string[];
  signal?: AbortSignal;
  pollMs: number;
  emit: (event: SweepEvent) => void;
  /** The jobs this sweep queued itself: Slurm had requeued them 0 times then (others are counted from first sight). */
  submitted?: readonly string[];
  /**
   * Called once a requeued job's interrupted run is over and its next run has not started (pending again): sets aside
   * what that run wrote, so that the run that completes measures its points.
   */
  onRequeue?: (job: { server: string; jobId: string }) => Promise<void>;
}

/**
 * Whether a requeued job's interrupted run is over and its next one has not begun: its files are no one's now. Not a
 * job that has ended: it ran again and ended between two polls, or ended before it ran again, and its files stay.
 */
const betweenRuns = (state: string): boolean =>
  state === "PENDING" || state === "REQUEUE_HOLD" || state === "RESV_DEL_HOLD";

/**
 * The warning for a requeued job that a poll first sees running again or ended, its interrupted run's points kept: its
 * next run skipped them (or has not run).
 */
function keptNote(server: string, jobId: string, st: JobState): string {
  const head = `${server}: Slurm job ${jobId} was requeued`;
  const kept = "the points its interrupted run measured are kept";
  if (st.state === "RUNNING") return `${head} and runs again (restart ${st.restarts}); ${kept}`;
  if (st.started === false)
    return `${head} (restart ${st.restarts}) and ended ${st.state} before it ran again; ${kept}`;
  return `${head} (restart ${st.restarts}), ran again and ended ${st.state} before a poll saw it between runs; ${kept}`;
}

/**
 * Follows Slurm jobs with one `squeue` a poll (`jobStates`) until each has ended, a `job-state` event for each change
 * of a job's state or of why it is queued (its reason, not said again at every poll), and returns their last states.
 * When `signal` aborts, the owned jobs are cancelled at once, points in progress included, and only they are waited
 * for. A `squeue` that cannot answer (`SlurmUnreachable`) does not end a job: one `warning` says so, and the jobs are
 * asked about again; the owned jobs are cancelled again once it answers, if the sweep was stopped meanwhile. An owned
 * job that Slurm leaves pending although it can never start (`neverStarts`), or that it holds after requeueing it
 * (`heldAfterRequeue`), is cancelled, with a `warning`. A job Slurm requeued (preempted, `scontrol requeue`, a node
 * that failed: its restart count grew) is followed to its real end: once its interrupted run is over, `onRequeue`
 * sets aside what that run wrote and one `warning` says the sweep waits for it to run again; one first seen running
 * again, or ended (it ran again and ended between two polls, or ended before it ran again), keeps what its
 * interrupted run wrote, and one `warning` says so.
 * @example const states = await followJobs({ jobs: [{ server: "x", jobId: "4242" }], owned: ["4242"], pollMs: 10_000, emit })
 */
export async function followJobs(o: FollowJobsOptions): Promise<Map<string, JobState>> {
  const { owned, emit } = o;
  const states = new Map<string, JobState>();
  const last = new Map<string, string>();
  let unreachable = false;
  const hopeless = new Set<string>();
  /** Each job's restart count when last seen. */
  const restarts = new Map<string, number>((o.submitted ?? []).map((id) => [id, 0]));
  /** Requeued jobs whose interrupted run is not over yet: their files are set aside once it is. */
  const requeued = new Set<string>();
  const onAbort = () => void scancel(owned);
  o.signal?.addEventListener("abort", onAbort, { once: true });
  // stopped while submitting: the listener came too late for that
  if (o.signal?.aborted) await scancel(owned);
  try {
    for (;;) {
      // one squeue for every job still followed
      const asked = o.jobs.filter((j) => {
        const st = states.get(j.jobId);
        return !st || !FINAL_STATES.has(st.state);
      });
      let now: Map<string, JobState>;
      try {
        now = await jobStates(
          asked.map((j) => j.jobId),
          { strict: true },
        );
      } catch (error) {
        if (!(error instanceof SlurmUnreachable)) throw error;
        // the controller does not answer (restarting, overloaded): the jobs have not ended for that
        if (!unreachable)
          emit({
            kind: "warning",
            message: `${error.message}; following them on, asking every ${o.pollMs / 1000} s`,
          });
        unreachable = true;
        await sleep(o.pollMs);
        continue;
      }
      if (unreachable) {
        unreachable = false;
        // stopped while the controller did not answer: that scancel may have gone unanswered too
        if (o.signal?.aborted) await scancel(owned);
      }
      for (const { server, jobId } of asked) {
        const st = now.get(jobId)!;
        states.set(jobId, st);
        // why a queued job waits changes without its state (Priority, then Resources): said when it does
        const reason = FINAL_STATES.has(st.state) ? undefined : st.reason;
        const seen = reason ? `${st.state} ${reason}` : st.state;
        if (last.get(jobId) !== seen) {
          last.set(jobId, seen);
          emit({
            kind: "job-state",
            server,
            jobId,
            state: st.state,
            ...(reason ? { reason } : {}),
          });
        }
        const seenRestarts = restarts.get(jobId);
        if (st.restarts !== undefined) {
          if (seenRestarts !== undefined && st.restarts > seenRestarts) requeued.add(jobId);
          restarts.set(jobId, st.restarts);
        }
        if (requeued.has(jobId) && (st.state === "RUNNING" || jobIsOver(st.state))) {
          // it ran again (or ended) before a poll saw it between runs: its new run had skipped what the old one
          // measured, and an ended job's files are its results (squeue down a while, a long poll)
          requeued.delete(jobId);
          emit({ kind: "warning", message: keptNote(server, jobId, st) });
        } else if (requeued.has(jobId) && betweenRuns(st.state)) {
          requeued.delete(jobId);
          await o.onRequeue?.({ server, jobId });
          emit({
            kind: "warning",
            message: `${server}: Slurm job ${jobId} requeued (restart ${st.restarts}${st.reason ? `, ${st.state.toLowerCase()}: ${st.reason}` : ""}), waiting for it to run again; the points its interrupted run measured are measured again by the run that completes`,
          });
        }
        const held = heldAfterRequeue(st);
        if (!(held || (st.state === "PENDING" && neverStarts(st.reason))) || hopeless.has(jobId))
          continue;
        // Slurm leaves it pending for ever (or until someone releases it): the sweep would wait all night
        hopeless.add(jobId);
        const mine = owned.includes(jobId);
        if (mine) await scancel([jobId]);
        const fate = mine ? "cancelled" : "left to the sweep that submitted it";
        emit({
          kind: "warning",
          message: held
            ? `${server}: Slurm job ${jobId} was requeued and is held (${st.state}${st.reason ? `: ${st.reason}` : ""}); it runs only once released (scontrol release ${jobId}): ${fate}${mine ? "; the points its interrupted run measured are kept" : ""}`
            : `${server}: Slurm job ${jobId} can never start as submitted (pending: ${st.reason}): ${fate}`,
        });
      }
      const open = o.jobs.filter((j) => !jobIsOver(states.get(j.jobId)!.state));
      // stopped: the jobs this sweep only follows (another live sweep's) are left to that sweep
      const waited = o.signal?.aborted ? open.filter((j) => owned.includes(j.jobId)) : open;
      if (waited.length === 0) break;
      await sleep(o.pollMs);
    }
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
  }
  return states;
}
