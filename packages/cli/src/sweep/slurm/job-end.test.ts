import { describe, expect, it } from "vitest";
import { jobEndNote } from "./job-end.js";
import { parseScontrolJob } from "./slurm-client.js";

/** `scontrol show job` as Slurm 22.05 prints it, the fields that matter. */
const scontrol = (fields: string) =>
  `JobId=4242 JobName=infermark-x\n   JobState=${fields}\n   Partition=debug\n`;

describe("jobEndNote (scontrol show job)", () => {
  it.each([
    [
      "a time limit reached",
      "TIMEOUT Reason=TimeLimit ExitCode=143:0\n   RunTime=00:01:22 TimeLimit=00:01:00\n   BatchHost=vm",
      "Slurm job 4242 TIMEOUT (time limit 00:01:00 reached; exit 143:0)",
    ],
    [
      "a job cancelled while pending",
      "CANCELLED Reason=BeginTime ExitCode=0:0\n   RunTime=00:00:00 TimeLimit=UNLIMITED",
      "Slurm job 4242 CANCELLED before it started (pending: BeginTime)",
    ],
    [
      "a running job cancelled",
      "CANCELLED Reason=None ExitCode=143:0\n   TimeLimit=UNLIMITED\n   BatchHost=vm",
      "Slurm job 4242 CANCELLED (exit 143:0)",
    ],
    [
      "a failed job (its reason says what its exit code does)",
      "FAILED Reason=NonZeroExitCode ExitCode=1:0\n   BatchHost=vm",
      "Slurm job 4242 FAILED (exit 1:0)",
    ],
    [
      "a job requeued and held, cancelled before it ran again (it has no node then)",
      "CANCELLED Reason=job_requeued_in_held_state Dependency=(null)\n   Requeue=1 Restarts=1 BatchFlag=1 Reboot=0 ExitCode=0:0\n   TimeLimit=UNLIMITED",
      "Slurm job 4242 CANCELLED after it was requeued, before it ran again (pending: job_requeued_in_held_state)",
    ],
    [
      "a node that failed under the job",
      "NODE_FAIL Reason=NodeDown ExitCode=0:0\n   BatchHost=gpu-3",
      "Slurm job 4242 NODE_FAIL (NodeDown, exit 0:0)",
    ],
  ])("%s", (_, fields, note) => {
    expect(jobEndNote("4242", parseScontrolJob(scontrol(fields))!)).toBe(note);
  });

  it("a job Slurm has forgotten, or whose start squeue could not say", () => {
    expect(jobEndNote("4242", { state: "UNKNOWN" })).toBe("Slurm job 4242 UNKNOWN");
  });
});
