import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

interface Point {
  metrics: { tputPerGpu: number };
}

const PREDICT = ["sim", "predict", "--model", "llama70b", "--hardware", "h200", "--isl", "1024"];
const predict = async (...flags: string[]) => {
  const r = await runCli([...PREDICT, "--osl", "1024", "--concurrency", "64", "--json", ...flags]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as Point[])[0]!.metrics.tputPerGpu;
};

describe("infermark sim predict --dp-attention on a dense model runs each rank as a whole replica", () => {
  it("predicts Llama-3.3-70B FP8 on 8 H200s at --tp 8 --dp-attention as 8 workers of --tp 1", async () => {
    const [dpa, replicas] = await Promise.all([
      predict("--precision", "fp8", "--tp", "8", "--dp-attention"),
      predict("--precision", "fp8", "--gpus", "8", "--tp", "1"),
    ]);
    expect(Math.abs(dpa / replicas - 1)).toBeLessThan(0.01);
  });

  it("refuses BF16 in one line: the whole 141 GB of weights on each GPU, and says to drop --dp-attention", async () => {
    const r = await runCli([
      ...PREDICT,
      ...["--osl", "1024", "--precision", "bf16", "--tp", "8", "--dp-attention"],
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("weights 141.1 GB");
    expect(r.stderr).toContain(
      "each GPU holds the whole model under DP attention (a dense model's ranks are replicas, so more tp does not help): drop --dp-attention to split it over tp 8, or use a lower precision",
    );
  });
});
