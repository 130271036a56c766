import { existsSync, statSync } from "node:fs";
import type { PowerChoice } from "@infermark/bench";
import { githubMatrix, type PlannedServer, type SweepPlan } from "@infermark/core";
import { type Command, Option } from "commander";
import { type PointState, planSpecFile, pointStates } from "../commands/plan.js";
import { withoutPasswords } from "../commands/without-passwords.js";
import { UsageError } from "../errors.js";
import { checkMatrixSize } from "../sweep/github/write-workflow.js";
import { redactCommand, sweepSecrets } from "../sweep/redact-command.js";
import { defaultOutputDir } from "../sweep/results-dir.js";
import { runSweep } from "../sweep/run-sweep.js";
import { ServerProcess } from "../sweep/server-process.js";
import {
  EXECUTORS,
  type ExecutorKind,
  INTERRUPTED_REASON,
  type SweepCounts,
  type SweepEvent,
} from "../sweep/types.js";
import { outliveClosedOutput } from "./bench/closed-output.js";
import { SIGNAL_EXIT_STATUS, type TerminatingSignal } from "./bench/stop-on-signals.js";
import { renderTable } from "./output.js";
import { httpUrl, positiveInt } from "./parse.js";

/**
 * A plan as JSON: servers with their points, and the combinations left out (no copy of the spec). A server's
 * command is shown as the sweep records it: secret flags and assignments (`--hf-token`, `HF_TOKEN=`), and the values
 * of the recipe's and this environment's secret variables, and URL passwords (`redis://u:pw@h`), as `***`.
 */
export function planToJson(plan: SweepPlan, states?: Map<string, PointState>): unknown {
  const secrets = sweepSecrets(plan.spec, "env" in plan.spec.server ? plan.spec.server.env : {});
  return {
    name: plan.name,
    specFingerprint: plan.specFingerprint,
    servers: plan.servers.map((s) => ({
      key: s.key,
      name: s.name,
      hardware: s.hardware,
      ...(s.command !== undefined
        ? { command: withoutPasswords(redactCommand(s.command, secrets)) }
        : {}),
      ...(s.dataset ? { dataset: { file: s.scenario.dataset, ...s.dataset } } : {}),
      points: s.points.map((p) => ({
        name: p.name,
        fingerprint: p.fingerprint,
        ...(p.concurrency !== undefined ? { concurrency: p.concurrency } : {}),
        ...(p.speedup !== undefined ? { speedup: p.speedup } : {}),
        requests: p.requests,
        warmupRequests: p.warmupRequests,
        ...(states ? { status: states.get(p.fingerprint) } : {}),
        config: p.config,
      })),
    })),
    skipped: plan.skipped,
  };
}

/** A measured point's validity reasons when it is invalid. */
const invalidReasons = (s: PointState | undefined): string[] | undefined =>
  s?.state === "measured" ? s.invalid : undefined;

/** A point's state as the plan's table says it: `measured (invalid)` for an invalid result. */
const stateLabel = (s: PointState | undefined): string =>
  s === undefined ? "to measure" : invalidReasons(s) ? "measured (invalid)" : s.state;

/** The plan's points as a table; with `status`, each point's state in an output folder and a count of each. */
function printPlan(
  plan: SweepPlan,
  status?: { dir: string; states: Map<string, PointState> },
): void {
  const rows = plan.points.map((p) => [
    p.name,
    p.fingerprint,
    String(p.config.topology.gpus),
    // a trace point's level is its speedup (in its name); its cap, if any, is its concurrency
    p.concurrency !== undefined ? String(p.concurrency) : "-",
    String(p.requests),
    ...(status ? [stateLabel(status.states.get(p.fingerprint))] : []),
  ]);
  const header = ["point", "fingerprint", "gpus", "conc", "requests"];
  console.log(renderTable(status ? [...header, "state"] : header, rows));
  console.log(
    `${plan.points.length} point${plan.points.length === 1 ? "" : "s"} on ${plan.servers.length} server configuration${plan.servers.length === 1 ? "" : "s"} (spec ${plan.specFingerprint})`,
  );
  if (status) {
    const states = plan.points.map((p) => status.states.get(p.fingerprint)!);
    const count = (state: PointState["state"]) => states.filter((s) => s.state === state).length;
    const inJobs = count("in a job");
    const notKnown = count("Slurm did not answer");
    const invalid = plan.points.filter((p) => invalidReasons(status.states.get(p.fingerprint)));
    console.log(
      `in ${status.dir}: ${count("measured")} measured${invalid.length ? ` (${invalid.length} invalid, kept by a resumed sweep: --retry-invalid measures ${invalid.length === 1 ? "it" : "them"} again)` : ""}, ${inJobs ? `${inJobs} in Slurm jobs, ` : ""}${notKnown ? `${notKnown} not known (Slurm did not answer), ` : ""}${count("failed")} failed, ${count("to measure")} to measure`,
    );
    for (const p of invalid)
      console.log(
        `invalid ${p.name}: ${invalidReasons(status.states.get(p.fingerprint))!.join("; ")}`,
      );
    for (const p of plan.points) {
      const s = status.states.get(p.fingerprint);
      if (s?.state === "failed")
        console.log(`failed ${p.name} (${s.date}): ${firstLine(s.reason)}`);
    }
    for (const server of plan.servers) {
      const inJob = server.points.flatMap((p) => {
        const s = status.states.get(p.fingerprint);
        return s?.state === "in a job" || s?.state === "Slurm did not answer" ? [s] : [];
      });
      const job = inJob[0];
      if (job)
        console.log(
          `job ${job.jobId} (${job.state === "in a job" ? job.jobState : job.state}): ${server.name}, ${inJob.length} points`,
        );
    }
    // not UNKNOWN, nor "to measure": the job may well be running
    const unanswered = states.find((s) => s.state === "Slurm did not answer");
    if (unanswered?.state === "Slurm did not answer")
      printWarning(
        `Slurm did not answer: ${unanswered.said}; whether those jobs still run is not known: ask again once slurmctld answers`,
      );
  }
  for (const s of plan.skipped) console.log(`skipped ${s.hardware} ${s.description}: ${s.reason}`);
  for (const s of plan.servers) if (s.dataset) console.log(datasetLine(s));
}

/**
 * A dataset scenario's server, its file and what it holds:
 * `dataset dsr1-...-sharegpt-chat: data/chat.json, 12 requests, longest 812 tokens, sha256 3f2a...`.
 */
export function datasetLine(server: PlannedServer): string {
  const d = server.dataset!;
  if (server.scenario.workload === "trace") return traceLine(server, d);
  const held =
    server.scenario.workload === "multi-turn"
      ? `${d.requests} conversation${d.requests === 1 ? "" : "s"} of up to ${d.turns} turns`
      : `${d.requests} request${d.requests === 1 ? "" : "s"}`;
  return `dataset ${server.name}: ${server.scenario.dataset}, ${held}, mean ${d.isl}/${d.osl} tokens in/out, longest ${d.longest} tokens, sha256 ${d.sha256.slice(0, 16)}`;
}

/**
 * A trace scenario's server, its file and how it is replayed: `trace dsr1-...-trace-agent: traces/agent.jsonl, 40
 * records over 18.0 s (2.17/s as recorded), ..., speedups 1, 2, 4, sha256 93b6c8bc1463...`.
 */
function traceLine(server: PlannedServer, d: NonNullable<PlannedServer["dataset"]>): string {
  const spanS = (d.spanMs ?? 0) / 1000;
  const rate =
    d.requests > 1 && spanS > 0 ? ` (${((d.requests - 1) / spanS).toFixed(2)}/s as recorded)` : "";
  const speedups = server.points.map((p) => p.speedup).join(", ");
  const cap = server.scenario.maxConcurrency;
  return `trace ${server.name}: ${server.scenario.dataset}, ${d.requests} record${d.requests === 1 ? "" : "s"} over ${Number(spanS.toFixed(2))} s${rate}, mean ${d.isl}/${d.osl} tokens in/out, longest ${d.longest} tokens, blocks of ${d.blockSize} tokens, speedups ${speedups}${cap !== undefined ? `, at most ${cap} in flight` : ""}, sha256 ${d.sha256.slice(0, 16)}`;
}

/** Registers `infermark plan` and `infermark sweep`. */
export function registerSweep(program: Command): void {
  program
    .command("plan")
    .description("expand a sweep spec into points, each with a stable name and a fingerprint")
    .argument("<spec>", "sweep spec (YAML or JSON)")
    .option("--json", "print the plan as JSON")
    .option("--github-matrix", "print a GitHub Actions matrix (one entry per server configuration)")
    .option(
      "--status [dir]",
      "each point's state in a sweep's output folder (default: the sweep's, results/<spec name>): measured, failed (with the reason) or to measure",
    )
    .action(
      async (
        specPath: string,
        opts: { json?: boolean; githubMatrix?: boolean; status?: string | true },
      ) => {
        const beside = [
          ...(opts.status !== undefined ? ["--status"] : []),
          ...(opts.json ? ["--json"] : []),
        ];
        if (opts.githubMatrix && beside.length > 0)
          throw new UsageError(
            `--github-matrix prints the matrix alone; leave out ${beside.join(", ")}`,
          );
        const { plan, warnings } = await planSpecFile(specPath);
        for (const warning of warnings) printWarning(warning);
        if (opts.githubMatrix) {
          // in the workflow's plan job: a spec grown past the limit since the workflow was written fails here
          checkMatrixSize(plan);
          return console.log(JSON.stringify(githubMatrix(plan)));
        }
        const dir =
          opts.status === undefined
            ? undefined
            : opts.status === true
              ? defaultOutputDir(plan.name)
              : opts.status;
        if (dir !== undefined && !existsSync(dir))
          printWarning(`${dir} does not exist: no point of the plan is measured there yet`);
        else if (dir !== undefined && !statSync(dir).isDirectory())
          throw new UsageError(`--status: ${dir} is not a folder (a sweep's --output-dir)`);
        const states = dir === undefined ? undefined : await pointStates(plan, dir);
        if (opts.json) console.log(JSON.stringify(planToJson(plan, states), null, 2));
        else printPlan(plan, dir !== undefined && states ? { dir, states } : undefined);
      },
    );
  registerSweepCommand(program);
}

/**
 * The sweep's counts as its summary line says them:
 * `3 measured (1 invalid), 2 already measured (1 invalid, kept: --retry-invalid measures it again), 0 failed`.
 */
export function summaryLine(c: SweepCounts): string {
  const keptInvalid = c.alreadyMeasuredInvalid;
  return [
    `${c.measured} measured${c.invalid ? ` (${c.invalid} invalid)` : ""}`,
    `${c.alreadyMeasured} already measured${keptInvalid ? ` (${keptInvalid} invalid, kept: --retry-invalid measures ${keptInvalid === 1 ? "it" : "them"} again)` : ""}`,
    ...(c.queued ? [`${c.queued} queued in Slurm jobs`] : []),
    `${c.failed} failed`,
    ...(c.stopped ? [`${c.stopped} not measured (stopped)`] : []),
  ].join(", ");
}

const printWarning = (message: string) => console.error(`infermark: warning: ${message}`);
/** A failure reason's first line (a server log's tail may follow it). */
const firstLine = (text: string) => text.split("\n", 1)[0] ?? "";

/**
 * A followed Slurm job's progress line, with why it is queued when Slurm says:
 * `job     4242 (dsr1-h200-vllm-fp8-tp8-1kx1k): PENDING (Priority)`.
 */
export function jobStateLine(e: Extract<SweepEvent, { kind: "job-state" }>): string {
  return `job     ${e.jobId} (${e.server}): ${e.state}${e.reason ? ` (${e.reason})` : ""}`;
}

/** What a sweep does once stopped, as the executor in use does it: the line Ctrl-C (SIGINT) prints. */
export function interruptNotice(executor: ExecutorKind): string {
  switch (executor) {
    case "slurm":
      // followJobs cancels at once: a job measuring a point is not left to finish it
      return "infermark: stopping: cancelling this sweep's Slurm jobs now (scancel), points in progress included; the points they finished are kept and the sweep run again measures the rest (a job another running sweep submitted is left to it; Ctrl-C again to exit without waiting for the jobs to end)";
    case "github":
      return "infermark: stopping once the workflow is written (Ctrl-C again to force)";
    default:
      return "infermark: stopping after the point in progress (Ctrl-C again to force)";
  }
}

/** What SIGTERM and SIGHUP do, which exit at once: the line they print. */
export function terminateNotice(executor: ExecutorKind, signal: TerminatingSignal): string {
  return executor === "slurm"
    ? `infermark: ${signal}: exiting; this sweep's Slurm jobs run on (scancel stops them), and the sweep run again follows them and stores their results`
    : `infermark: ${signal}: stopping the servers this sweep started; finished points are kept (rerun to resume)`;
}

function printEvent(e: SweepEvent): void {
  switch (e.kind) {
    case "warning":
      printWarning(e.message);
      break;
    case "server-start":
      console.error(`start   ${e.server}${e.command ? `: ${e.command}` : ""}`);
      break;
    case "server-ready":
      console.error(
        `ready   ${e.server} in ${e.readyS.toFixed(1)} s${e.frameworkVersion ? ` (${e.frameworkVersion})` : ""}`,
      );
      break;
    case "server-stop":
      console.error(`stop    ${e.server}`);
      break;
    case "server-recovered":
      console.error(
        `infermark: stopped ${e.server} (process group ${e.pid}${e.port !== undefined ? `, port ${e.port}` : ""}), left running by an earlier sweep that was killed${e.killed ? " (SIGKILL after the grace period)" : ""}`,
      );
      break;
    case "server-metrics-error":
      console.error(
        `metrics ${e.server}: not read: ${e.reason} (said once for the configuration; each of its points records why in extra.serverMetricsError)`,
      );
      break;
    case "point-start":
      console.error(`measure ${e.point}`);
      break;
    case "point-done":
      console.error(`done    ${e.point}: ${e.summary}`);
      break;
    case "point-skipped":
      console.error(
        e.invalid === undefined
          ? `skip    ${e.point}: already measured (${e.path})`
          : `skip    ${e.point}: already measured, invalid (${e.invalid}); --retry-invalid measures it again (${e.path})`,
      );
      break;
    case "point-failed":
      // a point Ctrl-C left is measured by the next run: no failure
      console.error(
        e.reason === INTERRUPTED_REASON
          ? `left    ${e.point}: ${e.reason}`
          : `FAILED  ${e.point}: ${e.reason}`,
      );
      break;
    case "job-submitted":
      console.error(`sbatch  ${e.server}: job ${e.jobId}`);
      break;
    case "job-followed":
      console.error(
        e.submitter
          ? `follow  ${e.server}: job ${e.jobId} (${e.state}), submitted at ${e.submitted} by another sweep (pid ${e.submitter.pid} on ${e.submitter.host}), which cancels it if stopped; stopping this one leaves it queued`
          : `follow  ${e.server}: job ${e.jobId} (${e.state}), submitted by an earlier sweep at ${e.submitted}`,
      );
      break;
    case "job-wait":
      console.error(
        `wait    ${e.server}: another sweep (pid ${e.pid} on ${e.host}, since ${e.since}) is submitting its job into this folder`,
      );
      break;
    case "job-state":
      console.error(jobStateLine(e));
      break;
    case "ingested":
      console.error(`stored  ${e.inserted} new, ${e.unchanged} unchanged in ${e.db}`);
      break;
    // "workflow-written" is the command's result: its last line (or --json) names the file
  }
}

interface SweepFlags {
  executor: ExecutorKind;
  outputDir?: string;
  db?: string;
  ingest: boolean;
  power?: PowerChoice;
  dcgmUrl?: string;
  force?: boolean;
  retryInvalid?: boolean;
  server?: string[];
  partition?: string;
  account?: string;
  nodes?: number;
  gpusPerNode?: number;
  time?: string;
  directive?: string[];
  /** false with --no-wait */
  wait: boolean;
  workflow?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Executor-specific flags given to another executor would be ignored: a forgotten `--executor slurm` runs here. */
function checkExecutorFlags(opts: SweepFlags): void {
  const given = (flags: [string, unknown][]) =>
    flags.filter(([, value]) => value !== undefined).map(([flag]) => flag);
  const slurm = given([
    ["--partition", opts.partition],
    ["--account", opts.account],
    ["--nodes", opts.nodes],
    ["--gpus-per-node", opts.gpusPerNode],
    ["--time", opts.time],
    ["--directive", opts.directive],
    ["--no-wait", opts.wait === false ? true : undefined],
  ]);
  const github = given([["--workflow", opts.workflow]]);
  const where =
    opts.executor === "local" ? "here, with --executor local" : `with --executor ${opts.executor}`;
  if (opts.executor !== "slurm" && slurm.length > 0)
    throw new UsageError(
      `${slurm.join(", ")} need${slurm.length === 1 ? "s" : ""} --executor slurm (this sweep would run ${where})`,
    );
  if (opts.executor !== "github" && github.length > 0)
    throw new UsageError(`--workflow needs --executor github (this sweep would run ${where})`);
  const measuring = given([
    ["--output-dir", opts.outputDir],
    ["--db", opts.db],
    ["--no-ingest", opts.ingest === false ? true : undefined],
    ["--power", opts.power],
    ["--dcgm-url", opts.dcgmUrl],
    ["--force", opts.force],
    ["--retry-invalid", opts.retryInvalid],
    ["--server", opts.server],
  ]);
  if (opts.executor === "github" && measuring.length > 0)
    throw new UsageError(
      `${measuring.join(", ")} do${measuring.length === 1 ? "es" : ""} nothing with --executor github, which only writes the workflow (its jobs measure every configuration into results/ and store them in the report job; docs/sweep.md)`,
    );
}

function registerSweepCommand(program: Command): void {
  program
    .command("sweep")
    .description(
      "run a sweep spec: start each server configuration, measure its concurrency levels, store the results",
    )
    .argument("<spec>", "sweep spec (YAML or JSON)")
    .addOption(
      new Option("--executor <kind>", "where points run").choices([...EXECUTORS]).default("local"),
    )
    .option(
      "--output-dir <dir>",
      "PointResults, failure records and server logs (default results/<spec name>)",
    )
    .option(
      "--db <url>",
      "store to ingest into: SQLite path or postgres:// URL (default $INFERMARK_DB or infermark.db)",
    )
    .option("--no-ingest", "write result files only")
    .addOption(
      new Option("--power <sampler>", "GPU power source (default: the spec's power)").choices([
        "auto",
        "nvidia-smi",
        "amd-smi",
        "dcgm",
        "none",
      ]),
    )
    .option(
      "--dcgm-url <url>",
      "dcgm-exporter metrics URL for --power dcgm/auto (default: the spec's dcgmUrl, else http://localhost:9400/metrics)",
      httpUrl("--dcgm-url"),
    )
    .option(
      "--no-wait",
      "Slurm: submit the jobs and return; run the sweep again later to follow them and store their results",
    )
    .option("--force", "re-measure points that already have a result")
    .option(
      "--retry-invalid",
      "re-measure points whose result is invalid (over 5% errors, client saturated, server ignored max_tokens); without it they are kept",
    )
    .option("--server <key-or-name>", "only this server configuration (repeatable)", collect)
    .option("--partition <name>", "Slurm partition")
    .option("--account <name>", "Slurm account")
    .option(
      "--nodes <n>",
      "Slurm nodes per job (default: as many as a configuration's GPUs need)",
      positiveInt("--nodes"),
    )
    .option("--gpus-per-node <n>", "Slurm GPUs per node", positiveInt("--gpus-per-node"))
    .option("--time <limit>", "Slurm time limit, e.g. 04:00:00")
    .option("--directive <option>", "extra #SBATCH option, e.g. --qos=high (repeatable)", collect)
    .option(
      "--workflow <path>",
      "GitHub executor: where to write the workflow (default: the spec's executor.github.workflow, .github/workflows/infermark-sweep.yml, at the repository's root)",
    )
    .option("--json", "print the outcome of every point as JSON")
    .action(async (specPath: string, opts: SweepFlags) => {
      checkExecutorFlags(opts);
      const controller = new AbortController();
      const onSigint = () => {
        console.error(interruptNotice(opts.executor));
        controller.abort();
        process.once("SIGINT", () => {
          ServerProcess.terminateAll();
          process.exit(130);
        });
      };
      // SIGTERM (scancel, a CI runner's cancel, docker stop) kills soon after, and SIGHUP (the terminal closed, an ssh
      // session dropped) leaves nobody to press Ctrl-C: stop the servers now, as a second Ctrl-C does; the points
      // measured so far are written, and the sweep resumes from them when run again (a Slurm submitter has no
      // server of its own: its jobs run on, recorded, for the next sweep to follow)
      const onTerminate = (signal: TerminatingSignal) => {
        console.error(terminateNotice(opts.executor, signal));
        ServerProcess.terminateAll();
        process.exit(SIGNAL_EXIT_STATUS[signal]);
      };
      process.once("SIGINT", onSigint);
      process.once("SIGTERM", onTerminate);
      process.once("SIGHUP", onTerminate);
      // a closed terminal or pipe (EIO, EPIPE) must not end the sweep before it has stopped its servers, written its
      // records and stored them, nor change its exit status
      const restoreOutput = outliveClosedOutput();
      try {
        const result = await runSweep(specPath, {
          executor: opts.executor,
          ...(opts.outputDir ? { outputDir: opts.outputDir } : {}),
          // an empty --db is refused by the store, not taken for the default database
          ...(opts.db !== undefined ? { db: opts.db } : {}),
          ingest: opts.ingest,
          ...(opts.power ? { power: opts.power } : {}),
          ...(opts.dcgmUrl ? { dcgmUrl: opts.dcgmUrl } : {}),
          force: opts.force ?? false,
          retryInvalid: opts.retryInvalid ?? false,
          ...(opts.server ? { servers: opts.server } : {}),
          slurm: {
            ...(opts.partition ? { partition: opts.partition } : {}),
            ...(opts.account ? { account: opts.account } : {}),
            ...(opts.nodes ? { nodes: opts.nodes } : {}),
            ...(opts.gpusPerNode ? { gpusPerNode: opts.gpusPerNode } : {}),
            ...(opts.time ? { time: opts.time } : {}),
            ...(opts.directive ? { directives: opts.directive } : {}),
            ...(opts.wait === false ? { wait: false } : {}),
          },
          ...(opts.workflow ? { workflowPath: opts.workflow } : {}),
          signal: controller.signal,
          onEvent: printEvent,
        });
        if (opts.json) {
          console.log(JSON.stringify(result, null, 2));
        } else if (result.executor !== "github") {
          console.log(`${summaryLine(result.counts)}; results in ${result.outputDir}`);
          // a point the sweep was stopped before did not fail: it is measured by the next run
          const failed = result.points.filter(
            (p) => p.status === "failed" && p.reason !== INTERRUPTED_REASON,
          );
          const left = result.counts.stopped;
          const queued = result.counts.queued;
          for (const p of result.points)
            if (p.status === "done" && p.valid === false)
              console.log(`invalid ${p.name}: ${p.reason}`);
          for (const p of failed) console.log(`failed ${p.name}: ${p.reason}`);
          if (left > 0)
            console.error(
              `infermark: stopped before ${left} point${left === 1 ? "" : "s"}; run the same command again to measure ${left === 1 ? "it" : "them"}`,
            );
          for (const p of result.points.filter((x) => x.status === "queued"))
            console.log(`queued ${p.name}: Slurm job ${p.jobId}`);
          if (queued > 0)
            console.error(
              `infermark: the jobs run on; "infermark plan ${specPath} --status ${result.outputDir}" says where they stand, and this sweep run again follows them and stores their results`,
            );
        } else {
          console.log(`wrote ${result.workflowPath}`);
        }
        // a failed point, one not measured (stopped) and one this run measured invalid alike: bench's exit status
        if (!result.ok) process.exitCode = 1;
      } finally {
        process.removeListener("SIGINT", onSigint);
        process.removeListener("SIGTERM", onTerminate);
        process.removeListener("SIGHUP", onTerminate);
        await restoreOutput();
      }
    });
}
