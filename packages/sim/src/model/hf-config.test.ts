import { getModel, type ModelSpec } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { SimConfigError } from "../errors.js";
import { modelShape } from "../perf/model-shape.js";
import { stepCosts } from "../perf/step-time.js";
import { workerModel } from "../perf/worker-model.js";
import { parseHfConfig } from "./hf-config.js";

// the fields of deepseek-ai/DeepSeek-R1-0528 config.json that the parser reads
const DSR1 = {
  _name_or_path: "deepseek-ai/DeepSeek-R1-0528",
  num_hidden_layers: 61,
  hidden_size: 7168,
  num_attention_heads: 128,
  vocab_size: 129280,
  q_lora_rank: 1536,
  kv_lora_rank: 512,
  qk_rope_head_dim: 64,
  qk_nope_head_dim: 128,
  v_head_dim: 128,
  n_routed_experts: 256,
  num_experts_per_tok: 8,
  n_shared_experts: 1,
  moe_intermediate_size: 2048,
  intermediate_size: 18432,
  first_k_dense_replace: 3,
  max_position_embeddings: 163840,
};

// meta-llama/Llama-3.3-70B-Instruct
const LLAMA70B = {
  num_hidden_layers: 80,
  hidden_size: 8192,
  num_attention_heads: 64,
  num_key_value_heads: 8,
  vocab_size: 128256,
  intermediate_size: 28672,
  max_position_embeddings: 131072,
};

describe("parseHfConfig", () => {
  it("reads DeepSeek-R1 as MLA + MoE with the catalog's shape", () => {
    const m = parseHfConfig(DSR1, "r1");
    expect(m.key).toBe("r1");
    expect(m.hfId).toBe("deepseek-ai/DeepSeek-R1-0528");
    expect(m.attention).toEqual({
      kind: "mla",
      heads: 128,
      qLoraRank: 1536,
      kvLoraRank: 512,
      ropeDim: 64,
      nopeDim: 128,
      vDim: 128,
    });
    expect(m.moe).toEqual({
      routedExperts: 256,
      topK: 8,
      sharedExperts: 1,
      expertFfn: 2048,
      denseLayers: 3,
      denseFfn: 18432,
    });
    // (512 + 64) x 61 latent elements per token
    expect(m.kvElementsPerToken).toBe(35136);
    expect(m.maxContext).toBe(163840);
    // the parameter counts equal those of the catalog entry
    expect(modelShape(m).total).toBe(modelShape(getModel("dsr1")).total);
  });

  it("reads Llama-3.3-70B as GQA with K and V of 8 heads x 128 per layer", () => {
    const m = parseHfConfig(LLAMA70B);
    expect(m.attention).toEqual({ kind: "gqa", heads: 64, kvHeads: 8, headDim: 128 });
    expect(m.kvElementsPerToken).toBe(2 * 8 * 128 * 80); // 163840
    expect(m.ffn).toBe(28672);
    expect(m.moe).toBeUndefined();
    expect(m.key).toBe("hf-model");
  });

  it("reads Mixtral-style MoE fields and sliding-window layers", () => {
    const m = parseHfConfig({
      ...LLAMA70B,
      num_local_experts: 8,
      num_experts_per_tok: 2,
      sliding_window: 4096,
      // one per layer, as transformers checks: 40 of the 80 slide
      layer_types: Array.from({ length: 80 }, (_, i) =>
        i % 2 ? "full_attention" : "sliding_attention",
      ),
    });
    expect(m.moe).toEqual({
      routedExperts: 8,
      topK: 2,
      sharedExperts: 0,
      expertFfn: 28672,
      denseLayers: 0,
      denseFfn: 0,
    });
    expect(m.attention).toMatchObject({ slidingWindow: 4096, slidingLayers: 40 });
  });

  it("counts a Qwen-MoE shared expert at its own width (Qwen1.5-MoE-A2.7B: 14.3B, 2.7B active)", () => {
    const m = parseHfConfig({
      num_hidden_layers: 24,
      hidden_size: 2048,
      num_attention_heads: 16,
      num_key_value_heads: 16,
      vocab_size: 151936,
      intermediate_size: 5632,
      moe_intermediate_size: 1408,
      shared_expert_intermediate_size: 5632,
      num_experts: 60,
      num_experts_per_tok: 4,
    });
    expect(m.moe?.sharedExperts).toBe(4);
    const shape = modelShape(m);
    expect((shape.total / 1e9).toFixed(2)).toBe("14.31");
    expect(((shape.activeLinear + shape.embedding) / 1e9).toFixed(2)).toBe("2.69");
  });

  it("reads Qwen3-235B-A22B (explicit head_dim 128 of 64 heads on hidden 4096): 235.0B, 21.5B active", () => {
    const qwen3 = {
      architectures: ["Qwen3MoeForCausalLM"],
      model_type: "qwen3_moe",
      num_hidden_layers: 94,
      hidden_size: 4096,
      num_attention_heads: 64,
      num_key_value_heads: 4,
      head_dim: 128,
      intermediate_size: 12288,
      moe_intermediate_size: 1536,
      num_experts: 128,
      num_experts_per_tok: 8,
      decoder_sparse_step: 1,
      mlp_only_layers: [],
      vocab_size: 151936,
      tie_word_embeddings: false,
      sliding_window: null,
      use_sliding_window: false,
      max_window_layers: 94,
      max_position_embeddings: 40960,
    };
    const m = parseHfConfig(qwen3);
    expect(m.attention).toEqual({ kind: "gqa", heads: 64, kvHeads: 4, headDim: 128 });
    expect(m.kvElementsPerToken).toBe(2 * 4 * 128 * 94);
    expect(m.moe).toMatchObject({ routedExperts: 128, topK: 8, sharedExperts: 0, denseLayers: 0 });
    const shape = modelShape(m);
    // 94 x (2 x 4096 x 8192 + 2 x 4096 x 512) + 94 x 128 x 3 x 4096 x 1536 + 2 x 151936 x 4096
    expect(shape.total).toBe(6_702_497_792 + 227_096_395_776 + 1_244_659_712);
    expect(shape.activeLinear).toBe(6_702_497_792 + 94 * 8 * 18_874_368 + 622_329_856);
  });

  it("counts the dense layers of a Qwen-MoE (decoder_sparse_step, mlp_only_layers) and DeepSeek (moe_layer_freq)", () => {
    const qwen = {
      ...LLAMA70B,
      model_type: "qwen2_moe",
      moe_intermediate_size: 1408,
      num_experts: 60,
      num_experts_per_tok: 4,
      intermediate_size: 5632,
    };
    // every 2nd layer has experts (indices 1, 3, ..., 79: 40 of 80), less layer 1 listed as MLP-only: 39
    const m = parseHfConfig({ ...qwen, decoder_sparse_step: 2, mlp_only_layers: [1, 2] });
    expect(m.moe).toMatchObject({ denseLayers: 41, denseFfn: 5632 });
    expect(modelShape(m).denseFfn).toBe(41 * 3 * 8192 * 5632);
    expect(parseHfConfig(qwen).moe).toMatchObject({ denseLayers: 0, denseFfn: 0 });
    // DeepSeek-V2's rule: index >= first_k_dense_replace and index % moe_layer_freq == 0: 4, 6, ..., 60 of 61
    expect(parseHfConfig({ ...DSR1, moe_layer_freq: 2 }).moe?.denseLayers).toBe(61 - 29);
    expect(parseHfConfig(DSR1).moe?.denseLayers).toBe(3);
    expect(() => parseHfConfig({ ...qwen, decoder_sparse_step: 81 })).toThrow(
      "config.json: MoE model without a layer that has experts",
    );
  });

  it("keeps an MXFP4 checkpoint's non-expert weights in BF16 (gpt-oss), FP8 otherwise", () => {
    const gptoss = parseHfConfig({
      ...LLAMA70B,
      num_local_experts: 128,
      num_experts_per_tok: 4,
      quantization_config: {
        quant_method: "mxfp4",
        modules_to_not_convert: ["model.layers.*.self_attn"],
      },
    });
    expect(gptoss.fp4NonExpert).toBe("bf16");
    expect(parseHfConfig(DSR1).fp4NonExpert).toBeUndefined();
    expect(getModel("gptoss120b").fp4NonExpert).toBe("bf16");
  });

  it("names the missing field and refuses what is not an object", () => {
    const { hidden_size: _, ...noHidden } = LLAMA70B;
    expect(() => parseHfConfig(noHidden)).toThrow(
      "config.json: missing hidden size (one of hidden_size, n_embd)",
    );
    expect(() => parseHfConfig([1, 2])).toThrow(SimConfigError);
    expect(() => parseHfConfig(null)).toThrow("config.json: expected a JSON object");
  });

  it("refuses sizes that are zero, negative or not integers (a 0-layer model was simulated)", () => {
    expect(() => parseHfConfig({ ...LLAMA70B, num_hidden_layers: 0 })).toThrow(
      "config.json: layer count must be positive, got 0 (num_hidden_layers, n_layer)",
    );
    expect(() => parseHfConfig({ ...LLAMA70B, num_key_value_heads: -8 })).toThrow(
      "config.json: num_key_value_heads must be a non-negative integer, got -8",
    );
    expect(() => parseHfConfig({ ...LLAMA70B, hidden_size: 8192.5 })).toThrow(
      "config.json: hidden_size must be a non-negative integer, got 8192.5",
    );
  });

  it("refuses shapes that made every step NaN or nonsense (0 KV heads, more experts per token than exist)", () => {
    expect(() => parseHfConfig({ ...LLAMA70B, num_key_value_heads: 0 })).toThrow(
      "config.json: num_key_value_heads must be positive, got 0",
    );
    expect(() => parseHfConfig({ ...LLAMA70B, num_key_value_heads: 3 })).toThrow(
      "config.json: num_key_value_heads 3 does not divide num_attention_heads 64",
    );
    expect(() => parseHfConfig({ ...LLAMA70B, hidden_size: 8193 })).toThrow(
      "config.json: hidden_size 8193 is not a multiple of num_attention_heads 64: give head_dim",
    );
    expect(
      parseHfConfig({ ...LLAMA70B, hidden_size: 8193, head_dim: 128 }).attention,
    ).toMatchObject({
      headDim: 128,
    });
    expect(() =>
      parseHfConfig({ ...LLAMA70B, num_local_experts: 4, num_experts_per_tok: 8 }),
    ).toThrow("config.json: each token picks 8 experts (num_experts_per_tok) of only 4");
    expect(() => parseHfConfig({ ...LLAMA70B, max_position_embeddings: 0 })).toThrow(
      "config.json: max_position_embeddings must be positive, got 0",
    );
  });

  it("says a size given as a string is not a number, rather than missing", () => {
    expect(() => parseHfConfig({ ...LLAMA70B, num_hidden_layers: "80" })).toThrow(
      'config.json: num_hidden_layers must be a non-negative integer, got "80"',
    );
    const { qk_rope_head_dim: _, ...noRope } = DSR1;
    expect(() => parseHfConfig(noRope)).toThrow(/^config\.json: missing qk_rope_head_dim$/);
  });

  it("names the file it read, not config.json (tokenizer_config.json was reported as config.json)", () => {
    expect(() =>
      parseHfConfig({ ...LLAMA70B, num_key_value_heads: 3 }, "llama", "models/llama/config.json"),
    ).toThrow(
      "models/llama/config.json: num_key_value_heads 3 does not divide num_attention_heads 64",
    );
    expect(() => parseHfConfig([1], "x", "array.json")).toThrow(
      "array.json: expected a JSON object",
    );
  });

  it("says a file with none of a model's sizes is not a model config, and where a multimodal one keeps them", () => {
    const tokenizer = { bos_token: "<s>", model_max_length: 131072 };
    expect(() => parseHfConfig(tokenizer, "t", "tokenizer_config.json")).toThrow(
      "tokenizer_config.json: not a Hugging Face model config: it has none of num_hidden_layers, hidden_size, num_attention_heads, vocab_size",
    );
    const llama4 = { model_type: "llama4", text_config: LLAMA70B, vision_config: {} };
    expect(() => parseHfConfig(llama4, "l4", "llama4/config.json")).toThrow(
      "llama4/config.json: a multimodal model config: its language model's sizes are under text_config; save text_config as a config.json of its own and give that",
    );
  });

  it("reads DeepSeek-V3's MTP layer (num_nextn_predict_layers): one MoE layer and its projection, not the shared head", () => {
    const v3 = parseHfConfig({ ...DSR1, num_nextn_predict_layers: 1 });
    // 2 x 7168^2 projection + 187.1M of MLA + 257 experts of 3 x 7168 x 2048; the embedding and output head
    // the checkpoint stores with it are the target's in SGLang, vLLM and TensorRT-LLM
    expect(v3.mtpParamsB).toBe(11.608195072);
    expect(parseHfConfig({ ...DSR1, num_nextn_predict_layers: 2 }).mtpParamsB).toBe(23.216390144);
    // Kimi K2 has DeepSeek-V3's architecture and no MTP layer; Llama has none to give
    expect(parseHfConfig({ ...DSR1, num_nextn_predict_layers: 0 }).mtpParamsB).toBeUndefined();
    expect(parseHfConfig(DSR1).mtpParamsB).toBeUndefined();
    expect(parseHfConfig(LLAMA70B).mtpParamsB).toBeUndefined();
    // a dense model's MTP layer (MiMo-7B's) is a dense layer
    const dense = parseHfConfig({ ...LLAMA70B, mtp_num_hidden_layers: 1 });
    const attention = 2 * 8192 * 64 * 128 + 2 * 8192 * 8 * 128;
    expect(dense.mtpParamsB).toBe((2 * 8192 ** 2 + attention + 3 * 8192 * 28672) / 1e9);
    expect(() => parseHfConfig({ ...DSR1, num_nextn_predict_layers: "1" })).toThrow(
      'config.json: num_nextn_predict_layers must be a non-negative integer, got "1"',
    );
  });

  it("keeps DeepSeek-R1's draft cost for its config.json: one MTP layer, resident once, run once per pass", () => {
    const config = parseHfConfig({ ...DSR1, num_nextn_predict_layers: 1 }, "r1");
    const run = (model: ModelSpec | string, method: "none" | "mtp" | "draft", draftTokens = 3) => {
      const cfg = resolveSimConfig({
        model,
        hardware: "b200",
        tp: 8,
        framework: "sglang",
        ...(method === "none" ? {} : { spec: { method, draftTokens } }),
      });
      const w = workerModel(cfg, cfg.pools[0]!);
      const batch = {
        decodeRequests: 32,
        decodeContext: 32 * 1536,
        prefillTokens: 0,
        prefillPairs: 0,
      };
      return { w, c: stepCosts(w, batch), passes: cfg.spec.draftPasses };
    };
    const fromConfig = run(config, "mtp");
    const catalog = run("dsr1", "mtp");
    // 3 drafts and SGLang's draft-extend pass, each at draftFraction of the step, as for the catalog's model
    expect(fromConfig.passes).toBe(4);
    expect(fromConfig.c.draft).toBe(catalog.c.draft);
    expect(fromConfig.c.total).toBe(catalog.c.total);
    // the layer's FP8 weights once over 8 GPUs, whether it drafts 1 token or 3; a separate draft model is not it
    const none = run(config, "none").w.residentWeightBytesPerGpu;
    expect(fromConfig.w.residentWeightBytesPerGpu - none).toBeCloseTo(11.608195072e9 / 8, 0);
    expect(run(config, "mtp", 1).w.residentWeightBytesPerGpu).toBe(
      fromConfig.w.residentWeightBytesPerGpu,
    );
    expect(run(config, "draft").w.residentWeightBytesPerGpu).toBe(none);
  });

  it("refuses layer kinds it does not model (Qwen3-Next's linear attention was costed as full attention)", () => {
    // Qwen3-Next-80B-A3B: three Gated DeltaNet layers, then one of attention, 48 layers in all
    const layerTypes = Array.from({ length: 48 }, (_, i) =>
      i % 4 === 3 ? "full_attention" : "linear_attention",
    );
    const qwen3Next = { ...LLAMA70B, num_hidden_layers: 48, layer_types: layerTypes };
    expect(() => parseHfConfig(qwen3Next, "q", "Qwen3-Next/config.json")).toThrow(
      'Qwen3-Next/config.json: layer_types has 36 "linear_attention" layers, which the simulator does not model (it models full_attention and sliding_attention layers)',
    );
    expect(() => parseHfConfig({ ...LLAMA70B, layer_types: ["full_attention"] })).toThrow(
      "config.json: layer_types lists 1 layers, num_hidden_layers 80",
    );
    // all full attention, as Qwen3's newer configs list them: no window
    const full = parseHfConfig({
      ...LLAMA70B,
      sliding_window: 4096,
      layer_types: new Array(80).fill("full_attention"),
    });
    expect(full.attention).toEqual({ kind: "gqa", heads: 64, kvHeads: 8, headDim: 128 });
  });
});

describe("sliding-window layers without layer_types", () => {
  const MISTRAL = { ...LLAMA70B, model_type: "mistral", num_hidden_layers: 32 };
  const window = (config: Record<string, unknown>) => {
    const a = parseHfConfig(config).attention;
    return a.kind === "gqa" ? [a.slidingLayers, a.slidingWindow] : [];
  };

  it("takes transformers' default window where a config leaves the field out, and none where it is null or 0", () => {
    // MistralConfig and Gemma2Config default sliding_window to 4096, MixtralConfig to None
    expect(window(MISTRAL)).toEqual([32, 4096]);
    expect(window({ ...MISTRAL, sliding_window: null })).toEqual([undefined, undefined]);
    expect(window({ ...MISTRAL, sliding_window: 0 })).toEqual([undefined, undefined]);
    expect(window({ ...MISTRAL, model_type: "mixtral" })).toEqual([undefined, undefined]);
    expect(window({ ...MISTRAL, model_type: "gemma2" })).toEqual([16, 4096]);
    // Qwen: off unless use_sliding_window, whatever sliding_window says; max_window_layers defaults to 28
    const qwen = { ...MISTRAL, model_type: "qwen2", sliding_window: 4096 };
    expect(window(qwen)).toEqual([undefined, undefined]);
    expect(window({ ...qwen, use_sliding_window: true })).toEqual([4, 4096]);
    expect(window({ ...qwen, model_type: "qwen3", use_sliding_window: true })).toEqual([4, 4096]);
    // Cohere2Config: 3 local then 1 global
    expect(window({ ...MISTRAL, model_type: "cohere2" })).toEqual([24, 4096]);
    // layer_types a Qwen config lists with its window off slide over nothing, as in transformers
    const listed = new Array(32).fill("sliding_attention");
    expect(window({ ...qwen, layer_types: listed })).toEqual([undefined, undefined]);
  });

  it("refuses, in one line, a window it cannot place or a layout it does not model", () => {
    const { model_type: _, ...untyped } = MISTRAL;
    expect(() => parseHfConfig({ ...untyped, sliding_window: 4096 }, "m", "m/config.json")).toThrow(
      /^m\/config\.json: sliding_window 4096 without layer_types: which layers slide is not known for a config without model_type \(it is for cohere2, .*\); give layer_types, "full_attention" or "sliding_attention" for each layer$/,
    );
    // a config without model_type and with use_sliding_window false has no window, as in every Qwen config class
    expect(window({ ...untyped, sliding_window: 4096, use_sliding_window: false })).toEqual([
      undefined,
      undefined,
    ]);
    // Qwen2-MoE's and Qwen3-MoE's rules differ from Qwen2's (and between transformers versions)
    expect(() =>
      parseHfConfig({
        ...MISTRAL,
        model_type: "qwen2_moe",
        use_sliding_window: true,
        sliding_window: 4096,
      }),
    ).toThrow('which layers slide is not known for model_type "qwen2_moe"');
    expect(() =>
      parseHfConfig({ ...untyped, layer_types: new Array(32).fill("sliding_attention") }),
    ).toThrow(
      'config.json: layer_types has 32 "sliding_attention" layers but no sliding_window: give the window in tokens',
    );
    expect(() =>
      parseHfConfig({ ...MISTRAL, model_type: "gemma3_text", sliding_window_pattern: 0 }),
    ).toThrow("config.json: sliding_window_pattern must be positive, got 0");
    expect(() => parseHfConfig({ ...DSR1, model_type: "mistral", sliding_window: 4096 })).toThrow(
      "config.json: 61 sliding-window layers with MLA (kv_lora_rank): the simulator models a window over GQA layers only",
    );
  });
});

describe("tied embeddings", () => {
  // Qwen3-0.6B's config.json: the output head is the embedding table
  const QWEN3_06B = {
    num_hidden_layers: 28,
    hidden_size: 1024,
    num_attention_heads: 16,
    num_key_value_heads: 8,
    head_dim: 128,
    intermediate_size: 3072,
    vocab_size: 151936,
    max_position_embeddings: 40960,
    tie_word_embeddings: true,
  };

  it("ties the head where Gemma's config leaves tie_word_embeddings out (Gemma-2-9B: 9.24B, not 10.16B)", () => {
    const gemma2 = {
      architectures: ["Gemma2ForCausalLM"],
      model_type: "gemma2",
      num_hidden_layers: 42,
      hidden_size: 3584,
      num_attention_heads: 16,
      num_key_value_heads: 8,
      head_dim: 256,
      intermediate_size: 14336,
      vocab_size: 256000,
      sliding_window: 4096,
      max_position_embeddings: 8192,
    };
    const m = parseHfConfig(gemma2);
    expect(m.tiedEmbeddings).toBe(true);
    // 42 x (2 x 3584 x 4096 + 2 x 3584 x 2048) + 42 x 3 x 3584 x 14336 + 256000 x 3584 (once)
    expect(modelShape(m).total).toBe(1_849_688_064 + 6_473_908_224 + 917_504_000);
    expect(parseHfConfig({ ...gemma2, tie_word_embeddings: false }).tiedEmbeddings).toBeUndefined();
    // Llama's config class does not tie: a config that leaves the field out keeps both tables
    expect(parseHfConfig({ ...LLAMA70B, model_type: "llama" }).tiedEmbeddings).toBeUndefined();
  });

  it("stores a tied head once (Qwen3-0.6B: 0.60B parameters, not 0.75B; its resident weights were 0.31 GB too many)", () => {
    const tied = parseHfConfig(QWEN3_06B, "qwen3-0.6b");
    const untied = parseHfConfig({ ...QWEN3_06B, tie_word_embeddings: false });
    expect(tied.tiedEmbeddings).toBe(true);
    expect(untied.tiedEmbeddings).toBeUndefined();
    const table = 151936 * 1024;
    expect(modelShape(untied).total - modelShape(tied).total).toBe(table);
    // 0.596B, as Qwen's model card gives 0.6B (0.44B without the embedding)
    expect(modelShape(tied).total / 1e9).toBeCloseTo(0.596, 3);
    // the head is still read every step
    expect(modelShape(tied).activeLinear).toBe(modelShape(untied).activeLinear);
    const resident = (model: ModelSpec) => {
      const cfg = resolveSimConfig({ model, hardware: "h100", tp: 1, precision: "bf16" });
      return workerModel(cfg, cfg.pools[0]!).residentWeightBytesPerGpu;
    };
    expect(resident(untied) - resident(tied)).toBe(table * 2);
  });
});
