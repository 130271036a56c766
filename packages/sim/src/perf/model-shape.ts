import type { ModelSpec } from "@infermark/core";

/** Parameter counts of a model by component (parameters, not bytes). */
export interface ModelShape {
  /** Attention projections, all layers. */
  attention: number;
  /** Of `attention`, GQA's K and V projections (one KV head each per group of query heads); 0 for MLA. */
  attentionKv: number;
  /** Dense FFN of dense layers (all layers for a dense model). */
  denseFfn: number;
  /** Shared experts, all MoE layers. */
  sharedExperts: number;
  /** One routed expert in one layer. */
  routedExpert: number;
  /** Layers with routed experts. */
  moeLayers: number;
  /** Routed experts, all of them. */
  routedTotal: number;
  /** Output head (read each step); the embedding table is a lookup. */
  head: number;
  /** The embedding table; 0 when it is the output head's (`tiedEmbeddings`), stored once. */
  embedding: number;
  /** Parameters a token passes through in linear layers (attention, FFN, top-k experts, head). */
  activeLinear: number;
  total: number;
}

/** Counts a model's parameters per component from its architecture. */
export function modelShape(m: ModelSpec): ModelShape {
  const a = m.attention;
  let attnPerLayer: number;
  let kvPerLayer = 0;
  if (a.kind === "mla") {
    const qk = a.nopeDim + a.ropeDim;
    attnPerLayer =
      m.hidden * a.qLoraRank +
      a.qLoraRank * a.heads * qk +
      m.hidden * (a.kvLoraRank + a.ropeDim) +
      a.kvLoraRank * a.heads * (a.nopeDim + a.vDim) +
      a.heads * a.vDim * m.hidden;
  } else {
    kvPerLayer = 2 * m.hidden * a.kvHeads * a.headDim;
    attnPerLayer = 2 * m.hidden * a.heads * a.headDim + kvPerLayer;
  }
  const attention = attnPerLayer * m.layers;
  const moe = m.moe;
  const moeLayers = moe ? m.layers - moe.denseLayers : 0;
  const denseFfn = moe
    ? moe.denseLayers * 3 * m.hidden * moe.denseFfn
    : m.layers * 3 * m.hidden * (m.ffn ?? 4 * m.hidden);
  const routedExpert = moe ? 3 * m.hidden * moe.expertFfn : 0;
  const sharedExperts = moe ? moeLayers * moe.sharedExperts * routedExpert : 0;
  const routedTotal = moe ? moeLayers * moe.routedExperts * routedExpert : 0;
  const head = m.vocab * m.hidden;
  const embedding = m.tiedEmbeddings ? 0 : m.vocab * m.hidden;
  const activeRouted = moe ? moeLayers * moe.topK * routedExpert : 0;
  const activeLinear = attention + denseFfn + sharedExperts + activeRouted + head;
  const total = attention + denseFfn + sharedExperts + routedTotal + head + embedding;
  return {
    attention,
    attentionKv: kvPerLayer * m.layers,
    denseFfn,
    sharedExperts,
    routedExpert,
    moeLayers,
    routedTotal,
    head,
    embedding,
    activeLinear,
    total,
  };
}

/**
 * Parameters of one multi-token-prediction layer as DeepSeek-V3 defines it (`num_nextn_predict_layers`): a
 * projection of the concatenated hidden state and next token's embedding (2 hidden x hidden) and one decoder layer
 * like the model's last (MoE when the model is). Its embedding and output head are the model's own: the checkpoint
 * stores copies, but SGLang, vLLM and TensorRT-LLM share the target's.
 * @example mtpLayerParams(getModel("dsr1")) / 1e9 // 11.6
 */
export function mtpLayerParams(m: ModelSpec): number {
  const shape = modelShape(m);
  const ffn = m.moe
    ? (m.moe.sharedExperts + m.moe.routedExperts) * shape.routedExpert
    : shape.denseFfn / m.layers;
  return 2 * m.hidden * m.hidden + shape.attention / m.layers + ffn;
}
