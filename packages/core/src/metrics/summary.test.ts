import { describe, expect, it } from "vitest";
import { MINIMAL_POINT } from "../../test/fixtures/minimal-point.js";
import { PointResult } from "../schemas/point-result.js";
import { pointSummary } from "./summary.js";

/** The minimal valid point of the schema tests, at a given load level, with a few metrics. */
const point = (load: Record<string, unknown>) =>
  PointResult.parse({
    ...MINIMAL_POINT,
    config: { ...MINIMAL_POINT.config, framework: "sglang", load },
    metrics: { completed: 39, durationS: 22.41, tputPerGpu: 512.345, ttft: { median: 0.25 } },
    errors: { total: 1, requests: 40, rate: 0.025 },
  });
const value = (p: PointResult, label: string) =>
  pointSummary(p).find((r) => r.label === label)?.value;

describe("pointSummary", () => {
  it("names the load level, and says when it is unknown", () => {
    expect(value(point({ mode: "concurrency", concurrency: 8 }), "Workload")).toBe(
      "ISL 1024 / OSL 1024, concurrency 8",
    );
    expect(value(point({ mode: "rate", rate: 2.5 }), "Workload")).toBe(
      "ISL 1024 / OSL 1024, rate 2.5/s",
    );
    expect(value(point({ mode: "rate", rate: 50, concurrency: 2 }), "Workload")).toBe(
      "ISL 1024 / OSL 1024, rate 50/s, max concurrency 2",
    );
    // `infermark aggregate` of request records without --concurrency
    expect(value(point({ mode: "concurrency" }), "Workload")).toBe(
      "ISL 1024 / OSL 1024, concurrency ?",
    );
  });

  it("names a workload other than random: sessions, a dataset", () => {
    const p = point({ mode: "concurrency", concurrency: 8 });
    const session = {
      ...p,
      config: {
        ...p.config,
        workload: { kind: "session" as const, isl: 1000, osl: 100, turns: 4, thinkTimeMs: 2000 },
      },
    };
    expect(value(session, "Workload")).toBe(
      "ISL 1000 / OSL 100, session x4 think 2000 ms, concurrency 8",
    );
  });

  it("shows bench's --metadata, after the workload, and nothing without it", () => {
    const p = point({ mode: "concurrency", concurrency: 8 });
    const tagged = {
      ...p,
      extra: { metadata: { driver: "570.86", flags: "--chunked-prefill 8k" } },
    };
    const labels = pointSummary(tagged).map((r) => r.label);
    expect(labels.indexOf("Metadata")).toBe(labels.indexOf("Workload") + 1);
    expect(value(tagged, "Metadata")).toBe("driver=570.86, flags=--chunked-prefill 8k");
    expect(value(p, "Metadata")).toBe(undefined);
    expect(value({ ...p, extra: { metadata: {} } }, "Metadata")).toBe(undefined);
  });

  it("shows the measured energy per token and power, or why there is none", () => {
    const p = point({ mode: "concurrency", concurrency: 8 });
    const measured = {
      ...p,
      energy: {
        kind: "measured" as const,
        sampler: "nvidia-smi",
        valid: true,
        reasons: [],
        jPerOutputToken: 0.15812,
        jPerInputToken: 0.059123,
        avgPowerW: 612.34,
      },
    };
    expect(value(measured, "Energy (J per token)")).toBe("0.158 output, 0.0591 input (nvidia-smi)");
    expect(value(measured, "Average power per GPU (W)")).toBe("612.3");
    const failed = {
      ...p,
      energy: { kind: "measured" as const, sampler: "dcgm", valid: false, reasons: ["gap of 4 s"] },
    };
    expect(value(failed, "Energy")).toBe("not measured (dcgm): gap of 4 s");
    // an imported row's reported figures: what it has, no dashes for what it lacks
    const reported = {
      ...p,
      energy: { kind: "reported" as const, valid: true, reasons: [], jPerTotalToken: 0.0213 },
    };
    expect(value(reported, "Energy (J per token)")).toBe("0.0213 total (reported)");
    expect(value(reported, "Average power per GPU (W)")).toBe(undefined);
    expect(value(p, "Energy")).toBe(undefined);
  });

  it("shows the server's prefix-cache hit rate and draft acceptance where it exports them", () => {
    const p = point({ mode: "concurrency", concurrency: 8 });
    const delta = {
      "vllm:prefix_cache_hits": 120,
      "derived:prefix_cache_hit_rate": 0.4567,
      "derived:spec_decode_acceptance_rate": 0.712,
      "derived:spec_decode_acceptance_length": 2.856,
    };
    const served = { ...p, serverMetrics: { delta } };
    expect(value(served, "Prefix cache hit rate (server)")).toBe("45.7%");
    expect(value(served, "Draft acceptance (server)")).toBe(
      "71.2% of drafts, 2.86 tokens per step",
    );
    const plain = { ...p, serverMetrics: { delta: { "vllm:num_requests_running": 0 } } };
    expect(value(plain, "Prefix cache hit rate (server)")).toBe(undefined);
    expect(value(plain, "Draft acceptance (server)")).toBe(undefined);
  });

  it("shows the queue delay, where an open loop's wait for a slot under its cap goes", () => {
    const p = PointResult.parse({
      ...MINIMAL_POINT,
      metrics: { completed: 30, queueDelay: { mean: 4.4386, median: 4.2, p99: 8.1397 } },
    });
    expect(value(p, "Queue delay mean / p99 (ms)")).toBe("4438.60 / 8139.70");
    expect(
      value(point({ mode: "concurrency", concurrency: 8 }), "Queue delay mean / p99 (ms)"),
    ).toBe(undefined);
  });

  it("formats counts, rates and throughput", () => {
    const p = point({ mode: "concurrency", concurrency: 8 });
    expect(value(p, "Configuration")).toBe("dsr1 on 8x h200, sglang fp8");
    // with the engine's version when the point records it
    const versioned = { ...p, config: { ...p.config, frameworkVersion: "0.5.4" } };
    expect(value(versioned, "Configuration")).toBe("dsr1 on 8x h200, sglang 0.5.4 fp8");
    expect(value(p, "Completed / failed")).toBe("39 / 1 (2.5% errors)");
    expect(value(p, "Throughput per GPU (tok/s/GPU)")).toBe("512.35");
  });

  it("names the pools of the per-GPU input and output throughput only where there are two", () => {
    const metrics = { completed: 39, outputTputPerGpu: 90.35, inputTputPerGpu: 362.32 };
    const agg = PointResult.parse({ ...MINIMAL_POINT, metrics });
    // an aggregated server's GPUs do both: "per decode GPU" said there were decode GPUs apart
    expect(pointSummary(agg).filter((r) => r.label.includes("tput per"))).toEqual([
      { label: "Output tput per GPU", value: "90.35" },
      { label: "Input tput per GPU", value: "362.32" },
    ]);
    const topology = { gpus: 16, disaggregated: true, prefillGpus: 8, decodeGpus: 8 };
    const disagg = PointResult.parse({
      ...MINIMAL_POINT,
      config: { ...MINIMAL_POINT.config, topology },
      metrics,
    });
    expect(pointSummary(disagg).filter((r) => r.label.includes("tput per"))).toEqual([
      { label: "Output tput per decode GPU", value: "90.35" },
      { label: "Input tput per prefill GPU", value: "362.32" },
    ]);
  });

  it("says what failed: the count per category, most first, and the first message", () => {
    const p = PointResult.parse({
      ...MINIMAL_POINT,
      errors: {
        total: 7,
        requests: 40,
        rate: 0.175,
        byCategory: { timeout: 2, connect: 5 },
        samples: [`connect: cannot reach http://gpu-1:8000 (ECONNREFUSED) ${"x".repeat(200)}`],
      },
    });
    expect(value(p, "Errors by category")).toBe("connect 5, timeout 2");
    const first = value(p, "First error")!;
    expect(first.startsWith("connect: cannot reach http://gpu-1:8000 (ECONNREFUSED) x")).toBe(true);
    expect(first.length).toBe(120);
    expect(first.endsWith("...")).toBe(true);
    // a failure without category or message recorded: no error rows
    expect(
      value(point({ mode: "concurrency", concurrency: 8 }), "Errors by category"),
    ).toBeUndefined();
  });
});
