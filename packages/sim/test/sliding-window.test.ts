import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DoesNotFitError } from "../src/errors.js";
import {
  assertFits,
  EngineSim,
  explainStep,
  loadModel,
  parseHfConfig,
  resolveSimConfig,
  stepCosts,
  workerModel,
} from "../src/index.js";

const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/sliding-window/${name}/config.json`, import.meta.url));

/** The model of a fixture on one H100 in BF16, and its worker. */
function onH100(name: string, hbmGb?: number) {
  const model = loadModel(fixture(name));
  const base = resolveSimConfig({ model, hardware: "h100", tp: 1, precision: "bf16" });
  const cfg = hbmGb
    ? resolveSimConfig({ model, hardware: { ...base.gpu, hbmGb }, tp: 1, precision: "bf16" })
    : base;
  return { model, cfg, w: workerModel(cfg, cfg.pools[0]!) };
}

/** A GPU's HBM with room for exactly `tokens` tokens of the model's KV (in every layer) at memory fraction 0.9. */
function hbmFor(name: string, tokens: number): number {
  const { w } = onH100(name);
  return (w.residentWeightBytesPerGpu + 2e9 + (tokens * w.kvStoredBytesPerToken) / 0.9) / 1e9;
}

const decode = (w: ReturnType<typeof workerModel>, requests: number, context: number) =>
  stepCosts(w, {
    decodeRequests: requests,
    decodeContext: requests * context,
    prefillTokens: 0,
    prefillPairs: 0,
  });

describe("sliding-window layers of a config.json without layer_types (they were costed as full attention)", () => {
  const attention = (name: string) => loadModel(fixture(name)).attention;

  it("derives which layers slide as the model type's transformers config does", () => {
    // MistralModel: every layer, when sliding_window is set; v0.2 and later set it null
    expect(attention("mistral-7b-v0.1")).toEqual({
      kind: "gqa",
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      slidingWindow: 4096,
      slidingLayers: 32,
    });
    expect(attention("mistral-7b-instruct-v0.2")).toEqual({
      kind: "gqa",
      heads: 32,
      kvHeads: 8,
      headDim: 128,
    });
    // Qwen2Config: no window unless use_sliding_window, and then from max_window_layers on (21 to 27)
    expect(attention("qwen2.5-7b-instruct")).toEqual({
      kind: "gqa",
      heads: 28,
      kvHeads: 4,
      headDim: 128,
    });
    expect(attention("qwen2-sliding-from-21")).toMatchObject({
      slidingWindow: 4096,
      slidingLayers: 7,
    });
    // Gemma2Config: the even layers
    expect(attention("gemma-2-9b")).toEqual({
      kind: "gqa",
      heads: 16,
      kvHeads: 8,
      headDim: 256,
      slidingWindow: 4096,
      slidingLayers: 21,
    });
    // Gemma3TextConfig: 5 local then 1 global, from sliding_window_pattern or listed in layer_types alike
    expect(attention("gemma-3-1b-pattern")).toEqual({
      kind: "gqa",
      heads: 4,
      kvHeads: 1,
      headDim: 256,
      slidingWindow: 512,
      slidingLayers: 22,
    });
    expect(attention("gemma-3-1b-layer-types")).toEqual(attention("gemma-3-1b-pattern"));
  });

  it("keeps gpt-oss's layer_types, which GptOssConfig's own alternation matches", () => {
    const listed = attention("gpt-oss-20b");
    expect(listed).toMatchObject({ slidingWindow: 128, slidingLayers: 12 });
    const { layer_types: _, ...unlisted } = JSON.parse(
      readFileSync(fixture("gpt-oss-20b"), "utf8"),
    );
    expect(parseHfConfig(unlisted).attention).toEqual(listed);
  });

  it("refuses a window whose layers it cannot tell, in one line", () => {
    const ref = fixture("starcoder2-7b");
    expect(() => loadModel(ref)).toThrow(
      `${ref}: sliding_window 4096 without layer_types: which layers slide is not known for model_type "starcoder2" (it is for cohere2, gemma2, gemma3_text, gpt_oss, mistral, mixtral, phi3, qwen2, qwen3); give layer_types, "full_attention" or "sliding_attention" for each layer`,
    );
  });
});

describe("KV cache and attention of sliding-window layers", () => {
  // Mistral-7B-v0.1 and -Instruct-v0.2 have the same shape; v0.1 slides over 4096 tokens in every layer
  const v01 = onH100("mistral-7b-v0.1");
  const v02 = onH100("mistral-7b-instruct-v0.2");

  it("stores the same bytes per token, and keeps at most the window of each request", () => {
    // 2 x 8 KV heads x 128 x 32 layers x 2 B (BF16)
    expect(v01.model.kvElementsPerToken).toBe(65_536);
    expect(v01.w.kvStoredBytesPerToken).toBe(131_072);
    expect(v02.w.kvStoredBytesPerToken).toBe(131_072);
    expect(v01.w.kvCapacityTokens).toBe(v02.w.kvCapacityTokens);
    const cap = v01.w.kvCapacityTokens;
    // requests of 16k tokens: v0.1 keeps 4096 of each (a worker held none: its capacity was Infinity tokens)
    const at16k = (m: typeof v01) =>
      explainStep({ model: m.model, hardware: "h100", tp: 1, precision: "bf16" }, 8, 16_384).memory;
    expect(at16k(v01)).toMatchObject({
      kvCapacityTokens: cap,
      maxBatchAtContext: Math.floor(cap / 4096),
    });
    expect(at16k(v02).maxBatchAtContext).toBe(Math.floor(cap / 16_384));
  });

  it("reads and attends to the window only past it; alike within it", () => {
    expect(decode(v01.w, 8, 4096)).toEqual(decode(v02.w, 8, 4096));
    const slid = decode(v01.w, 8, 16_384);
    const full = decode(v02.w, 8, 16_384);
    expect(slid.kvBytes).toBe(8 * 4096 * 131_072);
    expect(full.kvBytes).toBe(8 * 16_384 * 131_072);
    expect(slid.attention / full.attention).toBeCloseTo(0.25, 12);
    // a 16k-token prefill: each token sees at most 4096 keys, half the 8192 it sees on average under full attention
    const prefill = (w: typeof v01.w) =>
      stepCosts(w, {
        decodeRequests: 0,
        decodeContext: 0,
        prefillTokens: 16_384,
        prefillPairs: (16_384 * 16_384) / 2,
      }).attention;
    expect(prefill(v01.w) / prefill(v02.w)).toBeCloseTo(0.5, 12);
  });

  it("fits a context whose window fits, where full attention does not", () => {
    const hbmGb = hbmFor("mistral-7b-v0.1", 8192);
    expect(() => assertFits(onH100("mistral-7b-v0.1", hbmGb).cfg, 16_384)).not.toThrow();
    expect(() => assertFits(onH100("mistral-7b-instruct-v0.2", hbmGb).cfg, 16_384)).toThrow(
      DoesNotFitError,
    );
  });

  it("weighs each layer kind by its share: Qwen2 with 7 of 28 layers sliding, Gemma 2 with half", () => {
    const qwen = onH100("qwen2-sliding-from-21");
    // 2 x 4 KV heads x 128 x 28 layers x 2 B per token
    expect(qwen.w.kvStoredBytesPerToken).toBe(57_344);
    expect(decode(qwen.w, 4, 32_768).kvBytes).toBe(4 * (21 * 32_768 + 7 * 4096) * 2048);
    const off = onH100("qwen2.5-7b-instruct");
    expect(decode(off.w, 4, 32_768).kvBytes).toBe(4 * 32_768 * 57_344);
    const gemma = onH100("gemma-2-9b");
    // 2 x 8 KV heads x 256 x 42 layers x 2 B; a request of 8192 tokens keeps 4096 + 2048 of them
    expect(gemma.w.kvStoredBytesPerToken).toBe(344_064);
    expect(decode(gemma.w, 2, 8192).kvBytes).toBe(2 * 6144 * 344_064);
    const memory = explainStep(
      { model: gemma.model, hardware: "h100", tp: 1, precision: "bf16" },
      1,
      8192,
    ).memory;
    expect(memory.maxBatchAtContext).toBe(Math.floor(gemma.w.kvCapacityTokens / 6144));
  });
});

describe("the engine's KV blocks with sliding-window layers", () => {
  /** The most requests running at once, and the KV usage when all have finished. */
  function run(name: string, tokens: number) {
    const { cfg } = onH100(name, hbmFor(name, 200.5 * 64));
    const sim = new EngineSim(cfg);
    // a shared first 32 blocks, so that the prefix cache's books are kept too
    const hashes = (id: number) =>
      Array.from({ length: Math.floor((tokens - 1) / 64) }, (_, i) => (i < 32 ? i : id * 1000 + i));
    for (let id = 0; id < 6; id++)
      sim.submit({ id, isl: tokens - 1, osl: 1, arrival: 0, prefixHashes: hashes(id) });
    let most = 0;
    do most = Math.max(most, sim.load().running);
    while (sim.processNext());
    return { most, after: sim.load(), finished: sim.counters.finished };
  }

  it("admits as many long requests as their windows fit (200 blocks of 64 tokens: 128 each, or 64 in the window)", () => {
    expect(run("mistral-7b-instruct-v0.2", 8192).most).toBe(1);
    const slid = run("mistral-7b-v0.1", 8192);
    expect(slid.most).toBe(3);
    expect(slid.finished).toBe(6);
    expect(slid.after).toEqual({ running: 0, waiting: 0, kvUsage: 0 });
    // Gemma 2 holds 128 + 64 of its 400 half-layer blocks per request: 2 at once, and the books balance
    const gemma = run("gemma-2-9b", 8192);
    expect(gemma.most).toBe(2);
    expect(gemma.after).toEqual({ running: 0, waiting: 0, kvUsage: 0 });
  });
});
