import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "./config/resolve.js";
import { explainStep } from "./explain.js";
import { stepCosts } from "./perf/step-time.js";
import { workerModel } from "./perf/worker-model.js";

/** explain's rows beside the step model's costs: DeepSeek-R1 on B200, TP8 x `pp` stages, 32 requests at 1536 tokens. */
function explainAndModel(pp: number) {
  const sim = { model: "dsr1", hardware: "b200", tp: 8, pp } as const;
  const { decode } = explainStep(sim, 32, 1536);
  const row = (name: string) => decode.terms.find((t) => t.name === name)!;
  const cfg = resolveSimConfig(sim);
  const w = workerModel(cfg, cfg.pools[0]!);
  const costs = stepCosts(w, {
    decodeRequests: 32,
    decodeContext: 32 * 1536,
    prefillTokens: 0,
    prefillPairs: 0,
  });
  return { row, memBw: w.memBw, costs };
}

describe("explainStep with pipeline stages", () => {
  it("names one stage's bytes per GPU (the weights row named the whole model's)", () => {
    const { row } = explainAndModel(2);
    expect(row("weights").detail).toBe(
      "27.14 GB/GPU read in each of 2 pipeline stages (163.3 of 256 experts per layer)",
    );
    expect(row("kv-read").detail).toBe("0.86 GB/GPU in each of 2 pipeline stages");
    expect(row("all-reduce").detail).toBe("attention TP 8 + 1 pipeline hand-off");
    expect(explainAndModel(1).row("weights").detail).toBe(
      "54.27 GB/GPU read (163.3 of 256 experts per layer)",
    );
  });

  it.each([1, 2, 4])("at pp %i its memory rows are the step model's terms", (pp) => {
    const { row, memBw, costs } = explainAndModel(pp);
    expect(row("weights").seconds).toBe(costs.weights);
    expect(row("kv-read").seconds).toBe(costs.kv);
    // a step crosses the stages one after the other, each stage's GPUs reading their share
    expect(row("weights").gbPerGpu! * 1e9 * pp).toBeCloseTo(costs.weightBytes, 3);
    expect(row("kv-read").gbPerGpu! * 1e9 * pp).toBeCloseTo(costs.kvBytes, 3);
    expect((row("weights").gbPerGpu! * 1e9 * pp) / memBw).toBeCloseTo(costs.weights, 15);
  });

  it("halves the bytes per GPU over two stages and reads them twice: the same weights time", () => {
    const [one, two] = [explainAndModel(1).row, explainAndModel(2).row];
    expect(two("weights").gbPerGpu! * 2).toBeCloseTo(one("weights").gbPerGpu!, 12);
    expect(two("weights").seconds).toBeCloseTo(one("weights").seconds, 15);
  });
});

describe("explainStep's bound", () => {
  // Llama 3.3 70B FP8 on one H200, 256 requests at 1024 tokens: the GEMMs (24.3 ms at the FP8 peak) hide the
  // weight reads (18.4 ms), so the step is 24.3 ms of compute, 11.2 of KV reads and 4 of overhead
  const sim = { model: "llama70b", hardware: "h200", tp: 1, precision: "fp8" } as const;

  it("counts only the term of each max() that the step waits for (it was memory-bound by summing both)", () => {
    const { decode } = explainStep(sim, 256, 1024);
    const s = (name: string) => decode.terms.find((t) => t.name === name)!.seconds;
    expect(s("linear")).toBeGreaterThan(s("weights"));
    expect(s("weights") + s("kv-read")).toBeGreaterThan(s("linear") + s("attention"));
    expect(decode.bound).toBe("compute");
  });

  it("says which terms the step does not wait for", () => {
    const { decode } = explainStep(sim, 256, 1024);
    const detail = (name: string) => decode.terms.find((t) => t.name === name)!.detail;
    expect(detail("weights")).toBe("70.55 GB/GPU read; hidden: the step takes the larger linear");
    expect(detail("linear")).toBe("256 tokens through the GEMMs");
    expect(detail("attention")).toBe(
      "256 x 1024 context; hidden: the step takes the larger kv-read",
    );
    expect(detail("kv-read")).toBe("42.95 GB/GPU");
  });
});

describe("explainStep refuses a step the engine could never run", () => {
  const sim = { model: "dsr1", hardware: "b200", tp: 8 } as const;

  it("refuses a context or a prefill past the model's context length (500,000 tokens read 1,124 GB per GPU)", () => {
    expect(() => explainStep(sim, 1, 500_000)).toThrow(
      "a context of 500000 tokens exceeds the context length of dsr1, 163840 tokens",
    );
    expect(() => explainStep(sim, 1, 1536, 163_841)).toThrow(
      "a prefill of 163841 tokens exceeds the context length of dsr1, 163840 tokens",
    );
    expect(explainStep(sim, 1, 163_840, 163_840).context).toBe(163_840);
  });

  it("refuses a batch whose KV does not fit the worker's cache, naming how many requests fit", () => {
    const fits = explainStep(sim, 1, 16_384).memory.maxBatchAtContext;
    expect(fits).toBe(146);
    expect(explainStep(sim, fits, 16_384).batch).toBe(fits);
    expect(() => explainStep(sim, fits + 1, 16_384)).toThrow(
      "a batch of 147 requests of 16384 tokens does not fit the KV cache of a worker, 2405314 tokens: at most 146 requests at this context",
    );
  });

  it("refuses a batch over the engine's running requests per scheduler, which DP attention multiplies", () => {
    const engine = { maxRunningRequests: 16 };
    expect(() => explainStep({ ...sim, engine }, 17, 1024)).toThrow(
      "a batch of 17 requests exceeds the 16 running requests of a worker (engine limit maxRunningRequests)",
    );
    const dep = { ...sim, ep: 8, dpAttention: true, engine };
    expect(explainStep(dep, 128, 1024).batch).toBe(128);
    expect(() => explainStep(dep, 129, 1024)).toThrow(
      "a batch of 129 requests exceeds the 128 running requests of a worker (engine limit maxRunningRequests, per DP-attention rank)",
    );
  });
});

describe("explainStep of a dense model under DP attention", () => {
  it("prefills the prompt on one replica's GPU, as --tp 1 does (it was spread over the 8 ranks)", () => {
    const base = { model: "llama70b", hardware: "h200", framework: "vllm" } as const;
    const dp = explainStep({ ...base, tp: 8, dpAttention: true }, 8, 1024);
    const one = explainStep({ ...base, tp: 1 }, 1, 1024);
    expect(dp.prefill.totalS).toBeCloseTo(one.prefill.totalS, 6);
    expect(dp.prefill.totalS).toBeGreaterThan(0.09);
  });
});
