import { join } from "node:path";
import { REPO_ROOT } from "./helpers.js";

/**
 * The sweep tests' engine (`fixtures/sweep/engine.mjs`): a tiny OpenAI-compatible server whose flags make it load
 * slowly, die, ignore SIGTERM, lack /metrics or want an API key.
 */
export const ENGINE = join(REPO_ROOT, "packages/cli/test/fixtures/sweep/engine.mjs");
/** Declares the engine's model, `tiny`, which the catalog lacks: the INFERMARK_CATALOG of a sweep of `tinySpec`. */
export const TINY_CATALOG = join(REPO_ROOT, "packages/cli/test/fixtures/sweep/tiny-catalog.yaml");

/**
 * Client-health bounds that a loaded test machine (2 cores, test files in parallel) stays within: the tests' points are
 * valid unless a test makes them invalid, since an invalid point fails the sweep (exit 1). `over.bench` is laid on
 * top of `{ healthBounds: TEST_HEALTH_BOUNDS }`.
 */
export const TEST_HEALTH_BOUNDS = {
  eventLoopDelayP99Ms: 2000,
  sendLagP99Ms: 2000,
  loopUtilization: 1,
};

/**
 * A sweep spec of the engine on `port` (`tiny` on h200, vLLM FP8, TP1, 32/8 tokens, levels 1 and 2, two requests
 * each, no warm-up, no power, loose client-health bounds), its command `node engine.mjs --port {{port}} --model {{modelId}}` with `engineFlags`
 * after it, and `over` laid on top.
 * @example tinySpec(await freePort(), { power: "nvidia-smi" }, " --no-metrics")
 */
export function tinySpec(port: number, over: Record<string, unknown> = {}, engineFlags = "") {
  const { bench, ...rest } = over;
  return {
    name: "tiny",
    model: "tiny",
    modelId: "tiny-model",
    hardware: "h200",
    framework: "vllm",
    precision: "fp8",
    scenarios: [{ isl: 32, osl: 8, rangeRatio: 1 }],
    search: { tp: [1], concurrency: [1, 2] },
    server: {
      kind: "command",
      command: `node ${ENGINE} --port {{port}} --model {{modelId}}${engineFlags}`,
      port,
    },
    readiness: { timeoutS: 10, intervalS: 0.1 },
    limits: {
      requestsPerConcurrency: 2,
      warmupPerConcurrency: 0,
      stopGraceS: 2,
      requestTimeoutS: 10,
    },
    power: "none",
    ...rest,
    bench: { healthBounds: TEST_HEALTH_BOUNDS, ...(bench as object | undefined) },
  };
}
