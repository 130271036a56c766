import { describe, expect, it } from "vitest";
import type { RequestRecord } from "../schemas/request-record.js";
import { aggregatePoint } from "./aggregate.js";
import { simpleTopology } from "./build-point.js";

describe("simpleTopology", () => {
  it("gives both pools every GPU when serving is aggregated", () => {
    expect(simpleTopology({ total: 8 })).toEqual({
      disaggregated: false,
      multinode: false,
      gpus: 8,
      prefillGpus: 8,
      decodeGpus: 8,
    });
  });

  it("sums the pools when only they are given", () => {
    expect(simpleTopology({ prefill: 2, decode: 6 })).toMatchObject({
      disaggregated: true,
      gpus: 8,
      prefillGpus: 2,
      decodeGpus: 6,
    });
  });

  it("takes a missing pool as the GPUs the other pool leaves, not every GPU", () => {
    // 8 GPUs of which 2 prefill: 6 decode. Before, decode read 8 and output_tput_per_gpu was divided by 8, not 6
    expect(simpleTopology({ total: 8, prefill: 2 })).toMatchObject({
      gpus: 8,
      prefillGpus: 2,
      decodeGpus: 6,
    });
    expect(simpleTopology({ total: 8, decode: 6 })).toMatchObject({
      gpus: 8,
      prefillGpus: 2,
      decodeGpus: 6,
    });
  });

  it("divides output throughput by the decode pool it derives (METRICS.md, per GPU)", () => {
    // one request: sent 0, tokens at 100 and 200 ms, ends 200 ms; 100 prompt and 12 output tokens over 0.2 s
    const record: RequestRecord = {
      index: 0,
      warmup: false,
      tSched: 0,
      tSend: 0,
      tEnd: 200,
      events: [
        { t: 100, kind: "content" },
        { t: 200, kind: "content" },
      ],
      promptTokens: 100,
      outputTokens: 12,
      outputTokensSource: "usage",
    };
    const topo = simpleTopology({ total: 8, prefill: 2 });
    const { metrics: m } = aggregatePoint([record], {
      gpus: { total: topo.gpus, prefill: topo.prefillGpus, decode: topo.decodeGpus },
    });
    expect(m.tputPerGpu).toBeCloseTo(112 / 0.2 / 8, 9);
    expect(m.inputTputPerGpu).toBeCloseTo(100 / 0.2 / 2, 9);
    expect(m.outputTputPerGpu).toBeCloseTo(12 / 0.2 / 6, 9);
  });
});
