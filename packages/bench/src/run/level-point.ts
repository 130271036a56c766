import { hostname } from "node:os";
import {
  buildPointResult,
  type PointConfig,
  PointResult,
  parseOrThrow,
  type RequestRecord,
  simpleTopology,
  summarize,
  withPoolLayout,
} from "@infermark/core";
import type { LevelPlan, runLevel } from "../load/run-level.js";
import { redact, redactJson, redactRecord } from "../redact.js";
import type { Tokenizer } from "../tokenizer/types.js";
import type { TraceWorkload } from "../workload/trace-workload.js";
import { sessionReport } from "../workload/turn-stats.js";
import type { Workload } from "../workload/types.js";
import type { ResolvedBenchOptions } from "./bench-options.js";
import { chatCountWarnings } from "./chat-count-warnings.js";
import { levelLabel } from "./level-plan.js";
import { oneReadReplies } from "./one-read-replies.js";
import { outputLengthCheck } from "./output-length-check.js";
import { runSecrets } from "./run-secrets.js";
import { traceReport } from "./trace-report.js";

/**
 * The synthetic workloads ask for exact output lengths (`--osl`), a trace for its records' (a replay of what was
 * served); file workloads for their entries' own, as a limit.
 */
export function forcesOutputLength(o: ResolvedBenchOptions): boolean {
  return (
    o.workload === "random" ||
    o.workload === "trace" ||
    (o.workload === "multi-turn" && o.dataset === undefined)
  );
}

/**
 * A level's PointResult, validated against the core schema: the configuration the options give, the level's load,
 * the metrics of its records, and what the run found out (output-length check, prompt-length and chat-count
 * warnings, a session's or a trace's report) in `extra`.
 */
export function levelPoint(
  o: ResolvedBenchOptions,
  x: {
    plan: LevelPlan;
    records: RequestRecord[];
    run: Awaited<ReturnType<typeof runLevel>>;
    workload: Workload;
    tokenizer: Tokenizer;
    runId: string;
    timeScale: number;
    /** infermark's simulator behind the URL, as its `/v1/models` described it. */
    served: { speed: number; models: unknown } | undefined;
    /** The engine version: `--framework-version`, else what the server gave. */
    frameworkVersion: string | undefined;
    /** Requests whose messages the chat template could not render. */
    templateFailures: readonly string[];
    /** A trace's send counted late past this (ms). */
    lateOverMs: number;
  },
): PointResult {
  const session = o.workload === "multi-turn";
  const secrets = runSecrets(o);
  // a session's turn carries its history, counted after the level (its replies are not known before)
  const lengths = session
    ? x.records.flatMap((r) => (r.warmup || r.promptTokens === undefined ? [] : [r.promptTokens]))
    : x.run.requests.flatMap((r) =>
        r.warmup || r.item.promptTokens === undefined ? [] : [r.item.promptTokens],
      );
  const achievedIsl = summarize(lengths);
  const c = o.config;
  const config: PointConfig = {
    model: c.modelKey ?? o.model,
    modelId: o.model,
    hardware: c.hardware ?? "unknown",
    // infermark's simulator is no vLLM, whatever the backend preset: its points group as "sim" unless told
    framework: c.framework ?? (x.served ? "sim" : o.backend.name),
    precision: c.precision ?? "unknown",
    specDecoding: c.specDecoding ?? { method: "none" },
    topology: withPoolLayout(
      simpleTopology({ total: c.gpus, prefill: c.prefillGpus, decode: c.decodeGpus }),
      c,
    ),
    workload: {
      ...x.workload.info,
      api: o.api,
      ...(achievedIsl ? { achievedIsl } : {}),
    },
    load: {
      mode: x.plan.mode,
      ...(x.plan.concurrency !== undefined ? { concurrency: x.plan.concurrency } : {}),
      ...(x.plan.rate !== undefined
        ? { rate: x.plan.rate, arrival: x.plan.arrival, burstiness: x.plan.burstiness }
        : {}),
      ...(x.plan.requests !== undefined ? { requests: x.plan.requests } : {}),
      ...(x.plan.durationS !== undefined ? { durationS: x.plan.durationS } : {}),
      warmupRequests: x.plan.warmup,
    },
  };
  if (x.frameworkVersion) config.frameworkVersion = redact(x.frameworkVersion, secrets);
  if (c.image) config.image = c.image;
  const point = buildPointResult({
    run: {
      source: x.served ? "simulated" : "measured",
      date: new Date().toISOString(),
      host: hostname(),
      runId: x.runId,
      ...(x.served ? { simulator: { speed: x.served.speed, served: x.served.models } } : {}),
      ...o.run,
    },
    config,
    records: x.records,
    slo: o.slo,
    client: {
      ...x.run.client,
      workers: Math.max(1, o.workers),
      ...(x.run.loopUtilization === undefined
        ? {}
        : { loopUtilization: Math.round(x.run.loopUtilization * 1000) / 1000 }),
    },
    incomplete: x.run.incomplete,
  });
  // the server's model list as it described itself (here or to a sweep), which may echo what it was sent
  if (point.run.simulator)
    point.run.simulator = redactJson(point.run.simulator, secrets) as Record<string, unknown>;
  const lengthCheck = outputLengthCheck(x.records, o.fixedOutput && forcesOutputLength(o));
  if (lengthCheck.invalidReason) {
    point.validity.valid = false;
    point.validity.reasons.push(lengthCheck.invalidReason);
  }
  const oneRead = oneReadReplies(x.records);
  const warnings = [
    ...inputLengthWarnings(o, lengths),
    ...chatCountWarnings(o.api, x.tokenizer, x.records, x.templateFailures),
  ];
  point.extra = {
    backend: o.backend.name,
    tokenizer: x.tokenizer.name,
    // how input tokens were counted where the server gave no usage: the template, or the prompt text
    ...(o.api === "chat" ? { chatTemplate: x.tokenizer.chatTemplate ?? "none" } : {}),
    // completions prompts the client wrapped in the model's chat template (InferenceX's --use-chat-template)
    ...(x.workload.promptTemplate
      ? {
          useChatTemplate: {
            template: x.workload.promptTemplate.source,
            templateTokens: x.workload.promptTemplate.tokens,
          },
        }
      : {}),
    stream: o.stream,
    outputLength: lengthCheck.summary,
    // replies whose per-token timing no read showed: left out of TPOT and interactivity
    ...(oneRead > 0 ? { oneReadReplies: oneRead } : {}),
    ...(x.timeScale !== 1 ? { timeScale: x.timeScale } : {}),
    ...(session ? { session: sessionReport(x.records) } : {}),
    ...(o.workload === "trace"
      ? { trace: traceReport(x.records, x.plan, x.workload as TraceWorkload, x.lateOverMs) }
      : {}),
    ...(warnings.length > 0 ? { workloadWarnings: warnings } : {}),
    ...(o.metadata && Object.keys(o.metadata).length > 0
      ? { metadata: redactRecord(o.metadata, secrets) }
      : {}),
  };
  return parseOrThrow(
    PointResult,
    point,
    `PointResult of level ${levelLabel(x.plan.mode, x.plan.concurrency ?? x.plan.rate ?? 0)}`,
  );
}

/** Checks the achieved prompt lengths of the random workload against [ratio x ISL, ISL]. */
function inputLengthWarnings(o: ResolvedBenchOptions, lengths: readonly number[]): string[] {
  if (o.workload !== "random" || lengths.length === 0) return [];
  const lo = Math.max(1, Math.floor(o.rangeRatio * o.isl));
  const outside = lengths.filter((n) => n < lo || n > o.isl).length;
  return outside === 0
    ? []
    : [
        `${outside} of ${lengths.length} prompts fell outside [${lo}, ${o.isl}] tokens by the ${o.tokenizer} tokenizer`,
      ];
}
