import { SOURCES, type SourceRef } from "./sources.js";

export type AttentionSpec =
  | {
      kind: "mla";
      heads: number;
      qLoraRank: number;
      kvLoraRank: number;
      ropeDim: number;
      nopeDim: number;
      vDim: number;
    }
  | {
      kind: "gqa";
      heads: number;
      kvHeads: number;
      headDim: number;
      slidingWindow?: number;
      slidingLayers?: number;
    };

export interface MoeSpec {
  routedExperts: number;
  topK: number;
  sharedExperts: number;
  expertFfn: number;
  /** Layers that are dense (no experts), counted from the first. */
  denseLayers: number;
  denseFfn: number;
}

/** One model's architecture, enough to count FLOPs and bytes. */
export interface ModelSpec {
  key: string;
  hfId: string;
  layers: number;
  hidden: number;
  vocab: number;
  attention: AttentionSpec;
  /** Dense FFN width (dense models). */
  ffn?: number;
  moe?: MoeSpec;
  activeParamsB: number;
  totalParamsB: number;
  /** Extra parameters of a multi-token-prediction module, when the model has one. */
  mtpParamsB?: number;
  /**
   * Precision of the non-expert weights (attention, dense layers) in the model's FP4 checkpoint: FP8 in
   * DeepSeek-R1's NVFP4 checkpoint, BF16 in gpt-oss's MXFP4 one. @default "fp8"
   */
  fp4NonExpert?: "fp8" | "bf16";
  /**
   * The output head is the embedding table (`tie_word_embeddings`, as small Llama 3.2 and Qwen3 models have): its
   * weights are stored once. @default false
   */
  tiedEmbeddings?: boolean;
  /** KV-cache elements stored per token, all layers together. */
  kvElementsPerToken: number;
  maxContext: number;
  source: SourceRef;
}

/** The models of CATALOG.md. */
export const MODELS: Readonly<Record<string, ModelSpec>> = {
  dsr1: {
    key: "dsr1",
    hfId: "deepseek-ai/DeepSeek-R1-0528",
    layers: 61,
    hidden: 7168,
    vocab: 129280,
    attention: {
      kind: "mla",
      heads: 128,
      qLoraRank: 1536,
      kvLoraRank: 512,
      ropeDim: 64,
      nopeDim: 128,
      vDim: 128,
    },
    moe: {
      routedExperts: 256,
      topK: 8,
      sharedExperts: 1,
      expertFfn: 2048,
      denseLayers: 3,
      denseFfn: 18432,
    },
    activeParamsB: 37,
    totalParamsB: 671,
    mtpParamsB: 14,
    kvElementsPerToken: (512 + 64) * 61,
    maxContext: 163840,
    source: {
      ...SOURCES.hfConfig,
      note: "KV (kv_lora 512 + rope 64) x 61 layers, not split by TP",
    },
  },
  llama70b: {
    key: "llama70b",
    hfId: "meta-llama/Llama-3.3-70B-Instruct",
    layers: 80,
    hidden: 8192,
    vocab: 128256,
    attention: { kind: "gqa", heads: 64, kvHeads: 8, headDim: 128 },
    ffn: 28672,
    activeParamsB: 70,
    totalParamsB: 70,
    kvElementsPerToken: 2 * 8 * 128 * 80,
    maxContext: 131072,
    source: SOURCES.hfConfig,
  },
  gptoss120b: {
    key: "gptoss120b",
    hfId: "openai/gpt-oss-120b",
    layers: 36,
    hidden: 2880,
    vocab: 201088,
    attention: {
      kind: "gqa",
      heads: 64,
      kvHeads: 8,
      headDim: 64,
      slidingWindow: 128,
      slidingLayers: 18,
    },
    moe: {
      routedExperts: 128,
      topK: 4,
      sharedExperts: 0,
      expertFfn: 2880,
      denseLayers: 0,
      denseFfn: 0,
    },
    activeParamsB: 5.1,
    totalParamsB: 117,
    kvElementsPerToken: 2 * 8 * 64 * 36,
    fp4NonExpert: "bf16",
    maxContext: 131072,
    source: { ...SOURCES.hfConfig, note: "MXFP4 experts; half the layers sliding-window" },
  },
};
