import type { ModelSpec } from "@infermark/core";

/**
 * Kernels one decoder layer launches in a decode step of a CUDA-graph engine (vLLM, SGLang,
 * TensorRT-LLM), collectives left out (they are costed as communication). Counted from the engines'
 * decode paths:
 * - MLA attention (DeepSeek): fused add + RMSNorm, fused q_a / kv_a projection and its activation
 *   quantisation, the q_a and kv_a norms, q_b projection and quantisation, the W_UK absorption, RoPE,
 *   the KV-cache write, the split-KV decode kernel and its combine, the W_UV absorption, o_proj and its
 *   quantisation: 15.
 * - GQA attention (Llama, gpt-oss): fused add + RMSNorm, QKV projection and quantisation, RoPE, the
 *   KV-cache write, split-KV decode and combine, o_proj and quantisation: 9.
 * - MoE FFN: fused add + RMSNorm, router GEMM, top-k, then the routed experts' activation quantisation,
 *   token permutation, two grouped GEMMs, activation, and the weighted combine: 9; shared experts add
 *   their gate/up GEMM with quantisation, activation and down GEMM: 4.
 * - Dense FFN: fused add + RMSNorm, gate/up GEMM and quantisation, activation, down GEMM: 5.
 */
export const LAYER_KERNELS = {
  attention: { mla: 15, gqa: 9 },
  moe: 9,
  sharedExperts: 4,
  denseFfn: 5,
} as const;

/** Kernels of the layer `layerOverheadUs` is quoted for: an MLA + MoE layer with shared experts (DeepSeek-R1). */
export const REFERENCE_LAYER_KERNELS =
  LAYER_KERNELS.attention.mla + LAYER_KERNELS.moe + LAYER_KERNELS.sharedExperts;

/**
 * The model's decoder layers in units of the reference layer's fixed cost: the sum over its layers of
 * the kernels each launches over `REFERENCE_LAYER_KERNELS`. Small kernels in a captured graph cost
 * about the same whatever they do, so a layer's fixed cost follows its kernel count: a dense GQA layer
 * (Llama) costs 14/28 of a DeepSeek-R1 MoE layer, a gpt-oss layer 18/28.
 *
 * @example layerUnits(getModel("dsr1")) // 58 MoE layers + 3 dense ones at 20/28: 60.14
 */
export function layerUnits(m: ModelSpec): number {
  const attention = LAYER_KERNELS.attention[m.attention.kind];
  const moeLayers = m.moe ? m.layers - m.moe.denseLayers : 0;
  const moeKernels =
    LAYER_KERNELS.moe + (m.moe && m.moe.sharedExperts > 0 ? LAYER_KERNELS.sharedExperts : 0);
  const kernels =
    moeLayers * (attention + moeKernels) +
    (m.layers - moeLayers) * (attention + LAYER_KERNELS.denseFfn);
  return kernels / REFERENCE_LAYER_KERNELS;
}
