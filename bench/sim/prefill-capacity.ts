/**
 * Diagnostic: measured input tokens/s per prefill GPU of InferenceX's disaggregated rows against the model's prefill
 * capacity for the same prefill worker layout. InferenceX's `input_tput_per_gpu` divides the input tokens/s by the
 * prefill GPUs alone, so at concurrencies where the prefill pool is saturated it is what one prefill GPU sustains;
 * elsewhere it is a lower bound. The model's capacity is the steady state's (`prefillCapacity`: whole prompts of the
 * mean input length batched up to the engine's max batched tokens, in chunks, on an idle prefill worker).
 *
 * One TSV line per configuration (model, hardware, framework, precision, ISL/OSL, speculative decoding, prefill and
 * decode layouts; every date and concurrency together): the highest measured input tok/s per prefill GPU, the
 * concurrency it was measured at and its median TTFT (seconds mean a queue before the prefill pool), the model's
 * capacity, their ratio, and the terms of one prefill step of the model (ms per step of `step_tokens` prompt tokens on
 * one prefill worker). Then a summary by hardware, precision and prefill layout (TP or DP attention, with or without
 * EP) of the configurations whose highest point has at least 256 concurrent requests per prefill worker (where the
 * pool is most likely saturated).
 *
 * Run: node --conditions=infermark-source --import tsx bench/sim/prefill-capacity.ts [rows.json ...] > out.tsv
 * (default: examples/data/inferencex/benchmarks.json and benchmarks-history.json)
 */
import { readFileSync } from "node:fs";
import { jsonErrorReason } from "@infermark/core";
import {
  caseFromInferencexRow,
  chunkPairs,
  prefillCapacity,
  resolveSimConfig,
  type StepCosts,
  stepCosts,
  workerModel,
} from "@infermark/sim";

type Row = Parameters<typeof caseFromInferencexRow>[0] & {
  metrics?: { input_tput_per_gpu?: number; median_ttft?: number };
};

interface Best {
  key: string;
  hardware: string;
  precision: string;
  layout: string;
  measured: number;
  conc: number;
  /** Measured median TTFT at that point (s): seconds mean a prefill queue, a saturated prefill pool. */
  ttft: number;
  concPerPrefillWorker: number;
  capacity: number;
  stepTokens: number;
  terms: StepCosts;
  dates: Set<string>;
}

const files = process.argv.slice(2);
if (files.length === 0)
  files.push(
    "examples/data/inferencex/benchmarks.json",
    "examples/data/inferencex/benchmarks-history.json",
  );

const best = new Map<string, Best>();
for (const file of files) {
  let text: string;
  let rows: Row[];
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    console.error(`prefill-capacity: cannot read ${file}: ${(error as Error).message}`);
    process.exit(1);
  }
  try {
    rows = JSON.parse(text) as Row[];
  } catch (error) {
    // where it breaks, never the file's text
    console.error(`prefill-capacity: ${file}: ${jsonErrorReason(error, text)}`);
    process.exit(1);
  }
  for (const row of rows) {
    const measured = row.metrics?.input_tput_per_gpu;
    if (!measured) continue;
    const c = caseFromInferencexRow(row);
    if (!("options" in c) || !c.options.disaggregated) continue;
    const cfg = resolveSimConfig(c.options);
    const pre = cfg.pools.find((p) => p.role === "prefill")!;
    const dec = cfg.pools.find((p) => p.role === "decode")!;
    const layout = `${pre.dpAttention ? "dp" : "tp"}${pre.tp}${pre.ep > 1 ? `-ep${pre.ep}` : ""}`;
    const key = [
      c.group,
      `${pre.workers}x${layout}`,
      `dec ${dec.workers}x${dec.dpAttention ? "dp" : "tp"}${dec.tp}${dec.ep > 1 ? `-ep${dec.ep}` : ""}`,
    ].join(" | ");
    const prev = best.get(key);
    if (prev) prev.dates.add(c.date);
    if (prev && prev.measured >= measured) continue;
    const cap = prefillCapacity(cfg, c.meanIsl);
    const w = workerModel(cfg, pre);
    const stepTokens = Math.min(cfg.engine.chunkedPrefill, cap.perBatch * c.meanIsl);
    const terms = stepCosts(w, {
      decodeRequests: 0,
      decodeContext: 0,
      prefillTokens: stepTokens,
      prefillPairs: chunkPairs(0, stepTokens, c.meanIsl),
      prefillRequests: Math.ceil(stepTokens / c.meanIsl),
    });
    best.set(key, {
      key,
      hardware: c.hardware,
      precision: c.options.precision ?? "",
      layout: `${pre.dpAttention ? "DP-attn" : "TP"}${pre.ep > 1 ? "+EP" : ""}`,
      measured,
      conc: c.concurrency,
      ttft: row.metrics?.median_ttft ?? Number.NaN,
      concPerPrefillWorker: c.concurrency / pre.workers,
      capacity: (cap.requestsPerS * c.meanIsl) / pre.gpusPerWorker,
      stepTokens,
      terms: { ...terms },
      dates: new Set([...(prev?.dates ?? []), c.date]),
    });
  }
}

const ms = (s: number) => (s * 1e3).toFixed(2);
console.log(
  [
    "config",
    "dates",
    "best_conc",
    "median_ttft_s",
    "measured_in_tok_s_per_prefill_gpu",
    "model_capacity",
    "model_over_measured",
    "step_tokens",
    "step_ms",
    "weights_ms",
    "linear_ms",
    "attention_ms",
    "all_reduce_ms",
    "all_to_all_ms",
    "overhead_ms",
  ].join("\t"),
);
const list = [...best.values()].sort((a, b) => a.key.localeCompare(b.key));
for (const b of list) {
  const t = b.terms;
  console.log(
    [
      b.key,
      b.dates.size,
      b.conc,
      b.ttft.toFixed(2),
      b.measured.toFixed(0),
      b.capacity.toFixed(0),
      (b.capacity / b.measured).toFixed(2),
      b.stepTokens,
      ms(t.total),
      ms(t.weights),
      ms(t.linear),
      ms(t.attention),
      ms(t.allReduce),
      ms(t.allToAll),
      ms(t.overhead),
    ].join("\t"),
  );
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
console.log(
  "\n# configurations whose highest point has >= 256 requests per prefill worker, by hardware, precision, prefill layout",
);
console.log(
  [
    "hardware",
    "precision",
    "prefill",
    "configs",
    "max_measured",
    "median_measured",
    "median_capacity",
    "median_capacity_over_measured",
    "min_ratio",
    "max_ratio",
  ].join("\t"),
);
const groups = new Map<string, Best[]>();
for (const b of list) {
  if (b.concPerPrefillWorker < 256) continue;
  const g = `${b.hardware}\t${b.precision}\t${b.layout}`;
  groups.set(g, [...(groups.get(g) ?? []), b]);
}
for (const [g, bs] of [...groups].sort()) {
  const ratios = bs.map((b) => b.capacity / b.measured);
  console.log(
    [
      g,
      bs.length,
      Math.max(...bs.map((b) => b.measured)).toFixed(0),
      median(bs.map((b) => b.measured)).toFixed(0),
      median(bs.map((b) => b.capacity)).toFixed(0),
      median(ratios).toFixed(2),
      Math.min(...ratios).toFixed(2),
      Math.max(...ratios).toFixed(2),
    ].join("\t"),
  );
}
