import { describe, expect, it } from "vitest";
import { neverStarts, parseQueuedJobs, sbatchErrors } from "./slurm-client.js";

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
