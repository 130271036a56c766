import {
  ASSUMED_INFERENCEX_RANGE_RATIO,
  DEFAULT_DRAFT_ACCEPTANCE,
  DEFAULT_EFFICIENCY,
  DEFAULT_ENGINE,
  DEFAULT_SEARCH_TOP,
  FP8_FALLBACK_GEMM_SHARE,
  kvMemoryRule,
  memoryFractionMeaning,
  PHYSICAL_COMM_EFFICIENCY,
  PLATFORM_STEP_SCALE,
  type PredictOptions,
  platformStepScale,
  type ResolvedSimConfig,
  type SearchResult,
  SimSpecMethodError,
  type ValidationReport,
} from "@infermark/sim";
import { type Command, InvalidArgumentError } from "commander";
import { simExplain } from "../commands/sim-explain.js";
import { repeatedLevelError } from "../commands/sim-flag-errors.js";
import type { SimFlags } from "../commands/sim-options.js";
import { simPredict } from "../commands/sim-predict.js";
import { simSearch } from "../commands/sim-search.js";
import { simServe } from "../commands/sim-serve.js";
import {
  rankingLines,
  type SimCalibrateOptions,
  type SimValidateOptions,
  simCalibrate,
  simValidate,
} from "../commands/sim-validate.js";
import { UsageError } from "../errors.js";
import { listenError } from "../ui/listen-error.js";
import { curveTable } from "./curve-table.js";
import { renderTable } from "./output.js";
import {
  integer,
  intList,
  nonNegativeInt,
  numberList,
  port,
  positiveInt,
  positiveNumber,
} from "./parse.js";

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "-");

/** A commander parser for `--precision` and `--kv-cache-dtype`: the simulator's precisions, and FP4's names. */
function precisionFlag(flag: string) {
  return (value: string): string => {
    if (!["bf16", "fp8", "fp4", "nvfp4", "mxfp4"].includes(value.toLowerCase()))
      throw new InvalidArgumentError(
        `${flag} expects bf16, fp8 or fp4 (nvfp4 and mxfp4 read as fp4), got "${value}"`,
      );
    return value;
  };
}

/** A commander parser for `--memory-fraction`: a share, so in (0, 1]. */
function memoryFraction(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n > 0 && n <= 1))
    throw new InvalidArgumentError(
      `--memory-fraction expects a share of the HBM in (0, 1], got "${value}"`,
    );
  return n;
}

/** A commander parser for `--fp8-gemm`: SGLang's block-scaled FP8 GEMM kernels, with DeepGEMM or without it. */
function fp8GemmFlag(value: string): "deepgemm" | "fallback" {
  if (value !== "deepgemm" && value !== "fallback")
    throw new InvalidArgumentError(`--fp8-gemm expects deepgemm or fallback, got "${value}"`);
  return value;
}

/** A commander parser for `--spec-method`: the model's MTP layers or a separate draft model. */
function specMethodFlag(value: string): "mtp" | "draft" {
  if (value !== "mtp" && value !== "draft")
    throw new InvalidArgumentError(`--spec-method expects mtp or draft, got "${value}"`);
  return value;
}

/** A commander parser for a name that must not be blank (`--framework`). */
function nameFlag(flag: string) {
  return (value: string): string => {
    if (value.trim() === "")
      throw new InvalidArgumentError(`${flag} expects a name, got "${value}"`);
    return value;
  };
}

/** `--precision` and `--kv-cache-dtype`, as every command that resolves a deployment takes them. */
function precisionOptions(cmd: Command): Command {
  return cmd
    .option("--precision <p>", "bf16, fp8 or fp4", precisionFlag("--precision"), "fp8")
    .option(
      "--kv-cache-dtype <t>",
      "bf16, fp8 or fp4 (default: fp8; bf16 with --precision bf16, and for gpt-oss-120b under --framework vllm, sglang or trt off Blackwell, as their auto runs it)",
      precisionFlag("--kv-cache-dtype"),
    );
}

/**
 * `--max-running`, `--memory-fraction` and `--fp8-gemm`, the engine settings a launch script sets, as predict, explain,
 * serve and search read them.
 */
function engineLimitOptions(cmd: Command): Command {
  return cmd
    .option(
      "--max-running <n>",
      `running requests per worker, per DP-attention rank (default: the engine's own when --framework names it: vllm 1024 on GPUs of 70 GiB or more, else 256; sglang 4096; trt 2048; otherwise ${DEFAULT_ENGINE.maxRunningRequests})`,
      positiveInt("--max-running"),
    )
    .option(
      "--memory-fraction <f>",
      `memory fraction, read as the --framework's own flag: vllm, gpu_memory_utilization (weights + activations + KV fit in f x HBM); sglang, mem_fraction_static (weights + KV fit in f x HBM); trt and others, the share of the HBM left after the weights and a 2 GB reserve that the KV cache gets, as free_gpu_memory_fraction (default: ${DEFAULT_ENGINE.memoryFraction})`,
      memoryFraction,
    )
    .option(
      "--fp8-gemm <kernel>",
      `SGLang's block-scaled FP8 GEMMs (DeepSeek-R1 FP8 under a --framework naming sglang): deepgemm, or fallback, the kernels it runs when a launch script sets SGLANG_ENABLE_JIT_DEEPGEMM=false, at ${FP8_FALLBACK_GEMM_SHARE} of the compute efficiency (default: deepgemm)`,
      fp8GemmFlag,
    );
}

function layoutOptions(cmd: Command): Command {
  const layout = cmd
    .requiredOption("--model <key|config.json>", "catalog model key or a Hugging Face config.json")
    .requiredOption("--hardware <key|spec>", "catalog GPU key or a GPU spec file (YAML/JSON)")
    .option("--gpus <n>", "GPUs of an aggregated deployment", positiveInt("--gpus"))
    .option("--tp <n>", "tensor-parallel GPUs per worker", positiveInt("--tp"))
    .option("--ep <n>", "expert-parallel ranks", positiveInt("--ep"))
    .option("--pp <n>", "pipeline stages", positiveInt("--pp"))
    .option(
      "--dp-attention",
      "data-parallel attention (a dense model: each rank a whole replica, as TensorRT-LLM runs it; under --framework sglang the MLP stays split over TP)",
    )
    .option("--disagg", "separate prefill and decode pools")
    .option("--prefill-workers <n>", "prefill workers", positiveInt("--prefill-workers"))
    .option("--prefill-tp <n>", "GPUs per prefill worker", positiveInt("--prefill-tp"))
    .option("--prefill-ep <n>", "EP of prefill workers", positiveInt("--prefill-ep"))
    .option("--prefill-dp-attention", "DP attention on prefill workers")
    .option("--decode-workers <n>", "decode workers", positiveInt("--decode-workers"))
    .option("--decode-tp <n>", "GPUs per decode worker", positiveInt("--decode-tp"))
    .option("--decode-ep <n>", "EP of decode workers", positiveInt("--decode-ep"))
    .option("--decode-dp-attention", "DP attention on decode workers");
  return engineLimitOptions(precisionOptions(layout))
    .option(
      "--mtp-draft-tokens <n>",
      "MTP draft tokens per step",
      positiveInt("--mtp-draft-tokens"),
    )
    .option(
      "--spec-method <method>",
      "what makes the --mtp-draft-tokens drafts: mtp, the model's own MTP layers (DeepSeek-V3/R1), or draft, a separate draft model or EAGLE heads (any model; its weights are not counted)",
      specMethodFlag,
    )
    .option(
      "--mtp-draft-passes <n>",
      "draft-module passes per step (default: draft tokens, +1 for SGLang's draft extend when --framework names sglang)",
      positiveInt("--mtp-draft-passes"),
    )
    .option(
      "--acceptance <L>",
      "mean accepted tokens per step incl. the bonus token",
      positiveNumber("--acceptance"),
    )
    .option(
      "--max-batched-tokens <n>",
      `tokens per step (default: ${DEFAULT_ENGINE.maxBatchedTokens})`,
      positiveInt("--max-batched-tokens"),
    )
    .option(
      "--chunked-prefill <n>",
      `prefill chunk in tokens: longer prompts are split over steps (default: ${DEFAULT_ENGINE.chunkedPrefill})`,
      positiveInt("--chunked-prefill"),
    )
    .option(
      "--framework <name>",
      "engine label: selects calibrated factors, and, when it names vllm, sglang or trt, that engine's memory rule, running-request cap and (with sglang) draft-extend pass",
      nameFlag("--framework"),
    )
    .option("--calibration <file>", "calibration file from `sim calibrate`")
    .option("--catalog <file>", "catalog override file");
}

/** A name, and what the user gave for it in parentheses when that was something else (a file's path). */
const withSource = (name: string, given: string) =>
  name.toLowerCase() === given.toLowerCase() ? name : `${name} (${given})`;

/**
 * `--mtp-draft-tokens` for a model without MTP layers, as a flag error (exit 2) that names the flag and the model
 * (and its file); any other error as it is.
 */
function mtpFlagError(error: unknown, model: string): unknown {
  if (!(error instanceof SimSpecMethodError)) return error;
  return new UsageError(
    `--mtp-draft-tokens: ${withSource(error.model, model)} ${error.lack}: leave the flag out for this model, or give --spec-method draft for a separate draft model`,
  );
}

/** `sim predict`'s levels: closed-loop concurrencies, or rates that `--concurrency` caps, every one of them. */
function predictLevels(o: {
  concurrency?: number[];
  rate?: number[];
}): Pick<PredictOptions, "concurrency" | "rate" | "maxConcurrency"> {
  const repeated =
    repeatedLevelError("--concurrency", o.rate ? [] : (o.concurrency ?? [])) ??
    repeatedLevelError("--rate", o.rate ?? []);
  if (repeated) throw repeated;
  if (!o.rate) return { concurrency: o.concurrency ?? [1, 2, 4, 8, 16, 32, 64] };
  if (o.concurrency && o.concurrency.length > 1)
    throw new UsageError(
      `--concurrency with --rate is the most requests in flight at every rate level: give one number, got ${o.concurrency.join(",")}`,
    );
  return { rate: o.rate, maxConcurrency: o.concurrency?.[0] };
}

/** Registers `infermark sim predict|explain|serve|search|validate|calibrate`. */
export function registerSim(program: Command): void {
  const sim = program
    .command("sim")
    .description(
      "the inference-engine simulator: predict, explain, serve, search, validate, calibrate",
    );

  layoutOptions(
    sim.command("predict").description("predict a sweep; writes simulated PointResults"),
  )
    .requiredOption("--isl <n>", "input tokens", positiveInt("--isl"))
    .requiredOption("--osl <n>", "output tokens", positiveInt("--osl"))
    .option(
      "--concurrency <list>",
      "closed-loop levels, e.g. 1,2,4,8; with --rate, one number: the most requests in flight at every rate level",
      intList("--concurrency"),
    )
    .option("--rate <list>", "open-loop levels (requests/s), comma-separated", numberList("--rate"))
    .option("--requests <n>", "requests per level", positiveInt("--requests"))
    .option("--prefix-length <n>", "tokens shared by every prompt", positiveInt("--prefix-length"))
    .option("--seed <n>", "workload seed", integer("--seed"))
    .option(
      "--model-name <name>",
      "model name recorded in the PointResults (default: the catalog key; for a config.json its _name_or_path, else its folder's name)",
    )
    .option(
      "--hardware-name <name>",
      "GPU name recorded in the PointResults (default: the catalog key; for a spec file its key or name field, else the file's name)",
    )
    .option("--json", "print the PointResults as JSON")
    .option("--output-dir <dir>", "write one PointResult file per level")
    .action(
      async (
        o: SimFlags & {
          isl: number;
          osl: number;
          concurrency?: number[];
          rate?: number[];
          requests?: number;
          prefixLength?: number;
          seed?: number;
          json?: boolean;
          outputDir?: string;
        },
      ) => {
        const { points, files, config } = await simPredict(
          o,
          {
            isl: o.isl,
            osl: o.osl,
            ...predictLevels(o),
            requests: o.requests,
            prefixLength: o.prefixLength,
            seed: o.seed,
          },
          o.outputDir,
        ).catch((error: unknown) => {
          // V8's cap on one array (2^32 - 1 elements): the simulation holds every request
          if (o.requests !== undefined && error instanceof RangeError)
            throw new UsageError(
              `--requests ${o.requests}: more requests than one simulation can hold (${error.message}): give fewer`,
            );
          throw mtpFlagError(error, o.model);
        });
        if (o.json) return console.log(JSON.stringify(points, null, 2));
        // a rate level's concurrency is the cap every level shares: label it by its rate
        const levels = points.map((point) => ({
          label:
            point.config.load.mode === "rate"
              ? `${point.config.load.rate} req/s`
              : String(point.config.load.concurrency),
          point,
        }));
        console.log(curveTable(levels, false));
        // a calibration file for the pair replaces the defaults, platform factor and all
        const platform = o.calibration ? undefined : platformNote(config);
        if (platform) console.log(platform);
        if (files.length) console.log(`wrote ${files.length} PointResult files to ${o.outputDir}`);
      },
    );

  layoutOptions(
    sim.command("explain").description("break one decode step (and a prefill) into terms"),
  )
    .option("--batch <n>", "requests in the decode batch", positiveInt("--batch"), 64)
    .option("--context <n>", "context tokens per request", positiveInt("--context"), 1536)
    .option("--prefill <n>", "prefill tokens", positiveInt("--prefill"), 1024)
    .option("--json", "print JSON")
    .action(
      async (o: SimFlags & { batch: number; context: number; prefill: number; json?: boolean }) => {
        const e = await simExplain(o, o.batch, o.context, o.prefill).catch((error: unknown) => {
          throw mtpFlagError(error, o.model);
        });
        if (o.json) return console.log(JSON.stringify({ ...e, config: undefined }, null, 2));
        console.log(`decode step: batch ${e.batch} x context ${e.context} on ${e.pool} workers`);
        console.log(
          renderTable(
            ["term", "kind", "ms", "share", "detail"],
            e.decode.terms.map((t) => [
              t.name,
              t.kind,
              (t.seconds * 1000).toFixed(3),
              pct(t.seconds / e.decode.totalS),
              t.detail,
            ]),
          ),
        );
        console.log(
          `step ${(e.decode.totalS * 1000).toFixed(2)} ms = max(weights, linear) + max(kv-read, attention) + comm + overhead + draft; ${e.decode.bound}-bound`,
        );
        console.log(
          `${e.decode.intvty.toFixed(1)} tokens/s/user, ${e.decode.tokensPerS.toFixed(0)} tokens/s per worker`,
        );
        console.log(
          `prefill of ${e.prefill.tokens} tokens: ${(e.prefill.totalS * 1000).toFixed(2)} ms, ${e.prefill.bound}-bound`,
        );
        if (e.kvTransferS > 0)
          console.log(
            `KV transfer of ${e.prefill.tokens} tokens: ${(e.kvTransferS * 1000).toFixed(2)} ms`,
          );
        console.log(
          `weights ${e.memory.weightsGbPerGpu.toFixed(1)} GB/GPU; KV capacity ${e.memory.kvCapacityTokens} tokens per worker (${e.memory.maxBatchAtContext} requests at this context)`,
        );
        const platform = platformNote(e.config);
        if (platform) console.log(platform);
      },
    );

  layoutOptions(
    sim.command("serve").description("serve the simulated engine as an OpenAI-compatible endpoint"),
  )
    .option("--port <n>", "port (0 picks a free one)", port, 8000)
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option(
      "--speed <K>",
      "run simulated time K times faster than the wall clock",
      positiveNumber("--speed"),
      1,
    )
    .option("--seed <n>", "seed of the generated text", integer("--seed"), 0)
    .option("--served-model-name <name>", "model id to serve", nameFlag("--served-model-name"))
    .option(
      "--max-model-len <n>",
      "refuse requests of more tokens (prompt + max_tokens), as vLLM's flag; reported as max_model_len in /v1/models (default: the model's context length)",
      positiveInt("--max-model-len"),
    )
    .option(
      "--enable-prompt-tokens-details",
      "report the prompt tokens the prefix cache served in usage.prompt_tokens_details.cached_tokens, as vLLM's flag (without it: null, as a default vLLM)",
    )
    .action(
      async (
        o: SimFlags & {
          port: number;
          host: string;
          speed: number;
          seed: number;
          servedModelName?: string;
          enablePromptTokensDetails?: boolean;
        },
      ) => {
        const { server, port, host } = await simServe(o, {
          port: o.port,
          host: o.host,
          speed: o.speed,
          seed: o.seed,
          modelName: o.servedModelName,
          promptTokensDetails: o.enablePromptTokensDetails ?? false,
        }).catch((error: unknown) => {
          throw listenError(mtpFlagError(error, o.model), o.port, o.host);
        });
        // --model and --hardware may be files: name what is served, and the file apart
        console.log(
          `infermark sim serving ${withSource(server.modelName, o.model)} on ${withSource(server.config.gpu.key, o.hardware)} at http://${host}:${port}/v1 (speed ${o.speed}x); Ctrl-C to stop`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => void server.close().then(resolve);
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
      },
    );

  engineLimitOptions(
    precisionOptions(
      sim
        .command("search")
        .description(
          "rank the layouts of --gpus GPUs by predicted throughput per GPU at each --at interactivity",
        )
        .requiredOption(
          "--model <key|config.json>",
          "catalog model key or a Hugging Face config.json",
        )
        .requiredOption("--hardware <key|spec>", "catalog GPU key or a GPU spec file (YAML/JSON)")
        .requiredOption("--gpus <n>", "the GPUs to fill", positiveInt("--gpus"))
        .requiredOption("--isl <n>", "input tokens", positiveInt("--isl"))
        .requiredOption("--osl <n>", "output tokens", positiveInt("--osl"))
        .requiredOption(
          "--at <list>",
          "interactivity targets, tokens/s/user, comma-separated",
          numberList("--at"),
        ),
    ),
  )
    .option(
      "--mtp-draft-tokens <list>",
      "MTP depths to compare, comma-separated, 0 without MTP (default: 0), e.g. 0,1,2,3 for a model with MTP layers",
      depthList,
    )
    .option(
      "--disagg",
      "search disaggregated prefill/decode splits too (pools whose GPUs sum to at most --gpus)",
    )
    .option(
      "--framework <name>",
      "engine label: selects calibrated factors, and, when it names vllm, sglang or trt, that engine's memory rule, running-request cap and (with sglang) draft-extend pass",
      nameFlag("--framework"),
    )
    .option("--calibration <file>", "calibration file from `sim calibrate`")
    .option("--catalog <file>", "catalog override file")
    .option(
      "--top <k>",
      `layouts listed per target (default: ${DEFAULT_SEARCH_TOP})`,
      positiveInt("--top"),
    )
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Layouts tried, without pipeline stages: aggregated workers of TP t (t a power of two dividing --gpus) filling every
GPU, for a MoE model with EP 1 or EP t, each with DP attention off or on (a dense model: plain TP, as engines run DP
attention for MoE models only); with --disagg also every prefill pool and decode pool (workers x TP t, each in those
shapes) whose GPUs sum to at most --gpus. A layout the simulator refuses and one whose weights and KV cache do not
fit are skipped and counted (none left: an error naming the counts, exit 2); a TP wider than the GPU's scale-up
domain is predicted with its collectives across the NICs, as sim predict predicts it.
Each layout's curve and its value at a target are predicted as \`sim validate\` predicts them (mean-field steady
state); a layout whose batch 1 is slower than a target is not ranked there. 8-16 GPUs take seconds (16 with
--disagg: about 2,000 layouts per MTP depth); the --disagg splits grow with the square of --gpus.
`,
    )
    .action(
      async (
        o: SimFlags &
          Parameters<typeof simSearch>[1] & { mtpDraftTokens?: number[]; json?: boolean },
      ) => {
        const r = await simSearch(o, o).catch((error: unknown) => {
          // this command has no --spec-method: MTP depths are all it compares
          if (error instanceof SimSpecMethodError)
            throw new UsageError(
              `--mtp-draft-tokens: ${withSource(error.model, o.model)} ${error.lack}: give 0 or leave the flag out for this model`,
            );
          throw error;
        });
        // nothing predicted: per-target "no layout reaches it" lines and exit 0 would read as a search that ran.
        // One TP 1 worker per GPU is refused only for memory, so more GPUs, a lower precision or (where it helps) a
        // higher memory fraction is the way on.
        if (r.predicted === 0) throw new UsageError(nothingFits(r, o));
        if (o.json) return console.log(JSON.stringify({ ...r, config: undefined }, null, 2));
        for (const line of searchLines(r)) console.log(line);
        const platform = r.config && !o.calibration ? platformNote(r.config) : undefined;
        if (platform) console.log(platform);
      },
    );

  sim
    .command("validate")
    .description("predict measured points (PointResults, InferenceX rows) and report the error")
    .argument("<paths...>", "files or folders")
    .option("--calibration <file>", "use calibrated factors")
    .option("--catalog <file>", "catalog override file")
    .option("--json", "print JSON")
    .action(async (paths: string[], o: SimValidateOptions & { json?: boolean }) => {
      const r = await simValidate(paths, o);
      // nothing predicted: an empty table and "MdAPE: -" with exit 0 read as a run that passed
      if (r.points === 0)
        throw new UsageError(
          `sim validate: no measured point to validate in ${paths.join(", ")}: ${nothingRead(r.skipped)}`,
        );
      const missing = r.uncalibrated;
      if (missing?.keys.length)
        console.error(
          `infermark: warning: --calibration ${o.calibration} has no factors for ${missing.keys.length} of ${missing.pairs} hardware/framework groups (${missing.points} points, predicted with the default factors): ${missing.keys.join(", ")}`,
        );
      if (o.json)
        return console.log(
          JSON.stringify(
            {
              ...r,
              results: r.results.map((x) => ({ ...x, case: { ...x.case, options: undefined } })),
            },
            null,
            2,
          ),
        );
      console.log(
        renderTable(
          ["group", "points", "MdAPE@intvty", "MdAPE@conc", "median signed"],
          r.groups.map((g) => [
            g.group,
            String(g.points),
            pct(g.mdape),
            pct(g.mdapeAtConcurrency),
            pct(g.medianSignedError),
          ]),
        ),
      );
      console.log(`\n${r.points} points, ${r.skipped.length} skipped. Method: ${r.method}.`);
      for (const line of skippedLines(r.skipped)) console.log(line);
      for (const line of validationLegend(r, o.calibration)) console.log(line);
      console.log(
        `overall MdAPE of tput/GPU at the measured interactivity: ${pct(r.mdape)} (${pct(r.within25)} of points within 25%)`,
      );
      console.log(
        `overall MdAPE of tput/GPU at the measured concurrency: ${pct(r.mdapeAtConcurrency)}; of interactivity: ${pct(r.mdapeIntvtyAtConcurrency)}`,
      );
      if (r.outside.faster + r.outside.slower > 0)
        console.log(
          `outside the predicted curve: ${r.outside.faster} point(s) faster than its batch 1 (compared with batch 1's throughput), ${r.outside.slower} slower than its saturation`,
        );
      for (const line of rankingLines(r)) console.log(line);
    });

  sim
    .command("calibrate")
    .description("fit efficiency factors per GPU x framework on a split; report the hold-out error")
    .argument("<paths...>", "files or folders")
    .option("-o, --output <file>", "write the factors (YAML, or JSON by extension)")
    .option("--catalog <file>", "catalog override file")
    .option("--json", "print JSON")
    .action(async (paths: string[], o: SimCalibrateOptions & { json?: boolean }) => {
      const r = await simCalibrate(paths, o);
      // as with -o (refused there before anything is written): an empty table and exit 0 read as a calibration
      if (Object.keys(r.factors).length === 0)
        throw new UsageError(
          `sim calibrate: no hardware/framework pair could be fitted (${r.train} training point(s)) from ${paths.join(", ")}: ${nothingRead([...r.skipped, ...r.unfitted.flatMap((u) => u.reasons.map((reason) => ({ reason })))])}`,
        );
      if (r.unfitted.length) {
        const pairs = r.unfitted.map(
          (u) => `${u.pair} (${u.train} points: ${u.reasons.join("; ")})`,
        );
        console.error(
          `infermark: warning: no factors for ${r.unfitted.length} hardware/framework pair${r.unfitted.length === 1 ? "" : "s"} whose training points all failed to resolve, left out${o.output ? ` of ${o.output}` : ""}: ${pairs.join(", ")}`,
        );
      }
      if (o.json) return console.log(JSON.stringify(r, null, 2));
      console.log(
        renderTable(
          ["gpu/framework", "train", "hold-out", "factors"],
          r.perPair.map((p) => [
            p.pair,
            String(p.train),
            String(p.holdout),
            JSON.stringify(p.factors),
          ]),
        ),
      );
      console.log(
        `\n${r.split}; ${r.train} train points, ${r.holdout} hold-out points, ${r.skipped.length} row(s) skipped${skippedReasons(r.skipped)}`,
      );
      console.log(
        `hold-out MdAPE at the measured interactivity: default ${pct(r.holdoutMdapeDefault)} -> calibrated ${pct(r.holdoutMdapeCalibrated)}`,
      );
      console.log(
        `hold-out MdAPE at the measured concurrency: default ${pct(r.holdoutMdapeAtConcurrencyDefault)} -> calibrated ${pct(r.holdoutMdapeAtConcurrencyCalibrated)}`,
      );
      if (o.output) console.log(`wrote ${o.output}`);
    });
}

/**
 * The platform factors of the defaults, for the validation legend: `steps x1.35 on mi300x, mi325x for MLA or
 * FP8-expert MoE models (platform factor)` (`platformApplies`).
 */
function platformScales(): string {
  const byScale = new Map<number, string[]>();
  for (const [gpu, k] of Object.entries(PLATFORM_STEP_SCALE))
    byScale.set(k, [...(byScale.get(k) ?? []), gpu]);
  return [...byScale]
    .map(
      ([k, gpus]) =>
        `steps x${k} on ${gpus.join(", ")} for MLA or FP8-expert MoE models (platform factor)`,
    )
    .join(", ");
}

/**
 * The line `sim predict`, `explain` and `search` print under their table when the GPU's steps are scaled by its
 * platform factor for this model and precision (`platformStepScale`: MLA or FP8 MoE experts on CDNA3) and no
 * calibration or factor of the user's replaced the defaults; else undefined.
 */
function platformNote(config: ResolvedSimConfig): string | undefined {
  if (config.efficiencySource !== "default") return undefined;
  const gpu = config.gpu.key;
  const k = platformStepScale(gpu, config.model, config.precision);
  if (k === undefined) return undefined;
  return `${gpu}: every step term x${k}, the platform factor of the defaults (its serving software measured that much slower than the model; docs/simulator.md, "Platform factor"); --calibration replaces it`;
}

/**
 * The lines under a validation's summary that say what it measured: what each column is, which efficiency factors
 * predicted the points, and what it assumed of InferenceX rows, which record neither their lengths nor MTP settings.
 */
function validationLegend(r: ValidationReport, calibration: string | undefined): string[] {
  const lines = [
    "columns: MdAPE@intvty, the median of |predicted - measured| / measured throughput per GPU, predicted on the frontier at the measured median interactivity; MdAPE@conc, the same predicted at the measured concurrency; median signed, the median of (predicted - measured) / measured at the measured interactivity (+: more throughput predicted than measured)",
  ];
  const missing = r.uncalibrated;
  lines.push(
    calibration && missing
      ? `efficiency factors: calibrated, from ${calibration}, for ${missing.pairs - missing.keys.length} of ${missing.pairs} hardware/framework groups; the defaults for the others`
      : `efficiency factors: the defaults, one set for every GPU and engine (comm ${PHYSICAL_COMM_EFFICIENCY} of the link, not ${DEFAULT_EFFICIENCY.comm}, for models without MLA), ${platformScales()} (no --calibration)`,
  );
  const rows = r.results.filter((x) => x.case.inferencex).length;
  if (rows > 0)
    lines.push(
      `${rows} of ${r.points} points are InferenceX rows, which record neither their length distribution nor MTP settings: mean lengths taken as ${(1 + ASSUMED_INFERENCEX_RANGE_RATIO) / 2} x nominal (uniform in [${ASSUMED_INFERENCEX_RANGE_RATIO} L, L]), the MTP depth from the engines' recipes, an acceptance of 1 + p + ... + p^d tokens per step with p = ${DEFAULT_DRAFT_ACCEPTANCE}`,
    );
  return lines;
}

/** Why no point could be used: how many rows were skipped and for what, or that the files held none. */
function nothingRead(skipped: readonly { reason: string }[]): string {
  if (skipped.length === 0)
    return "their .json and .jsonl files hold no PointResult or InferenceX row";
  const reasons = reasonCounts(skipped).map(([reason, n]) => `${n} x ${reason}`);
  const shown = reasons.slice(0, MAX_SKIP_REASONS).join(", ");
  const more =
    reasons.length > MAX_SKIP_REASONS
      ? `, and ${reasons.length - MAX_SKIP_REASONS} more reasons`
      : "";
  return `${skipped.length} row(s) skipped (${shown}${more})`;
}

/** How many of each reason to list under a validation's summary; --json lists every row. */
const MAX_SKIP_REASONS = 8;

/**
 * One line per reason rows were left out, most frequent first (`  skipped 3 x unknown model "qwen3"; ...`); at most
 * MAX_SKIP_REASONS, then how many more.
 */
function skippedLines(skipped: readonly { reason: string }[]): string[] {
  const sorted = reasonCounts(skipped);
  const lines = sorted
    .slice(0, MAX_SKIP_REASONS)
    .map(([reason, n]) => `  skipped ${n} x ${reason}`);
  if (sorted.length > MAX_SKIP_REASONS)
    lines.push(
      `  ... and ${sorted.length - MAX_SKIP_REASONS} more reasons (--json lists every skipped row)`,
    );
  return lines;
}

/** Each reason rows were left out, with how many, most frequent first. */
function reasonCounts(skipped: readonly { reason: string }[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const { reason } of skipped) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** " (reason: count; ...)" of rows left out, most frequent first; empty when none were. */
function skippedReasons(skipped: readonly { reason: string }[]): string {
  const parts = reasonCounts(skipped).map(([reason, n]) => `${reason}: ${n}`);
  return parts.length ? ` (${parts.join("; ")})` : "";
}

/** A commander parser for `sim search --mtp-draft-tokens`: MTP depths, 0 (without MTP) or more. */
function depthList(value: string): number[] {
  const parse = nonNegativeInt("--mtp-draft-tokens");
  const items = value.split(",");
  if (items.some((s) => s.trim() === ""))
    throw new InvalidArgumentError(
      `--mtp-draft-tokens expects a comma-separated list of integers >= 0, got "${value}"`,
    );
  try {
    return items.map((s) => parse(s.trim()));
  } catch {
    throw new InvalidArgumentError(
      `--mtp-draft-tokens expects a comma-separated list of integers >= 0, got "${value}"`,
    );
  }
}

/**
 * Why `sim search` predicted no layout: every one it tried was skipped, counted by reason, most frequent first
 * (`sim search: no layout of 4 GPUs fits: 9 layouts tried, 9 skipped (9 x weights + KV cache of one request do not
 * fit in GPU memory; memory fraction 0.9 under sglang: ...); ...`), with the memory fraction in effect and what it
 * means under the framework, and, when a higher one up to 1 lets a layout fit, the lowest that does.
 */
function nothingFits(
  r: SearchResult,
  o: { gpus: number; framework?: string; memoryFraction?: number },
): string {
  const reasons = reasonCounts(r.skipped.map((s) => ({ reason: s.group })))
    .map(([reason, n]) => `${n} x ${reason}`)
    .join(", ");
  const framework = o.framework ?? "sim";
  const fraction = o.memoryFraction ?? DEFAULT_ENGINE.memoryFraction;
  const memory = `memory fraction ${fraction} under ${framework}: ${memoryFractionMeaning(kvMemoryRule(framework))}`;
  const toFit = r.skipped.flatMap((s) =>
    s.memoryFractionToFit !== undefined ? [s.memoryFractionToFit] : [],
  );
  const higher = toFit.length
    ? `--memory-fraction ${Math.min(...toFit)} or higher (the lowest at which a layout fits; match your launch script), `
    : "";
  return `sim search: no layout of ${o.gpus} GPUs fits: ${r.tried} layouts tried, ${r.skipped.length} skipped (${reasons}; ${memory}); give ${higher}more --gpus, or a lower --precision or --kv-cache-dtype`;
}

/** `sim search`'s report: a table per target (or that no layout reaches it), then what was tried and skipped. */
function searchLines(r: SearchResult): string[] {
  const lines: string[] = [];
  for (const t of r.targets) {
    if (t.best.length === 0) {
      lines.push(
        `at ${t.intvty} tokens/s/user: no layout reaches it (every predicted layout is slower at batch 1)`,
        "",
      );
      continue;
    }
    lines.push(
      `at ${t.intvty} tokens/s/user: ${t.reached} of ${r.predicted} predicted layouts reach it; the best ${t.best.length}:`,
    );
    lines.push(
      renderTable(
        ["layout", "mtp", "gpus", "tput/GPU", "concurrency"],
        t.best.map((b) => [
          b.label,
          String(b.mtpDraftTokens),
          String(b.gpus),
          b.tputPerGpu.toFixed(1),
          b.concurrency.toFixed(1),
        ]),
      ),
      "",
    );
  }
  const groups = reasonCounts(r.skipped.map((s) => ({ reason: s.group })));
  lines.push(
    `${r.tried} layouts tried, ${r.predicted} predicted, ${r.skipped.length} skipped${groups.length ? ":" : ""}`,
  );
  for (const [reason, n] of groups) lines.push(`  skipped ${n} x ${reason}`);
  return lines;
}
