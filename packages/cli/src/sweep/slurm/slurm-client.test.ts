import { describe, expect, it } from "vitest";
import { parseQueuedJobs } from "./slurm-client.js";

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
