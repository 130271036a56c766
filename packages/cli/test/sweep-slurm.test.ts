import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { nvidiaSmiSampler } from "@infermark/bench";
import { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runSweep } from "../src/sweep/run-sweep.js";
import { jobState } from "../src/sweep/slurm/slurm-client.js";
import { slurmSpread, srunSpread } from "../src/sweep/slurm/slurm-spread.js";
import type { SweepEvent, SweepOptions } from "../src/sweep/types.js";
import { fakeNvidiaSmi, REPO_ROOT, runCli, spawnCli, tempDir } from "./helpers.js";
import { simSpec } from "./sim-spec.js";
import { TEST_HEALTH_BOUNDS } from "./tiny-spec.js";

// A real one-node Slurm cluster (.ci/setup-slurm.sh) runs these; without one they skip, unless system tests are
// required (CI), where a missing cluster is a failure.
const REQUIRED = process.env.INFERMARK_SYSTEM_TESTS === "required";
const ENABLED = process.env.INFERMARK_TEST_SLURM === "1" || REQUIRED;
if (!ENABLED) {
  console.warn(
    "sweep-slurm: skipped (no Slurm cluster; run .ci/setup-slurm.sh and set INFERMARK_TEST_SLURM=1)",
  );
}

const ENGINE = join(REPO_ROOT, "packages/cli/test/fixtures/sweep/engine.mjs");
/** Declares the engine's model, `tiny`, which the catalog lacks (the jobs inherit the environment). */
const TINY_CATALOG = join(REPO_ROOT, "packages/cli/test/fixtures/sweep/tiny-catalog.yaml");
const SELF = [
  process.execPath,
  "--conditions=infermark-source",
  "--import",
  "tsx",
  join(REPO_ROOT, "packages/cli/src/run.ts"),
];

describe.skipIf(!ENABLED)(
  "infermark sweep --executor slurm (a real one-node Slurm cluster)",
  () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ dir, cleanup } = await tempDir("infermark-slurm-"));
      process.env.INFERMARK_CATALOG = TINY_CATALOG;
    });
    afterAll(async () => {
      delete process.env.INFERMARK_CATALOG;
      await cleanup();
    });

    /** `runSweep` with the Slurm executor, results into `outputDir`, not ingested, this checkout's CLI in the jobs. */
    const slurmSweep = (specPath: string, outputDir: string, more: SweepOptions = {}) =>
      runSweep(specPath, {
        executor: "slurm",
        outputDir,
        ingest: false,
        selfCommand: SELF,
        cwd: REPO_ROOT,
        ...more,
      });

    /** `slurmSweep` stopped (Ctrl-C) once one of its jobs is seen pending; its result and every event. */
    const untilPending = async (specPath: string, outputDir: string) => {
      const events: SweepEvent[] = [];
      const controller = new AbortController();
      const r = await slurmSweep(specPath, outputDir, {
        signal: controller.signal,
        onEvent: (e) => {
          events.push(e);
          if (e.kind === "job-state" && e.state === "PENDING") controller.abort();
        },
      });
      return { r, events };
    };

    /**
     * A folder holding a stand-in for a Slurm command that runs `prelude` (shell), then the cluster's own command with
     * the same arguments: to put first on PATH.
     */
    const wrapped = async (command: string, prelude: string) => {
      const bin = join(dir, `wrapped-${command}`);
      await mkdir(bin, { recursive: true });
      const real = execFileSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).trim();
      await writeFile(join(bin, command), `#!/bin/sh\n${prelude}\nexec ${real} "$@"\n`, {
        mode: 0o755,
      });
      return bin;
    };

    /**
     * A folder holding a stand-in for sbatch that queues the job with the cluster's own sbatch and then runs `then`
     * (shell: `$answer` holds what sbatch printed, `$PPID` is the sweep) in place of answering: to put first on PATH.
     */
    const sbatchThen = async (name: string, then: string) => {
      const bin = join(dir, `sbatch-${name}`);
      await mkdir(bin, { recursive: true });
      const real = execFileSync("sh", ["-c", "command -v sbatch"], { encoding: "utf8" }).trim();
      await writeFile(
        join(bin, "sbatch"),
        `#!/bin/sh\nanswer=$(${real} "$@") || exit $?\n${then}\n`,
        {
          mode: 0o755,
        },
      );
      return bin;
    };

    /** The ids of the jobs Slurm holds whose batch script lies in `out`. */
    const jobsIn = (out: string): string[] =>
      execFileSync("squeue", ["-h", "-o", "%i %o"], { encoding: "utf8" })
        .split("\n")
        .filter((l) => l.includes(`${out}/`))
        .map((l) => l.split(" ")[0]!);

    /** Cancels every job still queued or running whose batch script lies in `out`. */
    const cancelJobsIn = (out: string) => {
      const left = jobsIn(out);
      if (left.length > 0) execFileSync("scancel", left);
    };

    /** A spec whose jobs stay pending for an hour (`--begin=now+1hour`), written to `<dir>/<name>.yaml`. */
    const pendingSpec = async (name: string, scenarios: object[] = [{ isl: 16, osl: 4 }]) => {
      const specPath = join(dir, `${name}.yaml`);
      await writeFile(
        specPath,
        stringify({
          name: `slurm-${name}`,
          model: "tiny",
          hardware: "h200",
          framework: "vllm",
          precision: "fp8",
          scenarios,
          search: { tp: [1], concurrency: [1] },
          server: { kind: "command", command: `node ${ENGINE} --port {{port}}` },
          executor: { slurm: { directives: ["--begin=now+1hour"], pollS: 0.3 } },
        }),
      );
      return specPath;
    };

    it("samples nvidia-smi on every node of a job through srun --overlap --label (one node here)", async () => {
      const bin = await fakeNvidiaSmi(join(dir, "srun-power"), [300, 450]);
      const sampler = nvidiaSmiSampler({
        intervalMs: 50,
        command: join(bin, "nvidia-smi"),
        spread: srunSpread(1),
      });
      await sampler.start();
      await sleep(300);
      const samples = await sampler.stop();
      // srun's own labels ("0: ...") are read: node 0's GPUs keep their numbers
      expect([...new Set(samples.map((s) => s.gpu))].sort()).toEqual([0, 1]);
      expect(samples.filter((s) => s.gpu === 1).every((s) => s.watts === 450)).toBe(true);
      expect(slurmSpread({ SLURM_JOB_ID: "7", SLURM_JOB_NUM_NODES: "1" })).toBeUndefined();
      expect(slurmSpread({ SLURM_JOB_ID: "7", SLURM_JOB_NUM_NODES: "2" })).toEqual(srunSpread(2));
      expect(slurmSpread({ SLURM_JOB_NUM_NODES: "2" })).toBeUndefined();
    }, 60_000);

    it("runs one job per server configuration, gathers results, reports a failed job's points", async () => {
      const specPath = join(dir, "slurm.yaml");
      await writeFile(
        specPath,
        stringify({
          name: "slurm-tiny",
          model: "tiny",
          modelId: "tiny-model",
          hardware: "h200",
          framework: "vllm",
          precision: "fp8",
          scenarios: [{ isl: 16, osl: 4, rangeRatio: 1 }],
          search: {
            tp: [1],
            specDecoding: [{ method: "none" }, { method: "mtp", draftTokens: 1 }],
            concurrency: [1, 2],
          },
          // the MTP configuration's engine dies while loading; the other serves on a port Slurm's node picks
          server: {
            kind: "command",
            command: `node ${ENGINE} --port {{port}} --model {{modelId}}{{#mtp}} --ready-after-ms 60000 --exit-after-ms 100{{/mtp}}`,
            port: 18000 + (process.pid % 1000),
          },
          readiness: { timeoutS: 20, intervalS: 0.1 },
          limits: { requestsPerConcurrency: 2, warmupPerConcurrency: 0, stopGraceS: 2 },
          power: "none",
          // a point a busy machine's client saturation made invalid would fail its job (exit 1): loose bounds
          bench: { healthBounds: TEST_HEALTH_BOUNDS },
          // --exclusive: the two jobs share this one node and the fixed port, so they must take turns
          executor: {
            slurm: {
              time: "00:10:00",
              directives: ["--comment=infermark-test", "--exclusive"],
              pollS: 0.5,
            },
          },
        }),
      );
      const out = join(dir, "out");
      const events: SweepEvent[] = [];
      const r = await slurmSweep(specPath, out, {
        onEvent: (e) => events.push(e),
      });
      expect(Object.keys(r.jobs!)).toEqual([
        "tiny-h200-vllm-fp8-tp1-16x4",
        "tiny-h200-vllm-fp8-tp1-mtp1-16x4",
      ]);
      expect(r.points.map((p) => [p.name, p.status])).toEqual([
        ["tiny-h200-vllm-fp8-tp1-16x4-c1", "done"],
        ["tiny-h200-vllm-fp8-tp1-16x4-c2", "done"],
        ["tiny-h200-vllm-fp8-tp1-mtp1-16x4-c1", "failed"],
        ["tiny-h200-vllm-fp8-tp1-mtp1-16x4-c2", "failed"],
      ]);
      const failedJob = r.jobs!["tiny-h200-vllm-fp8-tp1-mtp1-16x4"];
      expect(r.points[2]!.reason).toBe(
        `server exited before it was ready (exit code 3) [Slurm job ${failedJob} FAILED (exit 1:0)]`,
      );
      expect(r.ok).toBe(false);
      const okJob = r.jobs!["tiny-h200-vllm-fp8-tp1-16x4"];
      expect(events).toContainEqual({
        kind: "job-state",
        server: "tiny-h200-vllm-fp8-tp1-16x4",
        jobId: okJob,
        state: "COMPLETED",
      });

      const point = PointResult.parse(JSON.parse(await readFile(r.points[1]!.path!, "utf8")));
      expect(point.run.ciUrl).toBe(`slurm:local/${okJob}`);
      expect(point.metrics.completed).toBe(4);
      const script = await readFile(
        join(out, "slurm", "tiny-h200-vllm-fp8-tp1-16x4.sbatch"),
        "utf8",
      );
      expect(script).toContain(
        "#SBATCH --time=00:10:00\n#SBATCH --comment=infermark-test\n#SBATCH --exclusive\n",
      );
      const jobLog = await readFile(
        join(out, "tiny-h200-vllm-fp8-tp1-16x4", `slurm-${okJob}.out`),
        "utf8",
      );
      expect(jobLog).toContain(`infermark: job ${okJob} on`);

      // resume: everything measured is skipped; only the failed configuration is submitted again
      const again = await slurmSweep(specPath, out, {
        servers: ["tiny-h200-vllm-fp8-tp1-16x4"],
      });
      expect(again.jobs).toEqual({});
      expect(again.points.map((p) => p.status)).toEqual(["skipped", "skipped"]);
    }, 90_000);

    it("cancels its jobs when stopped, and records the cancelled job's points", async () => {
      const specPath = await pendingSpec("pending");
      const { r } = await untilPending(specPath, join(dir, "pending"));
      const job = Object.values(r.jobs!)[0];
      expect(r.points.map((p) => [p.status, p.reason])).toEqual([
        [
          "failed",
          `Slurm job ${job} CANCELLED before it started (pending: BeginTime): no result was written`,
        ],
      ]);
    }, 60_000);

    it("stopped while submitting: submits no more jobs and cancels the ones submitted (with --no-wait too)", async () => {
      const specPath = await pendingSpec("submitting", [
        { isl: 16, osl: 4 },
        { isl: 32, osl: 4 },
      ]);
      for (const wait of [true, false]) {
        const controller = new AbortController();
        const r = await slurmSweep(specPath, join(dir, `submitting-${wait}`), {
          signal: controller.signal,
          onEvent: (e) => {
            if (e.kind === "job-submitted") controller.abort();
          },
          slurm: { wait },
        });
        const jobs = Object.values(r.jobs!);
        expect(jobs).toHaveLength(1);
        // the point never submitted is left to the next run: no failure record, as the local executor leaves it
        expect(r.points[0]!.path).toBeUndefined();
        expect(r.points.map((p) => [p.name, p.status, p.reason])).toEqual([
          ["tiny-h200-vllm-fp8-tp1-32x4-c1", "failed", "interrupted before it started"],
          [
            "tiny-h200-vllm-fp8-tp1-16x4-c1",
            "failed",
            `Slurm job ${jobs[0]} CANCELLED before it started (pending: BeginTime): no result was written`,
          ],
        ]);
      }
    }, 60_000);

    it("follows a job that a killed sweep submitted and left pending, rather than submitting it again", async () => {
      const specPath = await pendingSpec("followed");
      const server = "tiny-h200-vllm-fp8-tp1-16x4";
      const out = join(dir, "followed");
      const args = ["sweep", specPath, "--executor", "slurm", "--output-dir", out, "--no-ingest"];
      // the submitter dies (an SSH session dropped) after sbatch: its job stays queued on the cluster
      const first = spawnCli(args);
      const submitted = await new Promise<string>((resolve) => {
        let stderr = "";
        first.stderr.on("data", (d) => {
          stderr += d;
          const m = /sbatch {2}\S+: job (\d+)/.exec(stderr);
          if (m) resolve(m[1]!);
        });
      });
      const closed = new Promise((resolve) => first.on("close", resolve));
      first.kill("SIGKILL");
      await closed;
      // plan --status says where the configuration stands: in that job
      const status = await runCli(["plan", specPath, "--status", out]);
      expect(status.stdout.split("\n").slice(-3)).toEqual([
        `in ${out}: 0 measured, 1 in Slurm jobs, 0 failed, 0 to measure`,
        `job ${submitted} (PENDING): ${server}, 1 points`,
        "",
      ]);

      // a local sweep of the same folder leaves the configuration to that job, writing nothing beside it
      const local = await runSweep(specPath, { outputDir: out, ingest: false, cwd: REPO_ROOT });
      expect(local.points.map((p) => [p.status, p.reason])).toEqual([
        [
          "failed",
          `Slurm job ${submitted} (PENDING) is measuring server ${server} in this output folder now; let it finish, or give this sweep another --output-dir`,
        ],
      ]);
      // (the killed submitter's claim may be left too, until the next submitter replaces it)
      expect((await readdir(join(out, server))).filter((f) => f !== "slurm.submit")).toEqual([
        "slurm.job",
      ]);

      const run = () => untilPending(specPath, out);
      const again = await run();
      // before: a second job of the same configuration, both queued for the same GPUs
      expect(again.r.jobs).toEqual({ [server]: submitted });
      expect(again.events.filter((e) => e.kind === "job-submitted")).toEqual([]);
      expect(again.events).toContainEqual(
        expect.objectContaining({
          kind: "job-followed",
          server,
          jobId: submitted,
          state: "PENDING",
        }),
      );
      // it was this sweep's to stop: cancelled with it
      expect(again.r.points.map((p) => p.reason)).toEqual([
        `Slurm job ${submitted} CANCELLED before it started (pending: BeginTime): no result was written`,
      ]);
      // a recorded job that has ended is submitted anew
      const third = await run();
      const resubmitted = third.r.jobs![server];
      expect(resubmitted).not.toBe(submitted);
      expect(third.events).toContainEqual({ kind: "job-submitted", server, jobId: resubmitted });
    }, 90_000);

    it.each([
      ["SIGTERM", 143],
      ["SIGHUP", 129],
    ] as const)(
      "%s on the submitter while it waits for its job exits %i at once and leaves the job queued and recorded; the next sweep follows it",
      async (signal, code) => {
        const specPath = await pendingSpec(`signalled-${signal}`);
        const server = "tiny-h200-vllm-fp8-tp1-16x4";
        const out = join(dir, `signalled-${signal}`);
        const child = spawnCli([
          "sweep",
          specPath,
          "--executor",
          "slurm",
          "--output-dir",
          out,
          "--no-ingest",
        ]);
        const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
          child.on("close", (c, s) => resolve([c, s])),
        );
        let stderr = "";
        try {
          // waiting: its job seen pending
          const job = await new Promise<string>((resolve) => {
            child.stderr.on("data", (d) => {
              stderr += d;
              const m = /job {5}(\d+) \(\S+\): PENDING/.exec(stderr);
              if (m) resolve(m[1]!);
            });
          });
          child.kill(signal);
          // as the local sweep on SIGTERM (sweep-local.test.ts): the exit status of the signal, at once, saying so
          expect(await exited).toEqual([code, null]);
          // before: "stopping the servers this sweep started", which a Slurm submitter has none of
          expect(stderr).toContain(
            `infermark: ${signal}: exiting; this sweep's Slurm jobs run on (scancel stops them), and the sweep run again follows them and stores their results`,
          );
          // its job runs on, recorded, and no claim is left
          expect((await jobState(job)).state).toBe("PENDING");
          expect(await readdir(join(out, server))).toEqual(["slurm.job"]);
          const again = await untilPending(specPath, out);
          expect(again.r.jobs).toEqual({ [server]: job });
          expect(again.events.filter((e) => e.kind === "job-submitted")).toEqual([]);
          // its submitter gone, the job was the next sweep's to cancel when stopped
          expect((await jobState(job)).state).toBe("CANCELLED");
        } finally {
          child.kill("SIGKILL");
          cancelJobsIn(out);
        }
      },
      60_000,
    );

    it.each([
      ["SIGTERM", 143],
      ["SIGHUP", 129],
    ] as const)(
      "%s after sbatch queued the job and before the sweep recorded it: the next sweep finds that job and follows it, it queues no second",
      async (signal, code) => {
        const specPath = await pendingSpec(`unrecorded-${signal}`);
        const server = "tiny-h200-vllm-fp8-tp1-16x4";
        const out = join(dir, `unrecorded-${signal}`);
        const queued = join(dir, `unrecorded-${signal}.job`);
        // the signal comes while sbatch waits for slurmctld's answer (an ssh session dropped): the job is queued, and
        // sbatch answers only once the sweep has exited, so nothing can record the job
        const bin = await sbatchThen(
          `then-${signal}`,
          [
            `echo "$answer" > '${queued}'`,
            `kill -${signal.slice(3)} $PPID`,
            "while kill -0 $PPID 2>/dev/null; do sleep 0.1; done",
            'echo "$answer"',
          ].join("\n"),
        );
        const args = ["sweep", specPath, "--executor", "slurm", "--output-dir", out, "--no-ingest"];
        try {
          const first = await runCli(args, {
            env: { PATH: `${bin}${delimiter}${process.env.PATH}` },
          });
          expect(first.code).toBe(code);
          const job = (await readFile(queued, "utf8")).trim();
          expect((await jobState(job)).state).toBe("PENDING");
          // no record names the job; the claim of the sweep that died holding it is left
          expect(await readdir(join(out, server))).toEqual(["slurm.submit"]);

          const again = await untilPending(specPath, out);
          // before: a second job of the same configuration, both queued for the same GPUs and output files
          expect(again.r.jobs).toEqual({ [server]: job });
          expect(again.events.filter((e) => e.kind === "job-submitted")).toEqual([]);
          expect(again.events).toContainEqual({
            kind: "warning",
            message: `${server}: job ${job} (PENDING) runs its batch script, ${join(out, "slurm", `${server}.sbatch`)}, but was never recorded (the sweep that queued it was stopped before it could record it): followed, not queued again`,
          });
          expect(again.events).toContainEqual(
            expect.objectContaining({ kind: "job-followed", server, jobId: job, state: "PENDING" }),
          );
          // now recorded, and this sweep's to cancel when stopped (its submitter is gone)
          expect(JSON.parse(await readFile(join(out, server, "slurm.job"), "utf8")).jobId).toBe(
            job,
          );
          expect((await jobState(job)).state).toBe("CANCELLED");
          expect(jobsIn(out)).toEqual([]);
        } finally {
          cancelJobsIn(out);
        }
      },
      60_000,
    );

    it("sbatch that fails after slurmctld queued the job (a timed-out answer): the sweep follows that job, it does not fail or queue a second", async () => {
      const specPath = await pendingSpec("sbatch-timeout");
      const server = "tiny-h200-vllm-fp8-tp1-16x4";
      const out = join(dir, "sbatch-timeout");
      const queued = join(dir, "sbatch-timeout.job");
      const bin = await sbatchThen(
        "timeout",
        [
          `echo "$answer" > '${queued}'`,
          'echo "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation" >&2',
          "exit 1",
        ].join("\n"),
      );
      const path = process.env.PATH;
      process.env.PATH = `${bin}${delimiter}${path}`;
      try {
        const { r, events } = await untilPending(specPath, out);
        const job = (await readFile(queued, "utf8")).trim();
        // before: the sweep failed with sbatch's error, and its next run queued a second job
        expect(r.jobs).toEqual({ [server]: job });
        expect(events).toContainEqual({
          kind: "warning",
          message: `${server}: sbatch ${join(out, "slurm", `${server}.sbatch`)} failed: Batch job submission failed: Socket timed out on send/recv operation; job ${job} (PENDING) runs that script all the same (slurmctld queued it): taken as this sweep's job`,
        });
        expect(events).toContainEqual({ kind: "job-submitted", server, jobId: job });
        expect(JSON.parse(await readFile(join(out, server, "slurm.job"), "utf8")).jobId).toBe(job);
        expect((await jobState(job)).state).toBe("CANCELLED");
      } finally {
        process.env.PATH = path;
        cancelJobsIn(out);
      }
    }, 60_000);

    it("two jobs of one configuration queued unrecorded under a stale claim of another host: follows the older, cancels the other", async () => {
      const specPath = await pendingSpec("duplicates");
      const server = "tiny-h200-vllm-fp8-tp1-16x4";
      const out = join(dir, "duplicates");
      const script = join(out, "slurm", `${server}.sbatch`);
      await mkdir(join(out, "slurm"), { recursive: true });
      await writeFile(
        script,
        "#!/bin/sh\n#SBATCH --begin=now+1hour\n#SBATCH --output=/dev/null\ntrue\n",
        {
          mode: 0o755,
        },
      );
      const queue = () =>
        execFileSync("sbatch", ["--parsable", script], { encoding: "utf8" }).trim();
      try {
        const [older, newer] = [queue(), queue()];
        // left by a sweep on login-2 that has not renewed its claim for 10 minutes
        await mkdir(join(out, server), { recursive: true });
        await writeFile(
          join(out, server, "slurm.submit"),
          JSON.stringify({
            schema: "infermark.slurm-submit/v1",
            host: "login-2",
            pid: 4242,
            nonce: "gone",
            since: new Date(Date.now() - 10 * 60_000).toISOString(),
          }),
        );
        const { r, events } = await untilPending(specPath, out);
        expect(r.jobs).toEqual({ [server]: older });
        expect(events.filter((e) => e.kind === "job-submitted")).toEqual([]);
        expect(events).toContainEqual({
          kind: "warning",
          message: `${server}: cancelled job ${newer}, which ran the batch script of job ${older} too: one job measures a configuration`,
        });
        expect([(await jobState(older!)).state, (await jobState(newer!)).state]).toEqual([
          "CANCELLED",
          "CANCELLED",
        ]);
        expect(r.points.map((p) => p.reason)).toEqual([
          `Slurm job ${older} CANCELLED before it started (pending: BeginTime): no result was written`,
        ]);
      } finally {
        cancelJobsIn(out);
      }
    }, 60_000);

    it("follows its jobs with one squeue call a poll, not one a job", async () => {
      const specPath = await pendingSpec("one-squeue", [
        { isl: 16, osl: 4 },
        { isl: 32, osl: 4 },
        { isl: 48, osl: 4 },
      ]);
      // squeue as the cluster has it, each call written down
      const log = join(dir, "squeue-calls");
      const bin = await wrapped("squeue", `echo "$*" >> ${log}`);
      const path = process.env.PATH;
      process.env.PATH = `${bin}${delimiter}${path}`;
      let polls = 0;
      try {
        const controller = new AbortController();
        const r = await slurmSweep(specPath, join(dir, "one-squeue"), {
          signal: controller.signal,
          onEvent: (e) => {
            if (e.kind !== "job-state") return;
            polls++;
            if (e.state === "PENDING" && polls === 3) controller.abort();
          },
        });
        const jobs = Object.values(r.jobs!);
        expect(jobs).toHaveLength(3);
        const calls = (await readFile(log, "utf8")).trim().split("\n");
        // before: "-j <one id>" for each job at every poll
        expect(calls[0]).toBe(`-j ${jobs.join(",")} -h -O JobID:|,State:|,RestartCnt:|,Reason:|`);
        expect(calls.filter((c) => !c.startsWith(`-j ${jobs.join(",")} `))).toEqual([]);
      } finally {
        process.env.PATH = path;
      }
    }, 60_000);

    it("--no-wait submits the jobs and returns; the next sweep of the folder follows them", async () => {
      const specPath = await pendingSpec("no-wait");
      const server = "tiny-h200-vllm-fp8-tp1-16x4";
      const out = join(dir, "no-wait");
      const args = ["sweep", specPath, "--executor", "slurm", "--output-dir", out, "--no-ingest"];
      const r = await runCli([...args, "--no-wait"]);
      const job = /Slurm job (\d+)/.exec(r.stdout)?.[1];
      expect([r.code, r.stdout.split("\n")]).toEqual([
        0,
        [
          `0 measured, 0 already measured, 1 queued in Slurm jobs, 0 failed; results in ${out}`,
          `queued ${server}-c1: Slurm job ${job}`,
          "",
        ],
      ]);
      expect(r.stderr).toContain(
        `infermark: the jobs run on; "infermark plan ${specPath} --status ${out}"`,
      );
      // its submitter is gone, the job is not: pending, recorded, followed by the next sweep
      expect((await jobState(job!)).state).toBe("PENDING");
      const { r: again, events } = await untilPending(specPath, out);
      expect(again.jobs).toEqual({ [server]: job });
      expect(events.filter((e) => e.kind === "job-submitted")).toEqual([]);
      // stopped, that sweep cancels the job it followed: its submitter is gone
      expect((await jobState(job!)).state).toBe("CANCELLED");
    }, 60_000);

    it("two sweeps submitting one configuration into one folder at once queue one job; the later follows it", async () => {
      const specPath = await pendingSpec("together");
      const server = "tiny-h200-vllm-fp8-tp1-16x4";
      const out = join(dir, "together");
      // a busy controller: sbatch answers after 5 s, so both sweeps are submitting at the same time (even when one
      // of the two CLIs starts seconds later on a loaded machine)
      const bin = await wrapped("sbatch", "sleep 5");
      const env = { PATH: `${bin}${delimiter}${process.env.PATH}` };
      const args = ["sweep", specPath, "--executor", "slurm", "--output-dir", out, "--no-ingest"];
      const start = () => {
        const child = spawnCli(args, { env });
        let stderr = "";
        const line = new Promise<RegExpExecArray>((resolve) => {
          child.stderr.on("data", (d) => {
            stderr += d;
            const m = /(sbatch|follow) {2}\S+: job (\d+)[^\n]*/.exec(stderr);
            if (m) resolve(m);
          });
        });
        const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
        return { child, line, closed, stderr: () => stderr };
      };
      const sweeps = [start(), start()];
      try {
        const lines = await Promise.all(sweeps.map((s) => s.line));
        // before: two jobs of the same configuration, queued for the same GPUs
        expect(lines.map((m) => m[1]).sort()).toEqual(["follow", "sbatch"]);
        expect(lines[0]![2]).toBe(lines[1]![2]);
        const job = lines[0]![2]!;
        const submitter = sweeps[lines.findIndex((m) => m[1] === "sbatch")]!;
        const follower = sweeps[lines.findIndex((m) => m[1] === "follow")]!;
        expect(follower.stderr()).toContain(
          `wait    ${server}: another sweep (pid ${submitter.child.pid}`,
        );
        expect(lines.find((m) => m[1] === "follow")![0]).toContain(
          `by another sweep (pid ${submitter.child.pid} on ${hostname()}), which cancels it if stopped`,
        );

        // stopping the follower leaves the job to its submitter; stopping the submitter cancels it
        follower.child.kill("SIGINT");
        expect(await follower.closed).toBe(1);
        expect(follower.stderr()).toContain(
          `FAILED  tiny-h200-vllm-fp8-tp1-16x4-c1: Slurm job ${job} (PENDING) of another sweep goes on measuring server ${server} in this output folder; that sweep gathers its results`,
        );
        // no failure record beside the job, no claim left
        expect((await readdir(join(out, server))).sort()).toEqual(["slurm.job"]);
        expect((await jobState(job)).state).toBe("PENDING");
        submitter.child.kill("SIGINT");
        await submitter.closed;
        expect((await jobState(job)).state).toBe("CANCELLED");
      } finally {
        // a failed check leaves nothing queued or running
        for (const s of sweeps) s.child.kill("SIGKILL");
        const queued = execFileSync("squeue", ["-h", "-o", "%i %o"], { encoding: "utf8" });
        const ours = queued.split("\n").filter((l) => l.includes(out));
        if (ours.length > 0)
          execFileSync(
            "scancel",
            ours.map((l) => l.split(" ")[0]!),
          );
      }
    }, 90_000);

    /** A simulator spec (`infermark sim serve` in the job), one configuration per scenario, at `<dir>/<name>.yaml`. */
    const simSlurmSpec = async (name: string, over: Record<string, unknown> = {}) => {
      const specPath = join(dir, `${name}.yaml`);
      await writeFile(
        specPath,
        stringify(simSpec({ name: `slurm-${name}`, executor: { slurm: { pollS: 0.3 } }, ...over })),
      );
      return specPath;
    };

    it("sbatch refusing one configuration's job fails that configuration's points, keeps the other's job and its points; the next sweep measures the rest", async () => {
      const specPath = await simSlurmSpec("refused", {
        scenarios: [
          { isl: 256, osl: 16, rangeRatio: 1 },
          { isl: 512, osl: 16, rangeRatio: 1 },
        ],
      });
      const [kept, refused] = ["dsr1-h200-sim-fp8-tp8-256x16", "dsr1-h200-sim-fp8-tp8-512x16"];
      const out = join(dir, "refused");
      // the cluster refuses the second configuration's job (a partition it does not have), as Slurm says it
      const bin = await wrapped(
        "sbatch",
        `case "$*" in *${refused}*) set -- --partition=nope "$@";; esac`,
      );
      const path = process.env.PATH;
      process.env.PATH = `${bin}${delimiter}${path}`;
      let r: Awaited<ReturnType<typeof slurmSweep>>;
      try {
        // before: the sweep failed with sbatch's error, its first job left queued with nobody to gather it
        r = await slurmSweep(specPath, out);
      } finally {
        process.env.PATH = path;
        cancelJobsIn(out);
      }
      const reason = `sbatch refused the job of ${refused}: invalid partition specified: nope; Batch job submission failed: Invalid partition name specified`;
      expect(r.points.map((p) => [p.name, p.status, p.reason])).toEqual([
        [`${refused}-c1`, "failed", reason],
        [`${kept}-c1`, "done", undefined],
      ]);
      expect(Object.keys(r.jobs!)).toEqual([kept]);
      expect(JSON.parse(await readFile(r.points[0]!.path!, "utf8")).reason).toBe(reason);
      expect(jobsIn(out)).toEqual([]);
      // resumed: the measured point is kept, the refused configuration's job is queued now
      const again = await slurmSweep(specPath, out);
      expect(again.points.map((p) => [p.name, p.status])).toEqual([
        [`${kept}-c1`, "skipped"],
        [`${refused}-c1`, "done"],
      ]);
    }, 90_000);

    /** A simulator spec of one configuration whose points take about a second each (real time), at `<dir>/<name>.yaml`. */
    const slowSimSpec = (name: string, concurrency: number[], directives: string[] = []) =>
      simSlurmSpec(name, {
        search: { tp: [8], concurrency },
        server: { kind: "simulator", speed: 1 },
        limits: { durationS: 1, warmupPerConcurrency: 0, requestTimeoutS: 60, stopGraceS: 5 },
        executor: { slurm: { directives, pollS: 0.3 } },
      });

    /** The first PointResult file in `folder` (polled every 50 ms for up to 30 s). */
    const firstResult = async (folder: string): Promise<string> => {
      for (let i = 0; i < 600; i++) {
        const files = await readdir(folder).catch(() => [] as string[]);
        const found = files.find((f) => f.endsWith(".json") && !f.endsWith(".failed.json"));
        if (found) return join(folder, found);
        await sleep(50);
      }
      throw new Error(`no result in ${folder}`);
    };

    /** Resolves once no process on this node runs in Slurm job `jobId` (polled every 100 ms for up to 30 s). */
    const processesGone = async (jobId: string): Promise<void> => {
      const mark = `SLURM_JOB_ID=${jobId}\0`;
      for (let i = 0; i < 300; i++) {
        const pids = (await readdir("/proc")).filter((d) => /^\d+$/.test(d));
        const environs = await Promise.all(
          pids.map((pid) => readFile(`/proc/${pid}/environ`, "utf8").catch(() => "")),
        );
        if (!environs.some((env) => env.includes(mark))) return;
        await sleep(100);
      }
    };

    it("a running job requeued (scontrol requeue): followed to its real end, said once, its points measured by the run that completes", async () => {
      const specPath = await slowSimSpec("requeued", [1, 2, 4]);
      const server = "dsr1-h200-sim-fp8-tp8-256x64";
      const out = join(dir, "requeued");
      const events: SweepEvent[] = [];
      let requeuedAt = 0;
      let interrupted: string | undefined;
      try {
        const r = await slurmSweep(specPath, out, {
          onEvent: (e) => {
            events.push(e);
            if (e.kind === "job-state" && e.state === "RUNNING" && requeuedAt === 0) {
              requeuedAt = -1;
              // requeued once its first point is written, as a preemption would (the requeue lands mid-run)
              void firstResult(join(out, server)).then((file) => {
                interrupted = file;
                requeuedAt = Date.now();
                execFileSync("scontrol", ["requeue", e.jobId]);
              });
            }
            // Slurm holds a requeued job back for two minutes (BeginTime): let it start again now, once the interrupted
            // run's processes have ended and its credential's second is past (slurmd refuses a new run's credential
            // dated in the second the old one was revoked: "Job credential revoked", and the job FAILS)
            if (e.kind === "warning" && e.message.includes("requeued")) {
              const job = /job (\d+)/.exec(e.message)![1]!;
              void processesGone(job)
                .then(() => sleep(Math.max(0, requeuedAt + 2500 - Date.now())))
                .then(() => execFileSync("scontrol", ["update", `JobId=${job}`, "StartTime=now"]));
            }
          },
        });
        const job = Object.values(r.jobs!)[0]!;
        // before: the interrupted run's point was kept, the run that completed skipped it; no line said so
        const warnings = events.flatMap((e) => (e.kind === "warning" ? [e.message] : []));
        expect(warnings).toHaveLength(1);
        // a poll may see the job pending before the scheduler gives it its BeginTime: the reason varies
        expect(warnings[0]).toMatch(
          new RegExp(
            `^${server}: Slurm job ${job} requeued \\(restart 1(, pending: [^)]*)?\\), waiting for it to run again; the points its interrupted run measured are measured again by the run that completes$`,
          ),
        );
        expect(r.points.map((p) => [p.name, p.status, p.reason])).toEqual([
          [`${server}-c1`, "done", undefined],
          [`${server}-c2`, "done", undefined],
          [`${server}-c4`, "done", undefined],
        ]);
        for (const p of r.points) {
          const date = JSON.parse(await readFile(p.path!, "utf8")).run.date as string;
          expect(Date.parse(date)).toBeGreaterThan(requeuedAt);
        }
        // the interrupted run's results are set aside, not read as such (c2 too, when it ended before the requeue's
        // kill landed)
        expect((await readdir(join(out, server))).filter((f) => f.endsWith(".requeued"))).toContain(
          `${interrupted!.split("/").at(-1)}.requeued`,
        );
        expect(execFileSync("scontrol", ["show", "job", job], { encoding: "utf8" })).toMatch(
          /JobState=COMPLETED .*[\s\S]*Restarts=1 /,
        );
      } finally {
        cancelJobsIn(out);
      }
    }, 60_000);

    /** Resolves once `scontrol show job` says Slurm job `jobId` is in `state` (polled every 100 ms for up to 60 s). */
    const untilJobState = async (jobId: string, state: string): Promise<void> => {
      for (let i = 0; i < 600; i++) {
        const shown = execFileSync("scontrol", ["show", "job", jobId], { encoding: "utf8" });
        if (shown.includes(`JobState=${state} `)) return;
        await sleep(100);
      }
      throw new Error(`Slurm job ${jobId} never reached ${state}`);
    };

    it("a job requeued that runs again and completes between two polls (squeue down meanwhile): its results are kept, and said so", async () => {
      const specPath = await slowSimSpec("requeued-unseen", [1]);
      const server = "dsr1-h200-sim-fp8-tp8-256x64";
      const out = join(dir, "requeued-unseen");
      // the sweep's poll fails while `down` exists, as while slurmctld restarts
      const down = join(dir, "requeued-unseen.down");
      const bin = await wrapped(
        "squeue",
        `case "$*" in *RestartCnt*) if [ -e ${down} ]; then echo "squeue: error: Unable to contact slurm controller (connect failure)" >&2; exit 1; fi;; esac`,
      );
      const path = process.env.PATH;
      process.env.PATH = `${bin}${delimiter}${path}`;
      const events: SweepEvent[] = [];
      let staged: Promise<void> | undefined;
      let r: Awaited<ReturnType<typeof slurmSweep>>;
      try {
        r = await slurmSweep(specPath, out, {
          onEvent: (e) => {
            events.push(e);
            if (e.kind !== "job-state" || e.state !== "RUNNING" || staged) return;
            // unseen by the sweep: requeued, started again at once (see "a running job requeued"), run to its end
            writeFileSync(down, "");
            const job = e.jobId;
            staged = (async () => {
              execFileSync("scontrol", ["requeue", job]);
              const requeuedAt = Date.now();
              await untilJobState(job, "PENDING");
              await processesGone(job);
              await sleep(Math.max(0, requeuedAt + 2500 - Date.now()));
              execFileSync("scontrol", ["update", `JobId=${job}`, "StartTime=now"]);
              await untilJobState(job, "COMPLETED");
            })().finally(() => rm(down, { force: true }));
          },
        });
        await staged;
      } finally {
        process.env.PATH = path;
        await rm(down, { force: true });
        cancelJobsIn(out);
      }
      const job = Object.values(r.jobs!)[0]!;
      expect(execFileSync("scontrol", ["show", "job", job], { encoding: "utf8" })).toMatch(
        /JobState=COMPLETED [\s\S]*Restarts=1 /,
      );
      // before: its completed run's result was set aside as the interrupted run's, and the point failed ("no result
      // was written") after a warning that waited for it to run again
      const warnings = events.flatMap((e) => (e.kind === "warning" ? [e.message] : []));
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/^squeue could not say how jobs \d+ stand /);
      expect(warnings[1]).toBe(
        `${server}: Slurm job ${job} was requeued (restart 1), ran again and ended COMPLETED before a poll saw it between runs; the points its interrupted run measured are kept`,
      );
      expect(r.points.map((p) => [p.name, p.status, p.reason])).toEqual([
        [`${server}-c1`, "done", undefined],
      ]);
      expect((await readdir(join(out, server))).filter((f) => f.endsWith(".requeued"))).toEqual([]);
    }, 90_000);

    it("a job requeued and held (scontrol requeuehold): said, and cancelled like a job that can never start; a pending job held and released is followed on", async () => {
      // pending for its first 3 s: held by an admin then, and released
      const specPath = await slowSimSpec("requeue-held", [1, 2, 4, 8], ["--begin=now+3"]);
      const server = "dsr1-h200-sim-fp8-tp8-256x64";
      const out = join(dir, "requeue-held");
      const events: SweepEvent[] = [];
      let seen = 0;
      let measured: string | undefined;
      try {
        const r = await slurmSweep(specPath, out, {
          onEvent: (e) => {
            events.push(e);
            if (e.kind !== "job-state") return;
            seen++;
            if (seen === 1 && e.state === "PENDING") execFileSync("scontrol", ["hold", e.jobId]);
            if (e.reason === "JobHeldAdmin") execFileSync("scontrol", ["release", e.jobId]);
            if (e.state === "RUNNING")
              void firstResult(join(out, server)).then((file) => {
                measured = file;
                execFileSync("scontrol", ["requeuehold", e.jobId]);
              });
          },
        });
        const job = Object.values(r.jobs!)[0]!;
        // before: the sweep waited for ever on a job Slurm holds until someone releases it; then the interrupted run's
        // results stayed set aside and every point failed
        expect(
          events.filter((e) => e.kind === "warning").map((e) => (e as { message: string }).message),
        ).toEqual([
          `${server}: Slurm job ${job} requeued (restart 1, pending: job requeued in held state), waiting for it to run again; the points its interrupted run measured are measured again by the run that completes`,
          `${server}: Slurm job ${job} was requeued and is held (PENDING: job requeued in held state); it runs only once released (scontrol release ${job}): cancelled; the points its interrupted run measured are kept`,
        ]);
        // held while pending and released: followed on until it ran
        const states = events.flatMap((e) =>
          e.kind === "job-state" ? [`${e.state}${e.reason ? ` ${e.reason}` : ""}`] : [],
        );
        expect(states.slice(0, 2)).toEqual(["PENDING BeginTime", "PENDING JobHeldAdmin"]);
        expect(states.indexOf("RUNNING")).toBeGreaterThan(1);
        expect(states.at(-1)).toBe("CANCELLED");
        // the interrupted run measured c1 (and c2, when it ended before the requeue's kill landed): measured, its file
        // back in place; the points it did not reach (c8 at least) fail
        expect([r.points[0]!.status, r.points[0]!.path]).toEqual(["done", measured]);
        expect(r.points[0]!.name).toBe(`${server}-c1`);
        expect(
          PointResult.parse(JSON.parse(await readFile(measured!, "utf8"))).run.specFingerprint,
        ).toBe(r.points[0]!.fingerprint);
        expect(r.points.at(-1)!.reason).toBe(
          `Slurm job ${job} CANCELLED after it was requeued, before it ran again (pending: job_requeued_in_held_state): no result was written`,
        );
        for (const p of r.points)
          if (p.status === "failed") expect(p.reason).toContain("no result was written");
          else expect(p.status).toBe("done");
        expect((await readdir(join(out, server))).filter((f) => f.endsWith(".requeued"))).toEqual(
          [],
        );
        expect(jobsIn(out)).toEqual([]);
      } finally {
        cancelJobsIn(out);
      }
    }, 60_000);

    it("sbatch that does not answer in time fails that configuration's points in one line each, the others go on; its measured points are said skipped", async () => {
      const specPath = await simSlurmSpec("sbatch-slow", {
        scenarios: [
          { isl: 256, osl: 16, rangeRatio: 1 },
          { isl: 512, osl: 16, rangeRatio: 1 },
        ],
        search: { tp: [8], concurrency: [1, 2] },
      });
      const [kept, slow] = ["dsr1-h200-sim-fp8-tp8-256x16", "dsr1-h200-sim-fp8-tp8-512x16"];
      const out = join(dir, "sbatch-slow");
      // the slow configuration's first point is measured already (here, by the local executor)
      const local = await runSweep(specPath, {
        executor: "local",
        outputDir: out,
        ingest: false,
        selfCommand: SELF,
        cwd: REPO_ROOT,
      });
      for (const p of local.points) if (p.name !== `${slow}-c1`) await rm(p.path!, { force: true });
      const measured = local.points.find((p) => p.name === `${slow}-c1`)!.path!;
      // slurmctld does not answer this configuration's sbatch for 20 s (it would queue the job only then; the sweep
      // stops the stand-in first, so it never does); the sweep waits 5 s, which the other one's real sbatch meets
      const bin = await wrapped(
        "sbatch",
        `case "$*" in *${slow}*) sleep 20 </dev/null >/dev/null 2>&1;; esac`,
      );
      const path = process.env.PATH;
      process.env.PATH = `${bin}${delimiter}${path}`;
      process.env.INFERMARK_SBATCH_TIMEOUT_S = "5";
      const events: SweepEvent[] = [];
      const started = Date.now();
      let failedAfter = 0;
      let slowJobs: string[];
      let r: Awaited<ReturnType<typeof slurmSweep>>;
      try {
        r = await slurmSweep(specPath, out, {
          onEvent: (e) => {
            events.push(e);
            if (e.kind === "point-failed") failedAfter ||= Date.now() - started;
          },
        });
        slowJobs = jobsIn(out).filter((id) =>
          execFileSync("scontrol", ["show", "job", id], { encoding: "utf8" }).includes(
            `${slow}.sbatch`,
          ),
        );
      } finally {
        process.env.PATH = path;
        delete process.env.INFERMARK_SBATCH_TIMEOUT_S;
        cancelJobsIn(out);
      }
      // the stopped stand-in queued nothing, and its sleep did not hold the sweep up
      expect(slowJobs).toEqual([]);
      expect(failedAfter).toBeGreaterThan(0);
      expect(failedAfter).toBeLessThan(15_000);
      const reason = `sbatch did not answer within 5 s (slurmctld busy or unreachable): the job of ${slow} was not queued`;
      // before: sbatch was waited for 60 s ("Command failed" when it timed out), and no point-skipped was said
      expect(r.points.map((p) => [p.name, p.status, p.reason])).toEqual([
        [`${slow}-c1`, "skipped", undefined],
        [`${slow}-c2`, "failed", reason],
        [`${kept}-c1`, "done", undefined],
        [`${kept}-c2`, "done", undefined],
      ]);
      expect(events.filter((e) => e.kind === "point-skipped" || e.kind === "point-failed")).toEqual(
        [
          { kind: "point-skipped", point: `${slow}-c1`, path: measured },
          { kind: "point-failed", point: `${slow}-c2`, reason },
        ],
      );
      expect(Object.keys(r.jobs!)).toEqual([kept]);
    }, 60_000);

    it("sbatch that does not answer in time while squeue cannot say whether the job was queued: its points fail saying it may be queued and what to look for", async () => {
      const specPath = await simSlurmSpec("sbatch-unknown", {
        search: { tp: [8], concurrency: [1] },
        executor: { slurm: { pollS: 0.3 } },
      });
      const server = "dsr1-h200-sim-fp8-tp8-256x64";
      const out = join(dir, "sbatch-unknown");
      // sbatch does not answer within the sweep's 1 s, and squeue cannot list this user's jobs
      const sbatchBin = await wrapped("sbatch", "sleep 20 </dev/null >/dev/null 2>&1");
      const squeueBin = await wrapped(
        "squeue",
        `case "$*" in *%V*) echo "squeue: error: Unable to contact slurm controller (connect failure)" >&2; exit 1;; esac`,
      );
      const path = process.env.PATH;
      process.env.PATH = `${sbatchBin}${delimiter}${squeueBin}${delimiter}${path}`;
      process.env.INFERMARK_SBATCH_TIMEOUT_S = "1";
      let r: Awaited<ReturnType<typeof slurmSweep>>;
      try {
        r = await slurmSweep(specPath, out);
      } finally {
        process.env.PATH = path;
        delete process.env.INFERMARK_SBATCH_TIMEOUT_S;
        cancelJobsIn(out);
      }
      // before: "... the job of <server> was not queued", which nothing had checked
      expect(r.points.map((p) => [p.name, p.status, p.reason])).toEqual([
        [
          `${server}-c1`,
          "failed",
          `sbatch did not answer within 1 s (slurmctld busy or unreachable): the job of ${server} may have been queued; squeue could not say (squeue: error: Unable to contact slurm controller (connect failure)): look for a job that runs ${out}/slurm/${server}.sbatch (named infermark-${server} unless a directive renames it) and cancel it before this folder is swept again`,
        ],
      ]);
    }, 60_000);

    it("sbatch refusing a configuration whose points are partly measured: its measured points are said skipped, the others fail", async () => {
      const specPath = await simSlurmSpec("refused-partly", {
        search: { tp: [8], concurrency: [1, 2] },
        executor: { slurm: { partition: "nope", pollS: 0.3 } },
      });
      const server = "dsr1-h200-sim-fp8-tp8-256x64";
      const out = join(dir, "refused-partly");
      const local = await runSweep(specPath, {
        executor: "local",
        outputDir: out,
        ingest: false,
        selfCommand: SELF,
        cwd: REPO_ROOT,
      });
      await rm(local.points[1]!.path!);
      const events: SweepEvent[] = [];
      const r = await slurmSweep(specPath, out, { onEvent: (e) => events.push(e) });
      const reason = `sbatch refused the job of ${server}: invalid partition specified: nope; Batch job submission failed: Invalid partition name specified`;
      expect(r.points.map((p) => [p.name, p.status])).toEqual([
        [`${server}-c1`, "skipped"],
        [`${server}-c2`, "failed"],
      ]);
      // before: the measured point's outcome was "skipped", but no point-skipped event said so
      expect(events.filter((e) => e.kind === "point-skipped" || e.kind === "point-failed")).toEqual(
        [
          { kind: "point-skipped", point: `${server}-c1`, path: local.points[0]!.path! },
          { kind: "point-failed", point: `${server}-c2`, reason },
        ],
      );
      expect(jobsIn(out)).toEqual([]);
    }, 60_000);

    it("a partition Slurm does not have (spec): each point fails in one line with sbatch's reason, exit 1", async () => {
      const specPath = await simSlurmSpec("bad-partition", {
        executor: { slurm: { partition: "nope", pollS: 0.3 } },
      });
      const out = join(dir, "bad-partition");
      const r = await runCli([
        "sweep",
        specPath,
        "--executor",
        "slurm",
        "--output-dir",
        out,
        "--no-ingest",
      ]);
      // before: "infermark: sbatch <script> failed: sbatch: error: invalid partition specified: nope", no point named
      expect([r.code, r.stdout.split("\n")]).toEqual([
        1,
        [
          `0 measured, 0 already measured, 1 failed; results in ${out}`,
          "failed dsr1-h200-sim-fp8-tp8-256x64-c1: sbatch refused the job of dsr1-h200-sim-fp8-tp8-256x64: invalid partition specified: nope; Batch job submission failed: Invalid partition name specified",
          "",
        ],
      ]);
      expect(jobsIn(out)).toEqual([]);
    }, 60_000);

    it("a job cancelled (scancel) while pending: its points say it never started and why it was pending", async () => {
      const specPath = await pendingSpec("cancelled-pending");
      const out = join(dir, "cancelled-pending");
      try {
        const r = await slurmSweep(specPath, out, {
          onEvent: (e) => {
            if (e.kind === "job-state" && e.state === "PENDING") execFileSync("scancel", [e.jobId]);
          },
        });
        const job = Object.values(r.jobs!)[0];
        // before: "Slurm job N CANCELLED (exit 0:0): no result was written"
        expect(r.points.map((p) => [p.status, p.reason])).toEqual([
          [
            "failed",
            `Slurm job ${job} CANCELLED before it started (pending: BeginTime): no result was written`,
          ],
        ]);
      } finally {
        cancelJobsIn(out);
      }
    }, 60_000);

    it("a job that reaches its time limit: the points it measured are kept, the others say TIMEOUT and the limit", async () => {
      // six levels of 20 s each: the 1 minute limit (which slurmctld enforces up to half a minute late) falls in the
      // third, fourth or fifth
      const specPath = await simSlurmSpec("time-limit", {
        search: { tp: [8], concurrency: [1, 2, 4, 8, 16, 32] },
        // real time: the simulator's speed scales a level's duration
        server: { kind: "simulator", speed: 1 },
        limits: { durationS: 20, warmupPerConcurrency: 0, requestTimeoutS: 60, stopGraceS: 5 },
        executor: { slurm: { time: "00:01:00", pollS: 1 } },
      });
      const out = join(dir, "time-limit");
      try {
        const r = await slurmSweep(specPath, out);
        const job = Object.values(r.jobs!)[0];
        const timedOut = `Slurm job ${job} TIMEOUT (time limit 00:01:00 reached; exit 143:0): no result was written`;
        // before: "Slurm job N TIMEOUT (exit 143:0): no result was written"
        expect(r.points[0]!.status).toBe("done");
        expect(r.points.at(-1)!.reason).toBe(timedOut);
        expect(r.points.every((p) => p.status === "done" || p.reason === timedOut)).toBe(true);
      } finally {
        cancelJobsIn(out);
      }
    }, 180_000);

    it("squeue and scontrol that do not answer for a while (slurmctld restarting): the sweep follows its job on, it does not take it for ended", async () => {
      const specPath = await pendingSpec("unreachable");
      const out = join(dir, "unreachable");
      // while this file exists, the controller does not answer
      const down = join(dir, "controller-down");
      const fail = `[ -e '${down}' ] && { echo "slurm_load_jobs error: Socket timed out on send/recv operation" >&2; exit 1; }`;
      const squeue = await wrapped("squeue", fail);
      const scontrol = await wrapped("scontrol", fail);
      const path = process.env.PATH;
      process.env.PATH = [squeue, scontrol, path].join(delimiter);
      const controller = new AbortController();
      const events: SweepEvent[] = [];
      try {
        const r = await slurmSweep(specPath, out, {
          signal: controller.signal,
          onEvent: (e) => {
            events.push(e);
            if (e.kind !== "job-state" || e.state !== "PENDING") return;
            void writeFile(down, "");
            // back after 1.5 s; then the sweep is stopped
            setTimeout(() => void rm(down, { force: true }), 1500);
            setTimeout(() => controller.abort(), 2500);
          },
        });
        const job = Object.values(r.jobs!)[0];
        // before: "Slurm job N UNKNOWN: no result was written" at once, the job left pending with nobody to follow it
        expect(r.points.map((p) => p.reason)).toEqual([
          `Slurm job ${job} CANCELLED before it started (pending: BeginTime): no result was written`,
        ]);
        expect(events.filter((e) => e.kind === "warning")).toEqual([
          {
            kind: "warning",
            message: `squeue could not say how jobs ${job} stand (slurm_load_jobs error: Socket timed out on send/recv operation); following them on, asking every 0.3 s`,
          },
        ]);
        expect(jobsIn(out)).toEqual([]);
      } finally {
        process.env.PATH = path;
        await rm(down, { force: true });
        cancelJobsIn(out);
      }
    }, 60_000);

    it("a sweep that fails while submitting cancels the jobs it queued before it exits", async () => {
      const specPath = await pendingSpec("fails-submitting", [
        { isl: 16, osl: 4 },
        { isl: 32, osl: 4 },
      ]);
      const out = join(dir, "fails-submitting");
      // the second configuration's folder cannot be made: a file stands in its place
      await mkdir(out, { recursive: true });
      await writeFile(join(out, "tiny-h200-vllm-fp8-tp1-32x4"), "");
      const events: SweepEvent[] = [];
      try {
        await expect(slurmSweep(specPath, out, { onEvent: (e) => events.push(e) })).rejects.toThrow(
          `folder ${join(out, "tiny-h200-vllm-fp8-tp1-32x4")}: cannot create it (is a file, not a folder)`,
        );
        const queued = events.flatMap((e) => (e.kind === "job-submitted" ? [e.jobId] : []));
        expect(queued).toHaveLength(1);
        // before: the first configuration's job stayed pending, with no sweep to gather it
        expect((await jobState(queued[0]!)).state).toBe("CANCELLED");
        expect(jobsIn(out)).toEqual([]);
      } finally {
        cancelJobsIn(out);
      }
    }, 60_000);

    it("a job Slurm leaves pending that can never start (a dependency on a job that failed): cancelled, its points say why", async () => {
      const failed = execFileSync(
        "sbatch",
        ["--parsable", "--output=/dev/null", "--wrap", "false"],
        { encoding: "utf8" },
      ).trim();
      for (let i = 0; i < 100 && (await jobState(failed)).state !== "FAILED"; i++) await sleep(100);
      const specPath = await simSlurmSpec("never-starts", {
        executor: { slurm: { directives: [`--dependency=afterok:${failed}`], pollS: 0.3 } },
      });
      const out = join(dir, "never-starts");
      const events: SweepEvent[] = [];
      try {
        // before: the sweep waited for ever on a job Slurm keeps pending (DependencyNeverSatisfied)
        const r = await slurmSweep(specPath, out, { onEvent: (e) => events.push(e) });
        const job = Object.values(r.jobs!)[0];
        const server = "dsr1-h200-sim-fp8-tp8-256x64";
        expect(events).toContainEqual({
          kind: "warning",
          message: `${server}: Slurm job ${job} can never start as submitted (pending: DependencyNeverSatisfied): cancelled`,
        });
        expect(r.points.map((p) => [p.status, p.reason])).toEqual([
          [
            "failed",
            `Slurm job ${job} CANCELLED before it started (pending: DependencyNeverSatisfied): no result was written`,
          ],
        ]);
        expect(jobsIn(out)).toEqual([]);
      } finally {
        cancelJobsIn(out);
      }
    }, 30_000);

    it("the CLI says why a queued job waits, once while it does not change; Ctrl-C says it cancels the jobs now, and does", async () => {
      const specPath = await pendingSpec("ctrl-c");
      const server = "tiny-h200-vllm-fp8-tp1-16x4";
      const out = join(dir, "ctrl-c");
      const child = spawnCli([
        "sweep",
        specPath,
        "--executor",
        "slurm",
        "--output-dir",
        out,
        "--no-ingest",
      ]);
      let stderr = "";
      const pending = new Promise<string>((resolve) => {
        child.stderr.on("data", (d) => {
          stderr += d;
          const m = /^job {5}(\d+) \(\S+\): PENDING/m.exec(stderr);
          if (m) resolve(m[1]!);
        });
      });
      const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
      try {
        const job = await pending;
        // about 5 polls (0.3 s) of the same state and reason
        await sleep(1500);
        child.kill("SIGINT");
        expect(await closed).toBe(1);
        const lines = stderr.split("\n");
        // before: "job N (<server>): PENDING", no reason
        expect(lines.filter((l) => l.startsWith("job "))).toEqual([
          `job     ${job} (${server}): PENDING (BeginTime)`,
          `job     ${job} (${server}): CANCELLED`,
        ]);
        // before: "stopping after the point in progress", while the job was cancelled at once
        expect(lines.filter((l) => l.includes("stopping"))).toEqual([
          "infermark: stopping: cancelling this sweep's Slurm jobs now (scancel), points in progress included; the points they finished are kept and the sweep run again measures the rest (a job another running sweep submitted is left to it; Ctrl-C again to exit without waiting for the jobs to end)",
        ]);
        expect((await jobState(job)).state).toBe("CANCELLED");
      } finally {
        child.kill("SIGKILL");
        cancelJobsIn(out);
      }
    }, 20_000);

    it("a job's output written into a failure record hides the sweep's secrets and URL passwords (a setup line that prints them)", async () => {
      const specPath = join(dir, "setup-secrets.yaml");
      const out = join(dir, "out-setup-secrets");
      // a secret of infermark's environment, which sbatch passes on to the job
      process.env.INFERMARK_TEST_SLURM_SECRET_TOKEN = "tok-slurm-4702";
      try {
        await writeFile(
          specPath,
          stringify({
            name: "slurm-setup-secrets",
            model: "tiny",
            hardware: "h200",
            framework: "vllm",
            precision: "fp8",
            scenarios: [{ isl: 16, osl: 4 }],
            search: { tp: [1], concurrency: [1] },
            server: { kind: "command", command: `node ${ENGINE} --port {{port}}` },
            executor: {
              slurm: {
                setup: [
                  'echo "proxy http://u:pw-setup-4701@proxy token $INFERMARK_TEST_SLURM_SECRET_TOKEN"',
                  "exit 3",
                ],
                pollS: 0.3,
              },
            },
          }),
        );
        const r = await slurmSweep(specPath, out);
        expect(r.points.map((p) => p.status)).toEqual(["failed"]);
        const record = JSON.parse(await readFile(r.points[0]!.path!, "utf8")) as {
          logTail?: string;
        };
        // before: the job's output as written, the proxy's password and the token in the record
        expect(record.logTail).toContain("proxy http://u:***@proxy token ***");
        expect(record.logTail).not.toMatch(/pw-setup-4701|tok-slurm-4702/);
      } finally {
        delete process.env.INFERMARK_TEST_SLURM_SECRET_TOKEN;
        cancelJobsIn(out);
      }
    }, 30_000);

    it("plan --status with a slurmctld that does not answer says so, rather than calling the job's points to measure", async () => {
      const specPath = await pendingSpec("status-unanswered");
      const server = "tiny-h200-vllm-fp8-tp1-16x4";
      const out = join(dir, "status-unanswered");
      try {
        const queued = await runCli([
          "sweep",
          specPath,
          "--executor",
          "slurm",
          "--output-dir",
          out,
          "--no-ingest",
          "--no-wait",
        ]);
        const job = /Slurm job (\d+)/.exec(queued.stdout)![1]!;
        // the cluster's configuration with a port nothing listens on: "Unable to contact slurm controller", said
        // at once (not after Slurm's 18 s of retries) with 1 s timeouts
        const conf = join(dir, "unanswered-slurm.conf");
        const real = await readFile(process.env.SLURM_CONF ?? "/etc/slurm/slurm.conf", "utf8");
        const kept = real.replace(/^(SlurmctldPort|MessageTimeout|TCPTimeout)=.*$/gm, "");
        await writeFile(conf, `${kept}\nSlurmctldPort=1\nMessageTimeout=1\nTCPTimeout=1\n`);
        const r = await runCli(["plan", specPath, "--status", out], { env: { SLURM_CONF: conf } });
        // before: "0 measured, 0 failed, 1 to measure", and no job line, while the job was pending
        expect([r.code, r.stdout.split("\n").slice(-3), r.stderr]).toEqual([
          0,
          [
            `in ${out}: 0 measured, 1 not known (Slurm did not answer), 0 failed, 0 to measure`,
            `job ${job} (Slurm did not answer): ${server}, 1 points`,
            "",
          ],
          `infermark: warning: Slurm did not answer: squeue could not say how jobs ${job} stand (slurm_load_jobs error: Unable to contact slurm controller (connect failure)); whether those jobs still run is not known: ask again once slurmctld answers\n`,
        ]);
      } finally {
        cancelJobsIn(out);
      }
    }, 20_000);
  },
);
