import { availableParallelism } from "node:os";
import {
  BACKEND_NAMES,
  BenchOptionError,
  type LevelProgress,
  resolveBenchOptions,
  TRANSPORT_KINDS,
  type TransportKind,
} from "@infermark/bench";
import { pointSummary } from "@infermark/core";
import { type Command, InvalidArgumentError, Option } from "commander";
import { type BenchCommandOptions, benchCommand } from "../commands/bench.js";
import { UsageError } from "../errors.js";
import { renderSummary } from "./output.js";
import {
  checkGpuFlags,
  checkLoadFlags,
  checkWorkloadFlags,
  intList,
  numberList,
  positiveInt,
  positiveNumber,
} from "./parse.js";
import { traceLines } from "./trace-lines.js";
import { turnTable } from "./turn-table.js";

const DEFAULT_KEY_ENVS = ["INFERMARK_API_KEY", "OPENAI_API_KEY"];

export function registerBench(program: Command): void {
  program
    .command("bench")
    .description("drive an OpenAI-compatible server and write one PointResult per load level")
    .requiredOption("--base-url <url>", "server root, e.g. http://localhost:8000")
    .requiredOption("--model <name>", "served model name")
    .option("--isl <n>", "input length in tokens (random workload)", positiveInt("--isl"))
    .option("--osl <n>", "output length in tokens", positiveInt("--osl"))
    .option("--concurrency <list>", "closed-loop levels, e.g. 1,2,4,8", intList("--concurrency"))
    .option("--rate <list>", "open-loop levels in requests/s, e.g. 0.5,1,2", numberList("--rate"))
    .option(
      "--max-concurrency <n>",
      "cap on requests in flight in rate mode or a trace replay",
      positiveInt("--max-concurrency"),
    )
    .addOption(
      new Option("--arrival <kind>", "open-loop arrivals").choices([
        "poisson",
        "gamma",
        "constant",
      ]),
    )
    .option(
      "--burstiness <k>",
      "gamma shape (1 = Poisson, <1 burstier)",
      positiveNumber("--burstiness"),
    )
    .option(
      "--num-requests <n>",
      "measured requests per level (default 10 x concurrency; rate mode: 10 x --max-concurrency, else 10 x the rate rounded up)",
      positiveInt("--num-requests"),
    )
    .option(
      "--duration <s>",
      "measured seconds per level instead of a request count",
      positiveNumber("--duration"),
    )
    .option(
      "--warmup <n>",
      "warm-up requests per level (default 2 x concurrency; rate mode: 2 x --max-concurrency, else 2 x the rate rounded up; a trace: 0, else its first N records)",
      nonNegativeInt("--warmup"),
    )
    .addOption(
      new Option("--api <api>", "API to drive")
        .choices(["completions", "chat"])
        .default("completions"),
    )
    .addOption(
      new Option("--backend <name>", "server preset").choices([...BACKEND_NAMES]).default("vllm"),
    )
    .addOption(
      new Option("--workload <kind>", "request source")
        .choices(["random", "sharegpt", "jsonl", "multi-turn", "trace"])
        .default("random"),
    )
    .option(
      "--dataset <file>",
      "ShareGPT JSON or JSONL file (file workloads; ShareGPT conversations for multi-turn; a JSONL trace for trace)",
    )
    .option(
      "--trace-block-size <n>",
      "tokens each hash id of a trace stands for (trace; default 512, Mooncake's)",
      positiveInt("--trace-block-size"),
    )
    .option(
      "--trace-speedup <k>",
      "replay a trace k times faster: its timestamps divided by k (trace; default 1)",
      positiveNumber("--trace-speedup"),
    )
    .option(
      "--turns <n>",
      "user turns per session (multi-turn; default 5; with --dataset, the most per conversation)",
      positiveInt("--turns"),
    )
    .option(
      "--think-time <ms>",
      "think time between a reply and the session's next turn (multi-turn; default 0)",
      nonNegativeNumber("--think-time"),
    )
    .addOption(
      new Option(
        "--think-time-dist <kind>",
        "think times exactly --think-time, or exponential with that mean (multi-turn; default fixed)",
      ).choices(["fixed", "exponential"]),
    )
    .option("--tokenizer <spec>", "builtin, server (/tokenize) or a tokenizer.json path", "builtin")
    .option(
      "--token-ids",
      "send random or trace prompts as token ids (completions; vllm, sglang, trtllm, llamacpp)",
    )
    .option("--seed <n>", "random seed", integer("--seed"), 0)
    .option(
      "--range-ratio <r>",
      "lengths uniform in [r x L, L] (InferenceX: 0.8)",
      ratio("--range-ratio"),
      0.8,
    )
    .option(
      "--prefix-length <n>",
      "tokens shared by every prompt",
      nonNegativeInt("--prefix-length"),
    )
    .option(
      "--no-stream",
      "non-streaming requests (TTFT equals E2EL; TPOT, ITL and interactivity are not measured)",
    )
    .option("--no-fixed-output", "do not force the output length (no ignore_eos / min_tokens)")
    .option("--hardware <gpu>", "GPU catalog key (h200, b200, ...)")
    .option("--gpus <n>", "GPUs serving the endpoint", positiveInt("--gpus"))
    .option("--prefill-gpus <n>", "prefill GPUs (disaggregated)", positiveInt("--prefill-gpus"))
    .option("--decode-gpus <n>", "decode GPUs (disaggregated)", positiveInt("--decode-gpus"))
    .option(
      "--framework <name>",
      "serving framework (default: the backend; sim against infermark's simulator)",
    )
    .option("--framework-version <v>", "serving framework version")
    .option("--precision <p>", "precision (bf16, fp8, fp4)")
    .option("--spec-decoding <method>", "speculative decoding method (none, mtp, eagle, ...)")
    .option("--image <ref>", "container image of the server")
    .option("--model-key <key>", "catalog model key for the results (default: --model)")
    .option("--output-dir <dir>", "where PointResult files go", "bench-results")
    .option("--save-requests", "also write every request as JSONL")
    .option("--json", "print the results as JSON")
    .option("--header <k:v>", "extra request header (repeatable)", collectHeader)
    .option(
      "--extra-body <json>",
      "extra request-body fields as a JSON object",
      jsonObject("--extra-body"),
    )
    .option(
      "--api-key-env <name>",
      `environment variable holding the API key (default ${DEFAULT_KEY_ENVS.join(" or ")})`,
    )
    .option(
      "--workers <n>",
      "client worker threads that send and stamp requests (0: the main thread; auto: cores - 1)",
      workerCount("--workers"),
      0,
    )
    .addOption(
      new Option(
        "--transport <kind>",
        "HTTP client: native (its own HTTP/1.1 over node:net/tls) or undici",
      )
        .choices([...TRANSPORT_KINDS])
        .default("native"),
    )
    .option("--timeout <s>", "per-request timeout in seconds", positiveNumber("--timeout"), 600)
    .option(
      "--drain-timeout <s>",
      "after Ctrl-C, seconds to wait for requests in flight",
      positiveNumber("--drain-timeout"),
      30,
    )
    .option(
      "--time-scale <auto|K>",
      "multiply the measured times by K before the metrics (auto: the speed an infermark sim serve reports in /v1/models, else 1)",
      timeScale,
      "auto",
    )
    .option(
      "--no-preflight",
      "skip the short test request sent before the first level (it stops the run at once when the server cannot serve it)",
    )
    .option(
      "--max-client-lag <ms>",
      "client event-loop delay / send lag p99 bound (ms)",
      positiveNumber("--max-client-lag"),
      10,
    )
    .option("--slo-ttft <s>", "TTFT SLO in seconds (goodput)", positiveNumber("--slo-ttft"))
    .option("--slo-tpot <s>", "TPOT SLO in seconds (goodput)", positiveNumber("--slo-tpot"))
    .option("--slo-e2el <s>", "E2EL SLO in seconds (goodput)", positiveNumber("--slo-e2el"))
    .action(async (opts: BenchFlags, command: Command) => {
      // --range-ratio has a default, so only its source tells whether the user gave it
      const options = toCommandOptions(opts, command.getOptionValueSource("rangeRatio") === "cli");
      checkOptions(options);
      const tty = process.stderr.isTTY === true;
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const stop = new AbortController();
      const cancel = new AbortController();
      const onSigint = () => {
        if (!stop.signal.aborted) {
          if (tty) process.stderr.write("\n");
          log(
            `infermark: stopping; waiting up to ${opts.drainTimeout} s for requests in flight (Ctrl-C again cancels them)`,
          );
          stop.abort();
        } else cancel.abort();
      };
      process.on("SIGINT", onSigint);
      let lastLog = 0;
      const progress = (label: string, p: LevelProgress) => {
        const line = `[${label}] done ${p.done}  in flight ${p.inFlight}  errors ${p.errors}  ${p.tokensPerS.toFixed(0)} tok/s  ${p.elapsedS.toFixed(1)} s`;
        if (tty) process.stderr.write(`\r\x1b[2K${line}`);
        else if (p.elapsedS - lastLog >= 10) {
          lastLog = p.elapsedS;
          log(line);
        }
      };
      try {
        const result = await benchCommand(options, {
          signal: stop.signal,
          cancelSignal: cancel.signal,
          onLevelStart: (label, plan) => {
            lastLog = 0;
            const bound =
              plan.requests !== undefined ? `${plan.requests} requests` : `${plan.durationS} s`;
            log(`[${label}] start: ${bound} after ${plan.warmup} warm-up`);
          },
          onProgress: progress,
          onTimeScale: (factor, reported) =>
            log(
              reported
                ? `infermark: the server is infermark's simulator at speed ${factor}: times are multiplied by ${factor} to the simulated engine's own (--time-scale 1 keeps wall-clock times)`
                : `infermark: times are multiplied by ${factor} (--time-scale)`,
            ),
          onLevel: (level) => {
            if (tty) process.stderr.write("\r\x1b[2K");
            const p = level.point;
            log(
              `[${level.label}] ${p.validity.valid ? "valid" : `INVALID: ${p.validity.reasons.join("; ")}`}`,
            );
            if (!opts.json)
              console.log(
                `${renderSummary(level.label, pointSummary(p))}\n${turnTable(p)}${traceLines(p)}`,
              );
          },
        });
        if (opts.json) {
          console.log(
            JSON.stringify(
              {
                interrupted: result.interrupted,
                levels: result.levels.map((l, i) => ({
                  label: l.label,
                  files: result.files[i],
                  point: l.point,
                })),
              },
              null,
              2,
            ),
          );
        } else {
          for (const f of result.files)
            log(`wrote ${f.point}${f.requests ? ` and ${f.requests}` : ""}`);
        }
        if (result.interrupted || result.levels.some((l) => !l.point.validity.valid))
          process.exitCode = 1;
      } catch (error) {
        // a flag the server refuses (a session longer than the model's context): a usage error
        if (error instanceof BenchOptionError) throw new UsageError(error.message);
        throw error;
      } finally {
        process.off("SIGINT", onSigint);
      }
    });
}

/** The flags as commander parses them. */
interface BenchFlags {
  baseUrl: string;
  model: string;
  isl?: number;
  osl?: number;
  concurrency?: number[];
  rate?: number[];
  maxConcurrency?: number;
  arrival?: "poisson" | "gamma" | "constant";
  burstiness?: number;
  numRequests?: number;
  duration?: number;
  warmup?: number;
  api: "completions" | "chat";
  backend: string;
  workload: "random" | "sharegpt" | "jsonl" | "multi-turn" | "trace";
  dataset?: string;
  traceBlockSize?: number;
  traceSpeedup?: number;
  turns?: number;
  thinkTime?: number;
  thinkTimeDist?: "fixed" | "exponential";
  tokenizer: string;
  tokenIds?: boolean;
  seed: number;
  rangeRatio: number;
  prefixLength?: number;
  stream: boolean;
  fixedOutput: boolean;
  hardware?: string;
  gpus?: number;
  prefillGpus?: number;
  decodeGpus?: number;
  framework?: string;
  frameworkVersion?: string;
  precision?: string;
  specDecoding?: string;
  image?: string;
  modelKey?: string;
  outputDir: string;
  saveRequests?: boolean;
  json?: boolean;
  header?: Record<string, string>;
  extraBody?: Record<string, unknown>;
  apiKeyEnv?: string;
  timeout: number;
  workers: number;
  transport: TransportKind;
  drainTimeout: number;
  preflight: boolean;
  timeScale: number | "auto";
  maxClientLag: number;
  sloTtft?: number;
  sloTpot?: number;
  sloE2el?: number;
}

function toCommandOptions(opts: BenchFlags, rangeRatioGiven = false): BenchCommandOptions {
  const apiKey = readApiKey(opts.apiKeyEnv);
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
    extraBody: opts.extraBody,
    apiKey,
    timeoutS: opts.timeout,
    workers: opts.workers,
    transport: opts.transport,
    drainTimeoutS: opts.drainTimeout,
    preflight: opts.preflight,
    timeScale: opts.timeScale,
    healthBounds: { eventLoopDelayP99Ms: opts.maxClientLag, sendLagP99Ms: opts.maxClientLag },
    slo,
    config: {
      modelKey: opts.modelKey,
      hardware: opts.hardware,
      gpus: opts.gpus,
      prefillGpus: opts.prefillGpus,
      decodeGpus: opts.decodeGpus,
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

/** The load generator's own checks of flag combinations, before anything is written: a bad one is a usage error (exit 2). */
function checkOptions(options: BenchCommandOptions): void {
  try {
    resolveBenchOptions(options);
  } catch (error) {
    if (error instanceof BenchOptionError) throw new UsageError(error.message);
    throw error;
  }
}

/** The API key from `--api-key-env NAME` or the default variables; never printed. */
function readApiKey(name: string | undefined): string | undefined {
  if (name !== undefined) {
    const value = process.env[name];
    if (!value) throw new UsageError(`--api-key-env: environment variable ${name} is not set`);
    return value;
  }
  for (const env of DEFAULT_KEY_ENVS) if (process.env[env]) return process.env[env];
  return undefined;
}

/** `--workers`: a whole number >= 0, or `auto` (available cores minus one, at least 1). */
function workerCount(flag: string) {
  return (value: string): number => {
    if (value === "auto") return Math.max(1, availableParallelism() - 1);
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
      throw new InvalidArgumentError(`${flag} expects a whole number >= 0 or auto, got "${value}"`);
    }
    return n;
  };
}

function nonNegativeInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${flag} expects an integer >= 0, got "${value}"`);
    return n;
  };
}

function nonNegativeNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0)
      throw new InvalidArgumentError(`${flag} expects a number >= 0, got "${value}"`);
    return n;
  };
}

function integer(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n))
      throw new InvalidArgumentError(`${flag} expects an integer, got "${value}"`);
    return n;
  };
}

function ratio(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || n > 1) {
      throw new InvalidArgumentError(`${flag} expects a number in [0, 1], got "${value}"`);
    }
    return n;
  };
}

function jsonObject(flag: string) {
  return (value: string): Record<string, unknown> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new InvalidArgumentError(`${flag} expects a JSON object, got "${value}"`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new InvalidArgumentError(`${flag} expects a JSON object, got "${value}"`);
    }
    return parsed as Record<string, unknown>;
  };
}

function collectHeader(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const at = value.indexOf(":");
  if (at <= 0) throw new InvalidArgumentError(`--header expects NAME:VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, at).trim().toLowerCase()]: value.slice(at + 1).trim() };
}

/** `--time-scale`: "auto" or a positive number. */
function timeScale(value: string): number | "auto" {
  if (value === "auto") return value;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(
      `--time-scale expects auto or a positive number, got "${value}"`,
    );
  return n;
}
