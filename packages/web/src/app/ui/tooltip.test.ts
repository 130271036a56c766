import { PointResult } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { parallelism, pointTooltip } from "./tooltip.js";

const point = (t: Record<string, unknown>) =>
  PointResult.parse({
    schema: "infermark.point/v1",
    run: { source: "imported", date: "2026-05-20" },
    config: {
      model: "dsr1",
      hardware: "h200",
      framework: "sglang",
      precision: "fp8",
      topology: t,
      workload: { isl: 1024, osl: 1024 },
      load: { mode: "concurrency", concurrency: 4 },
    },
    metrics: { tputPerGpu: 100, intvty: { median: 100 } },
    validity: { valid: true },
  });
const topology = (t: Record<string, unknown>) => point(t).config.topology;

describe("tooltip parallelism", () => {
  it("gives an aggregated deployment's one pool without calling it prefill and decode", () => {
    const tp8 = { tp: 8, ep: 1, gpus: 8 };
    const agg = { gpus: 8, prefillGpus: 8, decodeGpus: 8, prefill: tp8, decode: tp8 };
    expect(parallelism(topology(agg))).toBe("TP8 EP1, 8 GPUs");
    const html = pointTooltip(
      { id: "p", point: point(agg) },
      { xName: "x", yName: "y", x: 1, y: 2 },
    );
    expect(html).toContain("<th>parallelism</th><td>TP8 EP1, 8 GPUs</td>");
  });

  it("names the pools of a disaggregated deployment, with PP and worker counts above one", () => {
    const t = topology({
      disaggregated: true,
      gpus: 24,
      prefillGpus: 8,
      decodeGpus: 16,
      prefill: { tp: 4, pp: 2, ep: 1, workers: 1, gpus: 8 },
      decode: { tp: 8, ep: 8, dpAttention: true, workers: 2, gpus: 16 },
    });
    expect(parallelism(t)).toBe(
      "prefill: TP4 PP2 EP1, 8 GPUs; decode: TP8 EP8 DPA ×2 workers, 16 GPUs",
    );
  });

  it("says – when the topology gives no pools", () => {
    expect(parallelism(topology({ gpus: 8, prefillGpus: 8, decodeGpus: 8 }))).toBe("–");
  });
});
