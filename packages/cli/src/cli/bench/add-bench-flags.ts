import { BACKEND_NAMES, TRANSPORT_KINDS } from "@infermark/bench";
import { type Command, Option } from "commander";
import {
  addSloFlags,
  httpUrl,
  integer,
  intList,
  nonNegativeInt,
  positiveInt,
  positiveNumber,
  rateList,
} from "../parse.js";
import {
  collectHeader,
  collectMetadata,
  gpuIdList,
  jsonObject,
  nonNegativeNumber,
  ratio,
  timeScale,
  workerCount,
} from "./flag-parsers.js";
import { DEFAULT_KEY_ENVS } from "./read-api-key.js";

/**
 * Declares the flags of `infermark bench` on its command, with their parsers, choices and defaults; the action
 * receives them as `BenchFlags`.
 * @example addBenchFlags(program.command("bench")).action(async (flags: BenchFlags) => {})
 */
export function addBenchFlags(command: Command): Command {
  return addSloFlags(
    command
      .requiredOption("--base-url <url>", "server root, e.g. http://localhost:8000")
      .requiredOption("--model <name>", "served model name")
      .option("--isl <n>", "input length in tokens (random workload)", positiveInt("--isl"))
      .option("--osl <n>", "output length in tokens", positiveInt("--osl"))
      .option("--concurrency <list>", "closed-loop levels, e.g. 1,2,4,8", intList("--concurrency"))
      .option(
        "--rate <list>",
        "open-loop levels in requests/s, e.g. 0.5,1,2 (inf with --max-concurrency N: as --concurrency N)",
        rateList("--rate"),
      )
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
        "measured requests per level (default 10 x concurrency; rate mode: 10 x --max-concurrency, else 10 x the rate rounded up, and at least 60 s of arrivals: 60 x the rate)",
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
      .option(
        "--tokenizer <spec>",
        "builtin, server (/tokenize), a tokenizer.json, a model folder holding one, or a Hugging Face id (org/name or name) already in the local HF cache",
        "builtin",
      )
      .option(
        "--token-ids",
        "send random or trace prompts as token ids (completions; vllm, sglang, trtllm, llamacpp)",
      )
      .option(
        "--use-chat-template",
        "wrap each prompt in the model's chat template, as InferenceX's MTP runs do (completions; needs --tokenizer <tokenizer.json> with its chat template beside it)",
      )
      .option("--seed <n>", "random seed", integer("--seed"), 0)
      .option(
        "--range-ratio <r>",
        "lengths uniform in [r x L, L] (InferenceX's; vLLM's --random-range-ratio r draws from [L(1-r), L(1+r)])",
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
      .option("--tp <n>", "tensor-parallel GPUs per worker (both pools)", positiveInt("--tp"))
      .option("--ep <n>", "expert-parallel GPUs per worker (both pools)", positiveInt("--ep"))
      .option("--dp-attention", "data-parallel attention (both pools)")
      .option(
        "--framework <name>",
        "serving framework (default: the backend; sim against infermark's simulator)",
      )
      .option(
        "--framework-version <v>",
        "serving framework version (default: what the server gives at its backend's version endpoint, such as vLLM's /version)",
      )
      .option("--precision <p>", "precision (bf16, fp8, fp4)")
      .option("--spec-decoding <method>", "speculative decoding method (none, mtp, eagle, ...)")
      .option("--image <ref>", "container image of the server")
      .option("--model-key <key>", "catalog model key for the results (default: --model)")
      .option("--output-dir <dir>", "where PointResult files go", "bench-results")
      .option("--save-requests", "also write every request as JSONL")
      .option("--json", "print the results as JSON")
      .option("--header <k:v>", "extra request header (repeatable)", collectHeader)
      .option(
        "--metadata <key=value>",
        "kept in each PointResult's extra.metadata for the record (repeatable)",
        collectMetadata,
      )
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
        "client worker threads that send and stamp requests (0: the main thread; auto: one per 64 streams of the largest level, at most cores - 2; none on < 4 cores)",
        workerCount("--workers"),
        "auto",
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
        "--wait-ready <s>",
        "wait up to this many seconds for a server that is still starting, repeating the test request every 2 s while it refuses connections or answers 404, 429 or 5xx (default: 0, fail at once)",
        nonNegativeNumber("--wait-ready"),
      )
      .addOption(
        new Option(
          "--power <sampler>",
          "GPU power source for measured energy per token (auto: nvidia-smi, amd-smi or a DCGM exporter, whichever answers)",
        )
          .choices(["auto", "nvidia-smi", "amd-smi", "dcgm", "none"])
          .default("none"),
      )
      .option(
        "--dcgm-url <url>",
        "dcgm-exporter metrics URL for --power dcgm/auto (default $INFERMARK_DCGM_URL, else http://localhost:9400/metrics; user:password@ in it is sent as Basic auth)",
        httpUrl("--dcgm-url"),
      )
      .option(
        "--gpu-ids <ids>",
        "the server's GPUs as the power sampler numbers them (0-7, or 0,1,2,3), when the node has others",
        gpuIdList("--gpu-ids"),
      )
      .option(
        "--prefill-gpu-ids <ids>",
        "a disaggregated server's prefill GPUs as the power sampler numbers them: J per input token is theirs (with --decode-gpu-ids)",
        gpuIdList("--prefill-gpu-ids"),
      )
      .option(
        "--decode-gpu-ids <ids>",
        "a disaggregated server's decode GPUs as the power sampler numbers them: J per output token is theirs",
        gpuIdList("--decode-gpu-ids"),
      )
      .option(
        "--no-server-metrics",
        "do not read the server's Prometheus /metrics before and after each level (read by default, except with --backend openai)",
      )
      .option(
        "--max-client-lag <ms>",
        "client event-loop delay / send lag p99 bound (ms)",
        positiveNumber("--max-client-lag"),
        10,
      ),
  );
}
