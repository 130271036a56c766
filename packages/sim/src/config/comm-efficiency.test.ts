import { describe, expect, it } from "vitest";
import { type StepCosts, stepCosts } from "../perf/step-time.js";
import { workerModel } from "../perf/worker-model.js";
import type { SimOptions } from "./options.js";
import { resolveSimConfig } from "./resolve.js";

const PROMPT = 8192;

/** One step that prefills a whole prompt of `PROMPT` tokens (causal: n^2 / 2 query-key pairs), with the defaults. */
function prefill(options: SimOptions): { costs: StepCosts; gpus: number } {
  const cfg = resolveSimConfig(options);
  const w = workerModel(cfg, cfg.pools[0]!);
  const costs = stepCosts(w, {
    decodeRequests: 0,
    decodeContext: 0,
    prefillTokens: PROMPT,
    prefillPairs: (PROMPT * PROMPT) / 2,
    prefillRequests: 1,
  });
  return { costs, gpus: cfg.pools[0]!.gpusPerWorker };
}

describe("tensor-parallel collectives of models the communication factor was not fitted on", () => {
  const llama = (tp: number) =>
    prefill({ model: "llama70b", hardware: "h100", tp, precision: "fp8" }).costs.total;

  it("make an 8k-token Llama-3.3-70B FP8 prefill on H100 faster at TP8 than at TP4 and TP2, at 30-70% of FP8 peak", () => {
    // Llama-3.3-70B by hand: 80 layers of hidden 8192, 64 query and 8 KV heads of 128, FFN 28672; the FLOPs an
    // 8k-token prompt needs, the output head left out (engines compute it for the last token only)
    const linear = 2 * 80 * (2 * 8192 * 64 * 128 + 2 * 8192 * 8 * 128 + 3 * 8192 * 28672) * PROMPT;
    const attention = 4 * 64 * 128 * 80 * ((PROMPT * PROMPT) / 2);
    const mfu = (tp: number) => {
      const { costs, gpus } = prefill({
        model: "llama70b",
        hardware: "h100",
        tp,
        precision: "fp8",
      });
      return (linear + attention) / (costs.total * gpus * 1979e12);
    };
    expect(llama(8)).toBeLessThan(llama(4));
    expect(llama(4)).toBeLessThan(llama(2));
    // at 0.175 of NVLink: 13% at TP8 (596 ms, 481 of them all-reduce) and 25% at TP4
    for (const tp of [2, 4, 8]) {
      expect(mfu(tp)).toBeGreaterThan(0.3);
      expect(mfu(tp)).toBeLessThan(0.7);
    }
  });

  it("do not make an 8k-token gpt-oss-120b FP4 prefill on B200 slower at TP2, TP4 or TP8 than on one GPU", () => {
    const t = (tp: number) =>
      prefill({ model: "gptoss120b", hardware: "b200", tp, precision: "fp4" }).costs.total;
    // at 0.175: 27 ms at TP1, 37 at TP2, 44 at TP8
    const one = t(1);
    for (const tp of [2, 4, 8]) expect(t(tp)).toBeLessThanOrEqual(one);
  });

  it("leave a Llama-3.3-70B TP8 decode step of 256 requests on H100 not all-reduce-dominated", () => {
    const cfg = resolveSimConfig({ model: "llama70b", hardware: "h100", tp: 8, precision: "fp8" });
    const c = stepCosts(workerModel(cfg, cfg.pools[0]!), {
      decodeRequests: 256,
      decodeContext: 256 * 1536,
      prefillTokens: 0,
      prefillPairs: 0,
    });
    // at 0.175: 18.4 of 32.8 ms
    expect(c.allReduce).toBeLessThan(c.total / 2);
    expect(c.allReduce).toBeLessThan(c.overhead);
  });
});
