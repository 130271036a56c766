/**
 * Diagnostic dump of `sim validate`: one TSV line per measured point with the measured and predicted
 * figures (at the measured concurrency and at the measured interactivity). Run:
 * node --conditions=infermark-source --import tsx bench/sim/validation-dump.ts <file> > out.tsv
 */
import { readValidationFiles, resolveSimConfig, steadyState, validateCases } from "@infermark/sim";

const file = process.argv[2] ?? "examples/data/inferencex/benchmarks.json";
const { cases, skipped } = readValidationFiles([file]);
const rep = validateCases(cases, skipped);
const head = [
  "group",
  "conc",
  "m_intvty",
  "p_intvty@c",
  "m_tput",
  "p_tput@c",
  "p_tput@i",
  "ape",
  "clamped",
  "p_maxintvty",
  "limit",
  "B",
  "p_ttft@c",
  "gpus",
];
console.log(head.join("\t"));
for (const r of rep.results) {
  const c = r.case;
  const cfg = resolveSimConfig(c.options);
  const s1 = steadyState(cfg, c.meanIsl, c.meanOsl, 1);
  const s = steadyState(cfg, c.meanIsl, c.meanOsl, c.concurrency);
  console.log(
    [
      c.curveKey,
      c.concurrency,
      c.measured.intvty.toFixed(1),
      r.atConcurrency.intvty.toFixed(1),
      c.measured.tputPerGpu.toFixed(0),
      r.atConcurrency.tputPerGpu.toFixed(0),
      r.predictedAtIntvty.toFixed(0),
      (r.ape * 100).toFixed(0),
      r.clamped ? 1 : 0,
      s1.intvty.toFixed(1),
      s.limit,
      s.batchPerWorker.toFixed(1),
      s.ttftS.toFixed(3),
      cfg.gpus,
    ].join("\t"),
  );
}
console.error(
  `mdape@i ${(rep.mdape * 100).toFixed(1)} @c ${(rep.mdapeAtConcurrency * 100).toFixed(1)} intvty@c ${(rep.mdapeIntvtyAtConcurrency * 100).toFixed(1)} within25 ${(rep.within25 * 100).toFixed(0)}`,
);
