import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type PowerChoice, redact } from "@infermark/bench";
import { type PlannedServer, type SweepPlan, safeName } from "@infermark/core";
import { withoutPasswords } from "../../commands/without-passwords.js";
import { markAlive } from "../process-identity.js";
import { sweepSecrets } from "../redact-command.js";
import {
  existingFailures,
  existingResults,
  invalidWhy,
  resultsToKeep,
  writeFailure,
} from "../results-dir.js";
import { logTail } from "../server-process.js";
import { sweepFolder } from "../sweep-folder.js";
import type { PointOutcome, SlurmFlags, SweepEvent } from "../types.js";
import { followJobs } from "./follow-jobs.js";
import {
  directivesAskForGpus,
  gpusOffered,
  type JobResources,
  jobPartition,
  jobResources,
} from "./gpu-gres.js";
import { jobEndNote } from "./job-end.js";
import { readJobRecord } from "./job-record.js";
import { queueJob } from "./queue-job.js";
import { restoreResults, type SetAsideResult, setAsideResults } from "./requeued-results.js";
import { renderSbatchScript } from "./sbatch-script.js";
import {
  jobIsOver,
  jobState,
  SbatchRefused,
  sbatchTimeoutMs,
  scancel,
  sinfoGres,
} from "./slurm-client.js";
import { claimSubmission } from "./submit-claim.js";
import { interruptedPoints, outcomeOf, refusalReason, refusedPoints } from "./unqueued-points.js";

export interface SlurmRunOptions {
  plan: SweepPlan;
  servers: readonly PlannedServer[];
  /** Absolute path of the spec (the job reads it from the shared filesystem). */
  specPath: string;
  outputDir: string;
  power: PowerChoice;
  /** The dcgm-exporter URL given on the command line, without credentials, passed on to the jobs (INFERMARK_DCGM_URL and the spec's are read there). */
  dcgmUrl?: string;
  force: boolean;
  /** Re-measure the points whose kept result is invalid (the jobs get `--retry-invalid`). @default false */
  retryInvalid?: boolean;
  selfCommand: readonly string[];
  cwd: string;
  flags: SlurmFlags;
  signal?: AbortSignal;
  onEvent?: (event: SweepEvent) => void;
  /** @default the spec's executor.slurm.pollS */
  pollMs?: number;
}

/** The `infermark sweep` command a job runs for one server configuration. */
export function jobCommand(o: SlurmRunOptions, server: PlannedServer): string[] {
  const slurm = o.plan.spec.executor?.slurm;
  const self = slurm?.command ? slurm.command.split(/\s+/).filter(Boolean) : [...o.selfCommand];
  return [
    ...self,
    "sweep",
    o.specPath,
    "--executor",
    "local",
    "--server",
    server.key,
    "--output-dir",
    o.outputDir,
    "--power",
    o.power,
    ...(o.dcgmUrl ? ["--dcgm-url", o.dcgmUrl] : []),
    "--no-ingest",
    ...(o.force ? ["--force"] : []),
    ...(o.retryInvalid && !o.force ? ["--retry-invalid"] : []),
  ];
}

/** Whether a server configuration's engine runs on the job's GPUs (the simulator and an external endpoint do not). */
const needsGpus = (o: SlurmRunOptions): boolean =>
  o.plan.spec.server.kind === "command" || o.plan.spec.server.kind === "docker";

/** The GPUs per node given by flag, `executor.slurm.gpusPerNode` or a directive (`--gres=gpu:...`); else undefined. */
function givenGpusPerNode(o: SlurmRunOptions): number | undefined {
  const s = o.plan.spec.executor?.slurm;
  const given = o.flags.gpusPerNode ?? s?.gpusPerNode;
  if (given !== undefined) return given;
  // a directive's own GPU request is the user's: add none beside it
  return directivesAskForGpus([...(s?.directives ?? []), ...(o.flags.directives ?? [])])
    ? 0
    : undefined;
}

/** The nodes and GPUs per node one server configuration's job asks for (`jobResources`). */
export function resourcesOf(o: SlurmRunOptions, server: PlannedServer, offered: number) {
  const given = givenGpusPerNode(o);
  const nodes = o.flags.nodes ?? o.plan.spec.executor?.slurm?.nodes;
  return jobResources({
    ...(given !== undefined ? { given } : {}),
    ...(nodes !== undefined ? { nodes } : {}),
    needsGpus: needsGpus(o),
    serverGpus: server.topology.gpus,
    offered,
  });
}

/**
 * The batch script of one server configuration. `offered`: the GPUs per node the partition offers as gres (see
 * `gpusOffered`); without a GPU count given, a server that needs GPUs asks for its own on such a partition.
 */
export function jobScript(o: SlurmRunOptions, server: PlannedServer, offered = 0): string {
  const s = o.plan.spec.executor?.slurm;
  const f = o.flags;
  const { nodes, gpusPerNode } = resourcesOf(o, server, offered);
  return renderSbatchScript({
    jobName: `infermark-${server.name}`,
    outputPath: join(o.outputDir, server.name, "slurm-%j.out"),
    workdir: o.cwd,
    ...((f.partition ?? s?.partition) ? { partition: f.partition ?? s?.partition } : {}),
    ...((f.account ?? s?.account) ? { account: f.account ?? s?.account } : {}),
    nodes,
    ...(gpusPerNode ? { gpusPerNode } : {}),
    ...((f.time ?? s?.time) ? { time: f.time ?? s?.time } : {}),
    directives: [...(s?.directives ?? []), ...(f.directives ?? [])],
    setup: s?.setup ?? [],
    command: jobCommand(o, server),
  });
}

/**
 * The partition the jobs land in (see `jobPartition`): `SBATCH_PARTITION`, else the last `--partition` / `-p`
 * directive, else `--partition` or `executor.slurm.partition`; undefined for the cluster's default.
 */
export function partitionOf(
  o: SlurmRunOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const s = o.plan.spec.executor?.slurm;
  return jobPartition({
    given: o.flags.partition ?? s?.partition,
    directives: [...(s?.directives ?? []), ...(o.flags.directives ?? [])],
    env,
  });
}

/**
 * The GPUs per node that the jobs' partition offers as gres (`sinfo`), asked only when it matters: a real engine's
 * jobs without a GPU count given. When it offers some, one line says that each job asks for its configuration's
 * GPUs; when sinfo cannot be asked, one line says the jobs ask for none.
 */
async function partitionGpus(o: SlurmRunOptions, emit: (e: SweepEvent) => void): Promise<number> {
  if (!needsGpus(o) || givenGpusPerNode(o) !== undefined || o.servers.length === 0) return 0;
  const partition = partitionOf(o);
  const where = partition ? `partition ${partition}` : "the default partition";
  let offered: number;
  try {
    offered = gpusOffered(await sinfoGres(), partition);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    // no Slurm here: sbatch says so next
    if (e.code === "ENOENT") return 0;
    emit({
      kind: "warning",
      message: `--gpus-per-node not given, and sinfo could not say whether ${where} has GPU gres (${(e.stderr || e.message).trim().split("\n")[0]}): the jobs ask for no GPUs; give --gpus-per-node (or executor.slurm.gpusPerNode) if the cluster schedules GPUs as gres`,
    });
    return 0;
  }
  if (offered > 0) {
    const asks = new Set(o.servers.map((s) => jobRequest(resourcesOf(o, s, offered))));
    emit({
      kind: "warning",
      message: `--gpus-per-node not given: ${where} has GPU gres (up to ${offered} a node), so each job asks for its configuration's GPUs (${[...asks].join(", ")}); give --gpus-per-node or executor.slurm.gpusPerNode (0 for none) to choose`,
    });
  }
  return offered;
}

/** A job's resources as its sbatch flags: `--gpus-per-node=8`, or `--nodes=2 --gpus-per-node=8` across nodes. */
const jobRequest = (r: JobResources): string =>
  [
    ...(r.nodes > 1 ? [`--nodes=${r.nodes}`] : []),
    ...(r.gpusPerNode ? [`--gpus-per-node=${r.gpusPerNode}`] : []),
  ].join(" ");

/**
 * One line for a job that spans several nodes: the recipe's command runs on the first, and a multi-node engine
 * starts its workers on the others itself.
 */
const multiNodeNote = (server: PlannedServer, r: JobResources, power: PowerChoice): string =>
  `${server.name}: its job asks for ${r.nodes} nodes (${jobRequest(r)}) for its ${server.topology.gpus} GPUs; the server command runs on the job's first node and must start the workers of the other nodes itself (srun --overlap within the job; SLURM_JOB_NODELIST names the nodes)${power === "none" ? "" : "; power is sampled on every node, its GPUs numbered across the nodes (node 1's first GPU is 8 on nodes of 8): nvidia-smi and amd-smi through srun --overlap --label, DCGM from the exporter on each node (the DCGM URL with each node's name as its host, the nodes named by scontrol show hostnames; where scontrol cannot name them, DCGM reads the first node only and measured energy is marked invalid)"}`;

/**
 * The tail of a job's output (`slurm-<id>.out`) for a failure record, without the sweep's secrets (its environment's,
 * which sbatch passes on to the job, the recipe's `server.env` and command's, the API key) or a URL's password: the
 * job's setup lines and whatever the cluster's prolog prints reach it unredacted, unlike the sweep's own lines.
 */
async function jobOutputTail(o: SlurmRunOptions, id: string, server: string): Promise<string> {
  const tail = await logTail(join(o.outputDir, server, `slurm-${id}.out`));
  const recipe = o.plan.spec.server;
  return withoutPasswords(
    redact(tail, sweepSecrets(o.plan.spec, "env" in recipe ? recipe.env : {})),
  );
}

/**
 * Runs each server configuration as one Slurm job (`sbatch`), follows the jobs with `squeue`/`scontrol` until they
 * end, and gathers the PointResults the jobs wrote to the shared output folder. A point without a result gets a
 * failure record: the job's own reason when it wrote one, else the job's final state and its output's tail. With
 * `flags.wait` false it returns once every job is submitted (or found recorded), their points `queued`.
 */
export async function runSlurm(
  o: SlurmRunOptions,
): Promise<{ points: PointOutcome[]; jobs: Record<string, string> }> {
  const emit = o.onEvent ?? (() => {});
  const pollMs = o.pollMs ?? (o.plan.spec.executor?.slurm?.pollS ?? 10) * 1000;
  const timeoutMs = sbatchTimeoutMs();
  const kept = await resultsToKeep(o.outputDir, o);
  const before = new Map([...kept].map(([fp, r]) => [fp, r.path]));
  const outcomes: PointOutcome[] = [];
  const jobs: Record<string, string> = {};
  const scriptsDir = join(o.outputDir, "slurm");
  await sweepFolder(scriptsDir);

  const interrupted = (server: PlannedServer) =>
    outcomes.push(...interruptedPoints(server, before, emit));

  // asked before the first job is submitted, not when every point is measured already
  let offered: number | undefined;
  const submitted: PlannedServer[] = [];
  /** The jobs cancelled when the sweep is stopped: those it submitted, and followed ones whose submitter is gone. */
  const owned: string[] = [];
  /** The jobs this sweep queued itself (not followed). */
  const queuedHere: string[] = [];
  try {
    for (const server of o.servers) {
      // said of every point measured already, however its configuration fares (as the local executor says it)
      for (const p of server.points) {
        const r = kept.get(p.fingerprint);
        if (r)
          emit({
            kind: "point-skipped",
            point: p.name,
            path: r.path,
            ...(r.valid ? {} : { invalid: invalidWhy(r) }),
          });
      }
      if (server.points.every((p) => before.has(p.fingerprint))) {
        for (const p of server.points)
          outcomes.push(
            outcomeOf(server, p, { status: "skipped", path: before.get(p.fingerprint)! }),
          );
        continue;
      }
      if (o.signal?.aborted) {
        interrupted(server);
        continue;
      }
      await sweepFolder(join(o.outputDir, server.name));
      const script = resolve(o.cwd, scriptsDir, `${safeName(server.name)}.sbatch`);
      // held from before the recorded job is looked at until a new one is recorded: two sweeps submitting the same
      // configuration into the folder at once queue one job, which the later one follows
      const held = await claimSubmission(o.outputDir, server.name, {
        signal: o.signal,
        onWait: (c) =>
          emit({ kind: "job-wait", server: server.name, pid: c.pid, host: c.host, since: c.since }),
      });
      if (!held) {
        interrupted(server);
        continue;
      }
      try {
        // a job an earlier sweep submitted that still runs (its submitter died): followed, not submitted twice
        const earlier = await readJobRecord(o.outputDir, server.name);
        // strict: a controller that does not answer must not make a running job look ended, and queued twice
        const earlierState = earlier && (await jobState(earlier.jobId, { strict: true }));
        if (earlier && earlierState && !jobIsOver(earlierState.state)) {
          jobs[server.name] = earlier.jobId;
          submitted.push(server);
          // its submitter is gone: the job is this sweep's to cancel when stopped; else it stays that sweep's
          const orphan = !earlier.submitter || markAlive(earlier.submitter) === false;
          if (orphan) owned.push(earlier.jobId);
          emit({
            kind: "job-followed",
            server: server.name,
            jobId: earlier.jobId,
            state: earlierState.state,
            submitted: earlier.submitted,
            ...(orphan ? {} : { submitter: earlier.submitter }),
          });
          continue;
        }
        const id = await queueJob({
          outputDir: o.outputDir,
          server: server.name,
          script,
          cwd: o.cwd,
          replacedStale: held.replacedStale,
          sbatchTimeoutMs: timeoutMs,
          writeScript: async () => {
            offered ??= await partitionGpus(o, emit);
            const resources = resourcesOf(o, server, offered);
            if (resources.nodes > 1)
              emit({ kind: "warning", message: multiNodeNote(server, resources, o.power) });
            await writeFile(script, jobScript(o, server, offered), { mode: 0o755 });
          },
          emit,
        });
        jobs[server.name] = id;
        // queued by this sweep, or found queued by a sweep that is gone: this sweep's to cancel when stopped
        owned.push(id);
        queuedHere.push(id);
        submitted.push(server);
      } catch (error) {
        if (!(error instanceof SbatchRefused)) throw error;
        // Slurm refused this configuration's job: its points fail, and the other configurations' jobs go on
        const reason = refusalReason(server.name, script, error);
        outcomes.push(...(await refusedPoints(o.outputDir, server, before, reason, emit)));
      } finally {
        await held.release();
      }
    }
  } catch (error) {
    // the sweep fails: the jobs it queued would run on with nobody to gather them
    await scancel(queuedHere);
    throw error;
  }

  // not waited for: the jobs run on, and a later sweep of the folder follows them and gathers their points (unless
  // the sweep was stopped while it submitted: then its jobs are cancelled below, as without --no-wait)
  if (o.flags.wait === false && !o.signal?.aborted) {
    for (const server of submitted)
      for (const p of server.points) {
        const measured = before.get(p.fingerprint);
        outcomes.push(
          outcomeOf(
            server,
            p,
            measured
              ? { status: "skipped", path: measured }
              : { status: "queued", jobId: jobs[server.name]! },
          ),
        );
      }
    return { points: outcomes, jobs };
  }

  /** The results set aside of each requeued job (by job id). */
  const setAside = new Map<string, SetAsideResult[]>();
  const states = await followJobs({
    jobs: submitted.map((server) => ({ server: server.name, jobId: jobs[server.name]! })),
    owned,
    submitted: queuedHere,
    pollMs,
    emit,
    onRequeue: async ({ server, jobId }) => {
      const planned = submitted.find((s) => s.name === server);
      if (!planned) return;
      const aside = await setAsideResults(o.outputDir, planned, before);
      setAside.set(jobId, [...(setAside.get(jobId) ?? []), ...aside]);
    },
    ...(o.signal ? { signal: o.signal } : {}),
  });

  // a job that ended without running to its end again (held and cancelled, cut short): the points only its
  // interrupted run measured are measured
  for (const [id, aside] of setAside)
    if (jobIsOver(states.get(id)!.state)) await restoreResults(o.outputDir, aside);
  const results = await existingResults(o.outputDir);
  const failures = await existingFailures(o.outputDir);
  for (const server of submitted) {
    const id = jobs[server.name]!;
    const st = states.get(id)!;
    const jobNote = jobEndNote(id, st);
    for (const p of server.points) {
      const path = results.get(p.fingerprint);
      if (path) {
        outcomes.push(
          outcomeOf(server, p, { status: before.has(p.fingerprint) ? "skipped" : "done", path }),
        );
        continue;
      }
      if (!jobIsOver(st.state)) {
        // another sweep's job, left to it when this one was stopped: nothing is written beside it
        const reason = `Slurm job ${id} (${st.state}) of another sweep goes on measuring server ${server.name} in this output folder; that sweep gathers its results`;
        outcomes.push(outcomeOf(server, p, { status: "failed", reason }));
        emit({ kind: "point-failed", point: p.name, reason });
        continue;
      }
      const own = failures.get(p.fingerprint);
      const tail = own?.logTail ?? (await jobOutputTail(o, id, server.name));
      const reason = own ? `${own.reason} [${jobNote}]` : `${jobNote}: no result was written`;
      const failurePath = await writeFailure(o.outputDir, p, reason, tail);
      outcomes.push(outcomeOf(server, p, { status: "failed", reason, path: failurePath }));
      emit({ kind: "point-failed", point: p.name, reason });
    }
  }
  return { points: outcomes, jobs };
}
