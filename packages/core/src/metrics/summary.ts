import { workloadKind } from "../schemas/point-filter.js";
import type { PointResult } from "../schemas/point-result.js";

/** One labelled line of a point's console summary. */
export interface SummaryRow {
  label: string;
  value: string;
}

const fmt = (v: number | undefined, digits = 2) =>
  v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(digits);
const ms = (v: number | undefined) => (v === undefined ? "-" : (v * 1000).toFixed(2));

const SAMPLE_CHARS = 120;

/** What failed, when something did: the count per category (most first) and the first message kept. */
function errorRows(errors: PointResult["errors"]): SummaryRow[] {
  if (errors.total === 0) return [];
  const categories = Object.entries(errors.byCategory ?? {})
    .filter(([, n]) => (n ?? 0) > 0)
    .sort(([a, x], [b, y]) => (y ?? 0) - (x ?? 0) || (a < b ? -1 : 1))
    .map(([category, n]) => `${category} ${n}`);
  const rows: SummaryRow[] = [];
  if (categories.length > 0)
    rows.push({ label: "Errors by category", value: categories.join(", ") });
  const sample = errors.samples?.[0];
  if (sample)
    rows.push({
      label: "First error",
      value: sample.length > SAMPLE_CHARS ? `${sample.slice(0, SAMPLE_CHARS - 3)}...` : sample,
    });
  return rows;
}

/**
 * `concurrency 8`, `rate 2.5/s`, `rate 2.5/s, max concurrency 4` (an open loop capped in flight), or
 * `trace replay x2 (mean 1.5/s)`.
 */
function loadLevel(point: PointResult): string {
  const { load, workload } = point.config;
  if (load.mode === "concurrency") return `concurrency ${load.concurrency ?? "?"}`;
  const cap = load.concurrency !== undefined ? `, max concurrency ${load.concurrency}` : "";
  if (load.mode === "trace") {
    const mean = load.rate !== undefined ? ` (mean ${fmt(load.rate, 2)}/s)` : "";
    return `trace replay x${workload.trace?.speedup ?? 1}${mean}${cap}`;
  }
  return `rate ${load.rate ?? "?"}/s${cap}`;
}

/**
 * What bench's `--metadata` kept in a point's `extra.metadata`, as `key=value` pairs; undefined when it kept none.
 * @example pointMetadata(point) // "driver=570.86, flag=x"
 */
export function pointMetadata(point: PointResult): string | undefined {
  const m = point.extra?.metadata;
  if (typeof m !== "object" || m === null || Array.isArray(m)) return undefined;
  const pairs = Object.entries(m).map(([k, v]) => `${k}=${String(v)}`);
  return pairs.length > 0 ? pairs.join(", ") : undefined;
}

/**
 * What the server's own counters say over the level, where it exports them (vLLM, SGLang, llama.cpp, TRT-LLM; bench's
 * `level-ratios.ts` says which counters each ratio comes from): the prefix-cache hit rate, and the speculative
 * decoding acceptance rate and length (tokens per step).
 */
export function serverMetricRows(point: PointResult): SummaryRow[] {
  const d = point.serverMetrics?.delta;
  if (!d) return [];
  const rows: SummaryRow[] = [];
  const hit = d["derived:prefix_cache_hit_rate"];
  if (hit !== undefined)
    rows.push({ label: "Prefix cache hit rate (server)", value: `${fmt(hit * 100, 1)}%` });
  const rate = d["derived:spec_decode_acceptance_rate"];
  const length = d["derived:spec_decode_acceptance_length"];
  if (rate !== undefined || length !== undefined)
    rows.push({
      label: "Draft acceptance (server)",
      value: [
        rate === undefined ? undefined : `${fmt(rate * 100, 1)}% of drafts`,
        length === undefined ? undefined : `${fmt(length, 2)} tokens per step`,
      ]
        .filter((x) => x !== undefined)
        .join(", "),
    });
  return rows;
}

/**
 * The measured energy, when the point has any: joules per output and per input token and the average power per GPU,
 * or why it could not be measured (a point's measurement stands without its energy).
 */
export function energyRows(point: PointResult): SummaryRow[] {
  const e = point.energy;
  if (!e) return [];
  // how it was had: the sampler that measured it, or the source that reported it (an import)
  const source = ` (${e.sampler ?? e.kind})`;
  if (!e.valid)
    return [{ label: "Energy", value: `not measured${source}: ${e.reasons.join("; ")}` }];
  const perToken = [
    e.jPerOutputToken === undefined ? undefined : `${fmt(e.jPerOutputToken, 3)} output`,
    e.jPerInputToken === undefined ? undefined : `${fmt(e.jPerInputToken, 4)} input`,
    e.jPerTotalToken === undefined ? undefined : `${fmt(e.jPerTotalToken, 4)} total`,
  ].filter((x) => x !== undefined);
  return [
    ...(perToken.length > 0
      ? [{ label: "Energy (J per token)", value: `${perToken.join(", ")}${source}` }]
      : []),
    ...(e.avgPowerW === undefined
      ? []
      : [{ label: "Average power per GPU (W)", value: fmt(e.avgPowerW, 1) }]),
  ];
}

function metadataRows(point: PointResult): SummaryRow[] {
  const value = pointMetadata(point);
  return value === undefined ? [] : [{ label: "Metadata", value }];
}

/**
 * The mean input and output lengths the completed requests had (the server's counts where it gave them): the asked
 * ISL and OSL are nominal, and a range ratio draws below them (`--range-ratio 0.1` at ISL 1024: about 560).
 */
function achievedLengthRows(point: PointResult): SummaryRow[] {
  const { completed, inputTokens, outputTokens } = point.metrics;
  if (!completed || inputTokens === undefined || outputTokens === undefined) return [];
  return [
    {
      label: "Achieved mean ISL / OSL",
      value: `${fmt(inputTokens / completed, 0)} / ${fmt(outputTokens / completed, 0)}`,
    },
  ];
}

/**
 * What bench found worth saying of a valid point without making it invalid (`extra.warnings`: prompts the server's
 * prefix cache had seen, a rate the server could not keep up with).
 * @example pointWarnings(point) // ["the server completed 2.10 requests/s, 53% of the offered 4/s: ..."]
 */
export function pointWarnings(point: PointResult): string[] {
  const w = point.extra?.warnings;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === "string") : [];
}

/** `, session x4` for a workload other than random, nothing for random. */
function kindOf(point: PointResult): string {
  const kind = workloadKind(point.config.workload);
  return kind === "random" ? "" : `, ${kind}`;
}

/**
 * The InferenceX-style figures of one point as label/value rows (latencies in ms), for console tables.
 */
export function pointSummary(point: PointResult): SummaryRow[] {
  const m = point.metrics;
  const rows: SummaryRow[] = [
    {
      label: "Configuration",
      // the engine's version when the point records it (bench asks the server): `sglang 0.5.4 fp8`
      value: `${point.config.model} on ${point.config.topology.gpus}x ${point.config.hardware}, ${point.config.framework}${point.config.frameworkVersion ? ` ${point.config.frameworkVersion}` : ""} ${point.config.precision}`,
    },
    {
      label: "Workload",
      // the kind when it is not InferenceX's random one: `session x4 think 2000 ms`, `sharegpt chat.json`
      value: `ISL ${point.config.workload.isl} / OSL ${point.config.workload.osl}${kindOf(point)}, ${loadLevel(point)}`,
    },
    ...achievedLengthRows(point),
    ...metadataRows(point),
    {
      label: "Completed / failed",
      value: `${m.completed ?? 0} / ${point.errors.total} (${fmt(point.errors.rate * 100, 1)}% errors)`,
    },
    ...errorRows(point.errors),
    { label: "Duration (s)", value: fmt(m.durationS) },
    { label: "Request throughput (req/s)", value: fmt(m.requestThroughput, 3) },
    { label: "Output throughput (tok/s)", value: fmt(m.outputThroughput) },
    { label: "Total throughput (tok/s)", value: fmt(m.totalThroughput) },
    { label: "Throughput per GPU (tok/s/GPU)", value: fmt(m.tputPerGpu) },
    // InferenceX's per-pool figures; without disaggregation both pools are every GPU
    ...(point.config.topology.disaggregated
      ? [
          { label: "Output tput per decode GPU", value: fmt(m.outputTputPerGpu) },
          { label: "Input tput per prefill GPU", value: fmt(m.inputTputPerGpu) },
        ]
      : [
          { label: "Output tput per GPU", value: fmt(m.outputTputPerGpu) },
          { label: "Input tput per GPU", value: fmt(m.inputTputPerGpu) },
        ]),
    {
      label: "Interactivity median / p99 (tok/s/user)",
      value: `${fmt(m.intvty?.median)} / ${fmt(m.intvty?.p99)}`,
    },
  ];
  for (const [name, stats] of [
    ["TTFT", m.ttft],
    ["TPOT", m.tpot],
    ["ITL", m.itl],
    ["E2EL", m.e2el],
  ] as const) {
    rows.push({
      label: `${name} mean / median / p99 (ms)`,
      value: `${ms(stats?.mean)} / ${ms(stats?.median)} / ${ms(stats?.p99)}`,
    });
  }
  // the client-side wait before each send: an open loop's wait for a free slot under its cap lands here, not in TTFT
  if (m.queueDelay)
    rows.push({
      label: "Queue delay mean / p99 (ms)",
      value: `${ms(m.queueDelay.mean)} / ${ms(m.queueDelay.p99)}`,
    });
  if (m.goodput)
    rows.push({
      label: "Goodput (req/s)",
      value: `${fmt(m.goodput.requestsPerS, 3)} (${fmt(m.goodput.fraction * 100, 1)}% met SLOs)`,
    });
  rows.push(...energyRows(point), ...serverMetricRows(point));
  const warnings = pointWarnings(point);
  if (warnings.length > 0) rows.push({ label: "Warnings", value: warnings.join("; ") });
  rows.push({
    label: "Valid",
    value: point.validity.valid ? "yes" : `no: ${point.validity.reasons.join("; ")}`,
  });
  return rows;
}
