import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { kvTransferSeconds } from "../perf/kv-transfer.js";
import { steadyState } from "../perf/steady-state.js";
import { workerModel } from "../perf/worker-model.js";
import { EngineSim } from "./engine.js";
import { runWorkload } from "./run-workload.js";
import type { RequestTimeline } from "./types.js";

// vLLM's (and TensorRT-LLM's) DP attention on a dense model runs every rank as a whole TP-1 replica with its own
// scheduler: a prompt is prefilled by the one GPU of the replica it lands on, not spread over the worker's ranks
const base = { model: "llama70b", hardware: "h200", precision: "fp8", framework: "vllm" } as const;
const dpa = resolveSimConfig({ ...base, tp: 8, dpAttention: true });
const one = resolveSimConfig({ ...base, tp: 1 });

const ttft = (tl: RequestTimeline) => tl.stepEnds[0]! - tl.arrival;
/** Output tokens per second over the whole run. */
function outputRate(tls: RequestTimeline[]): number {
  const tokens = tls.reduce((s, tl) => s + tl.osl, 0);
  return tokens / Math.max(...tls.map((tl) => tl.end));
}

describe("a dense model under DP attention schedules its ranks as TP-1 replicas", () => {
  const load = { isl: 1024, osl: 16, concurrency: 1, requests: 3 };

  it("prefills a prompt at concurrency 1 in the time one TP-1 GPU takes (Llama-3.3-70B, vLLM, 1,024 tokens)", () => {
    const t8 = ttft(runWorkload(dpa, load)[0]!);
    const t1 = ttft(runWorkload(one, load)[0]!);
    // one H200 prefills 1,024 tokens of a 70B FP8 model in about 0.1 s
    expect(t1).toBeGreaterThan(0.08);
    expect(Math.abs(t8 / t1 - 1)).toBeLessThan(0.03);
  });

  it("does the same under TensorRT-LLM, and SGLang still spreads the prompt's MLP over the 8 GPUs", () => {
    const at = (framework: string, tp: number, dpAttention: boolean) =>
      ttft(runWorkload(resolveSimConfig({ ...base, framework, tp, dpAttention }), load)[0]!);
    const trt1 = at("trt", 1, false);
    expect(Math.abs(at("trt", 8, true) / trt1 - 1)).toBeLessThan(0.03);
    // SGLang's --enable-dp-attention gathers every rank's tokens into an MLP split over TP
    expect(at("sglang", 8, true)).toBeLessThan(at("sglang", 1, false) / 3);
  });

  it("gives the same TTFT in the mean-field steady state that `sim validate` predicts with", () => {
    const p8 = steadyState(dpa, 1024, 1024, 1);
    const p1 = steadyState(one, 1024, 1024, 1);
    expect(Math.abs(p8.ttftS / p1.ttftS - 1)).toBeLessThan(0.03);
    expect(Math.abs(p8.tpotS / p1.tpotS - 1)).toBeLessThan(0.03);
  });

  it("serves 8 times one replica's throughput at high load, each replica with its own running cap and KV", () => {
    const load = { isl: 1024, osl: 128, requests: 0 };
    const r8 = outputRate(runWorkload(dpa, { ...load, concurrency: 8 * 64, requests: 8 * 192 }));
    const r1 = outputRate(runWorkload(one, { ...load, concurrency: 64, requests: 192 }));
    expect(r8 / r1).toBeGreaterThan(7.6);
    expect(r8 / r1).toBeLessThan(8.4);
    // the steady state agrees, per GPU: a TP-1 replica's throughput on each of the 8 GPUs
    const s8 = steadyState(dpa, 1024, 1024, 8 * 256);
    const s1 = steadyState(one, 1024, 1024, 256);
    expect(Math.abs(s8.outputTputPerGpu / s1.outputTputPerGpu - 1)).toBeLessThan(0.03);
    expect(s8.batchPerWorker).toBeCloseTo(s1.batchPerWorker, 9);
  });

  it("runs at most the engine's running-request cap on each replica and holds a TP-1 replica's KV on each", () => {
    const capped = resolveSimConfig({
      ...base,
      tp: 8,
      dpAttention: true,
      engine: { maxRunningRequests: 16 },
    });
    const sim = new EngineSim(capped);
    for (let id = 0; id < 8 * 40; id++) sim.submit({ id, isl: 1024, osl: 64, arrival: 0 });
    // each replica's first step prefills the one request it admitted on arrival; then it fills up to its cap
    for (let replica = 0; replica < 8; replica++) sim.processNext();
    expect(sim.load()).toMatchObject({ running: 8 * 16, waiting: 8 * 24 });
    // the KV in use is 8 x 16 requests' blocks over 8 replicas' caches, each a TP-1 worker's
    const w1 = workerModel(one, one.pools[0]!);
    const blocks = Math.floor(w1.kvCapacityTokens / capped.engine.blockSize);
    const used = 8 * 16 * Math.ceil((1024 + 1) / capped.engine.blockSize);
    expect(sim.load().kvUsage).toBeCloseTo(used / (8 * blocks), 12);
  });

  it("prefills on one replica's GPU in a disaggregated prefill pool, and sends its KV over that GPU's link", () => {
    const disagg = (tp: number, dpAttention: boolean, workers: number) =>
      resolveSimConfig({
        ...base,
        disaggregated: true,
        prefill: { tp, dpAttention, workers },
        decode: { tp: 8, workers: 1 },
      });
    const d8 = disagg(8, true, 1);
    const d1 = disagg(1, false, 8);
    expect(kvTransferSeconds(d8, 1024)).toBe(kvTransferSeconds(d1, 1024));
    const t8 = ttft(runWorkload(d8, load)[0]!);
    expect(Math.abs(t8 / ttft(runWorkload(d1, load)[0]!) - 1)).toBeLessThan(0.03);
    expect(
      Math.abs(steadyState(d8, 1024, 1024, 64).ttftS / steadyState(d1, 1024, 1024, 64).ttftS - 1),
    ).toBeLessThan(0.03);
  });
});
