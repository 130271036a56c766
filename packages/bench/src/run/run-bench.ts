import { randomUUID } from "node:crypto";
import {
  type PointResult,
  PointResult as PointResultSchema,
  parseOrThrow,
  type RequestRecord,
} from "@infermark/core";
import { createHttpClient } from "../client/http-client.js";
import {
  apiPath,
  chatMessages,
  modelsPath,
  requestBody,
  serverRootPath,
} from "../client/request-body.js";
import type { InFlightRequest, RequestInput } from "../client/request-tracker.js";
import { WorkerTransport } from "../client/worker-transport.js";
import { type LevelPlan, type LevelProgress, runLevel } from "../load/run-level.js";
import { redact } from "../redact.js";
import { createRng } from "../rng.js";
import { loadTokenizer } from "../tokenizer/load-tokenizer.js";
import type { Tokenizer } from "../tokenizer/types.js";
import { fileWorkload } from "../workload/file-workload.js";
import { promptTemplate } from "../workload/prompt-template.js";
import { randomWorkload } from "../workload/random-workload.js";
import { type TraceWorkload, traceWorkload } from "../workload/trace-workload.js";
import type { WorkItem, Workload } from "../workload/types.js";
import {
  type BenchOptions,
  type ResolvedBenchOptions,
  resolveBenchOptions,
} from "./bench-options.js";
import { buildRecords } from "./build-records.js";
import { createSessions } from "./create-sessions.js";
import { levelLabel, levelPlan } from "./level-plan.js";
import { forcesOutputLength, levelPoint } from "./level-point.js";
import { withLevelTelemetry, withTelemetryResults } from "./level-telemetry.js";
import { prefixCacheCheck } from "./prefix-cache-check.js";
import {
  type NotReady,
  PREFLIGHT_ITEM,
  preflight,
  readyProbe,
  waitUntilReady,
} from "./preflight.js";
import { checkRandomContext } from "./random-context.js";
import { rateShortfall } from "./rate-shortfall.js";
import { runSecrets } from "./run-secrets.js";
import { fetchServerVersion } from "./server-version.js";
import { reportedContextLength } from "./session-options.js";
import { fetchModels, reportedSpeed, scaleRecordTimes } from "./time-scale.js";
import { tracePlan } from "./trace-options.js";

/** One measured level. */
export interface LevelResult {
  /** `c8`, `r2.5`: used in file names. */
  label: string;
  plan: LevelPlan;
  /** Validated against the core schema. */
  point: PointResult;
  /** Every request of the level, warm-up included (flagged). */
  records: RequestRecord[];
}

/** Callbacks and signals of a run. */
export interface BenchHooks {
  /** Stop sending; finished levels and the interrupted one are returned. */
  signal?: AbortSignal;
  /** Cancel requests in flight at once. */
  cancelSignal?: AbortSignal;
  onLevelStart?(label: string, plan: LevelPlan): void;
  onProgress?(label: string, progress: LevelProgress): void;
  /** Called as each level ends (write its files here, so an interrupted run keeps them). */
  onLevel?(result: LevelResult): void | Promise<void>;
  /** @default 1000 */
  progressIntervalMs?: number;
  /**
   * Called once before the first level when times will be scaled (`timeScale` other than 1): the factor,
   * and whether the server reported it.
   */
  onTimeScale?(factor: number, reportedByServer: boolean): void;
  /** Called each time `waitReadyS` waits for a server that is not ready yet, before it tries again. */
  onWaitReady?(state: NotReady): void;
  /** Called once before the first level with the engine version the server gave (when it gave one). */
  onServerVersion?(version: string): void;
  /**
   * Called once a run, after the first level whose server metrics (`telemetry.metricsUrl`) could not be read, with
   * why (secrets redacted); each point without them records it in `extra.serverMetricsError`.
   */
  onServerMetricsError?(label: string, reason: string): void;
}

export interface BenchResult {
  levels: LevelResult[];
  /** The factor the levels' times were multiplied by (1: wall-clock times). */
  timeScale: number;
  /** The run was stopped before its last level's bound. */
  interrupted: boolean;
  /** The labels of the levels not run (the run stopped before them), in order. */
  notRun: string[];
  /** Why the run stopped before its levels were done, when it was not stopped by the caller (`signal`). */
  stopReason?: string;
}

/**
 * Runs a benchmark: for each level, sends the workload in its load mode, records every request and
 * aggregates a PointResult (METRICS.md) validated against the schema.
 * @example
 * const { levels } = await runBench({ baseUrl: "http://localhost:8000", model: "m", isl: 1024, osl: 128, concurrency: [1, 8] });
 * levels[0].point.metrics.tputPerGpu
 */
export async function runBench(
  options: BenchOptions,
  hooks: BenchHooks = {},
): Promise<BenchResult> {
  const o = resolveBenchOptions(options);
  const secrets = runSecrets(o);
  // what a message may show of the base URL: a password in it is a secret too
  const shownUrl = redact(o.baseUrl, secrets);
  // what every request to the server's origin carries (the model list, the version probes, /tokenize, /metrics too):
  // the user's headers (a gateway's api-key) and its API key, or the user and password of its base URL
  const serverHeaders: Record<string, string> = {
    ...o.headers,
    ...(o.authorization ? { authorization: o.authorization } : {}),
  };
  const headers: Record<string, string> = { "content-type": "application/json", ...serverHeaders };
  const path = apiPath(o.basePath, o.api);
  const fixedOutput = o.fixedOutput && forcesOutputLength(o);
  const body = (item: WorkItem, fixed = fixedOutput) =>
    JSON.stringify(
      requestBody(item, {
        model: o.model,
        api: o.api,
        backend: o.backend,
        stream: o.stream,
        fixedOutput: fixed,
        extraBody: o.extraBody,
      }),
    );
  // a server still starting is waited for (--wait-ready) before anything asks it: first, when the tokenizer is
  // the server's; else once the local inputs (tokenizer file, dataset) are read, so a bad one fails at once
  const serverReady = async () =>
    o.waitReadyS === 0 ||
    (await waitUntilReady(
      readyProbe(o.origin + path, headers, body(PREFLIGHT_ITEM), secrets, hooks.signal),
      {
        baseUrl: shownUrl,
        waitS: o.waitReadyS,
        signal: hooks.signal,
        onWait: hooks.onWaitReady,
      },
    )) === "ready";
  // the server's /metrics is read with the run's headers, as its other endpoints are (not another host's)
  const { metricsUrl } = o.telemetry;
  const telemetry =
    metricsUrl &&
    Object.keys(serverHeaders).length > 0 &&
    URL.canParse(metricsUrl) &&
    new URL(metricsUrl).origin === o.origin
      ? { ...o.telemetry, metricsHeaders: serverHeaders }
      : o.telemetry;
  let metricsErrorSaid = false;
  const labels = o.levels.map((level) => levelLabel(o.mode, level));
  const stoppedWaiting: BenchResult = {
    levels: [],
    interrupted: true,
    timeScale: 1,
    notRun: labels,
  };
  if (o.tokenizer === "server" && !(await serverReady())) return stoppedWaiting;
  // chat input tokens without usage count the messages as the template renders them (METRICS.md);
  // chat counting is tried once here, before anything is sent: a tokenizer.json's template that cannot
  // render a plain user message stops the run, a server that refuses messages leaves the prompt text counted
  const tokenizer = await loadTokenizer(o.tokenizer, {
    baseUrl: o.baseUrl,
    model: o.model,
    backend: o.backend,
    headers,
    secrets,
    ...(o.api === "chat" ? { chatProbe: chatMessages(PREFLIGHT_ITEM) } : {}),
  });
  const chatTemplate = o.api === "chat" && tokenizer.countChat !== undefined;
  // sessions are built once the server's model list is read (its time scale and context length)
  let workload = o.workload === "multi-turn" ? undefined : await createWorkload(o, tokenizer);
  // a trace's one level, checked against its records before anything is sent
  const trace = o.workload === "trace" ? tracePlan(o, workload as TraceWorkload) : undefined;
  if (o.tokenizer !== "server" && !(await serverReady())) return stoppedWaiting;
  // the transport: this thread's own HTTP client, or client worker threads (each with its own)
  const transport = o.workers > 0 ? await WorkerTransport.start(o.workers, o.transport) : undefined;
  const client = transport ? undefined : createHttpClient(o.transport);
  const send = (input: RequestInput): InFlightRequest =>
    transport ? transport.send(input) : client!.send(input);
  const transportHealth = transport
    ? { start: () => transport.monitorStart(), stop: () => transport.monitorStop() }
    : undefined;
  const runId = randomUUID();
  const levels: LevelResult[] = [];
  let interrupted = false;
  let stopReason: string | undefined;
  const request = (item: WorkItem, fixedOutput: boolean): RequestInput => ({
    origin: o.origin,
    path,
    headers,
    body: body(item, fixedOutput),
    stream: o.stream,
    // a time scale makes every time the engine's: a timeout of S engine seconds is S / K on the wall clock
    timeoutMs: (o.timeoutS * 1000) / timeScale,
    secrets,
  });
  let timeScale = 1;
  let frameworkVersion = o.config.frameworkVersion;
  try {
    if (o.preflight)
      await preflight(send(request(PREFLIGHT_ITEM, fixedOutput)), shownUrl, o.backend.name);
    const { served, models } = await servedSimulator(o, serverHeaders);
    const contextLength = reportedContextLength(models, o.model);
    // a prompt the server would refuse is refused here, before a level of refusals
    if (o.workload === "random" && contextLength !== undefined)
      checkRandomContext(o, contextLength);
    timeScale = o.timeScale === "auto" ? (served?.speed ?? 1) : o.timeScale;
    workload ??= await createSessions(o, tokenizer, {
      timeScale,
      contextLength,
    });
    if (timeScale !== 1) hooks.onTimeScale?.(timeScale, o.timeScale === "auto");
    if (frameworkVersion === undefined) {
      // the version is what `--framework-version` records; asked of the server when not given
      frameworkVersion = await fetchServerVersion(
        o.origin + serverRootPath(o.basePath),
        o.backend.versionProbes,
        serverHeaders,
      );
      if (frameworkVersion !== undefined) hooks.onServerVersion?.(frameworkVersion);
    }
    for (const level of o.levels) {
      if (hooks.signal?.aborted) {
        interrupted = true;
        break;
      }
      const label = labels[o.levels.indexOf(level)]!;
      const plan = trace ?? levelPlan(o, level);
      if ("prepare" in workload && workload.prepare) {
        await workload.prepare(requestsToPrepare(plan));
      }
      hooks.onLevelStart?.(label, plan);
      const levelWorkload = workload;
      const { value: run, captured } = await withLevelTelemetry(telemetry, () =>
        runLevel({
          plan: wallClockPlan(plan, timeScale),
          workload: levelWorkload,
          rng: createRng(o.seed + level * 7919),
          signal: hooks.signal,
          cancelSignal: hooks.cancelSignal,
          drainTimeoutMs: o.drainTimeoutS * 1000,
          healthBounds: o.healthBounds,
          progressIntervalMs: hooks.progressIntervalMs,
          onProgress: hooks.onProgress
            ? (p) => hooks.onProgress?.(label, engineProgress(p, timeScale))
            : undefined,
          transportHealth,
          send: (item) => send(request(item, fixedOutput)),
        }),
      );
      const built = await buildRecords(run.requests, tokenizer, {
        recount: tokenizer.name !== "builtin",
        chatTemplate,
      });
      const records = scaleRecordTimes(built.records, timeScale);
      const measured = levelPoint(o, {
        plan,
        records,
        run,
        workload,
        tokenizer,
        runId,
        timeScale,
        served,
        frameworkVersion,
        templateFailures: built.templateFailures,
        // the client's send-lag bound, in the engine's ms as the scaled records are
        lateOverMs: o.healthBounds.sendLagP99Ms * timeScale,
      });
      // why /metrics was not read goes into the point and a message: a server may echo a key in its error
      if (captured.metricsError) captured.metricsError = redact(captured.metricsError, secrets);
      const point =
        o.telemetry.sampler || o.telemetry.metricsUrl
          ? parseOrThrow(
              PointResultSchema,
              withTelemetryResults(measured, records, timeScale, captured, o.telemetry),
              `PointResult of level ${label}`,
            )
          : measured;
      withRunChecks(o, plan, point, records);
      if (captured.metricsError && !metricsErrorSaid) {
        metricsErrorSaid = true;
        hooks.onServerMetricsError?.(label, captured.metricsError);
      }
      const result: LevelResult = { label, plan, point, records };
      levels.push(result);
      await hooks.onLevel?.(result);
      if (run.incomplete || hooks.signal?.aborted) {
        interrupted = run.incomplete || level !== o.levels.at(-1);
        break;
      }
      // requests that could not connect: a server that went away (killed, out of memory) fails every level left at
      // once, each an invalid point of nothing; one test request says whether it is still there
      const failedToConnect = run.requests.some((r) => r.outcome.failure?.category === "connect");
      if (failedToConnect && level !== o.levels.at(-1)) {
        const { failure } = await send(request(PREFLIGHT_ITEM, fixedOutput)).outcome;
        if (failure?.category === "connect") {
          stopReason = `the server at ${shownUrl} stopped answering during ${label} (${failure.category}: ${failure.message.split("\n")[0]})`;
          interrupted = true;
          break;
        }
      }
    }
  } finally {
    await client?.close();
    await transport?.close();
  }
  const ran = new Set(levels.map((l) => l.label));
  return {
    levels,
    interrupted,
    timeScale,
    notRun: labels.filter((label) => !ran.has(label)),
    ...(stopReason === undefined ? {} : { stopReason }),
  };
}

/**
 * What a level's point says beyond its metrics once the server's metrics are in (`telemetry`): prompts the server's
 * prefix cache had already seen (`prefixCacheCheck`), a rate the server could not keep up with (`rateShortfall`). An
 * invalid reason joins the point's validity; a warning goes to `extra.warnings`.
 */
function withRunChecks(
  o: ResolvedBenchOptions,
  plan: LevelPlan,
  point: PointResult,
  records: readonly RequestRecord[],
): void {
  const cache = prefixCacheCheck(o, point, records);
  if (cache.invalidReason) {
    point.validity.valid = false;
    point.validity.reasons.push(cache.invalidReason);
  }
  const warnings = [cache.warning, rateShortfall(plan, records)].filter(
    (w): w is string => w !== undefined,
  );
  if (warnings.length > 0) point.extra = { ...point.extra, warnings };
}

/** At most this many prompts are built ahead of a level bounded by time (an 8k-token prompt is about 40 KB). */
export const MAX_PREPARED_FOR_DURATION = 4096;

/**
 * How many requests to build before a level, so that no prompt is tokenized while it is measured: its count when
 * it has one; for a level bounded by time, an estimate (a rate's requests over the duration, with 20% to spare;
 * a closed loop's warm-up plus 64 rounds of its concurrency), capped at `MAX_PREPARED_FOR_DURATION`. Past the
 * estimate, prompts are built as they are needed, which a fast server can notice as send lag. (Rate and duration
 * are both the engine's under a time scale, so their product is a request count either way.)
 */
export function requestsToPrepare(plan: LevelPlan): number {
  if (plan.requests !== undefined) return plan.warmup + plan.requests;
  const seconds = plan.durationS ?? 0;
  const estimate =
    plan.rate !== undefined ? Math.ceil(plan.rate * seconds * 1.2) : 64 * (plan.concurrency ?? 1);
  return Math.min(MAX_PREPARED_FOR_DURATION, plan.warmup + estimate);
}

/**
 * The plan on the wall clock: a rate is the simulated engine's requests/s, so a server running `timeScale`
 * times faster gets them that many times as often (the scaled records then show the rate asked for).
 */
function wallClockPlan(plan: LevelPlan, timeScale: number): LevelPlan {
  if (timeScale === 1) return plan;
  return {
    ...plan,
    ...(plan.rate !== undefined ? { rate: plan.rate * timeScale } : {}),
    // so is a duration: S engine seconds last S / K on the wall clock
    ...(plan.durationS !== undefined ? { durationS: plan.durationS / timeScale } : {}),
    // and a trace's times: a send T engine ms after the first leaves T / K wall-clock ms after it
    ...(plan.schedule !== undefined ? { schedule: plan.schedule.map((t) => t / timeScale) } : {}),
  };
}

/** Progress in the simulated engine's time, as the level's point will report it. */
function engineProgress(p: LevelProgress, timeScale: number): LevelProgress {
  if (timeScale === 1) return p;
  return { ...p, tokensPerS: p.tokensPerS / timeScale, elapsedS: p.elapsedS * timeScale };
}

/**
 * The server's model list, and what infermark's simulator says about itself there (its speed), when the server
 * is one. Asked whatever `timeScale` is: points measured on the simulator are marked simulated even when their
 * times are scaled by hand (or not at all), so they never pass for measurements of real hardware.
 */
async function servedSimulator(
  o: ResolvedBenchOptions,
  headers: Record<string, string>,
): Promise<{ served?: { speed: number; models: unknown }; models: unknown }> {
  const models = await fetchModels(`${o.origin}${modelsPath(o.basePath)}`, headers);
  const speed = reportedSpeed(models);
  return { models, ...(speed === undefined ? {} : { served: { speed, models } }) };
}

async function createWorkload(o: ResolvedBenchOptions, tokenizer: Tokenizer): Promise<Workload> {
  // --use-chat-template: the tokenizer's chat template, checked before anything is sent
  const template = o.useChatTemplate ? { template: await promptTemplate(tokenizer) } : {};
  if (o.workload === "random") {
    return randomWorkload({
      isl: o.isl,
      osl: o.osl,
      tokenizer,
      rangeRatio: o.rangeRatio,
      prefixLength: o.prefixLength,
      seed: o.seed,
      tokenIds: o.tokenIds,
      ...template,
    });
  }
  if (o.workload === "trace") {
    return traceWorkload({
      path: o.dataset!,
      tokenizer,
      blockSize: o.traceBlockSize,
      speedup: o.traceSpeedup,
      seed: o.seed,
      tokenIds: o.tokenIds,
    });
  }
  return fileWorkload({
    path: o.dataset!,
    format: o.workload as "sharegpt" | "jsonl",
    tokenizer,
    ...(o.osl > 0 ? { osl: o.osl } : {}),
    seed: o.seed,
    ...template,
  });
}
