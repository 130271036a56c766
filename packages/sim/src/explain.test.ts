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
