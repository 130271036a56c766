/**
 * Diagnostic: the step model's TPOT at the decode batch each InferenceX row really ran, against the
 * measured TPOT (and the predicted and measured TTFT). The batch per decode worker is read from the row:
 * concurrency x (1 - TTFT / E2EL) / decode workers. One TSV line per row. Run:
 * node --conditions=infermark-source --import tsx bench/sim/tpot-at-batch.ts [rows.json] > out.tsv
 */
import { readFileSync } from "node:fs";
import {
  caseFromInferencexRow,
  resolveSimConfig,
  steadyState,
  stepCosts,
  workerModel,
} from "@infermark/sim";

interface Row extends Record<string, unknown> {
  conc: number;
  metrics: { median_ttft: number; median_e2el: number; median_tpot: number };
}

const file = process.argv[2] ?? "examples/data/inferencex/benchmarks.json";
const rows = JSON.parse(readFileSync(file, "utf8")) as Row[];
const head = "m_ttft\tp_ttft\tlimit\tgroup\tconc\tB\tctx\tm_tpot_ms\tp_tpot_ms\tratio";
const terms = ["weights", "kv", "linear", "attention", "comm", "overhead", "draft"] as const;
const out: string[] = [`${head}\t${terms.join("\t")}`];
for (const r of rows) {
  const c = caseFromInferencexRow(r);
  if (!("options" in c)) continue;
  let cfg: ReturnType<typeof resolveSimConfig>;
  try {
    cfg = resolveSimConfig(c.options);
  } catch {
    continue;
  }
  const pool = cfg.pools.find((p) => p.role === "decode") ?? cfg.pools[0]!;
  const w = workerModel(cfg, pool);
  const m = r.metrics;
  const B = Math.max(1, (r.conc / pool.workers) * Math.max(0, 1 - m.median_ttft / m.median_e2el));
  const ctx = c.meanIsl + c.meanOsl / 2;
  const s = stepCosts(w, {
    decodeRequests: B,
    decodeContext: B * ctx,
    prefillTokens: 0,
    prefillPairs: 0,
  });
  const a = cfg.spec.acceptanceLength;
  const ms = (x: number) => ((x / a) * 1000).toFixed(2);
  const predicted = (s.total / a) * 1000;
  const measured = m.median_tpot * 1000;
  const ss = steadyState(cfg, c.meanIsl, c.meanOsl, r.conc);
  out.push(
    [
      m.median_ttft.toFixed(3),
      ss.ttftS.toFixed(3),
      ss.limit,
      c.curveKey,
      r.conc,
      B.toFixed(1),
      ctx,
      measured.toFixed(2),
      predicted.toFixed(2),
      (predicted / measured).toFixed(3),
      ...terms.map((t) => ms(s[t])),
    ].join("\t"),
  );
}
console.log(out.join("\n"));
