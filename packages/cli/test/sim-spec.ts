import { TEST_HEALTH_BOUNDS } from "./tiny-spec.js";

/**
 * A one-point simulator sweep spec (dsr1 on h200, TP8, c1, 256/64, three requests at speed 10, loose client-health
 * bounds, `TEST_HEALTH_BOUNDS`), with `over` laid on top (`over.bench` on top of the bounds): the spec the sweep's
 * end-to-end tests run.
 */
export function simSpec(over: Record<string, unknown> = {}) {
  const { bench, ...rest } = over;
  return {
    name: "sim",
    model: "dsr1",
    modelId: "deepseek-ai/DeepSeek-R1-0528",
    hardware: "h200",
    framework: "sim",
    precision: "fp8",
    scenarios: [{ isl: 256, osl: 64, rangeRatio: 1 }],
    search: { tp: [8], concurrency: [1] },
    server: { kind: "simulator", speed: 10 },
    readiness: { timeoutS: 30, intervalS: 0.1 },
    limits: { requests: 3, warmupPerConcurrency: 1, requestTimeoutS: 60, stopGraceS: 5 },
    power: "none",
    ...rest,
    bench: { healthBounds: TEST_HEALTH_BOUNDS, ...(bench as object | undefined) },
  };
}
