import { describe, expect, it } from "vitest";
import { interruptNotice, jobStateLine, terminateNotice } from "./sweep.js";

describe("sweep progress lines", () => {
  it("a queued job's line says why it waits; a job without a reason (running, ended) has none", () => {
    const server = "dsr1-h200-vllm-fp8-tp8-1kx1k";
    expect(
      [
        { state: "PENDING", reason: "Priority" },
        { state: "PENDING", reason: "QOSMaxJobsPerUserLimit" },
        { state: "RUNNING" },
        { state: "COMPLETED" },
      ].map((s) => jobStateLine({ kind: "job-state", server, jobId: "4242", ...s })),
    ).toEqual([
      `job     4242 (${server}): PENDING (Priority)`,
      `job     4242 (${server}): PENDING (QOSMaxJobsPerUserLimit)`,
      `job     4242 (${server}): RUNNING`,
      `job     4242 (${server}): COMPLETED`,
    ]);
  });

  it("Ctrl-C says what the executor in use does: Slurm cancels its jobs at once, mid-point", () => {
    expect(interruptNotice("local")).toBe(
      "infermark: stopping after the point in progress (Ctrl-C again to force)",
    );
    expect(interruptNotice("slurm")).toBe(
      "infermark: stopping: cancelling this sweep's Slurm jobs now (scancel), points in progress included; the points they finished are kept and the sweep run again measures the rest (a job another running sweep submitted is left to it; Ctrl-C again to exit without waiting for the jobs to end)",
    );
    expect(interruptNotice("github")).toBe(
      "infermark: stopping once the workflow is written (Ctrl-C again to force)",
    );
  });

  it("SIGTERM on Slurm says the jobs run on (no server of the sweep's own to stop)", () => {
    expect(terminateNotice("local", "SIGTERM")).toBe(
      "infermark: SIGTERM: stopping the servers this sweep started; finished points are kept (rerun to resume)",
    );
    expect(terminateNotice("slurm", "SIGHUP")).toBe(
      "infermark: SIGHUP: exiting; this sweep's Slurm jobs run on (scancel stops them), and the sweep run again follows them and stores their results",
    );
  });
});
