/**
 * Diagnostic dump of the simulator's latencies against InferenceX rows: one TSV line per row with the
 * measured and predicted TPOT, TTFT and E2EL (mean-field steady state at the measured concurrency and the
 * workload's mean lengths), throughput per GPU, the decode batch per worker and what limits it. Where
 * `validation-dump.ts` shows the error at the measured interactivity, this shows which latency causes it.
 * Run: node --conditions=infermark-source --import tsx bench/sim/latency-dump.ts [rows.json] > out.tsv
 */
import { readFileSync } from "node:fs";
import { caseFromInferencexRow, resolveSimConfig, steadyState } from "@infermark/sim";

const file = process.argv[2] ?? "examples/data/inferencex/benchmarks.json";
const rows = JSON.parse(readFileSync(file, "utf8")) as Parameters<
  typeof caseFromInferencexRow
>[0][];
const head = [
  "config",
  "conc",
  "m_tpot_s",
  "p_tpot_s",
  "m_ttft_mean_s",
  "m_ttft_median_s",
  "p_ttft_s",
  "m_e2el_s",
  "p_e2el_s",
  "m_tput",
  "p_tput",
  "batch_per_worker",
  "limit",
  "date",
];
console.log(head.join("\t"));
for (const row of rows) {
  const c = caseFromInferencexRow(row);
  if (!("options" in c)) continue;
  const m = row.metrics ?? {};
  const s = steadyState(resolveSimConfig(c.options), c.meanIsl, c.meanOsl, c.concurrency);
  const e2el = s.ttftS + (c.meanOsl - 1) * s.tpotS;
  console.log(
    [
      c.curveKey,
      c.concurrency,
      m.mean_tpot,
      s.tpotS.toFixed(5),
      m.mean_ttft,
      m.median_ttft,
      s.ttftS.toFixed(4),
      m.mean_e2el,
      e2el.toFixed(3),
      m.tput_per_gpu,
      s.tputPerGpu.toFixed(1),
      s.batchPerWorker.toFixed(1),
      s.limit,
      c.date,
    ].join("\t"),
  );
}
