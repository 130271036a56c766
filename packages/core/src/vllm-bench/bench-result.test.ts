import { describe, expect, it } from "vitest";
import { CanonicalPointResult } from "../schemas/point-result.js";
import { check } from "../schemas/validate.js";
import { fromVllmBenchResult, nominalLengths } from "./bench-result.js";
import { vllmRunDate } from "./run-date.js";

/** A result as benchmarks/benchmark_serving.py wrote it (2025-05: no `failed`, the `request_goodput:` key). */
const OLD = {
  date: "20250530-203806",
  backend: "vllm",
  model_id: "deepseek-ai/DeepSeek-R1-0528",
  tokenizer_id: "deepseek-ai/DeepSeek-R1-0528",
  num_prompts: 320,
  request_rate: "inf",
  burstiness: 1.0,
  max_concurrency: 32,
  duration: 100,
  completed: 320,
  total_input_tokens: 327680,
  total_output_tokens: 327680,
  request_throughput: 3.2,
  "request_goodput:": null,
  output_throughput: 3276.8,
  total_token_throughput: 6553.6,
  mean_ttft_ms: 500,
  median_ttft_ms: 450,
  std_ttft_ms: 100,
  p90_ttft_ms: 600,
  p99_ttft_ms: 800,
  "p99.9_ttft_ms": 900,
  mean_tpot_ms: 25,
  median_tpot_ms: 20,
  std_tpot_ms: 5,
  p90_tpot_ms: 30,
  p99_tpot_ms: 40,
  "p99.9_tpot_ms": 50,
  mean_itl_ms: 24,
  median_itl_ms: 19,
  std_itl_ms: 6,
  p99_itl_ms: 45,
  mean_e2el_ms: 26000,
  median_e2el_ms: 25000,
  std_e2el_ms: 1000,
  p99_e2el_ms: 30000,
};

const CONTEXT = { hardware: "h200", gpus: 8, framework: "vllm", precision: "fp8" };

/**
 * A result of `vllm bench serve --save-result --save-detailed` at its defaults (`--percentile-metrics ttft,tpot,itl`,
 * `--metric-percentiles 99`): no e2el statistics and no p90 or p99.9, which the per-request arrays give. Request 3
 * failed.
 */
const DETAILED = {
  date: "20261103-091500",
  endpoint_type: "openai-chat",
  backend: "openai-chat",
  label: null,
  model_id: "meta-llama/Llama-3.3-70B-Instruct",
  tokenizer_id: "meta-llama/Llama-3.3-70B-Instruct",
  num_prompts: 4,
  request_rate: 2,
  burstiness: 0.5,
  max_concurrency: 8,
  duration: 2,
  completed: 3,
  failed: 1,
  total_input_tokens: 300,
  total_output_tokens: 9,
  request_throughput: 1.5,
  request_goodput: null,
  output_throughput: 4.5,
  total_token_throughput: 154.5,
  input_lens: [100, 100, 100, 100],
  output_lens: [3, 2, 0, 4],
  ttfts: [0.1, 0.2, 0, 0.3],
  itls: [[0.01, 0.02], [0.03], [], [0.01, 0.01, 0.01]],
  latencies: [0.13, 0.23, 0, 0.33],
  start_times: [0, 0.5, 1, 1.5],
  generated_texts: ["a b c", "d e", "", "f g h i"],
  errors: ["", "", "Timeout", ""],
  mean_ttft_ms: 200,
  median_ttft_ms: 200,
  std_ttft_ms: 81.64965809277261,
  p99_ttft_ms: 298,
  mean_tpot_ms: 18.333333333333332,
  median_tpot_ms: 15,
  std_tpot_ms: 8.498365855987975,
  p99_tpot_ms: 29.7,
  mean_itl_ms: 14.999999999999998,
  median_itl_ms: 10,
  std_itl_ms: 8.16496580927726,
  p99_itl_ms: 29.5,
};

describe("fromVllmBenchResult", () => {
  it("maps a benchmark_serving.py result: milliseconds to seconds, per-GPU throughput, the closed loop InferenceX reads", () => {
    const mapped = fromVllmBenchResult(OLD, {
      ...CONTEXT,
      importedFrom: "vllm:old.json",
      runId: "vllm-0123456789abcdef",
    });
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    const p = mapped.point;
    expect(check(CanonicalPointResult, p).ok).toBe(true);
    expect(p.run).toEqual({
      source: "imported",
      date: "2025-05-30T20:38:06",
      runId: "vllm-0123456789abcdef",
      importedFrom: "vllm:old.json",
    });
    expect(p.config.model).toBe("dsr1");
    expect(p.config.modelId).toBe("deepseek-ai/DeepSeek-R1-0528");
    expect(p.config.hardware).toBe("h200");
    expect(p.config.hardwareLabel).toBeUndefined();
    expect(p.config.workload).toEqual({ kind: "random", isl: 1024, osl: 1024 });
    expect(p.config.load).toEqual({
      mode: "concurrency",
      concurrency: 32,
      requests: 320,
      durationS: 100,
    });
    expect(p.config.topology).toEqual({
      disaggregated: false,
      multinode: false,
      gpus: 8,
      prefillGpus: 8,
      decodeGpus: 8,
    });
    expect(p.metrics.tputPerGpu).toBe(819.2);
    expect(p.metrics.outputTputPerGpu).toBe(409.6);
    expect(p.metrics.inputTputPerGpu).toBe(409.6);
    expect(p.metrics.ttft).toEqual({
      mean: 0.5,
      median: 0.45,
      std: 0.1,
      p90: 0.6,
      p99: 0.8,
      p999: 0.9,
    });
    expect(p.metrics.e2el).toEqual({ mean: 26, median: 25, std: 1, p99: 30 });
    // InferenceX's interactivity: 1 / TPOT of each statistic
    expect(p.metrics.intvty).toEqual({
      mean: 40,
      median: 50,
      std: 200,
      p90: 1 / 0.03,
      p99: 25,
      p999: 20,
    });
    expect(p.errors).toEqual({ total: 0, requests: 320, rate: 0, byCategory: {} });
    expect(p.validity).toEqual({ valid: true, reasons: [] });
  });

  it("fills what the defaults leave out from --save-detailed's per-request arrays, keeping the written figures", () => {
    const mapped = fromVllmBenchResult(DETAILED, {
      ...CONTEXT,
      hardware: "h200-sxm",
      isl: 100,
      osl: 3,
    });
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    const m = mapped.point.metrics;
    expect(m.ttft!.mean).toBe(0.2);
    expect(m.ttft!.p99).toBe(0.298);
    expect(m.ttft!.count).toBe(3);
    expect(m.ttft!.p90).toBeCloseTo(0.28, 12);
    expect(m.ttft!.p999).toBeCloseTo(0.2998, 12);
    // no e2el statistic was written: all of it from `latencies` of the 3 completed requests
    expect(m.e2el!.mean).toBeCloseTo(0.23, 12);
    expect(m.e2el!.median).toBeCloseTo(0.23, 12);
    expect(m.e2el!.count).toBe(3);
    // TPOT per request (E2EL - TTFT) / (N - 1): 0.015, 0.03, 0.01
    expect(m.tpot!.p90).toBeCloseTo(0.027, 12);
    expect(m.tpot!.count).toBe(3);
    expect(m.itl!.count).toBe(6);
    expect(mapped.point.config.workload.achievedIsl).toEqual({
      mean: 100,
      median: 100,
      std: 0,
      p90: 100,
      p99: 100,
      p999: 100,
      count: 3,
    });
    expect(mapped.point.config.hardwareLabel).toBe("h200-sxm");
    expect(mapped.point.config.load).toEqual({
      mode: "rate",
      rate: 2,
      concurrency: 8,
      arrival: "gamma",
      burstiness: 0.5,
      requests: 4,
      durationS: 2,
    });
    expect(mapped.point.errors).toEqual({ total: 1, requests: 4, rate: 0.25, byCategory: {} });
    expect(mapped.point.validity).toEqual({
      valid: false,
      reasons: ["error rate 25.0% exceeds 5% (1 of 4 requests failed)"],
    });
  });

  it("reads E2EL as TTFT plus the gaps when the arrays have no latencies (older versions)", () => {
    const { latencies: _gone, ...older } = DETAILED;
    const mapped = fromVllmBenchResult(older, { ...CONTEXT, isl: 100, osl: 3 });
    expect(mapped.ok && mapped.point.metrics.e2el!.mean).toBeCloseTo(0.23, 12);
  });

  it("ignores arrays that do not count the result's completed requests", () => {
    const mapped = fromVllmBenchResult(
      { ...DETAILED, completed: 4 },
      { ...CONTEXT, isl: 1, osl: 1 },
    );
    expect(mapped.ok && mapped.point.metrics.e2el).toBeUndefined();
    expect(mapped.ok && mapped.point.metrics.ttft!.count).toBeUndefined();
  });

  it("counts the failed requests of a result without `failed` as num_prompts - completed", () => {
    const mapped = fromVllmBenchResult({ ...OLD, completed: 300 }, CONTEXT);
    expect(mapped.ok && mapped.point.errors).toEqual({
      total: 20,
      requests: 320,
      rate: 0.0625,
      byCategory: {},
    });
    expect(mapped.ok && mapped.point.validity.valid).toBe(false);
  });

  it("reads a run that sent every prompt at once without a cap as a closed loop of num_prompts", () => {
    const mapped = fromVllmBenchResult({ ...OLD, max_concurrency: null }, CONTEXT);
    expect(mapped.ok && mapped.point.config.load.concurrency).toBe(320);
  });

  it('reads an infinite burstiness (Python\'s Infinity, read as "inf") as constant arrivals', () => {
    const mapped = fromVllmBenchResult({ ...OLD, request_rate: 3, burstiness: "inf" }, CONTEXT);
    expect(mapped.ok && mapped.point.config.load).toEqual({
      mode: "rate",
      rate: 3,
      concurrency: 32,
      arrival: "constant",
      requests: 320,
      durationS: 100,
    });
  });

  it("appends the host's UTC offset when given", () => {
    const mapped = fromVllmBenchResult(OLD, { ...CONTEXT, utcOffset: "+02:00" });
    expect(mapped.ok && mapped.point.run.date).toBe("2025-05-30T20:38:06+02:00");
  });

  it.each([
    [
      { ...OLD, ramp_up_strategy: "linear" },
      CONTEXT,
      "a ramp-up run (ramp_up_strategy linear): no single load level",
    ],
    [{ ...OLD, date: "2025-05-30" }, CONTEXT, `date "2025-05-30" is not vLLM's %Y%m%d-%H%M%S`],
    [{ ...OLD, completed: 0 }, CONTEXT, "no request completed"],
    [OLD, { ...CONTEXT, gpus: undefined }, "no GPU count (--gpus)"],
    [
      { duration: 1 },
      CONTEXT,
      "not a vllm bench serve result (model_id, completed, total_token_throughput)",
    ],
  ])("skips what cannot be a point, with the reason (%#)", (result, context, reason) => {
    expect(fromVllmBenchResult(result, context)).toEqual({ ok: false, reason });
  });
});

describe("nominalLengths", () => {
  it("takes the flags, else the tokens per completed request, and says which", () => {
    expect(nominalLengths(OLD, {})).toEqual({
      isl: 1024,
      osl: 1024,
      islFrom: "mean",
      oslFrom: "mean",
    });
    expect(nominalLengths(OLD, { isl: 1000 })).toEqual({
      isl: 1000,
      osl: 1024,
      islFrom: "flag",
      oslFrom: "mean",
    });
  });
});

describe("vllmRunDate", () => {
  it("reads %Y%m%d-%H%M%S and nothing else", () => {
    expect(vllmRunDate("20261231-235959")).toBe("2026-12-31T23:59:59");
    expect(vllmRunDate("20260230-120000")).toBeUndefined();
    expect(vllmRunDate("20260101-250000")).toBeUndefined();
    expect(vllmRunDate(20260101)).toBeUndefined();
  });
});
