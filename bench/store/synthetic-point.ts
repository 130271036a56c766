// Synthetic points for the store benchmark: every combination of 10 models, 9 GPUs, 4 frameworks,
// 2 precisions, 3 ISL/OSL pairs and 8 concurrencies is one load level; the date advances a day per cycle.
import { POINT_SCHEMA_ID, type PointResult } from "@infermark/core";

const MODELS = [
  "dsr1",
  "gptoss120b",
  "llama70b",
  "qwen3",
  "kimi2",
  "glm4",
  "m7",
  "m8",
  "m9",
  "m10",
];
const GPUS = ["h100", "h200", "b200", "b300", "gb200", "gb300", "mi300x", "mi325x", "mi355x"];
const FRAMEWORKS = ["sglang", "vllm", "trt", "dynamo-sglang"];
const PRECISIONS = ["fp8", "fp4"];
const SEQ = [
  [1024, 1024],
  [8192, 1024],
  [1024, 8192],
] as const;
const CONC = [4, 8, 16, 32, 64, 128, 256, 512];
export const LEVELS =
  MODELS.length * GPUS.length * FRAMEWORKS.length * PRECISIONS.length * SEQ.length * CONC.length;

/** The i-th synthetic point: levels cycle fastest, then the date moves one day per full cycle. */
export function syntheticPoint(i: number): PointResult {
  let k = i % LEVELS;
  const day = Math.floor(i / LEVELS);
  const pick = <T>(xs: readonly T[]) => {
    const x = xs[k % xs.length]!;
    k = Math.floor(k / xs.length);
    return x;
  };
  const conc = pick(CONC);
  const [isl, osl] = pick(SEQ);
  const precision = pick(PRECISIONS);
  const framework = pick(FRAMEWORKS);
  const hardware = pick(GPUS);
  const model = pick(MODELS);
  const date = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
  const tput = 100 + ((i * 7919) % 5000) / 3;
  return {
    schema: POINT_SCHEMA_ID,
    run: {
      source: day % 5 === 0 ? "imported" : "measured",
      date,
      toolVersion: "0.1.0",
      host: "bench",
    },
    config: {
      model,
      hardware,
      framework,
      precision,
      specDecoding: { method: "none" },
      topology: { disaggregated: false, multinode: false, gpus: 8, prefillGpus: 8, decodeGpus: 8 },
      workload: { kind: "random", isl, osl },
      load: { mode: "concurrency", concurrency: conc },
    },
    metrics: {
      tputPerGpu: tput,
      inputTputPerGpu: tput / 2,
      outputTputPerGpu: tput / 2,
      intvty: { median: 5000 / conc, p99: 4000 / conc },
      ttft: { median: 0.1 * conc, p99: 0.3 * conc },
      tpot: { median: conc / 5000, p99: conc / 4000 },
      e2el: { median: osl / (5000 / conc), p99: osl / (4000 / conc) },
    },
    errors: { total: 0, requests: 100, rate: 0, byCategory: {} },
    validity: { valid: true, reasons: [] },
  };
}
