import { PointResult } from "@infermark/core";
import type { Item } from "../../src/app/logic/types.js";

/** What varies between the test points; everything else is a fixed 8-GPU aggregated DeepSeek-R1 1k/1k config. */
export interface PointSpec {
  id: string;
  hardware?: string;
  framework?: string;
  precision?: string;
  source?: "measured" | "simulated" | "imported";
  date?: string;
  concurrency: number;
  intvty: number;
  tput: number;
  isl?: number;
  /** measured J per total token (the point has no energy without it) */
  jPerToken?: number;
  /**
   * how many times below Little's law its output throughput is (core's throughputConsistency: over 4 is flagged);
   * @default 1 (the output tokens counted are those its concurrency, E2EL and throughput imply)
   */
  belowLittle?: number;
}

/** The completed requests of every test point: with its output tokens, they set its tokens per request. */
const COMPLETED = 1000;

/**
 * A schema-valid PointResult item with the given interactivity (median) and throughput per GPU, its E2EL 1000 /
 * interactivity s, and as many output tokens per request as make it consistent with Little's law (concurrency x
 * tokens / E2EL = its output tokens/s), or `belowLittle` times more.
 */
export function makeItem(s: PointSpec): Item {
  const point = PointResult.parse({
    schema: "infermark.point/v1",
    run: { source: s.source ?? "imported", date: s.date ?? "2025-06-01" },
    config: {
      model: "dsr1",
      hardware: s.hardware ?? "h200",
      framework: s.framework ?? "sglang",
      precision: s.precision ?? "fp8",
      topology: { gpus: 8, prefillGpus: 8, decodeGpus: 8 },
      workload: { isl: s.isl ?? 1024, osl: 1024 },
      load: { mode: "concurrency", concurrency: s.concurrency },
    },
    metrics: {
      tputPerGpu: s.tput,
      inputTputPerGpu: s.tput / 2,
      outputTputPerGpu: s.tput / 2,
      intvty: { median: s.intvty },
      e2el: { median: 1000 / s.intvty },
      ttft: { median: 0.1 },
      completed: COMPLETED,
      // output tok/s = tput / 2 per GPU x 8 GPUs; E2EL = 1000 / intvty
      outputTokens:
        (COMPLETED * (s.belowLittle ?? 1) * 4 * s.tput * (1000 / s.intvty)) / s.concurrency,
    },
    ...(s.jPerToken !== undefined
      ? { energy: { kind: "measured", jPerTotalToken: s.jPerToken, valid: true } }
      : {}),
    validity: { valid: true },
  });
  return { id: s.id, point };
}

/** Group A (h200): a frontier (10, 1000), (20, 800), (30, 300) and one point beaten by (30, 300). */
export const GROUP_A: Item[] = [
  makeItem({ id: "a1", concurrency: 1, intvty: 10, tput: 1000 }),
  makeItem({ id: "a2", concurrency: 2, intvty: 20, tput: 800 }),
  makeItem({ id: "a3", concurrency: 4, intvty: 30, tput: 300 }),
  makeItem({ id: "a4", concurrency: 8, intvty: 25, tput: 200 }),
];

/** Group B (b200): two points, (10, 2000) and (40, 500). */
export const GROUP_B: Item[] = [
  makeItem({ id: "b1", hardware: "b200", concurrency: 1, intvty: 10, tput: 2000 }),
  makeItem({ id: "b2", hardware: "b200", concurrency: 2, intvty: 40, tput: 500 }),
];

export const KEY_A = "dsr1|1024|1024|random|h200|sglang|fp8|none|agg";
export const KEY_B = "dsr1|1024|1024|random|b200|sglang|fp8|none|agg";
