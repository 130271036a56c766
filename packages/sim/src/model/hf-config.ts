import type { ModelSpec } from "@infermark/core";
import { SimConfigError } from "../errors.js";
import { mtpLayerParams } from "../perf/model-shape.js";
import { type Doc, fail, int, type Json } from "./hf-doc.js";
import { hfSlidingLayers } from "./hf-sliding-layers.js";

/** A size the model cannot be without: present and positive. */
function need(d: Doc, what: string, ...keys: string[]): number {
  const v = int(d, ...keys);
  const which =
    keys.length > 1 ? ` (one of ${keys.join(", ")})` : what === keys[0] ? "" : ` (${keys[0]})`;
  if (v === undefined) throw fail(d, `missing ${what}${which}`);
  if (v === 0) throw fail(d, `${what} must be positive, got 0${which.replace(" (one of ", " (")}`);
  return v;
}

/** An optional size that, when given, must be positive (0 would divide by zero or leave nothing to simulate). */
function positive(d: Doc, key: string): number | undefined {
  const v = int(d, key);
  if (v === 0) throw fail(d, `${key} must be positive, got 0`);
  return v;
}

/** The sizes every model config has; a file with none of them is some other file of the model's folder. */
const MODEL_SIZES = ["num_hidden_layers", "hidden_size", "num_attention_heads", "vocab_size"];

/**
 * Refuses a document that is not a language model's config: another file of the model's folder
 * (`tokenizer_config.json`, `generation_config.json`), or a multimodal config, whose sizes are under `text_config`.
 */
function checkIsModelConfig(d: Doc): void {
  if (MODEL_SIZES.some((k) => d.c[k] !== undefined) || d.c.n_layer !== undefined) return;
  if (typeof d.c.text_config === "object" && d.c.text_config !== null)
    throw fail(
      d,
      "a multimodal model config: its language model's sizes are under text_config; save text_config as a config.json of its own and give that",
    );
  throw fail(d, `not a Hugging Face model config: it has none of ${MODEL_SIZES.join(", ")}`);
}

/**
 * Reads a Hugging Face `config.json` into a ModelSpec: DeepSeek-V3/R1 (MLA + MoE), Llama-style GQA,
 * and MoE fields of gpt-oss, Mixtral and Qwen (num_local_experts / num_experts, num_experts_per_tok,
 * moe_intermediate_size / intermediate_size), multi-token-prediction layers (num_nextn_predict_layers, which MTP
 * needs), and sliding-window layers (`layer_types`, or derived from `sliding_window` by `hfSlidingLayers`). `ref`, the
 * file as the user named it, is what errors name.
 * @example parseHfConfig(JSON.parse(text), "my-model").layers
 */
export function parseHfConfig(config: unknown, key = "hf-model", ref = "config.json"): ModelSpec {
  if (typeof config !== "object" || config === null || Array.isArray(config))
    throw new SimConfigError(`${ref}: expected a JSON object`);
  const c = config as Json;
  const d: Doc = { c, ref };
  checkIsModelConfig(d);
  const layers = need(d, "layer count", "num_hidden_layers", "n_layer");
  const hidden = need(d, "hidden size", "hidden_size", "n_embd");
  const heads = need(d, "attention heads", "num_attention_heads", "n_head");
  const vocab = need(d, "vocabulary size", "vocab_size");
  const sliding = hfSlidingLayers(d, layers);
  const kvLora = int(d, "kv_lora_rank");
  let attention: ModelSpec["attention"];
  let kvElementsPerToken: number;
  if (kvLora !== undefined) {
    if (sliding)
      throw fail(
        d,
        `${sliding.count} sliding-window layers with MLA (kv_lora_rank): the simulator models a window over GQA layers only`,
      );
    const rope = need(d, "qk_rope_head_dim", "qk_rope_head_dim");
    attention = {
      kind: "mla",
      heads,
      qLoraRank: int(d, "q_lora_rank") ?? hidden,
      kvLoraRank: kvLora,
      ropeDim: rope,
      nopeDim: need(d, "qk_nope_head_dim", "qk_nope_head_dim"),
      vDim: need(d, "v_head_dim", "v_head_dim"),
    };
    kvElementsPerToken = (kvLora + rope) * layers;
  } else {
    const kvHeads = positive(d, "num_key_value_heads") ?? heads;
    // each KV head serves a whole group of query heads
    if (heads % kvHeads !== 0)
      throw fail(d, `num_key_value_heads ${kvHeads} does not divide num_attention_heads ${heads}`);
    const headDim = positive(d, "head_dim") ?? hidden / heads;
    if (!Number.isInteger(headDim))
      throw fail(
        d,
        `hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}: give head_dim`,
      );
    attention = {
      kind: "gqa",
      heads,
      kvHeads,
      headDim,
      ...(sliding ? { slidingWindow: sliding.window, slidingLayers: sliding.count } : {}),
    };
    kvElementsPerToken = 2 * kvHeads * headDim * layers;
  }
  const experts = int(d, "n_routed_experts", "num_local_experts", "num_experts");
  const topK = int(d, "num_experts_per_tok", "experts_per_token", "moe_topk");
  const ffn = int(d, "intermediate_size");
  let moe: ModelSpec["moe"];
  if (experts && topK) {
    if (topK > experts)
      throw fail(d, `each token picks ${topK} experts (num_experts_per_tok) of only ${experts}`);
    const expertFfn = int(d, "moe_intermediate_size") ?? ffn;
    if (!expertFfn) throw fail(d, "MoE model without moe_intermediate_size or intermediate_size");
    const denseLayers = layers - moeLayerCount(d, layers);
    moe = {
      routedExperts: experts,
      topK,
      // Qwen-MoE gives one shared expert of its own width (Qwen1.5-MoE: 5632 = 4 experts of 1408)
      sharedExperts:
        int(d, "n_shared_experts") ?? (int(d, "shared_expert_intermediate_size") ?? 0) / expertFfn,
      expertFfn,
      denseLayers,
      denseFfn: denseLayers > 0 ? (ffn ?? 0) : 0,
    };
  }
  // multi-token-prediction layers: num_nextn_predict_layers of DeepSeek-V3/R1, GLM-4.5 and MiMo (Kimi K2, of
  // DeepSeek-V3's architecture, gives 0), mtp_num_hidden_layers of Qwen3.5's text config
  const mtpLayers = int(d, "num_nextn_predict_layers", "mtp_num_hidden_layers") ?? 0;
  // parameter totals from the architecture (same formulas as the step model)
  const spec: ModelSpec = {
    key,
    hfId: typeof c._name_or_path === "string" ? c._name_or_path : key,
    layers,
    hidden,
    vocab,
    attention,
    ...(moe ? { moe } : { ffn: ffn ?? 4 * hidden }),
    activeParamsB: 0,
    totalParamsB: 0,
    kvElementsPerToken,
    maxContext: positive(d, "max_position_embeddings") ?? 131072,
    // MXFP4 checkpoints (gpt-oss) quantise the experts only and keep the rest in BF16
    ...(quantMethod(c) === "mxfp4" ? { fp4NonExpert: "bf16" as const } : {}),
    // the output head is the embedding table (Llama 3.2 1B/3B, Qwen3 up to 4B, Gemma): stored once
    ...(tiedEmbeddings(c) ? { tiedEmbeddings: true } : {}),
    source: { source: ref, date: "" },
  };
  // MTP needs them; they are resident once, however many drafts a step makes with them
  if (mtpLayers > 0) spec.mtpParamsB = (mtpLayers * mtpLayerParams(spec)) / 1e9;
  return spec;
}

/**
 * Decoder layers with routed experts, as transformers builds them; the others run a dense FFN of
 * `intermediate_size`. DeepSeek-V2/V3: the layers from `first_k_dense_replace` on whose index is a multiple of
 * `moe_layer_freq`. Qwen2-MoE and Qwen3-MoE: every `decoder_sparse_step`-th layer (counting from 1) not listed in
 * `mlp_only_layers`.
 */
function moeLayerCount(d: Doc, layers: number): number {
  const firstMoe = int(d, "first_k_dense_replace") ?? 0;
  const freq = positive(d, "moe_layer_freq") ?? 1;
  const step = positive(d, "decoder_sparse_step") ?? 1;
  const listed = d.c.mlp_only_layers;
  const mlpOnly = new Set(Array.isArray(listed) ? listed : []);
  let count = 0;
  for (let i = firstMoe; i < layers; i++)
    if (i % freq === 0 && (i + 1) % step === 0 && !mlpOnly.has(i)) count++;
  if (count === 0) throw fail(d, "MoE model without a layer that has experts");
  return count;
}

/** Model types whose transformers config class ties the head to the embedding when `tie_word_embeddings` is left out. */
const TIED_BY_DEFAULT = new Set(["gemma", "gemma2", "gemma3_text"]);

/**
 * Whether the output head is the embedding table: `tie_word_embeddings`, or where a config leaves it out, its
 * model type's default (Gemma's configs leave it out and tie; Llama's, Mistral's, Qwen's and gpt-oss's do not).
 */
function tiedEmbeddings(c: Record<string, unknown>): boolean {
  if (typeof c.tie_word_embeddings === "boolean") return c.tie_word_embeddings;
  return typeof c.model_type === "string" && TIED_BY_DEFAULT.has(c.model_type);
}

/** `quantization_config.quant_method` of a config.json, lower-cased, when it has one. */
function quantMethod(c: Record<string, unknown>): string | undefined {
  const q = c.quantization_config;
  if (typeof q !== "object" || q === null) return undefined;
  const method = (q as Record<string, unknown>).quant_method;
  return typeof method === "string" ? method.toLowerCase() : undefined;
}
