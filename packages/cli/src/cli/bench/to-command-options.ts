import { BenchOptionError, type ResolvedBenchOptions, resolveBenchOptions } from "@infermark/bench";
import type { BenchCommandOptions } from "../../commands/bench.js";
import { UsageError } from "../../errors.js";
import {
  checkGpuFlags,
  checkLoadFlags,
  checkWorkloadFlags,
  infiniteRateAsConcurrency,
} from "../parse.js";
import type { BenchFlags } from "./bench-flags.js";
import { readApiKey } from "./read-api-key.js";

/**
 * Turns the parsed flags into `benchCommand` options, after the checks of flag combinations that commander cannot
 * make (a bad one is a usage error). `rangeRatioGiven`: whether the user gave `--range-ratio`, which has a default.
 * @example toCommandOptions(flags, command.getOptionValueSource("rangeRatio") === "cli")
 */
export function toCommandOptions(given: BenchFlags, rangeRatioGiven = false): BenchCommandOptions {
  // vLLM's --request-rate inf --max-concurrency N, as InferenceX runs it: the closed loop of N
  const closed = infiniteRateAsConcurrency(given);
  const opts: BenchFlags = closed
    ? { ...given, ...closed, rate: undefined, maxConcurrency: undefined }
    : given;
  const apiKey = readApiKey(opts.apiKeyEnv);
  if (apiKey) checkOneAuthorization(opts, apiKey.variable);
  const slo =
    opts.sloTtft || opts.sloTpot || opts.sloE2el
      ? { ttftS: opts.sloTtft, tpotS: opts.sloTpot, e2elS: opts.sloE2el }
      : undefined;
  // a trace's timestamps are its schedule: no level flag, an optional cap
  checkLoadFlags(opts, { trace: opts.workload === "trace" });
  checkWorkloadFlags({ ...opts, rangeRatio: rangeRatioGiven ? opts.rangeRatio : undefined });
  if (!opts.stream && opts.sloTpot !== undefined)
    throw new UsageError(
      "--slo-tpot needs streaming: with --no-stream the tokens arrive together, so TPOT is not measured",
    );
  if (opts.numRequests && opts.duration)
    throw new UsageError("give only one of --num-requests and --duration");
  checkGpuFlags(opts);
  return {
    baseUrl: opts.baseUrl,
    model: opts.model,
    api: opts.api,
    backend: opts.backend,
    workload: opts.workload,
    dataset: opts.dataset,
    traceBlockSize: opts.traceBlockSize,
    traceSpeedup: opts.traceSpeedup,
    turns: opts.turns,
    thinkTimeMs: opts.thinkTime,
    thinkTime: opts.thinkTimeDist,
    isl: opts.isl,
    osl: opts.osl,
    rangeRatio: opts.rangeRatio,
    prefixLength: opts.prefixLength,
    seed: opts.seed,
    tokenizer: opts.tokenizer,
    tokenIds: opts.tokenIds === true,
    useChatTemplate: opts.useChatTemplate === true,
    concurrency: opts.concurrency,
    rate: opts.rate,
    maxConcurrency: opts.maxConcurrency,
    arrival: opts.arrival ?? (opts.burstiness !== undefined ? "gamma" : undefined),
    burstiness: opts.burstiness,
    numRequests: opts.numRequests,
    durationS: opts.duration,
    warmup: opts.warmup,
    stream: opts.stream,
    fixedOutput: opts.fixedOutput,
    headers: opts.header ?? {},
    metadata: opts.metadata,
    extraBody: opts.extraBody,
    apiKey: apiKey?.key,
    timeoutS: opts.timeout,
    workers: opts.workers,
    transport: opts.transport,
    drainTimeoutS: opts.drainTimeout,
    preflight: opts.preflight,
    waitReadyS: opts.waitReady,
    timeScale: opts.timeScale,
    healthBounds: { eventLoopDelayP99Ms: opts.maxClientLag, sendLagP99Ms: opts.maxClientLag },
    slo,
    config: {
      modelKey: opts.modelKey,
      hardware: opts.hardware,
      gpus: opts.gpus,
      prefillGpus: opts.prefillGpus,
      decodeGpus: opts.decodeGpus,
      tp: opts.tp,
      ep: opts.ep,
      dpAttention: opts.dpAttention,
      framework: opts.framework,
      frameworkVersion: opts.frameworkVersion,
      precision: opts.precision,
      image: opts.image,
      ...(opts.specDecoding ? { specDecoding: { method: opts.specDecoding } } : {}),
    },
    outputDir: opts.outputDir,
    saveRequests: opts.saveRequests === true,
  };
}

/**
 * An API key (from the environment variable `variable`) is sent as `Authorization: Bearer`: refused beside a base
 * URL's user and password or a `--header Authorization`, which set that header too, naming the variable (a key a
 * shell exports for other tools, OPENAI_API_KEY, is read unasked). The load generator refuses the same, in its own
 * words, for programmatic runs.
 */
function checkOneAuthorization(opts: BenchFlags, variable: string): void {
  const key = `$${variable} holds an API key (--api-key-env; sent as Authorization: Bearer)`;
  const url = URL.canParse(opts.baseUrl) ? new URL(opts.baseUrl) : undefined;
  const other =
    url && (url.username || url.password)
      ? "--base-url holds a user and password (sent as Authorization: Basic)"
      : opts.header?.authorization !== undefined
        ? "--header sets Authorization"
        : undefined;
  if (other)
    throw new UsageError(
      `${other} and ${key}: both set the Authorization header; give one of them`,
    );
}

/**
 * The load generator's own checks of flag combinations, before anything is written: a bad one is a usage error
 * (exit 2). Returns the options resolved (`--workers auto` as the threads it takes).
 */
export function checkOptions(options: BenchCommandOptions): ResolvedBenchOptions {
  try {
    return resolveBenchOptions(options);
  } catch (error) {
    if (error instanceof BenchOptionError) throw new UsageError(error.message);
    throw error;
  }
}
