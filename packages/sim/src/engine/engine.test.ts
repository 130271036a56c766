import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { kvTransferSeconds } from "../perf/kv-transfer.js";
import { stepCosts } from "../perf/step-time.js";
import { workerModel } from "../perf/worker-model.js";
import { EngineSim } from "./engine.js";
import { runWorkload } from "./run-workload.js";

describe("engine conservation", () => {
  it("completes every admitted request with exactly its requested output tokens", () => {
    const cfg = resolveSimConfig({
      model: "dsr1",
      hardware: "h200",
      tp: 8,
      spec: { method: "mtp", draftTokens: 2, acceptanceLength: 2.3 },
    });
    const tls = runWorkload(cfg, {
      isl: 1000,
      osl: 300,
      concurrency: 16,
      requests: 60,
      rangeRatio: 0.5,
      seed: 7,
    });
    expect(tls.filter(Boolean)).toHaveLength(60);
    let requested = 0;
    let produced = 0;
    for (const tl of tls) {
      const n = tl.stepTokens.reduce((s, x) => s + x, 0);
      expect(n).toBe(tl.osl);
      requested += tl.osl;
      produced += n;
      expect(tl.end).toBeGreaterThanOrEqual(tl.arrival);
    }
    expect(produced).toBe(requested);
  });

  it("conserves tokens through preemptions when the KV cache is tight", () => {
    // a GPU just big enough for Llama-70B BF16 weights plus ~40 blocks of KV
    const base = resolveSimConfig({ model: "llama70b", hardware: "h200", precision: "bf16" });
    const w = workerModel(base, base.pools[0]!);
    const hbmGb =
      (w.residentWeightBytesPerGpu + 2e9 + (40 * 64 * w.kvStoredBytesPerToken) / 0.9) / 1e9;
    const cfg = resolveSimConfig({
      model: "llama70b",
      hardware: { ...base.gpu, hbmGb },
      precision: "bf16",
    });
    const tls = runWorkload(cfg, { isl: 300, osl: 400, concurrency: 8, requests: 20 });
    expect(tls.every((tl) => tl.stepTokens.reduce((s, x) => s + x, 0) === 400)).toBe(true);
    expect(tls.reduce((s, tl) => s + tl.preemptions, 0)).toBeGreaterThan(0);
  });
});

describe("KV capacity", () => {
  it("admits exactly floor(capacity blocks / blocks per request) requests at once", () => {
    const base = resolveSimConfig({ model: "llama70b", hardware: "h200", precision: "bf16" });
    const w = workerModel(base, base.pools[0]!);
    const hbmGb =
      (w.residentWeightBytesPerGpu + 2e9 + (100.5 * 64 * w.kvStoredBytesPerToken) / 0.9) / 1e9;
    const cfg = resolveSimConfig({
      model: "llama70b",
      hardware: { ...base.gpu, hbmGb },
      precision: "bf16",
    });
    const blocks = Math.floor(workerModel(cfg, cfg.pools[0]!).kvCapacityTokens / 64);
    expect(blocks).toBe(100);
    const sim = new EngineSim(cfg);
    // isl 191 + 1 generated token = 192 tokens = 3 blocks each; osl 1 so nothing grows
    for (let i = 0; i < 50; i++) sim.submit({ id: i, isl: 191, osl: 1, arrival: 0 });
    let maxRunning = 0;
    let maxUsage = 0;
    do {
      const l = sim.load();
      maxRunning = Math.max(maxRunning, l.running);
      maxUsage = Math.max(maxUsage, l.kvUsage);
    } while (sim.processNext());
    expect(maxRunning).toBe(33);
    expect(maxUsage).toBeCloseTo(0.99, 10);
  });
});

describe("prefix cache", () => {
  it("skips the cached part of the prompt", () => {
    const cfg = resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8 });
    const tls = runWorkload(cfg, {
      isl: 4096,
      osl: 4,
      concurrency: 1,
      requests: 3,
      prefixLength: 3968,
    });
    expect(tls.map((t) => t.cachedTokens)).toEqual([0, 3968, 3968]);
    const ttft = tls.map((t) => t.stepEnds[0]! - t.arrival);
    expect(ttft[1]!).toBeLessThan(ttft[0]! / 2);
    const w = workerModel(cfg, cfg.pools[0]!);
    // the second request prefills the 128 uncached tokens only, attending to the cached 3968
    const expected = stepCosts(w, {
      decodeRequests: 0,
      decodeContext: 0,
      prefillTokens: 128,
      prefillPairs: 128 * (3968 + 64),
    }).total;
    expect(ttft[1]!).toBeCloseTo(expected, 9);
  });
});

describe("disaggregation", () => {
  it("includes the KV transfer in TTFT", () => {
    const cfg = resolveSimConfig({
      model: "dsr1",
      hardware: "h200",
      disaggregated: true,
      prefill: { tp: 8, workers: 1 },
      decode: { tp: 8, workers: 1 },
      efficiency: { comm: 0.6 },
    });
    const [tl] = runWorkload(cfg, { isl: 2048, osl: 8, concurrency: 1, requests: 1 });
    const pre = workerModel(cfg, cfg.pools[0]!);
    const prefill = stepCosts(pre, {
      decodeRequests: 0,
      decodeContext: 0,
      prefillTokens: 2048,
      prefillPairs: 2048 * 1024,
    }).total;
    const transfer = kvTransferSeconds(cfg, 2048);
    // 16 GPUs exceed the 8-GPU NVLink domain: 2048 x 35,136 B (FP8 latent) over 8 NICs of 50 GB/s at 0.6
    expect(transfer).toBeCloseTo((2048 * 35136) / (8 * 50e9 * 0.6) + 500e-6, 12);
    expect(tl!.stepEnds[0]! - tl!.arrival).toBeCloseTo(prefill + transfer, 9);
  });
});

describe("abort", () => {
  const collect = (sim: EngineSim) => {
    const finished = new Map<number, { aborted: boolean; tokens: number }>();
    sim.on((e) => {
      if (e.kind === "finish")
        finished.set(e.id, {
          aborted: e.timeline.aborted === true,
          tokens: e.timeline.stepTokens.reduce((s, x) => s + x, 0),
        });
    });
    return finished;
  };

  it("drops a running request at the end of the step in flight and frees its KV for the others", () => {
    const cfg = resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8 });
    const sim = new EngineSim(cfg);
    const finished = collect(sim);
    let tokensAfterAbort = 0;
    let aborted = false;
    sim.onTokens((e) => {
      if (aborted && e.kind === "tokens" && e.id === 0) tokensAfterAbort += e.count;
    });
    sim.submit({ id: 0, isl: 1000, osl: 500, arrival: 0 });
    sim.submit({ id: 1, isl: 1000, osl: 500, arrival: 0 });
    while (sim.counters.generationTokens < 40) sim.processNext();
    const usage = sim.load().kvUsage;
    expect(sim.abort(0)).toBe(true);
    aborted = true;
    sim.processNext(); // the step in flight ends; request 0 leaves with its blocks
    expect(finished.get(0)).toMatchObject({ aborted: true });
    expect(sim.load().running).toBe(1);
    expect(sim.load().kvUsage).toBeLessThan(usage * 0.6);
    while (sim.processNext());
    expect(tokensAfterAbort).toBe(0);
    expect(finished.get(1)).toEqual({ aborted: false, tokens: 500 });
    expect(sim.counters).toMatchObject({ aborted: 1, finished: 1 });
    expect(sim.load()).toEqual({ running: 0, waiting: 0, kvUsage: 0 });
    expect(sim.abort(0)).toBe(false);
    expect(sim.abort(1)).toBe(false);
  });

  it("drops a waiting request at once, before it is admitted", () => {
    const cfg = resolveSimConfig({
      model: "dsr1",
      hardware: "h200",
      tp: 8,
      engine: { maxRunningRequests: 1 },
    });
    const sim = new EngineSim(cfg);
    const finished = collect(sim);
    sim.submit({ id: 0, isl: 100, osl: 50, arrival: 0 });
    sim.submit({ id: 1, isl: 100, osl: 50, arrival: 0 });
    expect(sim.load()).toMatchObject({ running: 1, waiting: 1 });
    expect(sim.abort(1)).toBe(true);
    expect(finished.get(1)).toEqual({ aborted: true, tokens: 0 });
    expect(sim.load()).toMatchObject({ running: 1, waiting: 0 });
    while (sim.processNext());
    expect(finished.get(0)).toEqual({ aborted: false, tokens: 50 });
  });
});

describe("KV accounting with the prefix cache", () => {
  // Llama 70B BF16 on TP8 H100s with room for exactly 20 blocks of 64 tokens
  const tinyKv = () => {
    const base = resolveSimConfig({
      model: "llama70b",
      hardware: "h100",
      tp: 8,
      precision: "bf16",
    });
    const w = workerModel(base, base.pools[0]!);
    const hbmGb =
      (w.residentWeightBytesPerGpu + 2e9 + (20.5 * 64 * w.kvStoredBytesPerToken) / 0.9) / 1e9;
    return resolveSimConfig({
      model: "llama70b",
      hardware: { ...base.gpu, hbmGb },
      tp: 8,
      precision: "bf16",
    });
  };
  const prefix = [101, 102, 103, 104, 105];

  it("reads 0 KV usage when idle, however much the prefix cache holds (vLLM counts cached blocks as free)", () => {
    const sim = new EngineSim(tinyKv());
    sim.submit({ id: 0, isl: 6 * 64, osl: 1, arrival: 0, prefixHashes: [...prefix, 900] });
    while (sim.processNext());
    expect(sim.load()).toEqual({ running: 0, waiting: 0, kvUsage: 0 });
  });

  it("does not evict the cached blocks a request is admitted with (they were freed and still held)", () => {
    const sim = new EngineSim(tinyKv());
    const finished: number[] = [];
    sim.on((e) => {
      if (e.kind === "finish") finished.push(e.id);
    });
    // A leaves its 6 prompt blocks cached, B takes 13 of the 14 free blocks and keeps decoding
    sim.submit({ id: 0, isl: 6 * 64, osl: 1, arrival: 0, prefixHashes: [...prefix, 900] });
    while (sim.processNext());
    const own = Array.from({ length: 12 }, (_, i) => i + 1);
    sim.submit({ id: 1, isl: 12 * 64, osl: 200, arrival: 0, prefixHashes: own });
    for (let i = 0; i < 3; i++) sim.processNext();
    // C hits the 5 prefix blocks and needs 3 more, but only 2 can be had (the free block and A's sixth): it waits
    // for B. Before, the allocator evicted the two oldest prefix blocks to make room and C pinned them again, so
    // 21 of 20 blocks were in use and the books were 2 blocks short from then on.
    sim.submit({ id: 2, isl: 7 * 64, osl: 1, arrival: 0, prefixHashes: [...prefix, 901, 902] });
    sim.processNext();
    expect(sim.load()).toEqual({ running: 1, waiting: 1, kvUsage: 13 / 20 });
    while (sim.processNext());
    expect(finished).toEqual([0, 1, 2]);
    expect(sim.load()).toEqual({ running: 0, waiting: 0, kvUsage: 0 });
  });
});
