import type { ResolvedSimConfig } from "../config/options.js";
import { attendedContext, attentionSpan } from "./sliding-window.js";
import { KV_BYTES, schedulerPool } from "./worker-model.js";

/**
 * Seconds to move one request's KV cache (`tokens` of context) from a prefill worker to a decode
 * worker: over the scale-up fabric when both pools fit one domain, else over the NICs of the prefill
 * worker's GPUs (one GPU's for a dense model's DP-attention replica, `schedulerPool`), plus a fixed latency.
 */
export function kvTransferSeconds(cfg: ResolvedSimConfig, tokens: number): number {
  const pool = cfg.pools.find((p) => p.role === "prefill");
  if (!pool) return 0;
  const prefill = schedulerPool(cfg, pool);
  // sliding-window layers hand over only their window
  const kvTokens = attendedContext(attentionSpan(cfg.model), 1, tokens);
  const bytes = kvTokens * cfg.model.kvElementsPerToken * KV_BYTES[cfg.kvCacheDtype];
  const sameDomain = cfg.gpus <= cfg.gpu.scaleUpDomain;
  const perGpu =
    (sameDomain ? cfg.gpu.scaleUpGBps : cfg.gpu.nicGbps / 8) * 1e9 * cfg.efficiency.comm;
  return bytes / (perGpu * prefill.tp) + cfg.engine.kvTransferLatencyUs * 1e-6;
}
