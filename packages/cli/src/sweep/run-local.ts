import { randomUUID } from "node:crypto";
import { relative } from "node:path";
import { createPowerSampler, type PowerChoice, type PowerSampler, redact } from "@infermark/bench";
import type { PlannedServer, PointResult, SweepPlan } from "@infermark/core";
import { withoutPasswords } from "../commands/without-passwords.js";
import { launchServer, type RunningServer } from "./launch-server.js";
import { measureAttempts } from "./measure-attempts.js";
import { measurePoint } from "./measure-point.js";
import { collectProvenance, type Provenance } from "./provenance.js";
import { waitReady } from "./readiness.js";
import { recoverServers } from "./recover-servers.js";
import { sweepSecrets } from "./redact-command.js";
import {
  invalidWhy,
  resultsToKeep,
  serverDir,
  serverLogPath,
  writeFailure,
  writeRequests,
  writeResult,
} from "./results-dir.js";
import { describeExit, logTail, type ServerExit, type ServerProcess } from "./server-process.js";
import { serverRecordPath } from "./server-record.js";
import { liveJobOf } from "./slurm/job-record.js";
import { slurmSpreadWithHosts } from "./slurm/slurm-spread.js";
import { serverHeaders } from "./sweep-api-key.js";
import { ServerBusy, ServerFailure, ServerInterrupted, SweepError } from "./sweep-error.js";
import { sweepFolder } from "./sweep-folder.js";
import { INTERRUPTED_REASON, type PointOutcome, type SweepEvent } from "./types.js";

/** What the local executor needs, resolved. */
export interface LocalRunOptions {
  plan: SweepPlan;
  /** Server configurations to run (already filtered). */
  servers: readonly PlannedServer[];
  outputDir: string;
  power: PowerChoice;
  /** The dcgm-exporter URL (`power` dcgm or auto). */
  dcgmUrl?: string;
  force: boolean;
  /** Re-measure the points whose kept result is invalid. */
  retryInvalid: boolean;
  /** Write each point's request records beside its result. */
  saveRequests: boolean;
  /** The API key the load generator and the readiness checks send (`readSweepApiKey`). */
  apiKey?: string;
  /** The spec's `bench.headers` as they are sent, from the environment (`readSpecHeaders`). */
  headers: Readonly<Record<string, string>>;
  selfCommand: readonly string[];
  cwd: string;
  signal?: AbortSignal;
  onEvent?: (event: SweepEvent) => void;
  /** Called with each finished PointResult (ingest). */
  onResult?: (result: PointResult, path: string) => Promise<void>;
}

const summaryOf = (r: PointResult): string => {
  const m = r.metrics;
  const f = (x: number | undefined, d = 1) => (x === undefined ? "-" : x.toFixed(d));
  // the measured energy, or that it could not be had (the point stands without it)
  const e = r.energy;
  const energy = !e
    ? ""
    : e.valid
      ? `, ${f(e.jPerOutputToken, 3)} J/output token`
      : ", energy invalid";
  return `tput/gpu ${f(m.tputPerGpu)} tok/s, intvty ${f(m.intvty?.median)} tok/s/user${energy}, errors ${r.errors.total}${r.validity.valid ? "" : " (invalid)"}`;
};

/**
 * Runs server configurations one after the other on this machine: for each, starts its server, waits until it is
 * ready, measures every pending concurrency level, and stops the server. Points with a result of the same
 * fingerprint are skipped (resume), an invalid one too unless `retryInvalid`; a failure is recorded with its reason
 * and the sweep goes on. First, servers that an earlier sweep in the output folder left running when it was killed
 * are stopped (`recoverServers`).
 */
export async function runLocal(options: LocalRunOptions): Promise<PointOutcome[]> {
  const emit = options.onEvent ?? (() => {});
  await recoverServers(options.outputDir, {
    graceMs: options.plan.spec.limits.stopGraceS * 1000,
    emit,
  });
  const done = await resultsToKeep(options.outputDir, options);
  // read before any point of this run writes its own
  const attemptOf = await measureAttempts(options.outputDir);
  const provenance = await collectProvenance(options.cwd);
  const runId = randomUUID();
  const outcomes: PointOutcome[] = [];
  let sampler: PowerSampler | undefined;
  try {
    // a server on several nodes of a Slurm job: the sampler reads each of them
    const spread = await slurmSpreadWithHosts();
    sampler = await createPowerSampler(options.power, {
      ...(spread ? { spread } : {}),
      ...(options.dcgmUrl ? { dcgmUrl: options.dcgmUrl } : {}),
    });
  } catch (error) {
    // before any server starts: a sampler that cannot run would fail every point after its server is up
    throw new SweepError(
      `power: ${(error as Error).message}; use --power auto (none when no source answers) or none${options.power === "dcgm" ? ", or give the exporter's URL (--dcgm-url, the spec's dcgmUrl)" : ""}`,
      { cause: error },
    );
  }

  for (const server of options.servers) {
    const pending = server.points.filter((p) => {
      const kept = done.get(p.fingerprint);
      if (!kept) return true;
      outcomes.push({
        name: p.name,
        fingerprint: p.fingerprint,
        server: server.name,
        status: "skipped",
        path: kept.path,
        valid: kept.valid,
        ...(kept.valid ? {} : { reason: invalidWhy(kept) }),
      });
      emit({
        kind: "point-skipped",
        point: p.name,
        path: kept.path,
        ...(kept.valid ? {} : { invalid: invalidWhy(kept) }),
      });
      return false;
    });
    if (pending.length === 0) continue;
    if (options.signal?.aborted) {
      for (const p of pending) outcomes.push(failed(p, server, INTERRUPTED_REASON));
      continue;
    }
    // a Slurm job (another sweep's, on another node) measures this configuration in the folder now
    const job = await liveJobOf(options.outputDir, server.name);
    if (job) {
      const reason = `Slurm job ${job.jobId} (${job.state}) is measuring server ${server.name} in this output folder now; let it finish, or give this sweep another --output-dir`;
      for (const p of pending) {
        outcomes.push(failed(p, server, reason));
        emit({ kind: "point-failed", point: p.name, reason });
      }
      continue;
    }
    await sweepFolder(serverDir(options.outputDir, server.name));
    outcomes.push(
      ...(await runServer(options, server, pending, {
        provenance,
        runId,
        sampler,
        emit,
        attemptOf,
      })),
    );
  }
  return outcomes;
}

const failed = (
  p: { name: string; fingerprint: string },
  server: PlannedServer,
  reason: string,
  path?: string,
): PointOutcome => ({
  name: p.name,
  fingerprint: p.fingerprint,
  server: server.name,
  status: "failed",
  reason,
  ...(path ? { path } : {}),
});

async function runServer(
  options: LocalRunOptions,
  server: PlannedServer,
  pending: PlannedServer["points"],
  ctx: {
    provenance: Provenance;
    runId: string;
    sampler?: PowerSampler;
    emit: (e: SweepEvent) => void;
    /** How many times a point was measured before (`measureAttempts`). */
    attemptOf: (fingerprint: string) => number;
  },
): Promise<PointOutcome[]> {
  const { plan, outputDir } = options;
  const logPath = serverLogPath(outputDir, server.name);
  const outcomes: PointOutcome[] = [];
  let running: RunningServer | undefined;
  // a server that does not answer /metrics fails every point's scrape: said once for the configuration
  let metricsErrorSaid = false;
  const onServerMetricsError = (reason: string) => {
    if (metricsErrorSaid) return;
    metricsErrorSaid = true;
    ctx.emit({
      kind: "server-metrics-error",
      server: server.name,
      reason: redact(reason, secrets()),
    });
  };
  // the server's own secrets once it runs; before, infermark's and the recipe's env as written
  const secrets = () =>
    running?.secrets ??
    sweepSecrets(plan.spec, "env" in plan.spec.server ? plan.spec.server.env : {});
  const failAll = async (points: typeof pending, why: string, logTail?: string) => {
    const reason = redact(why, secrets());
    // a URL's password by its form too (`postgres://u:***@db`): a server prints URLs no secret value names
    const tail = logTail === undefined ? undefined : withoutPasswords(redact(logTail, secrets()));
    for (const p of points) {
      const path = await writeFailure(outputDir, p, reason, tail, ctx.attemptOf(p.fingerprint));
      outcomes.push(failed(p, server, reason, path));
      ctx.emit({ kind: "point-failed", point: p.name, reason });
    }
  };

  try {
    running = await launchServer({
      spec: plan.spec,
      server,
      logPath,
      selfCommand: options.selfCommand,
      cwd: options.cwd,
      recordPath: serverRecordPath(outputDir, server.name),
    });
    ctx.emit({ kind: "server-start", server: server.name, command: running.command });
    const ready = await waitReady(
      running.baseUrl,
      plan.spec.readiness,
      running.process,
      options.signal,
      serverHeaders(options.headers, options.apiKey),
    );
    // an engine's workers that left its process group are found from it while it runs (see noteStrays)
    await running.noteStrays();
    ctx.emit({
      kind: "server-ready",
      server: server.name,
      readyS: ready.readyS,
      ...(ready.frameworkVersion ? { frameworkVersion: ready.frameworkVersion } : {}),
    });
    for (let i = 0; i < pending.length; i++) {
      const point = pending[i]!;
      if (options.signal?.aborted) {
        // not failures: no record (the next run measures them, as plan --status says)
        for (const p of pending.slice(i)) outcomes.push(failed(p, server, INTERRUPTED_REASON));
        break;
      }
      if (running.process?.exit) {
        await failAll(
          pending.slice(i),
          `server exited during the sweep (${describeExit(running.process.exit)})`,
          await logTail(logPath),
        );
        break;
      }
      ctx.emit({ kind: "point-start", point: point.name });
      try {
        const { result, records } = await measurePoint({
          spec: plan.spec,
          specFingerprint: plan.specFingerprint,
          server,
          point,
          baseUrl: running.baseUrl,
          ready,
          ...(running.command ? { command: running.command } : {}),
          provenance: ctx.provenance,
          runId: ctx.runId,
          attempt: ctx.attemptOf(point.fingerprint),
          ...(options.apiKey ? { apiKey: options.apiKey } : {}),
          headers: options.headers,
          // a server may echo what it was given (HF_TOKEN) in an error body, which the point records
          secrets: running.secrets,
          ...(ctx.sampler ? { sampler: ctx.sampler } : {}),
          serverLog: "server.log",
          onServerMetricsError,
          // not options.signal: Ctrl-C lets this point finish (one cut short would be written, then skipped on resume)
        });
        await running.noteStrays();
        // the server died while the point ran and took it below validity: no measurement of the configuration, and
        // a PointResult would be skipped on resume; a failure record lets the next run measure it again
        const died = result.validity.valid ? undefined : await exitSoon(running.process);
        if (died) {
          await failAll(
            [point],
            `server exited during the point (${describeExit(died)})`,
            await logTail(logPath),
          );
          continue;
        }
        if (options.saveRequests) {
          await writeRequests(outputDir, point, records, running.secrets);
        }
        const path = await writeResult(outputDir, point, result);
        outcomes.push({
          name: point.name,
          fingerprint: point.fingerprint,
          server: server.name,
          status: "done",
          path,
          valid: result.validity.valid,
          ...(result.validity.valid
            ? {}
            : { reason: result.validity.reasons.join("; ") || "invalid" }),
        });
        ctx.emit({
          kind: "point-done",
          point: point.name,
          path: relative(options.cwd, path),
          summary: summaryOf(result),
        });
        await options.onResult?.(result, path);
      } catch (error) {
        const reason = `measurement failed: ${(error as Error).message}`;
        await failAll([point], reason, await logTail(logPath));
      }
    }
  } catch (error) {
    const remaining = pending.filter((p) => !outcomes.some((o) => o.fingerprint === p.fingerprint));
    if (error instanceof ServerBusy || error instanceof ServerInterrupted) {
      for (const p of remaining) {
        outcomes.push(failed(p, server, error.message));
        ctx.emit({ kind: "point-failed", point: p.name, reason: error.message });
      }
    } else {
      const tail = error instanceof ServerFailure ? error.logTail : await logTail(logPath);
      await failAll(remaining, (error as Error).message, tail);
    }
  } finally {
    if (running) {
      await running.stop();
      ctx.emit({ kind: "server-stop", server: server.name });
    }
  }
  return outcomes;
}

/** How long an invalid point waits to see whether its server died: a dying server's requests fail before its exit is seen. */
const EXIT_NOTICE_MS = 1_000;

/**
 * The exit of a server process that has ended or ends within EXIT_NOTICE_MS (its requests fail on the closed
 * sockets a moment before the child's exit event arrives), else undefined.
 */
function exitSoon(server: ServerProcess | undefined): Promise<ServerExit | undefined> {
  if (!server) return Promise.resolve(undefined);
  if (server.exit) return Promise.resolve(server.exit);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(server.exit), EXIT_NOTICE_MS);
    void server.exited.then((exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });
}
