import { describe, expect, it } from "vitest";
import {
  heldAfterRequeue,
  neverStarts,
  parseQueuedJobs,
  sbatchErrors,
  sbatchTimeoutMs,
} from "./slurm-client.js";

describe("parseQueuedJobs (squeue -h -o '%i|%T|%V|%o')", () => {
  it("reads each job's id, state, submit time and command; leaves array tasks and other lines out", () => {
    const text = [
      "4242|PENDING|2026-11-29T01:52:20|/shared/out/slurm/x.sbatch",
      "4243|RUNNING|2026-11-29T01:53:00|/shared/a|b/slurm/y.sbatch arg",
      "4244_3|PENDING|2026-11-29T01:54:00|/shared/out/slurm/x.sbatch",
      "squeue: error: something",
      "",
    ].join("\n");
    expect(parseQueuedJobs(text)).toEqual([
      {
        jobId: "4242",
        state: "PENDING",
        submitted: new Date("2026-11-29T01:52:20").toISOString(),
        command: "/shared/out/slurm/x.sbatch",
      },
      {
        jobId: "4243",
        state: "RUNNING",
        submitted: new Date("2026-11-29T01:53:00").toISOString(),
        command: "/shared/a|b/slurm/y.sbatch arg",
      },
    ]);
  });
});

describe("sbatchErrors", () => {
  it("joins sbatch's errors in one line without their prefixes; its warnings only when it printed no error", () => {
    expect(
      sbatchErrors(
        "sbatch: Warning: can't run 1 processes on 2 nodes, setting nnodes to 1\nsbatch: error: invalid partition specified: nope\nsbatch: error: Batch job submission failed: Invalid partition name specified\n",
      ),
    ).toBe(
      "invalid partition specified: nope; Batch job submission failed: Invalid partition name specified",
    );
    expect(sbatchErrors("sbatch: Warning: something odd\n")).toBe("Warning: something odd");
  });
});

describe("neverStarts (squeue %r of a pending job)", () => {
  it("is true of reasons Slurm does not resolve by itself, false of waiting", () => {
    const never = [
      "DependencyNeverSatisfied",
      "BadConstraints",
      "PartitionTimeLimit",
      "QOSMaxWallDurationPerJobLimit",
      "AssocMaxGRESPerJob",
    ];
    const waits = [
      // also "nodes it needs are DOWN or DRAINED" (squeue's manual): a maintenance window, not a job that cannot run
      "PartitionNodeLimit",
      "Priority",
      "Resources",
      "BeginTime",
      "Dependency",
      "QOSMaxJobsPerUserLimit",
      "AssocGrpGRES",
    ];
    expect([...never, ...waits, undefined].map(neverStarts)).toEqual([
      ...never.map(() => true),
      ...waits.map(() => false),
      false,
    ]);
  });
});

describe("heldAfterRequeue", () => {
  it("is true of a job held after a requeue, false of one an admin holds while pending and of one waiting", () => {
    expect(
      [
        { state: "REQUEUE_HOLD" },
        { state: "RESV_DEL_HOLD" },
        { state: "PENDING", reason: "job requeued in held state" },
        { state: "PENDING", reason: "launch failed requeued held" },
        { state: "PENDING", reason: "JobHeldAdmin" },
        { state: "PENDING", reason: "BeginTime" },
        { state: "REQUEUED" },
      ].map(heldAfterRequeue),
    ).toEqual([true, true, true, true, false, false, false]);
  });
});

describe("sbatchTimeoutMs (INFERMARK_SBATCH_TIMEOUT_S)", () => {
  it("is 60 s unless set; a set value is seconds; anything else is refused in one line", () => {
    expect(sbatchTimeoutMs({})).toBe(60_000);
    expect(sbatchTimeoutMs({ INFERMARK_SBATCH_TIMEOUT_S: "1.5" })).toBe(1500);
    expect(() => sbatchTimeoutMs({ INFERMARK_SBATCH_TIMEOUT_S: "0" })).toThrow(
      'INFERMARK_SBATCH_TIMEOUT_S: a number of seconds above 0 and at most 2147483 is needed, got "0"',
    );
  });
});
