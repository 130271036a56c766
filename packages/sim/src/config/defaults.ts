/**
 * Efficiency factors of the performance model. Peak figures from the catalog are multiplied by the
 * efficiencies; the overheads are added per step.
 */
export interface EfficiencyFactors {
  /** Fraction of peak dense TFLOPS reached by GEMMs and attention (attention at the BF16 peak). @default 0.3 */
  compute: number;
  /** Fraction of peak HBM bandwidth reached by weight and KV reads. @default 0.6 */
  memory: number;
  /** Fraction of peak scale-up / NIC bandwidth reached by collectives and KV transfer. @default 0.6 */
  comm: number;
  /** Fixed cost of one engine step: scheduling, sampling, launch (µs). @default 1000 */
  stepOverheadUs: number;
  /** Per-layer cost of small kernels that do not scale with the batch (µs). @default 60 */
  layerOverheadUs: number;
  /** Latency of one collective inside a scale-up domain (µs); 3x across nodes. @default 12 */
  collectiveLatencyUs: number;
  /** Cost of one MTP / draft-model pass as a fraction of a target step. @default 0.05 */
  draftFraction: number;
}

/** Engine limits, as the serving engines call them. */
export interface EngineLimits {
  /** Tokens one step may compute (decode + prefill chunk). @default 8192 */
  maxBatchedTokens: number;
  /** Requests running at once per worker. @default 1024 */
  maxRunningRequests: number;
  /** Prefill chunk size (tokens); prompts longer than this are split over steps. @default 8192 */
  chunkedPrefill: number;
  /** Fraction of HBM the engine may use for weights plus KV cache. @default 0.9 */
  memoryFraction: number;
  /** KV cache block (page) size in tokens. @default 64 */
  blockSize: number;
  /** Fixed latency of one prefill-to-decode KV transfer (µs). @default 500 */
  kvTransferLatencyUs: number;
}

/** Default efficiency factors; chosen once for all GPUs and engines (see docs/simulator.md). */
export const DEFAULT_EFFICIENCY: EfficiencyFactors = {
  compute: 0.3,
  memory: 0.6,
  comm: 0.6,
  stepOverheadUs: 1000,
  layerOverheadUs: 60,
  collectiveLatencyUs: 12,
  draftFraction: 0.05,
};

export const DEFAULT_ENGINE: EngineLimits = {
  maxBatchedTokens: 8192,
  maxRunningRequests: 1024,
  chunkedPrefill: 8192,
  memoryFraction: 0.9,
  blockSize: 64,
  kvTransferLatencyUs: 500,
};

/** Mean acceptance length (tokens per step, bonus token included) by draft tokens, when not given. */
export function defaultAcceptanceLength(draftTokens: number): number {
  // about 0.8 acceptance of the first draft, decaying by 0.8 per further draft
  let expected = 1;
  let p = 1;
  for (let i = 0; i < draftTokens; i++) {
    p *= 0.75;
    expected += p;
  }
  return expected;
}
