import { availableParallelism } from "node:os";
import type { RunInfo, Slo, SpecDecoding } from "@infermark/core";
import { BACKENDS, getBackend } from "../backends/index.js";
import type { ApiKind, BackendName, BackendPreset } from "../backends/types.js";
import { TRANSPORT_KINDS, type TransportKind } from "../client/http-client.js";
import { BenchOptionError } from "../errors.js";
import { DEFAULT_HEALTH_BOUNDS, type HealthBounds } from "../health/client-monitor.js";
import { headerNameProblem } from "../http/header-name.js";
import type { ArrivalKind } from "../load/arrivals.js";
import { shownUrl } from "../shown-url.js";
import { checkServerTokenizer } from "../tokenizer/load-tokenizer.js";
import { checkPromptTemplate } from "../workload/prompt-template.js";
import type { ThinkTimeKind } from "../workload/session-workload.js";
import { DEFAULT_TRACE_BLOCK_SIZE } from "../workload/trace-prompts.js";
import { autoWorkers } from "./auto-workers.js";
import type { LevelTelemetry } from "./level-telemetry.js";
import { requestAuthorization } from "./request-authorization.js";
import { holdsSecret } from "./secret-name.js";
import { checkSessionOptions } from "./session-options.js";
import { checkTraceOptions } from "./trace-options.js";

/** What a benchmark run measures and how; every field but `baseUrl` and `model` is optional. */
export interface BenchOptions {
  /**
   * Server root, e.g. `http://host:8000` (`/v1` is added unless present). A user and password in it
   * (`http://user:pw@host:8000`) are sent as `Authorization: Basic`, as curl sends them, with every request to the
   * server; they are never written anywhere.
   */
  baseUrl: string;
  /** Served model name sent in every request. */
  model: string;
  /** @default "completions" */
  api?: ApiKind;
  /** @default "vllm" */
  backend?: BackendName | string;
  /**
   * `multi-turn`: sessions (synthetic, or ShareGPT conversations with `dataset`); `trace`: a request trace
   * (`dataset`) replayed at its timestamps. @default "random"
   */
  workload?: "random" | "sharegpt" | "jsonl" | "multi-turn" | "trace";
  /** ShareGPT JSON or JSONL file of the file workloads (ShareGPT for `multi-turn`, a JSONL trace for `trace`). */
  dataset?: string;
  /** Tokens each hash id of a trace stands for (trace). @default 512 (Mooncake's) */
  traceBlockSize?: number;
  /** Replay a trace this many times faster: its timestamps are divided by it (trace). @default 1 */
  traceSpeedup?: number;
  /** User turns per session (multi-turn; with a dataset, the most per conversation). @default 5 (synthetic) */
  turns?: number;
  /** Mean think time (ms) between a response and the session's next turn (multi-turn). @default 0 */
  thinkTimeMs?: number;
  /** Think times exactly `thinkTimeMs`, or exponential with that mean (multi-turn). @default "fixed" */
  thinkTime?: ThinkTimeKind;
  /** Nominal input length (random workload). */
  isl?: number;
  /** Nominal output length (random workload; fixed output for file workloads when given). */
  osl?: number;
  /** @default 0.8 (InferenceX) */
  rangeRatio?: number;
  /** @default 0 */
  prefixLength?: number;
  /** @default 0 */
  seed?: number;
  /** `builtin`, `server` or a tokenizer.json path. @default "builtin" */
  tokenizer?: string;
  /** Send random prompts as token ids (completions API; backends that accept them). @default false */
  tokenIds?: boolean;
  /**
   * Wrap each prompt in the model's chat template as one user message, client-side, and send the rendered text to
   * `/v1/completions`, as InferenceX's `--use-chat-template` (its MTP runs): the ISL counts the rendered prompt. Needs
   * `tokenizer` to be a tokenizer.json with a chat template beside it; the completions API; the random, sharegpt or
   * jsonl workload. @default false
   */
  useChatTemplate?: boolean;
  /** Closed-loop levels. Exactly one of `concurrency` and `rate`. */
  concurrency?: number[];
  /** Open-loop levels (requests/s). */
  rate?: number[];
  /** Cap on requests in flight in rate mode. */
  maxConcurrency?: number;
  /** @default "poisson" */
  arrival?: ArrivalKind;
  /** Gamma shape for `arrival: "gamma"`. @default 1 */
  burstiness?: number;
  /**
   * Measured requests per level. @default 10 x concurrency (rate mode: 10 x cap, or 10 x the rate rounded up, and
   * at least 60 s of arrivals: rate x 60)
   */
  numRequests?: number;
  /** Measured seconds per level, instead of a request count. */
  durationS?: number;
  /** Warm-up requests per level. @default 2 x concurrency */
  warmup?: number;
  /** Stream with SSE (false: one JSON response per request). @default true */
  stream?: boolean;
  /** Force output to the asked length (ignore_eos / min_tokens where honoured). @default true */
  fixedOutput?: boolean;
  /** Sent with every request (`authorization` only when neither `apiKey` nor the base URL's user sets it). */
  headers?: Record<string, string>;
  extraBody?: Record<string, unknown>;
  /** Sent as a bearer token; never written anywhere. Not with a user and password in `baseUrl`. */
  apiKey?: string;
  /**
   * Free-form facts kept for the record in each PointResult's `extra.metadata` (a driver version, an engine flag
   * tried), as vLLM's `--metadata`; the API key, should a value hold it, is written as `***`. A key that names a
   * secret as a variable's name does (`HF_TOKEN`, `OPENAI_API_KEY`; `holdsSecret`) is refused.
   */
  metadata?: Record<string, string>;
  /**
   * Other secrets the run hides by value wherever it writes or says them (error bodies and messages, request records,
   * the PointResult), as it hides its API key and credential headers: a sweep's `HF_TOKEN`, the secrets of its
   * server's command, which a server may echo in an error body. Never written anywhere. @default []
   */
  secrets?: readonly string[];
  /**
   * Client worker threads that send and stamp the requests, each with its own event loop and
   * connection pool; 0 keeps everything on the calling thread. `auto`: one thread per 64 streams of
   * the largest level (the cap in rate mode; as many as it may for an uncapped rate or a trace), none
   * up to 64 or on fewer than 4 cores, at most the cores less two and 32 (`autoWorkers`). @default "auto"
   */
  workers?: number | "auto";
  /**
   * The HTTP client: `native` (HTTP/1.1 straight over node:net / node:tls, lean per read) or
   * `undici`. @default "native"
   */
  transport?: TransportKind;
  /** Per-request limit. @default 600 */
  timeoutS?: number;
  /** After a stop, how long requests in flight may finish before they are cancelled. @default 30 */
  drainTimeoutS?: number;
  /**
   * Send one short request before the first level and stop with a `PreflightError` if it fails, so
   * a wrong URL, model name or key costs one request instead of a level of failures (the CLI's
   * default). @default false
   */
  preflight?: boolean;
  /**
   * Wait up to this many seconds for a server that is still starting: the test request is posted every 2 s while
   * the connection is refused or the server answers 404, 429 or 5xx (`waitUntilReady`), before `preflight`'s.
   * @default 0 (no wait)
   */
  waitReadyS?: number;
  /**
   * What each level measures beside its requests: a power sampler started before the level and stopped after it
   * (the point's `energy`, over its measured window) and a Prometheus endpoint scraped before and after it (the
   * point's `serverMetrics`). @default {} (neither)
   */
  telemetry?: LevelTelemetry;
  /**
   * Multiply every client time of a level by this factor (around its first scheduled send) before the
   * metrics are taken: a simulator that serves K times faster than the wall clock (`infermark sim serve
   * --speed K`) is measured in its own engine's time with K. `"auto"`: the `speed` the server reports
   * in `/v1/models` (infermark's simulator does), else 1; a point measured against a server that reports
   * a speed is marked simulated. @default 1
   */
  timeScale?: number | "auto";
  slo?: Slo;
  healthBounds?: Partial<HealthBounds>;
  /** Configuration metadata of the PointResults. */
  config?: {
    /** Catalog model key (`dsr1`); the served name otherwise. */
    modelKey?: string;
    hardware?: string;
    gpus?: number;
    prefillGpus?: number;
    decodeGpus?: number;
    /**
     * The serving layout of every worker (both pools when disaggregated): tensor- and expert-parallel GPUs per
     * worker and DP attention. Recorded as the topology's pools (workers = the pool's GPUs / tp), which the analysis
     * groups by (`--group-by +tp`); left out, the points have no layout.
     */
    tp?: number;
    ep?: number;
    dpAttention?: boolean;
    framework?: string;
    frameworkVersion?: string;
    precision?: string;
    specDecoding?: SpecDecoding;
    image?: string;
  };
  /** Provenance merged into each PointResult's `run`. */
  run?: Partial<RunInfo>;
}

// Every BenchOptions field: a field added to BenchOptions and not here fails to compile.
const BENCH_OPTION_FIELDS: Record<keyof BenchOptions, true> = {
  baseUrl: true,
  model: true,
  api: true,
  backend: true,
  workload: true,
  dataset: true,
  traceBlockSize: true,
  traceSpeedup: true,
  turns: true,
  thinkTimeMs: true,
  thinkTime: true,
  isl: true,
  osl: true,
  rangeRatio: true,
  prefixLength: true,
  seed: true,
  tokenizer: true,
  tokenIds: true,
  useChatTemplate: true,
  concurrency: true,
  rate: true,
  maxConcurrency: true,
  arrival: true,
  burstiness: true,
  numRequests: true,
  durationS: true,
  warmup: true,
  stream: true,
  fixedOutput: true,
  headers: true,
  extraBody: true,
  apiKey: true,
  metadata: true,
  secrets: true,
  workers: true,
  transport: true,
  timeoutS: true,
  drainTimeoutS: true,
  preflight: true,
  waitReadyS: true,
  telemetry: true,
  timeScale: true,
  slo: true,
  healthBounds: true,
  config: true,
  run: true,
};

/**
 * Every BenchOptions field by name, for options read from a file (a sweep spec's `bench` block), where an
 * unknown key is a typo to report rather than a field to ignore.
 * @example BENCH_OPTION_KEYS.includes("backend") // true
 */
export const BENCH_OPTION_KEYS = Object.keys(
  BENCH_OPTION_FIELDS,
) as readonly (keyof BenchOptions)[];

/** BenchOptions with every default filled and checked. */
export interface ResolvedBenchOptions
  extends Required<
    Omit<
      BenchOptions,
      | "backend"
      | "dataset"
      | "turns"
      | "isl"
      | "osl"
      | "concurrency"
      | "rate"
      | "maxConcurrency"
      | "numRequests"
      | "durationS"
      | "warmup"
      | "apiKey"
      | "slo"
      | "healthBounds"
      | "extraBody"
      | "workers"
      | "metadata"
      | "secrets"
    >
  > {
  /** `secrets`, each given and non-empty. */
  secrets: readonly string[];
  /** Client worker threads (0: the calling thread), `auto` resolved. */
  workers: number;
  /**
   * The `Authorization` of every request the run makes to its server: the API key's bearer or the base URL user's
   * Basic (`requestAuthorization`); undefined when neither is given.
   */
  authorization?: string;
  metadata?: Record<string, string>;
  backend: BackendPreset;
  origin: string;
  basePath: string;
  dataset?: string;
  turns?: number;
  isl: number;
  osl: number;
  mode: "concurrency" | "rate" | "trace";
  /** The levels' concurrencies or rates; a trace's one level is its speedup. */
  levels: number[];
  maxConcurrency?: number;
  numRequests?: number;
  durationS?: number;
  warmup?: number;
  apiKey?: string;
  slo?: Slo;
  healthBounds: HealthBounds;
  extraBody?: Record<string, unknown>;
}

export const DEFAULT_BENCH = {
  api: "completions",
  backend: "vllm",
  workload: "random",
  turns: 5,
  thinkTimeMs: 0,
  thinkTime: "fixed",
  traceBlockSize: DEFAULT_TRACE_BLOCK_SIZE,
  traceSpeedup: 1,
  rangeRatio: 0.8,
  prefixLength: 0,
  seed: 0,
  tokenizer: "builtin",
  arrival: "poisson",
  burstiness: 1,
  stream: true,
  fixedOutput: true,
  timeoutS: 600,
  drainTimeoutS: 30,
  workers: "auto",
  transport: "native",
  requestsPerConcurrency: 10,
  /** A rate level's default requests arrive over at least this many seconds (`rateLevelRequests`). */
  rateArrivalS: 60,
  warmupPerConcurrency: 2,
} as const;

/**
 * Fills defaults and checks options; a bad one throws BenchOptionError naming its flag.
 * @example resolveBenchOptions({ baseUrl: "http://h:8000", model: "m", isl: 1024, osl: 128, concurrency: [1, 4] })
 */
export function resolveBenchOptions(o: BenchOptions): ResolvedBenchOptions {
  let url: URL;
  try {
    url = new URL(o.baseUrl);
  } catch {
    throw new BenchOptionError(
      `--base-url: "${shownUrl(o.baseUrl)}" is not a URL (e.g. http://localhost:8000)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new BenchOptionError(
      `--base-url: only http and https are supported, got ${url.protocol}`,
    );
  }
  // nothing after the path is sent (requests go to the path under it): a gateway's `?api-key=` would be dropped, and
  // shown in messages; not repeated here, as it may be a key
  if (url.search !== "" || url.hash !== "") {
    throw new BenchOptionError(
      `--base-url: a query (?...) or fragment (#...) is never sent; give the server's root or API path (http://host:8000/v1), and credentials with --header or an API key (--api-key-env)`,
    );
  }
  if (!o.model) throw new BenchOptionError("--model is required");
  const workload = o.workload ?? DEFAULT_BENCH.workload;
  const synthetic = workload === "random" || (workload === "multi-turn" && !o.dataset);
  if (synthetic && (o.isl === undefined || o.osl === undefined)) {
    throw new BenchOptionError(`--isl and --osl are required by the ${workload} workload`);
  }
  checkSessionOptions(o, workload);
  checkTraceOptions(o, workload);
  checkPoolLayout(o.config ?? {});
  if (workload !== "random" && workload !== "multi-turn" && !o.dataset) {
    throw new BenchOptionError(`--dataset is required by the ${workload} workload`);
  }
  if (workload !== "trace" && (o.concurrency?.length ?? 0) > 0 === (o.rate?.length ?? 0) > 0) {
    throw new BenchOptionError("give exactly one of --concurrency and --rate");
  }
  const rangeRatio = o.rangeRatio ?? DEFAULT_BENCH.rangeRatio;
  if (!(rangeRatio >= 0 && rangeRatio <= 1)) {
    throw new BenchOptionError(`--range-ratio expects a number in [0, 1], got ${rangeRatio}`);
  }
  // the multi-turn workload's prefix is a system prompt before the first turn, not part of ISL
  if (
    workload !== "multi-turn" &&
    o.prefixLength !== undefined &&
    o.isl !== undefined &&
    o.prefixLength >= o.isl
  ) {
    throw new BenchOptionError(
      `--prefix-length (${o.prefixLength}) must be below --isl (${o.isl})`,
    );
  }
  if (o.numRequests !== undefined && o.durationS !== undefined) {
    throw new BenchOptionError("give at most one of --num-requests and --duration");
  }
  const backend = getBackend(o.backend ?? DEFAULT_BENCH.backend);
  const api = o.api ?? DEFAULT_BENCH.api;
  if (api !== "completions" && api !== "chat") {
    throw new BenchOptionError(`--api expects completions or chat, got "${api}"`);
  }
  if (o.tokenIds && api !== "completions") {
    throw new BenchOptionError(`--token-ids needs --api completions, not ${api}`);
  }
  if (o.tokenIds && !backend.tokenIdPrompts) {
    const accepting = Object.values(BACKENDS).filter((b) => b.tokenIdPrompts);
    throw new BenchOptionError(
      `--token-ids needs a backend that accepts token-id prompts (${accepting.map((b) => b.name).join(", ")}), not ${backend.name}`,
    );
  }
  if (o.useChatTemplate)
    checkPromptTemplate({ api, workload, tokenizer: o.tokenizer ?? DEFAULT_BENCH.tokenizer });
  // a server without a tokenize endpoint is refused here, before any wait for it (--wait-ready) or request
  if ((o.tokenizer ?? DEFAULT_BENCH.tokenizer) === "server") {
    try {
      checkServerTokenizer(backend);
    } catch (error) {
      throw new BenchOptionError((error as Error).message);
    }
  }
  const arrival = o.arrival ?? DEFAULT_BENCH.arrival;
  if (!["poisson", "gamma", "constant"].includes(arrival)) {
    throw new BenchOptionError(`--arrival expects poisson, gamma or constant, got "${arrival}"`);
  }
  const trace = workload === "trace";
  const mode = trace ? "trace" : (o.concurrency?.length ?? 0) > 0 ? "concurrency" : "rate";
  const workers = clientThreads(o, mode);
  const transport = o.transport ?? DEFAULT_BENCH.transport;
  if (!TRANSPORT_KINDS.includes(transport)) {
    throw new BenchOptionError(
      `--transport expects ${TRANSPORT_KINDS.join(" or ")}, got "${transport}"`,
    );
  }
  for (const [i, [name, value]] of Object.entries(o.headers ?? {}).entries()) {
    // the name is not shown: typed the wrong way round, it is the credential (`Bearer sk-1: x`)
    const problem = headerNameProblem(name);
    if (problem)
      throw new BenchOptionError(
        `--header: the name of header ${i + 1} ${problem} (the name is not shown: it may hold a credential)`,
      );
    if (/[\r\n\0]/.test(value)) {
      throw new BenchOptionError(`--header: the value of ${name} holds CR, LF or NUL`);
    }
  }
  // a key pasted with its line end could not go in a header: every request would fail, as a connect error
  if (o.apiKey !== undefined && /[\r\n\0]/.test(o.apiKey)) {
    throw new BenchOptionError(
      "the API key holds CR, LF or NUL (a line end copied with it?): set its variable to the key alone",
    );
  }
  const authorization = requestAuthorization(url, o.apiKey, o.headers ?? {});
  const traceSpeedup = o.traceSpeedup ?? DEFAULT_BENCH.traceSpeedup;
  const levels = trace
    ? [traceSpeedup]
    : mode === "concurrency"
      ? [...o.concurrency!]
      : [...o.rate!];
  if (mode !== "trace") checkDistinctLevels(mode, levels);
  checkExtraBody(o.extraBody);
  return {
    workers,
    transport,
    baseUrl: o.baseUrl,
    origin: url.origin,
    basePath: url.pathname,
    model: o.model,
    api,
    backend,
    workload,
    dataset: o.dataset,
    traceBlockSize: o.traceBlockSize ?? DEFAULT_BENCH.traceBlockSize,
    traceSpeedup,
    turns: o.turns ?? (synthetic && workload === "multi-turn" ? DEFAULT_BENCH.turns : undefined),
    thinkTimeMs: o.thinkTimeMs ?? DEFAULT_BENCH.thinkTimeMs,
    thinkTime: o.thinkTime ?? DEFAULT_BENCH.thinkTime,
    isl: o.isl ?? 0,
    osl: o.osl ?? 0,
    rangeRatio,
    prefixLength: o.prefixLength ?? DEFAULT_BENCH.prefixLength,
    seed: o.seed ?? DEFAULT_BENCH.seed,
    tokenizer: o.tokenizer ?? DEFAULT_BENCH.tokenizer,
    tokenIds: o.tokenIds ?? false,
    useChatTemplate: o.useChatTemplate ?? false,
    mode,
    levels,
    maxConcurrency: o.maxConcurrency,
    arrival,
    burstiness: o.burstiness ?? DEFAULT_BENCH.burstiness,
    numRequests: o.numRequests,
    durationS: o.durationS,
    warmup: o.warmup,
    stream: o.stream ?? DEFAULT_BENCH.stream,
    fixedOutput: o.fixedOutput ?? DEFAULT_BENCH.fixedOutput,
    headers: { ...o.headers },
    authorization,
    extraBody: o.extraBody,
    apiKey: o.apiKey,
    metadata: checkMetadata(o.metadata),
    secrets: (o.secrets ?? []).filter((v) => typeof v === "string" && v !== ""),
    timeoutS: o.timeoutS ?? DEFAULT_BENCH.timeoutS,
    drainTimeoutS: o.drainTimeoutS ?? DEFAULT_BENCH.drainTimeoutS,
    preflight: o.preflight ?? false,
    waitReadyS: checkWaitReady(o),
    telemetry: checkTelemetry(o),
    timeScale: checkTimeScale(o.timeScale ?? 1),
    slo: o.slo,
    healthBounds: { ...DEFAULT_HEALTH_BOUNDS, ...o.healthBounds },
    config: { ...o.config },
    run: { ...o.run },
  };
}

/**
 * The client threads: a whole number as given, or `auto` for the most streams any level holds in flight (the
 * largest concurrency, the cap of a capped rate; unbounded for an uncapped rate or a trace) on this machine's cores.
 */
function clientThreads(o: BenchOptions, mode: ResolvedBenchOptions["mode"]): number {
  const workers = o.workers ?? DEFAULT_BENCH.workers;
  if (workers === "auto") {
    const peak = mode === "concurrency" ? Math.max(...o.concurrency!) : o.maxConcurrency;
    return autoWorkers(mode === "trace" ? undefined : peak, availableParallelism());
  }
  if (!Number.isInteger(workers) || workers < 0) {
    throw new BenchOptionError(`--workers expects a whole number >= 0 or auto, got ${workers}`);
  }
  return workers;
}

/**
 * The GPUs a level's energy is read from, against the configuration: `gpuIds` (every GPU of the server) or
 * `gpuRoles` (each pool's), not both; as many as the GPUs the point records, no GPU twice, and the pools apart.
 */
function checkTelemetry(o: BenchOptions): LevelTelemetry {
  const t = { ...o.telemetry };
  const c = o.config ?? {};
  const twice = (ids: readonly number[]) => new Set(ids).size !== ids.length;
  if (t.gpuIds && t.gpuRoles)
    throw new BenchOptionError(
      "give --gpu-ids (all the server's GPUs) or --prefill-gpu-ids with --decode-gpu-ids, not both",
    );
  if (t.gpuIds) {
    if (twice(t.gpuIds)) throw new BenchOptionError("--gpu-ids names a GPU twice");
    const gpus = c.gpus ?? (c.prefillGpus ?? 0) + (c.decodeGpus ?? 0);
    if (gpus > 0 && t.gpuIds.length !== gpus)
      throw new BenchOptionError(
        `--gpu-ids names ${t.gpuIds.length} GPUs for a server of ${gpus} (--gpus)`,
      );
  }
  if (t.gpuRoles) {
    const { prefill, decode } = t.gpuRoles;
    if (c.prefillGpus === undefined || c.decodeGpus === undefined)
      throw new BenchOptionError(
        "--prefill-gpu-ids and --decode-gpu-ids name the pools of a disaggregated server: give --prefill-gpus and --decode-gpus too",
      );
    for (const [flag, ids, gpus] of [
      ["--prefill-gpu-ids", prefill, c.prefillGpus],
      ["--decode-gpu-ids", decode, c.decodeGpus],
    ] as const) {
      if (ids.length !== gpus)
        throw new BenchOptionError(
          `${flag} names ${ids.length} GPUs for a pool of ${gpus} (${flag.replace("-ids", "s")})`,
        );
    }
    if (twice([...prefill, ...decode]))
      throw new BenchOptionError(
        "--prefill-gpu-ids and --decode-gpu-ids name a GPU twice (within a pool or in both)",
      );
  }
  return t;
}

/**
 * Each level once: a level's file is named by it (`point-c2.json`), so a level given twice would be measured twice
 * and its second point would replace the first.
 */
function checkDistinctLevels(mode: "concurrency" | "rate", levels: readonly number[]): void {
  const twice = levels.find((level, i) => levels.indexOf(level) !== i);
  if (twice === undefined) return;
  // the label levelLabel gives it
  const label = `${mode === "concurrency" ? "c" : "r"}${twice}`;
  throw new BenchOptionError(
    `--${mode} gives ${twice} twice: each level is written to point-${label}.json, so the second would replace the first`,
  );
}

/**
 * The request fields the run sets itself, and what sets each: the records, the output-length check and the stream
 * parser go by them, so `extraBody` (merged last) must not replace them.
 */
const RUN_BODY_FIELDS: Record<string, string> = {
  model: "use --model",
  stream: "use --no-stream",
  prompt: "the workload gives the prompts (--workload, --dataset)",
  messages: "the workload gives the prompts (--workload, --dataset)",
  max_tokens:
    "use --osl (each request's own length is recorded and checked against what the server returned)",
  max_completion_tokens:
    "use --osl (each request's own length is recorded and checked against what the server returned)",
};

/** `--extra-body`: fields the user adds (sampling, engine options), none the run sets itself. */
function checkExtraBody(extraBody: Record<string, unknown> | undefined): void {
  for (const field of Object.keys(extraBody ?? {})) {
    if (Object.hasOwn(RUN_BODY_FIELDS, field))
      throw new BenchOptionError(
        `--extra-body sets "${field}", which infermark sets itself: ${RUN_BODY_FIELDS[field]}`,
      );
  }
}

/** `--wait-ready`: seconds >= 0. */
function checkWaitReady(o: BenchOptions): number {
  const s = o.waitReadyS ?? 0;
  if (!(Number.isFinite(s) && s >= 0))
    throw new BenchOptionError(`--wait-ready expects a number of seconds >= 0, got ${s}`);
  return s;
}

/**
 * Metadata keys must be non-empty and values strings (a spec's YAML could give numbers), and no key may name a
 * secret (`HF_TOKEN=hf_...`, `OPENAI_API_KEY=sk-...`; `holdsSecret`, as a sweep judges a variable): the record is
 * published with its points, and a secret has nothing to say in it. Refused, not written as `***`: the user learns
 * that the pair went nowhere and that the secret sits in the command line. The value is never shown.
 */
function checkMetadata(m: Record<string, string> | undefined): Record<string, string> | undefined {
  if (m === undefined) return undefined;
  for (const [key, value] of Object.entries(m)) {
    if (key.trim() === "") throw new BenchOptionError("--metadata: a key is empty");
    if (typeof value !== "string")
      throw new BenchOptionError(`--metadata: the value of ${key} is not a string`);
    if (holdsSecret(key, value))
      throw new BenchOptionError(
        `--metadata: ${key} names a secret, which a result would publish; leave it out (the value is not shown)`,
      );
  }
  return { ...m };
}

function checkTimeScale(scale: number | "auto"): number | "auto" {
  if (scale === "auto" || (Number.isFinite(scale) && scale > 0)) return scale;
  throw new BenchOptionError(`timeScale: expected a positive number or "auto", got ${scale}`);
}

/**
 * Refuses a layout (`tp`) that does not split each pool's GPUs into whole workers, or `ep` past a worker's GPUs
 * (`BenchOptionError`, in the flags' words).
 * @example checkPoolLayout({ gpus: 4, tp: 8 }) // throws "--tp 8 does not divide --gpus 4 into whole workers"
 */
export function checkPoolLayout(
  c: Pick<NonNullable<BenchOptions["config"]>, "tp" | "ep" | "gpus" | "prefillGpus" | "decodeGpus">,
): void {
  const tp = c.tp ?? 1;
  if ((c.ep ?? 1) > tp)
    throw new BenchOptionError(
      `--ep ${c.ep} is more than --tp ${tp}: experts are spread inside a worker`,
    );
  if (c.tp === undefined) return;
  for (const [flag, gpus] of [
    ["--gpus", c.prefillGpus === undefined ? c.gpus : undefined],
    ["--prefill-gpus", c.prefillGpus],
    ["--decode-gpus", c.decodeGpus],
  ] as const)
    if (gpus !== undefined && gpus % tp !== 0)
      throw new BenchOptionError(`--tp ${tp} does not divide ${flag} ${gpus} into whole workers`);
}
