import { kvMemoryRule, RESERVE_BYTES } from "../config/engine-memory.js";
import type { ResolvedSimConfig } from "../config/options.js";
import { DoesNotFitError } from "../errors.js";
import { keptTokens } from "./sliding-window.js";
import { denseReplicas, workerModel } from "./worker-model.js";

const GB = 1e9;

/** How the KV room was worked out, in the words of the framework's memory rule (`kvMemoryRule`). */
function kvRoomSum(cfg: ResolvedSimConfig): string {
  const f = cfg.engine.memoryFraction;
  const hbm = `${cfg.gpu.hbmGb} GB`;
  const reserve = `${RESERVE_BYTES / GB} GB reserve`;
  const rule = kvMemoryRule(cfg.framework);
  if (rule === "vllm")
    return `${f} x ${hbm} (vLLM gpu_memory_utilization ${f}, a share of all HBM) less the weights and a ${reserve} for activations`;
  if (rule === "sglang")
    return `${f} x ${hbm} (SGLang mem_fraction_static ${f}, a share of all HBM) less the weights`;
  return `${f} x (${hbm} - ${reserve} - the weights) (memory fraction ${f} of what the weights leave, as TensorRT-LLM's free_gpu_memory_fraction)`;
}

/**
 * Refuses a layout whose weights plus the KV cache of one request of `minTokens` tokens do not fit
 * one GPU's memory as the framework sizes its KV cache (`kvBudgetBytes`), with the numbers. Under DP attention a
 * request's KV lies whole on the one rank that runs it (MLA's latent and all of GQA's KV heads alike), while
 * `kvStoredBytesPerToken` is the worker's mean per GPU (split over the `attnDp` ranks), so one request needs
 * `attnDp` times that. A dense model's DP-attention ranks are whole replicas (`denseReplicas`): every GPU holds all
 * the weights, and the message says to drop DP attention rather than to add TP.
 */
export function assertFits(cfg: ResolvedSimConfig, minTokens: number): void {
  for (const pool of cfg.pools) {
    const w = workerModel(cfg, pool);
    const kvNeed = keptTokens(w.span, minTokens) * w.kvStoredBytesPerToken * w.attnDp;
    const kvRoom = w.kvBytesPerGpu;
    if (kvNeed > kvRoom) {
      throw new DoesNotFitError(
        `${cfg.model.key} at ${cfg.precision} on ${pool.role} workers of tp ${pool.tp} x pp ${pool.pp} ${cfg.gpu.key}: ` +
          `weights ${(w.residentWeightBytesPerGpu / GB).toFixed(1)} GB + KV for ${minTokens} tokens ${(kvNeed / GB).toFixed(2)} GB per GPU ` +
          `do not fit: KV gets ${kvRoomSum(cfg)} = ${(kvRoom / GB).toFixed(2)} GB; ` +
          (denseReplicas(cfg, pool)
            ? `each GPU holds the whole model under DP attention (a dense model's ranks are replicas, so more tp does not help): drop --dp-attention to split it over tp ${pool.tp}, or use a lower precision`
            : "use more GPUs per worker (tp/pp), a lower precision or a higher --memory-fraction"),
      );
    }
  }
}
